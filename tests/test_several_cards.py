"""A photo of several cards laid out on a table, through `cardscan rescan --several`
(issue 16): every card read as a card of its own, with its place in the photo and an id
of its own; --card N reads one; with --book each card is a row.

The photo is generated here (tools.cardgen.multi, a fixed seed): two cards in a grid,
large enough print that both are read right with a wide margin (checked on the seed by
hand: both marked OK, every email exact), so the assertions on emails rest on no
borderline reading.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLES, run_cli, text_rows

from cardscan.bench_cards import polygon_iou
from tools.cardgen.multi import multi_photo


@dataclasses.dataclass(frozen=True)
class Photo:
    folder: Path
    path: Path
    truth: list[dict]  # each card's truth record, in reading order (row by row)


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Photo:
    folder = tmp_path_factory.mktemp("table")
    jpeg, record = multi_photo(1, count=2, layout="grid", gap_mm=6.0, frame=(2400, 1800))
    path = folder / "table.jpg"
    path.write_bytes(jpeg)
    return Photo(folder, path, record["cards"])


def _emails(card: dict) -> list[str]:
    return sorted(e.lower() for e in card["contact"]["emails"])


def test_every_card_is_read_with_its_place_and_becomes_a_row(photo: Photo) -> None:
    done = run_cli(
        "rescan", str(photo.path), "--several", "--json", "--book", "people.xlsx",
        cwd=photo.folder,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    cards = json.loads(done.stdout)
    assert isinstance(cards, list) and len(cards) == len(photo.truth) == 2
    photo_id = hashlib.sha256(photo.path.read_bytes()).hexdigest()
    for k, (card, truth) in enumerate(zip(cards, photo.truth, strict=True), start=1):
        assert card["position"]["card"] == k and card["position"]["of"] == 2
        assert card["card_id"] == f"{photo_id}#{k}"
        assert card["source"] == str(photo.path)
        corners = np.asarray(card["position"]["corners"], np.float32)
        assert polygon_iou(corners, np.asarray(truth["corners"], np.float32)) > 0.8
        assert sorted(e.lower() for e in card["contact"]["emails"]) == _emails(truth["truth"])
    # Each card its own row, its own card id; the note names the card and the row.
    rows = text_rows(photo.folder / "people.xlsx")
    assert sorted(r["Card IDs"] for r in rows) == [f"{photo_id}#1", f"{photo_id}#2"]
    assert done.stderr.splitlines() == [
        "Book people.xlsx: card 1: row 1 new",
        "Book people.xlsx: card 2: row 2 new",
    ]

    # --card N reads that card alone: one object, and its row is updated in place.
    again = run_cli(
        "rescan", str(photo.path), "--card", "2", "--json", "--book", "people.xlsx",
        cwd=photo.folder,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    second = json.loads(again.stdout)
    assert isinstance(second, dict) and second["position"]["card"] == 2
    assert second["card_id"] == f"{photo_id}#2"
    assert sorted(e.lower() for e in second["contact"]["emails"]) == _emails(
        photo.truth[1]["truth"]
    )
    assert len(text_rows(photo.folder / "people.xlsx")) == 2
    assert again.stderr == "Book people.xlsx: card 2: row 2 updated\n"

    # An ingest of the same photo finds it in the book: no muddled row of both cards.
    ingest = run_cli("ingest", str(photo.path), "--book", "people.xlsx", cwd=photo.folder)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert ingest.stdout.startswith("Read 1 card photo: 0 new"), ingest.stdout
    assert "1 already in the book" in ingest.stdout
    assert len(text_rows(photo.folder / "people.xlsx")) == 2


def test_a_card_number_past_the_cards_is_a_slip(photo: Photo) -> None:
    done = run_cli("rescan", str(photo.path), "--card", "3", cwd=photo.folder)
    assert done.returncode == 4
    assert f"{photo.path} holds 2 cards: there is no card 3: choose --card 1 to 2" in done.stderr


def test_a_photo_of_one_card_has_no_card_two_and_reads_as_before(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "us-classic-wood.jpg", tmp_path / "card.jpg")
    done = run_cli("rescan", "card.jpg", "--card", "2", cwd=tmp_path)
    assert done.returncode == 4
    assert "card.jpg holds one card: there is no card 2 on it: leave --card out" in done.stderr
    # --several (as --card 1 would) on a photo of one card: read as before, and said so.
    done = run_cli("rescan", "card.jpg", "--several", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)
    assert isinstance(card, dict) and "position" not in card  # the contract as before
    assert card["contact"]["emails"] == ["marcus.whitfield@northwindlogistics.com"]
    assert "card.jpg: one card found in the photo; it is read as one card" in done.stderr
