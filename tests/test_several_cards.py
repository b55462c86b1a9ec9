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
from conftest import SAMPLES, SeedReadings, run_cli, text_rows

from cardscan.bench_cards import polygon_iou
from cardscan.config import load_pipeline
from cardscan.errors import ImageError
from cardscan.model import CardResult, OcrResult, Position, Status
from cardscan.pipeline import CardJob, place_in, process_card
from cardscan.reading import CardToRead, card_of_photo, join_readings, pair_by_position
from cardscan.state.readings import result_from_json
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

    # An ingest of the same photo finds its cards in the book: no muddled row of both.
    ingest = run_cli("ingest", str(photo.path), "--book", "people.xlsx", cwd=photo.folder)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert ingest.stdout.startswith("Read 1 card photo: 0 new"), ingest.stdout
    assert "2 already in the book" in ingest.stdout
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
    # --several (as --card 1 would) on a photo of one card: read as before, and said so;
    # without it, the photo is read as before and nothing is said.
    done = run_cli("rescan", "card.jpg", "--several", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)
    assert isinstance(card, dict) and "position" not in card  # the contract as before
    assert card["contact"]["emails"] == ["marcus.whitfield@northwindlogistics.com"]
    assert "card.jpg: one card found in the photo; it is read as one card" in done.stderr


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, photo: Photo) -> Path:
    """A night's stack in three photos: two of several cards (2 and 3, on a light table,
    6 mm apart; every card bears print far above cards_in's bar, each names one person)
    and one of one card."""
    folder = tmp_path_factory.mktemp("stack")
    shutil.copy(photo.path, folder / "two.jpg")
    jpeg, _ = multi_photo(2, count=3, layout="grid", gap_mm=6.0, frame=(2400, 1800))
    (folder / "three.jpg").write_bytes(jpeg)
    shutil.copy(SAMPLES / "us-classic-wood.jpg", folder / "one.jpg")
    return folder


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_ingest_reads_every_card_of_every_photo_once(
    stack: Path, seed_readings: SeedReadings
) -> None:
    """ingest finds the photos of several cards by itself: one row per card, each with its
    own card id; a second run adds nothing; a row deleted by hand comes back from the
    stored reading, alone; the dry run says how many cards each photo holds. (The photo
    of one card takes its reading from the samples ingest: its reading is not the point.)"""
    seed_readings(stack / "book.xlsx", [stack / "one.jpg"])
    done = run_cli("ingest", ".", "--book", "book.xlsx", cwd=stack)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Read 3 card photos: 6 new"), done.stdout
    assert (
        "Photos of several cards, each card read as a card of its own: "
        "three.jpg (3 cards), two.jpg (2 cards)." in done.stdout
    )
    rows = text_rows(stack / "book.xlsx")
    two, three = _sha(stack / "two.jpg"), _sha(stack / "three.jpg")
    assert sorted(r["Card IDs"] for r in rows) == sorted(
        [_sha(stack / "one.jpg"), f"{two}#1", f"{two}#2", f"{three}#1", f"{three}#2", f"{three}#3"]
    )
    page = (stack / "book.review.html").read_text(encoding="utf-8")
    assert page.count('<svg class="place"') == 5  # each card of several shows its place
    assert f"{three}%232.jpg" in page  # its crop, the "#" escaped in the link

    again = run_cli("ingest", ".", "--book", "book.xlsx", cwd=stack)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.startswith("Read 3 card photos: 0 new, 0 merged"), again.stdout
    assert "6 already in the book" in again.stdout
    assert text_rows(stack / "book.xlsx") == rows

    # The user deletes one card's row: the next run puts that card back, and only it.
    from openpyxl import load_workbook

    book = load_workbook(stack / "book.xlsx")
    sheet = book.active
    [gone] = [
        r for r in range(2, sheet.max_row + 1) if any(c.value == f"{three}#2" for c in sheet[r])
    ]
    sheet.delete_rows(gone)
    book.save(stack / "book.xlsx")
    back = run_cli("ingest", ".", "--book", "book.xlsx", cwd=stack)
    assert back.returncode == 0, back.stdout + back.stderr
    assert back.stdout.startswith("Read 3 card photos: 1 new, 0 merged"), back.stdout
    assert "5 already in the book" in back.stdout
    assert sorted(r["Card IDs"] for r in text_rows(stack / "book.xlsx")) == sorted(
        r["Card IDs"] for r in rows
    )

    dry = run_cli("ingest", "three.jpg", "--book", "book.xlsx", "--dry-run", cwd=stack)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "three.jpg (card 3 of 3): unchanged: already in row" in dry.stdout
    assert "three.jpg (3 cards)" in dry.stdout


def test_backs_pair_with_fronts_by_mirrored_place() -> None:
    """pair_by_position: the backs' photo is of the layout turned over like a page (the
    left card now on the right), taken closer and off-centre; a card whose back was not
    found stays alone."""

    def grid(cols: int, rows: int, scale: float, dx: float, keep=None) -> list[Position]:
        places = []
        for r in range(rows):
            for c in range(cols):
                if keep is not None and (r, c) not in keep:
                    continue
                x, y = dx + c * 100 * scale, 50 + r * 70 * scale
                corners = (
                    (x, y),
                    (x + 85 * scale, y),
                    (x + 85 * scale, y + 55 * scale),
                    (x, y + 55 * scale),
                )
                places.append(Position(len(places) + 1, rows * cols, corners))
        return places

    fronts = grid(3, 2, 1.0, 10)
    backs = grid(3, 2, 1.6, 300)
    pairs = pair_by_position(fronts, backs)
    # Front row 1: cards 1 2 3 left to right; their backs lie right to left: 3 2 1.
    assert pairs == {0: 2, 1: 1, 2: 0, 3: 5, 4: 4, 5: 3}
    # Without the middle card of the lower row among the backs, its front stays alone.
    partial = grid(3, 2, 1.6, 300, keep={(0, 0), (0, 1), (0, 2), (1, 0), (1, 2)})
    paired = pair_by_position(fronts, partial)
    assert 4 not in paired and paired[0] == 2 and paired[3] == 4 and paired[5] == 3


