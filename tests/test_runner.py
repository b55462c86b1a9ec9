"""The batch runner: which files a folder walk takes, and results in input order."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import SAMPLES

from cardscan.config import load_pipeline
from cardscan.model import Status
from cardscan.pipeline import CardJob
from cardscan.runner import collect_photos, run_batch


def test_folder_walk_takes_photos_only_and_survives_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "card.JPG").write_bytes(b"x")
    (tmp_path / "a" / "card.json").write_text("{}")
    (tmp_path / "a" / "b" / "back.heic").write_bytes(b"x")
    (tmp_path / "a" / ".hidden.jpg").write_bytes(b"x")
    (tmp_path / ".cardscan").mkdir()
    (tmp_path / ".cardscan" / "old.png").write_bytes(b"x")
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "loop")
    found = collect_photos([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found.photos] == [
        "a/card.JPG",
        "a/b/back.heic",
    ]
    assert found.problems == []


def test_named_files_are_taken_whatever_their_extension(tmp_path: Path) -> None:
    odd = tmp_path / "scan.dat"
    odd.write_bytes(b"x")
    found = collect_photos([odd, odd, tmp_path / "missing.jpg"])
    assert found.photos == [odd]  # once, even when named twice
    assert [r.issues[0].message for r in found.problems] == [
        f"{tmp_path / 'missing.jpg'}: no such file or folder"
    ]


def test_results_come_in_input_order_and_a_bad_card_fails_alone(tmp_path: Path) -> None:
    pipeline = load_pipeline()
    good = [SAMPLES / "us-classic-wood.jpg", SAMPLES / "uk-london-band-left.jpg"]
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not an image")
    slow_first = [good[0], bad, good[1]]
    shutil.copy(good[0], tmp_path / "copy.jpg")
    jobs = [CardJob(str(p), pipeline, "US") for p in [*slow_first, tmp_path / "copy.jpg"]]
    results = list(run_batch(jobs, workers=2))
    assert [r.source for r in results] == [j.path for j in jobs]
    assert [r.status is Status.FAILED for r in results] == [False, True, False, False]
    assert results[0].card_id == results[3].card_id  # same bytes, same card id
