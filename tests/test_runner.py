"""The batch runner: which files a folder walk takes, and results in input order."""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from pathlib import Path

import failing_work
import pytest
from conftest import SAMPLES

from cardscan.config import load_pipeline
from cardscan.executors import process, run_batch
from cardscan.model import Status
from cardscan.photos import collect_photos
from cardscan.pipeline import CardJob


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
    assert found.missing == [] and found.empty == []


def test_named_files_are_taken_whatever_their_extension(tmp_path: Path) -> None:
    odd = tmp_path / "scan.dat"
    odd.write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    found = collect_photos([odd, odd, tmp_path / "missing.jpg", tmp_path / "empty"])
    assert found.photos == [odd]  # once, even when named twice
    assert found.missing == [tmp_path / "missing.jpg"]  # a slip: ingest stops (exit 4)
    assert found.empty == [tmp_path / "empty"]


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


def _jobs(paths: list[Path], **ocr: float) -> list[CardJob]:
    pipeline = load_pipeline()
    if ocr:
        pipeline = dataclasses.replace(pipeline, ocr=dataclasses.replace(pipeline.ocr, **ocr))
    return [CardJob(str(p), pipeline, "US") for p in paths]


def _copies(tmp_path: Path, names: list[str]) -> list[Path]:
    paths = []
    for name in names:
        path = tmp_path / name
        shutil.copy(SAMPLES / "us-classic-wood.jpg", path)
        paths.append(path)
    return paths


def test_a_worker_that_dies_fails_its_own_card_only(tmp_path: Path) -> None:
    photos = _copies(tmp_path, ["a.jpg", "crash.jpg", "b.jpg"])
    # The other cards are "read" at once (crash_or_quick): real readings in the pool are
    # tested above; this is the pool going on after a worker is killed.
    results = list(run_batch(_jobs(photos), workers=2, work=failing_work.crash_or_quick))
    assert [r.source for r in results] == [str(p) for p in photos]
    assert [r.status is Status.FAILED for r in results] == [False, True, False]
    assert results[1].issues[0].code == "crashed"
    assert results[1].issues[0].message.startswith(f"{photos[1]}: the worker reading this card")
    assert [r.card_id for r in results if r.status is not Status.FAILED] == ["quick", "quick"]


def test_a_card_over_its_time_limit_fails_and_the_batch_goes_on(tmp_path: Path) -> None:
    photos = _copies(tmp_path, ["slow.jpg"])
    [result] = run_batch(_jobs(photos, card_timeout=1.0), 1, work=failing_work.slow_engine)
    assert result.status is Status.FAILED
    assert result.issues[0].code == "timeout"
    assert "took longer than 1 s" in result.issues[0].message
    assert result.seconds < 10


def test_a_worker_stuck_past_its_alarm_is_killed_by_the_watchdog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process, "GRACE", 1.0)
    photos = _copies(tmp_path, ["a.jpg", "hang.jpg", "b.jpg"])
    # The other two cards are "read" at once (hang_or_quick), so the time limit can be
    # short: the test is of the watchdog, real readings in the pool are tested above.
    jobs = _jobs(photos, card_timeout=3.0)
    results = list(run_batch(jobs, workers=2, work=failing_work.hang_or_quick))
    assert [r.status is Status.FAILED for r in results] == [False, True, False]
    assert results[1].issues[0].code == "timeout"
    assert "did not stop" in results[1].issues[0].message


def test_language_data_missing_mid_batch_fails_the_card_with_the_fix() -> None:
    # The commands check the languages before a batch; this is the data vanishing after.
    pipeline = load_pipeline()
    tesseract = dataclasses.replace(pipeline.ocr.tesseract, languages=["tlh"])
    pipeline = dataclasses.replace(
        pipeline, ocr=dataclasses.replace(pipeline.ocr, engine="tesseract", tesseract=tesseract)
    )
    job = CardJob(str(SAMPLES / "us-classic-wood.jpg"), pipeline, "US")
    result = process.read_in_worker(job)
    assert result.status is Status.FAILED
    assert "sudo apt-get install tesseract-ocr-tlh" in result.issues[0].message


def test_default_jobs_leaves_room_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    cores = len(os.sched_getaffinity(0))
    monkeypatch.setattr(process, "_available_mb", lambda: None)
    assert process.default_jobs() == cores
    monkeypatch.setattr(process, "_available_mb", lambda: process.WORKER_MB * 1.5)
    assert process.default_jobs() == 1
    monkeypatch.setattr(process, "_available_mb", lambda: 100.0)
    assert process.default_jobs() == 1  # always at least one


def _pool_workers() -> list[int]:
    """Processes forked by this test process's multiprocessing fork server."""
    from cardscan.bench import _tree

    servers = [
        pid
        for pid in _tree(os.getpid())[1:]
        if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    return [pid for server in servers for pid in _tree(server)[1:]]


def test_no_worker_outlives_the_batch_when_the_consumer_stops_at_the_last_card(
    tmp_path: Path,
) -> None:
    photos = _copies(tmp_path, ["a.jpg", "b.jpg"])
    batch = run_batch(_jobs(photos), workers=2)
    assert [next(batch).source, next(batch).source] == [str(p) for p in photos]
    # ingest takes exactly as many results as it has photos: it never asks for more.
    for _ in range(50):
        if not _pool_workers():
            break
        time.sleep(0.1)
    assert _pool_workers() == []
