"""The process pool: read cards on every core of this machine, results in input order.

Workers only compute CardResults; the parent merges them and writes files. Results are
yielded in input order whatever order the workers finish in, so the same photos always
give the same book. A job carries its card id when the parent took it (the worker then
does not hash the photo again) and the photo's path, never its bytes: the parent holds
no photo while the pool reads them.

The process pool is built not to break:
- at most one card per worker is in flight, so memory stays bounded;
- a worker that dies (killed for memory, a crash in native code) fails only its own card:
  the pool is rebuilt, the cards that were in flight are read again one at a time, and the
  one that kills its worker again fails with that reason;
- a card over its time limit fails: the worker's own alarm stops it (cardscan.pipeline
  .deadline) and, should the work be stuck in native code, a watchdog here kills the
  worker GRACE seconds later;
- Ctrl-C yields the finished cards up to the first unfinished one (results stay in input
  order, which the merge relies on), stops the workers, and re-raises; a card finished
  after that gap is read again by the next run.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from cardscan.config import OcrSection
from cardscan.executors.base import Work, describe, failed_result, in_order
from cardscan.model import CardResult
from cardscan.ocr import OcrEngine
from cardscan.pipeline import CardJob, engine_for, process_card

# What one worker may hold at its peak: the PP-OCR models, a 12 MP photo's working
# copies, the engine's buffers and a Tesseract call (measured: up to ~450 MB plus
# 40-90 MB for Tesseract; README, "Speed and memory").
WORKER_MB = 500


def default_jobs() -> int:
    """Every core this process may use, but no more workers than the free memory holds
    (a 16-core machine with 4 GB free gets 6, not 16 workers swapping)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    available = _available_mb()
    fits = max(1, int(available // WORKER_MB)) if available else None
    return max(1, min(cores or 1, fits or cores or 1))


def _available_mb() -> float | None:
    """Memory available to new processes without swapping (Linux), else None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    return None


# Seconds after a card's own time limit before the watchdog kills its worker.
GRACE = 30.0

# The engine a worker keeps for its lifetime, with the [ocr] settings it was made for.
_worker_engine: tuple[OcrSection, OcrEngine] | None = None


def _init_worker(limit_threads: bool, parent: int) -> None:
    # Each Tesseract call would start one OpenMP thread per core, and onnxruntime one
    # per core too; with one worker per core that oversubscribes the machine. Cap it
    # (PP-OCR follows the same variable), unless the user chose a value.
    if limit_threads and "OMP_THREAD_LIMIT" not in os.environ:
        os.environ["OMP_THREAD_LIMIT"] = "1"
    _return_big_blocks()
    # Ctrl-C is the parent's to handle: it keeps finished cards and saves the book.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent that dies without stopping its workers (kill -9, the OOM killer) would
    # leave them idle for ever, each holding its OCR models: they follow it instead.
    threading.Thread(target=_follow, args=(parent,), name="follow-parent", daemon=True).start()


def _follow(parent: int) -> None:
    while True:
        time.sleep(2.0)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # the pid now belongs to another user's process
            os._exit(1)


def read_in_worker(job: CardJob) -> CardResult:
    """The pool's work: one card, with an engine kept for the worker's lifetime."""
    global _worker_engine
    if _worker_engine is None or _worker_engine[0] != job.pipeline.ocr:
        _worker_engine = (job.pipeline.ocr, engine_for(job.pipeline))
    try:
        return process_card(job, _worker_engine[1])
    finally:
        _give_back_memory()


# mallopt(3) parameter: blocks from this size up get their own mapping, returned to the
# system as soon as they are freed.
_M_MMAP_THRESHOLD = -3
_MMAP_FROM = 4 << 20


def _return_big_blocks() -> None:
    """Give every block of 4 MB or more (photos, card images, the detector's feature
    maps) its own mapping, unmapped as soon as it is freed.

    glibc starts out doing so from 128 KB, but raises that threshold each time such a
    block is freed, up to 32 MB; after a few cards the photo-sized buffers of each stage
    (decoding, cleanup, the detector, the recogniser) come from the heap instead, where
    freed space is kept and the stages' leftovers add up within a card. Measured on 12
    held-out photos, one worker's peak / time: glibc's default 617 MB / 37 s; a fixed
    threshold of 1 MB 408 MB / 52 s (every tensor mapped and zeroed afresh); 4 MB
    447 MB / 42-46 s; 16 MB 644 MB / 40 s. 4 MB buys most of the memory for a
    fraction of the time. (onnxruntime's own arena: 836 MB; malloc_trim between the
    stages: no change.)
    """
    if _LIBC is not None and hasattr(_LIBC, "mallopt"):
        _LIBC.mallopt(_M_MMAP_THRESHOLD, _MMAP_FROM)


def _give_back_memory() -> None:
    """Return the card's freed memory to the system (glibc keeps it otherwise): a worker
    between cards then holds ~250 MB instead of ~450 MB, so workers that are out of step
    add up to less (measured on 12 MP photos)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only; musl and others have none
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _load_libc()


def read_in_pool(jobs: list[CardJob], workers: int, work: Work) -> Iterator[CardResult]:
    """Yield one CardResult per job, in the jobs' order (fewer only on Ctrl-C), from a
    pool of `workers` processes; a single card is read in this process."""
    if len(jobs) == 1:
        yield work(jobs[0])
        return
    yield from _Pool(jobs, min(workers, len(jobs)), work).results()


class _Pool:
    """A process pool that survives dead and stuck workers (see the module's notes)."""

    def __init__(self, jobs: list[CardJob], workers: int, work: Work) -> None:
        self.jobs = jobs
        self.workers = workers
        self.work = work
        limit = jobs[0].pipeline.ocr.card_timeout
        self.hard_limit = limit + GRACE if limit > 0 else None
        self.waiting: deque[int] = deque(range(len(jobs)))  # not yet submitted
        self.suspects: deque[int] = deque()  # in flight when a worker died
        self.running: dict[Future[CardResult], tuple[int, float]] = {}
        self.done: dict[int, CardResult] = {}
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # forkserver, not fork: the parent may run threads (the progress bar) and holds
        # the book's lock, neither of which a worker should inherit.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(True, os.getpid()),
        )

    def results(self) -> Iterator[CardResult]:
        try:
            yield from in_order(len(self.jobs), self.done, self._advance, self._stop)
        finally:
            self._kill()

    def _advance(self) -> None:
        self._submit()
        self._collect()
        if not (self.running or self.waiting or self.suspects):
            # Every card is read: stop the workers now, not when the consumer gets
            # round to closing this generator (it may never ask for more).
            self._kill()

    def _stop(self) -> None:
        self._harvest()
        self._kill()

    def _submit(self) -> None:
        if self.suspects:
            # After a worker died: the cards it may have died on run one at a time.
            if not self.running:
                self._send(self.suspects.popleft())
            return
        while self.waiting and len(self.running) < self.workers:
            self._send(self.waiting.popleft())

    def _send(self, index: int) -> None:
        future = self.pool.submit(self.work, self.jobs[index])
        self.running[future] = (index, time.monotonic())

    def _collect(self) -> None:
        poll = 1.0 if self.hard_limit is not None else None
        finished, _ = wait(list(self.running), timeout=poll, return_when=FIRST_COMPLETED)
        lost: list[int] = []
        for future in finished:
            index, _ = self.running.pop(future)
            try:
                self.done[index] = future.result()
            except BrokenProcessPool:
                lost.append(index)
            except Exception as exc:  # an error the work did not turn into a result
                self.done[index] = failed_result(self.jobs[index], "internal", describe(exc))
        if lost:
            lost += [index for index, _ in self.running.values()]
            self.running.clear()
            if len(lost) == 1:  # alone in the pool when it died: this card did it
                self.done[lost[0]] = failed_result(
                    self.jobs[lost[0]],
                    "crashed",
                    "the worker reading this card stopped abruptly (out of memory, or a "
                    "crash in the OCR engine)",
                )
            else:
                self.suspects.extend(sorted(lost))
            self._restart()
        elif self.hard_limit is not None:
            self._watchdog(self.hard_limit)

    def _watchdog(self, hard_limit: float) -> None:
        now = time.monotonic()
        stuck = [(f, i) for f, (i, sent) in self.running.items() if now - sent > hard_limit]
        if not stuck:
            return
        for future, index in stuck:
            del self.running[future]
            self.done[index] = failed_result(
                self.jobs[index],
                "timeout",
                f"reading the card took longer than {hard_limit - GRACE:g} s and did not "
                "stop: raise [ocr] card_timeout in the pipeline or --timeout, or "
                "photograph the card closer",
            )
        # Killing the pool takes the other cards in flight with it: they start again.
        self.waiting.extendleft(sorted((i for i, _ in self.running.values()), reverse=True))
        self.running.clear()
        self._restart()

    def _harvest(self) -> None:
        """Keep the results that finished (on Ctrl-C)."""
        for future, (index, _) in list(self.running.items()):
            if future.done() and not future.cancelled() and future.exception() is None:
                self.done[index] = future.result()

    def _restart(self) -> None:
        self._kill()
        self.pool = self._start()

    def _kill(self) -> None:
        # shutdown() alone would wait for the cards in flight; a stuck or abandoned
        # worker is stopped outright (there is no public API for that).
        processes = dict(getattr(self.pool, "_processes", None) or {})
        for process in processes.values():
            if process.is_alive():
                process.kill()
        self.pool.shutdown(wait=True, cancel_futures=True)
