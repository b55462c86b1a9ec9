"""Ctrl-C in the middle of an ingest: what finished is kept and the book is whole."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
from conftest import ALL_SAMPLES, SAMPLES, SeedReadings

# Enough one-sided cards to interrupt a batch in the middle (OCR is the suite's slow part).
STACK = 8


def _stack(folder: Path) -> Path:
    photos = folder / "photos"
    photos.mkdir()
    for sample in ALL_SAMPLES[:STACK]:
        shutil.copy(sample.photo, photos / sample.photo.name)
    return photos


def _readings(store: Path) -> int:
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM results").fetchone()[0])
    except sqlite3.OperationalError:  # created but its tables not yet
        return 0


def test_ctrl_c_keeps_the_finished_cards_and_a_whole_book(
    tmp_path: Path, seed_readings: SeedReadings
) -> None:
    script = Path(sys.executable).with_name("cardscan")
    env = {k: v for k, v in os.environ.items() if k != "CARDSCAN_BOOK"}
    # Its own session, so the signal goes to the whole group as a terminal's Ctrl-C does;
    # Ctrl-C restored to its default, in case these tests run in the background (a shell
    # starts background jobs with SIGINT ignored, and children inherit that).
    photos = _stack(tmp_path)
    run = subprocess.Popen(
        [str(script), "ingest", str(photos), "--jobs", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    store = tmp_path / ".cardscan" / "contacts.xlsx.results.sqlite"
    deadline = time.monotonic() + 300
    while _readings(store) < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert run.poll() is None, "the ingest finished before it could be interrupted"
    os.killpg(run.pid, signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr
    head = stdout.splitlines()[0]
    assert head.startswith("Interrupted: read "), stdout
    read = int(head.split()[2])
    # The interrupt came once three readings were stored; a reading is stored the moment
    # it arrives, before its card is merged and counted, so the count may be lower (the
    # rest is in the store for the next run, asserted below).
    assert 1 <= read < STACK
    rows = list(
        openpyxl.load_workbook(tmp_path / "contacts.xlsx").worksheets[0].iter_rows(min_row=2)
    )
    # Every finished card merged, the book saved whole.
    assert len(rows) == read
    assert _readings(store) >= read
    # The next run adds only what is missing: the finished cards are known to be in the
    # book. (The readings of the rest are taken from the samples ingest: reading them
    # again here would test nothing more.)
    seed_readings(tmp_path / "contacts.xlsx", sorted(photos.iterdir()))
    done = subprocess.run(
        [str(script), "ingest", str(photos), "--jobs", "2"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(rows)} already in the book" in done.stdout
    rows = list(
        openpyxl.load_workbook(tmp_path / "contacts.xlsx").worksheets[0].iter_rows(min_row=2)
    )
    assert len(rows) == STACK


def _descendants(root: int) -> list[int]:
    from cardscan.bench import _tree

    return _tree(root)[1:]


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_do_not_outlive_a_killed_ingest(tmp_path: Path) -> None:
    # kill -9 or the OOM killer gives the parent no chance to stop its workers; they must
    # notice on their own, not sit idle holding their OCR models for ever.
    script = Path(sys.executable).with_name("cardscan")
    run = subprocess.Popen(
        [str(script), "ingest", str(SAMPLES), "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 3 and time.monotonic() < deadline:  # fork server + 2 workers
        time.sleep(0.2)
        workers = _descendants(run.pid)
    run.kill()
    run.wait()
    for _ in range(100):
        if not any(_running(pid) for pid in workers):
            break
        time.sleep(0.1)
    assert [pid for pid in workers if _running(pid)] == []


def test_ctrl_c_while_a_card_is_merged_waits_until_it_is_in() -> None:
    """The window the race lived in: Ctrl-C after a card was counted as read and before
    it was merged. Inside _whole_card the interrupt is held, then raised after."""
    from cardscan.ingest import _whole_card

    # Ctrl-C as a terminal gives it: Python's own handler, whatever an earlier test or
    # library in this process left installed (_whole_card leaves other handlers alone).
    earlier = signal.signal(signal.SIGINT, signal.default_int_handler)
    done: list[str] = []
    try:
        try:
            with _whole_card():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)  # the signal is delivered here; nothing is interrupted
                done.append("merged")
        except KeyboardInterrupt:
            done.append("stopped after")
        assert done == ["merged", "stopped after"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, earlier)
