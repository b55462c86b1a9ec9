"""Read cards on an existing Dask distributed cluster; the merge stays here.

`--executor dask --scheduler ADDRESS` sends the per-card work to the cluster's workers.
They may be other machines that cannot see this one's files, so this process reads each
photo and ships its bytes in the job (unless the job already carries them); a worker
sends back only the CardResult. The job carries the card id the parent took, so the
worker does not hash the photo again. Results are yielded in the jobs' order, as
cardscan.executors.run_batch promises.

- At most CARDS_PER_THREAD cards per worker thread of the cluster are in flight (at
  least 2): a photo is read only when its card is sent, and each future is released once
  its result is taken, so memory stays bounded here, on the scheduler and on the workers.
- An error in a card's work fails that card only, with a one-line reason; the batch goes
  on. A worker lost mid-card (killed for memory, a crash in native code) is the
  scheduler's to handle: it runs the card again on another worker, up to its
  `distributed.scheduler.allowed-failures` (3 by default), and then the card fails.
- [ocr] card_timeout: a card's own alarm (cardscan.pipeline.deadline) cannot fire in a
  worker's thread, so this process measures each card from the moment a worker starts it
  (the worker reports that as an event) and fails it when the limit passes. Dask cannot
  stop a thread: the worker's thread stays busy until the stuck call returns.
- Ctrl-C yields the cards finished so far (in order), cancels the rest and re-raises.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cardscan.config import OcrSection, Pipeline
from cardscan.errors import DaskMissingError, ExecutorError, ImageError
from cardscan.executors.base import Work, describe, failed_result, in_order
from cardscan.load import read_bytes
from cardscan.model import CardResult
from cardscan.ocr import OcrEngine
from cardscan.pipeline import CardJob, engine_for, process_card

if TYPE_CHECKING:
    from collections.abc import Iterator

    from distributed import Client, Future

# Seconds to reach the scheduler, and for a cluster without workers to get one.
CONNECT_TIMEOUT = 10.0
# Cards in flight per worker thread: one being read, one on its way.
CARDS_PER_THREAD = 2
# Seconds between checks of the cards' time limits.
POLL = 1.0
# Event topic: a worker started a card (the message is the task's key).
STARTED_TOPIC = "cardscan-card-started"

CONNECT_FIX = (
    "start one with `dask scheduler` (and `dask worker ADDRESS` on each machine), "
    "or check the address"
)
WORKER_FIX = (
    "install cardscan with its dask extra, and tesseract-ocr, on every worker machine, "
    "or stop that worker"
)


# --- on the workers ---------------------------------------------------------------

_thread = threading.local()  # the engine a worker thread keeps, with its [ocr] settings
_environ_lock = threading.Lock()


def _limit_threads() -> None:
    # The process pool's policy (cardscan.executors.process._init_worker): each worker thread reads
    # one card, so Tesseract's OpenMP and onnxruntime (cardscan.ocr.ppocr follows the
    # same variable) get one core each, unless the worker's owner chose a value.
    with _environ_lock:
        if "OMP_THREAD_LIMIT" not in os.environ:
            os.environ["OMP_THREAD_LIMIT"] = "1"


def read_on_worker(job: CardJob) -> CardResult:
    """A worker's work: one card, with an engine kept for the worker thread's lifetime."""
    _limit_threads()
    kept: tuple[OcrSection, OcrEngine] | None = getattr(_thread, "engine", None)
    if kept is None or kept[0] != job.pipeline.ocr:
        kept = (job.pipeline.ocr, engine_for(job.pipeline))
        _thread.engine = kept
    return process_card(job, kept[1])


def _card_task(work: Work, job: CardJob) -> CardResult:
    """The task sent to the cluster: reports when the card starts, then does `work`."""
    if job.pipeline.ocr.card_timeout > 0:
        from distributed import get_worker

        worker = get_worker()
        worker.log_event(STARTED_TOPIC, worker.get_current_task())
    return work(job)


def _check_worker(pipeline: Pipeline) -> None:
    """Run on every worker before a batch: cardscan importable, the engine installed."""
    _limit_threads()
    engine_for(pipeline).check()


# --- here -------------------------------------------------------------------------


def check_cluster(scheduler: str | None, pipeline: Pipeline) -> None:
    """Raise ExecutorError unless the cluster can read cards with `pipeline`.

    For commands to call before they touch anything (the book, the result store), as
    they check the local OCR engine for the process pool.
    """
    _require_distributed()
    with _quiet_dask_logs():
        client = _connect(scheduler)
        try:
            _check_workers(client, _address(scheduler), pipeline)
        finally:
            client.close()


def run_on_dask(
    jobs: list[CardJob], scheduler: str | None, *, work: Work = read_on_worker
) -> Iterator[CardResult]:
    """Yield one CardResult per job, in the jobs' order (fewer only on Ctrl-C).

    work: what a worker does with a job (it gets the photo's bytes in job.data); tests
    pass one that crashes or hangs.
    """
    if not jobs:
        return
    _require_distributed()
    with _quiet_dask_logs():
        client = _connect(scheduler)
        try:
            _check_workers(client, _address(scheduler), jobs[0].pipeline)
            yield from _Batch(client, _address(scheduler), jobs, work).results()
        finally:
            client.close()


@contextlib.contextmanager
def _quiet_dask_logs() -> Iterator[None]:
    """Keep the client's own error logs (tracebacks on stderr) off while it is in use.

    Every failure that matters here becomes one line: an ExecutorError, or a card's
    reason. The scheduler's and workers' logs are where Dask's details stay.
    """
    loggers = [logging.getLogger("distributed")]
    loggers += [
        logger
        for name, logger in logging.root.manager.loggerDict.items()
        if name.startswith("distributed.")
        and isinstance(logger, logging.Logger)
        and logger.level != logging.NOTSET  # the rest follow "distributed"
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _address(scheduler: str | None) -> str:
    if not scheduler:
        raise ExecutorError(
            "no Dask scheduler address given",
            "pass --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786) or set DASK_SCHEDULER_ADDRESS",
        )
    return scheduler


def _require_distributed() -> None:
    try:
        import distributed  # noqa: F401  (also sets up its loggers, quietened below)
    except ImportError as exc:
        raise DaskMissingError(
            "--executor dask needs the Python package `distributed`, which is not installed",
            "install the dask extra: pip install 'cardscan[dask]' (pip install -e '.[dask]' "
            "in the project), or leave out --executor dask",
        ) from exc


def _connect(scheduler: str | None) -> Client:
    from distributed import Client
    from distributed.comm import resolve_address

    address = _address(scheduler)
    try:
        # Checked apart first: a Client given a malformed address hangs when collected.
        resolve_address(address)
    except ValueError as exc:
        raise ExecutorError(
            f"'{address}' is not a Dask scheduler address ({exc})",
            "give the address `dask scheduler` prints, e.g. tcp://10.0.0.5:8786",
        ) from exc
    except OSError as exc:  # an unknown host name
        raise ExecutorError(
            f"cannot reach the Dask scheduler at {address} ({exc.strerror or exc})", CONNECT_FIX
        ) from exc
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False, name="cardscan")
    except (OSError, TimeoutError) as exc:  # refused, or no answer within the timeout
        raise ExecutorError(
            f"cannot reach the Dask scheduler at {address} (no answer in {CONNECT_TIMEOUT:g} s)",
            CONNECT_FIX,
        ) from exc


def _check_workers(client: Client, address: str, pipeline: Pipeline) -> None:
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ExecutorError(
            f"the Dask scheduler at {address} has no workers",
            f"start one on each machine with `dask worker {address}` "
            "(cardscan and tesseract-ocr installed there)",
        ) from exc
    outcomes = client.run(_check_worker, pipeline, on_error="return")
    for worker, outcome in sorted(outcomes.items()):
        if isinstance(outcome, BaseException):
            raise ExecutorError(
                f"the Dask worker {worker} cannot read cards ({_one_line(str(outcome))})",
                WORKER_FIX,
            )


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Batch:
    """The cards of one run on the cluster, a bounded number at a time."""

    def __init__(self, client: Client, address: str, jobs: list[CardJob], work: Work) -> None:
        self.client = client
        self.address = address
        self.jobs = jobs
        self.work = work
        limit = jobs[0].pipeline.ocr.card_timeout
        self.limit = limit if limit > 0 else None
        self.waiting: deque[int] = deque(range(len(jobs)))  # not yet sent
        self.running: dict[Any, tuple[int, Future]] = {}  # by task key: (job index, future)
        self.started: dict[Any, float] = {}  # task key -> when a worker started it (here)
        self.finished: queue.Queue[Future] = queue.Queue()  # filled by Dask's callbacks
        self.done: dict[int, CardResult] = {}

    def results(self) -> Iterator[CardResult]:
        if self.limit is not None:
            self.client.subscribe_topic(STARTED_TOPIC, self._on_started)
        try:
            yield from in_order(len(self.jobs), self.done, self._step, self._harvest)
        finally:
            # The cards still in flight are dropped when run_on_dask closes the client:
            # the scheduler forgets a departed client's tasks.
            if self.limit is not None and self.client.status == "running":
                self.client.unsubscribe_topic(STARTED_TOPIC)

    def _step(self) -> None:
        try:
            self._submit()
            if self.running:
                self._collect()
        except ExecutorError:
            raise
        except Exception as exc:
            # The scheduler gone: a call to it fails (CommClosedError is an OSError), or
            # the client gave up reconnecting and closed.
            if isinstance(exc, OSError | TimeoutError) or self.client.status != "running":
                raise self._lost() from exc
            raise

    def _lost(self) -> ExecutorError:
        return ExecutorError(
            f"lost the connection to the Dask scheduler at {self.address} while reading cards",
            "check the scheduler, then run the command again (an ingest resumes where it stopped)",
        )

    def _capacity(self) -> int:
        # Asked each time: workers may join or leave while the batch runs.
        threads = sum(self.client.nthreads().values())
        return max(2, CARDS_PER_THREAD * threads)

    def _submit(self) -> None:
        capacity = self._capacity()
        while self.waiting and len(self.running) < capacity:
            index = self.waiting.popleft()
            job = self.jobs[index]
            if job.data is None:  # read only now: memory holds the cards in flight only
                try:
                    data = read_bytes(Path(job.path), job.pipeline.load.limits())
                except ImageError as exc:  # fails here, as the worker would have failed it
                    self.done[index] = failed_result(job, "unreadable", str(exc))
                    continue
                job = replace(job, data=data)
            future = self.client.submit(_card_task, self.work, job, pure=False, retries=1)
            self.running[future.key] = (index, future)
            future.add_done_callback(self.finished.put)

    def _collect(self) -> None:
        try:
            future: Future | None = self.finished.get(timeout=POLL)
        except queue.Empty:
            future = None
        while future is not None:
            self._take(future)
            try:
                future = self.finished.get_nowait()
            except queue.Empty:
                future = None
        if self.limit is not None:
            self._expire(self.limit)

    def _take(self, future: Future) -> None:
        entry = self.running.pop(future.key, None)
        if entry is None:
            return  # a card given up on (over its time limit)
        index, _ = entry
        self.started.pop(future.key, None)
        self.done[index] = self._result(self.jobs[index], future)
        future.release()

    def _result(self, job: CardJob, future: Future) -> CardResult:
        from distributed import KilledWorker

        if future.cancelled():  # only the scheduler's loss cancels a future we still hold
            raise self._lost()
        try:
            result: CardResult = future.result()
        except KilledWorker:
            return failed_result(
                job,
                "crashed",
                "the Dask worker reading this card stopped abruptly, on every try (out of "
                "memory, or a crash in the OCR engine)",
            )
        except Exception as exc:  # an error the work did not turn into a result
            return failed_result(job, "internal", _one_line(describe(exc)))
        return result

    def _on_started(self, event: tuple[float, Any]) -> None:
        # Called on the client's own thread; a dict assignment is atomic.
        _, key = event
        if key in self.running:
            self.started[key] = time.monotonic()

    def _expire(self, limit: float) -> None:
        now = time.monotonic()
        for key, (index, future) in list(self.running.items()):
            began = self.started.get(key)
            if began is None or now - began <= limit:
                continue
            del self.running[key]
            self.started.pop(key, None)
            future.cancel()
            future.release()
            self.done[index] = failed_result(
                self.jobs[index],
                "timeout",
                f"reading the card took longer than {limit:g} s: raise [ocr] card_timeout "
                "in the pipeline, or photograph the card closer",
            )

    def _harvest(self) -> None:
        """Keep the results that finished (on Ctrl-C)."""
        for _, future in list(self.running.values()):
            if future.done() and not future.cancelled():
                self._take(future)
