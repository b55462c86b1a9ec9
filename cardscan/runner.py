"""Batches: find the photos, read them on every core, hand results back in order.

Workers only compute CardResults; the parent merges them and writes files. Results are
yielded in input order whatever order the workers finish in, so the same photos always
give the same book.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cardscan.errors import CardscanError
from cardscan.model import CardResult, Issue, Status
from cardscan.ocr import OcrEngine
from cardscan.pipeline import CardJob, engine_for, process_card

# Folder walks pick photos by extension (truth JSON, notes and the book itself sit beside
# photos); a file named explicitly is always tried, and decoded by content.
PHOTO_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".webp", ".bmp", ".heic", ".heif", ".gif"}
)


@dataclass
class Collected:
    photos: list[Path] = field(default_factory=list)
    problems: list[CardResult] = field(default_factory=list)  # paths that could not be walked


def collect_photos(paths: Iterable[Path]) -> Collected:
    found = Collected()
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for photo in _walk(path):
                _add(found, seen, photo)
        elif path.exists():
            _add(found, seen, path)
        else:
            found.problems.append(_input_problem(path, f"{path}: no such file or folder"))
    return found


def _add(found: Collected, seen: set[Path], path: Path) -> None:
    key = path.resolve()
    if key not in seen:
        seen.add(key)
        found.photos.append(path)


def _walk(folder: Path) -> Iterator[Path]:
    # followlinks=False: a symlink loop cannot make the walk endless.
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in PHOTO_EXTENSIONS:
                yield Path(root) / name


def _input_problem(path: Path, message: str) -> CardResult:
    return CardResult(str(path), "", Status.FAILED, issues=[Issue("missing", message, None)])


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_worker_engine: OcrEngine | None = None


def _init_worker(limit_threads: bool) -> None:
    # Each Tesseract call would start one OpenMP thread per core; with one worker per
    # core that oversubscribes the machine. Cap it, unless the user chose a value.
    if limit_threads and "OMP_THREAD_LIMIT" not in os.environ:
        os.environ["OMP_THREAD_LIMIT"] = "1"
    # Ctrl-C is the parent's to handle: it keeps finished cards and saves the book.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_in_worker(job: CardJob) -> CardResult:
    global _worker_engine
    if _worker_engine is None:
        _worker_engine = engine_for(job.pipeline)
    return process_card(job, _worker_engine)


def run_batch(jobs: list[CardJob], workers: int) -> Iterator[CardResult]:
    """Yield one CardResult per job, in the jobs' order."""
    if not jobs:
        return
    if workers <= 1 or len(jobs) == 1:
        engine = engine_for(jobs[0].pipeline)
        for job in jobs:
            yield process_card(job, engine)
        return
    # forkserver, not fork: the parent may run threads (the progress bar) and holds the
    # book's lock, neither of which a worker should inherit.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(True,),
    ) as pool:
        futures: list[Future[CardResult]] = [pool.submit(_run_in_worker, job) for job in jobs]
        try:
            for job, future in zip(jobs, futures, strict=True):
                yield _result_of(job, future)
        finally:
            for future in futures:
                future.cancel()


def _result_of(job: CardJob, future: Future[CardResult]) -> CardResult:
    try:
        return future.result()
    except Exception as exc:  # a worker that died (e.g. killed for memory) fails its card only
        if isinstance(exc, CardscanError):
            message = str(exc)
        else:
            message = (
                f"{job.path}: internal error while reading the card ({type(exc).__name__}: {exc})"
            )
        return CardResult(job.path, "", Status.FAILED, issues=[Issue("internal", message, None)])
