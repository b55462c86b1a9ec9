"""Where the cards are read: a pool of processes here, a Dask cluster, or this process.

run_batch is the one entry: it yields one CardResult per job, in the jobs' order,
whichever executor reads them. The executors share cardscan.executors.base and never
import each other; the Dask one is imported only when asked for (optional dependency).
"""

from __future__ import annotations

from collections.abc import Generator

from cardscan.executors.base import Work
from cardscan.executors.process import default_jobs, read_in_pool, read_in_worker
from cardscan.model import CardResult
from cardscan.pipeline import CardJob

# "process" and "dask" are the --executor choices; "inline" reads the jobs one after
# another in this process (`rescan`: one card, its one or two sides, no pool to start).
EXECUTORS = ("process", "dask", "inline")


def run_batch(
    jobs: list[CardJob],
    workers: int,
    *,
    executor: str = "process",
    scheduler: str | None = None,
    work: Work = read_in_worker,
) -> Generator[CardResult, None, None]:
    """Yield one CardResult per job, in the jobs' order (fewer only on Ctrl-C).

    executor: "process" (a pool of `workers` processes on this machine; a single card
    is read in this process), "dask" (the distributed cluster at `scheduler`) or
    "inline" (every card in this process, one after another).
    work: what a worker does with a job; tests pass one that crashes or hangs.
    """
    if not jobs:
        return
    if executor == "dask":
        from cardscan.executors.dask import run_on_dask  # optional dependency

        yield from run_on_dask(jobs, scheduler)
        return
    if executor == "inline":
        for job in jobs:
            yield work(job)
        return
    yield from read_in_pool(jobs, workers, work)


__all__ = ["EXECUTORS", "default_jobs", "read_in_worker", "run_batch"]