def test_a_photo_of_several_read_before_keeps_its_cards_in_the_store() -> None:
    """A photo's survey (where its cards lie) and a card's place survive the result
    store, so a later run neither looks for the cards again nor loses their places."""
    place = Position(2, 3, ((1.0, 2.0), (90.0, 2.0), (90.0, 60.0), (1.0, 60.0)), (400, 300))
    survey = CardResult("t.jpg", "ab" * 32, Status.OK, cards=[place])
    card = CardResult("t.jpg", "ab" * 32 + "#2", Status.OK, position=place)
    for result in (survey, card):
        again = result_from_json(json.loads(json.dumps(result.to_json())))
        assert again.cards == result.cards and again.position == result.position


def test_a_stored_place_outside_the_photo_is_refused() -> None:
    """A card place from the store that does not lie in the photo (stale, or tampered
    with) fails that card with the fix, and is never warped (no unbounded allocation)."""
    inside = Position(1, 2, ((0.0, 0.0), (99.0, 0.0), (99.0, 59.0), (0.0, 59.0)))
    assert place_in(inside, (60, 100, 3), "t.jpg").points.max() <= 99
    # Found on the photo at 100 px wide, cut out of it decoded at 200: scaled with it.
    found_small = dataclasses.replace(inside, photo=(100, 60))
    assert place_in(found_small, (120, 200, 3), "t.jpg").points[2].tolist() == [198.0, 118.0]
    far = Position(1, 2, ((0.0, 0.0), (1e9, 0.0), (1e9, 1e9), (0.0, 1e9)))
    with pytest.raises(ImageError, match=r"t\.jpg: card 1 of the photo lies outside it.*--rescan"):
        place_in(far, (60, 100, 3), "t.jpg")


def test_a_photo_of_one_card_given_with_a_photo_of_several_is_a_card_of_its_own() -> None:
    """Fronts and backs both photos of several: paired by place, one card each; a photo
    of one card given as the other side of a photo of several is read as a card alone."""
    places = [
        Position(k, 2, ((x, 0.0), (x + 85.0, 0.0), (x + 85.0, 55.0), (x, 55.0)), (300, 100))
        for k, x in ((1, 0.0), (2, 100.0))
    ]
    front = CardResult("f.jpg", "f" * 64, Status.OK, cards=places)
    back = CardResult("b.jpg", "b" * 64, Status.OK, cards=places)
    one = CardResult("b.jpg", "c" * 64, Status.OK, text="Ada Lovelace")
    card = CardToRead.of([Path("f.jpg"), Path("b.jpg")], "US")
    [both] = join_readings([card], iter([front, back]))
    assert both.several == 2
    cards = card_of_photo(both, lambda card_id: None, None)
    assert [[s.card_id for s in c.card.sides] for c in cards] == [
        ["f" * 64 + "#1", "b" * 64 + "#2"],  # the left front's back lies on the right
        ["f" * 64 + "#2", "b" * 64 + "#1"],
    ]
    [mixed] = join_readings([card], iter([front, one]))
    assert mixed.several == 3
    cards = card_of_photo(mixed, lambda card_id: None, lambda card_id: card_id.endswith("#2"))
    assert [(c.card.sides[0].card_id, c.settled) for c in cards] == [
        ("f" * 64 + "#1", False),
        ("f" * 64 + "#2", True),  # in the book already: not read
        ("c" * 64, False),
    ]
    assert cards[2].card.sides[0].known is one


class _BlankEngine:
    """An engine that reads nothing (the cards then fail "no text"): what is tested here
    is how often the photo is decoded, not the reading."""

    name = "blank"

    def check(self) -> None:
        pass

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        return OcrResult(lines=[], width=image.shape[1], height=image.shape[0])

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        return None


def test_the_cards_of_one_photo_decode_it_once_per_worker(
    photo: Photo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker cuts the next card of the same photo from the photo it decoded for the
    last one; a photo of one card in between lets it go."""
    import cardscan.pipeline as pipeline

    decoded: list[str] = []
    real = pipeline.decode_photo

    def counting(data: bytes, name: str, *args: object, **kwargs: object) -> object:
        decoded.append(name)
        return real(data, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "decode_photo", counting)
    definition = load_pipeline()
    sha = hashlib.sha256(photo.path.read_bytes()).hexdigest()
    corners = tuple(tuple(map(float, c)) for c in photo.truth[0]["corners"])
    place = Position(1, 2, corners)  # type: ignore[arg-type]
    jobs = [
        CardJob(str(photo.path), definition, "US", card_id=sha, place=place),
        CardJob(
            str(photo.path), definition, "US", card_id=sha, place=dataclasses.replace(place, card=2)
        ),
        CardJob(str(SAMPLES / "us-classic-wood.jpg"), definition, "US"),
        CardJob(str(photo.path), definition, "US", card_id=sha, place=place),
    ]
    results = [process_card(job, _BlankEngine()) for job in jobs]
    assert [r.card_id for r in results][:2] == [f"{sha}#1", f"{sha}#2"]
    assert decoded == [str(photo.path), str(SAMPLES / "us-classic-wood.jpg"), str(photo.path)]
