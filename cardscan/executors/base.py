"""What the executors share: the work's type, a card failed by the executor, results in
input order.

The process pool (executors.process) and the Dask executor (executors.dask) both import
this module and never each other: an executor is chosen in executors.run_batch, and the
Dask one is imported only when it is used (its dependency is optional).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from cardscan.errors import CardscanError
from cardscan.model import CardResult, Issue, Status
from cardscan.pipeline import CardJob

# What a worker does with a job; tests pass one that crashes or hangs.
Work = Callable[[CardJob], CardResult]


def in_order(
    total: int,
    done: dict[int, CardResult],
    advance: Callable[[], None],
    on_interrupt: Callable[[], None],
) -> Iterator[CardResult]:
    """Yield done[0], done[1], ... as they appear, calling advance() to make progress.

    On Ctrl-C: on_interrupt() (keep what finished, stop the work), then the finished
    results up to the first gap, then KeyboardInterrupt again. Results stay in input
    order, which the merge relies on.
    """
    emitted = 0
    try:
        while emitted < total:
            while emitted in done:
                yield done.pop(emitted)
                emitted += 1
            if emitted < total:
                advance()
    except KeyboardInterrupt:
        on_interrupt()
        while emitted in done:
            yield done.pop(emitted)
            emitted += 1
        raise


def describe(exc: BaseException) -> str:
    """One line for an error the work did not turn into a failed card itself."""
    if isinstance(exc, CardscanError):
        return str(exc)
    return f"internal error while reading the card ({type(exc).__name__}: {exc})"


def failed_result(job: CardJob, code: str, message: str) -> CardResult:
    """The card failed by the executor (its worker died, it ran out of time): a result
    like any failed card's, so the batch goes on."""
    text = message if message.startswith(job.path) else f"{job.path}: {message}"
    return CardResult(job.path, "", Status.FAILED, issues=[Issue(code, text, None)])
