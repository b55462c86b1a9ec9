"""Work functions for the batch runner's failure paths (imported by its pool workers).

Ordinary photos are read for real (but by hang_or_quick); a photo whose name holds a
marker makes its worker die or hang the way a real one can (killed for memory, stuck in
native code).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np

from cardscan.model import CardResult, OcrResult, Status
from cardscan.pipeline import CardJob, process_card


def hang_or_quick(job: CardJob) -> object:
    """A photo named "hang" hangs its worker where the card's own alarm cannot reach it
    (like a call into C that never returns); any other is "read" at once (an OK card
    holding nothing), so the watchdog's test needs a time limit of seconds, not one a
    real reading keeps within on a busy machine."""
    if "hang" in Path(job.path).name:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    return CardResult(job.path, "quick", Status.OK)


def crash_or_quick(job: CardJob) -> object:
    """A photo named "crash" kills its worker as the OOM killer would; any other is
    "read" at once (real readings in the pool are tested on their own)."""
    if "crash" in Path(job.path).name:
        os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
    return CardResult(job.path, "quick", Status.OK)


class SlowEngine:
    """An OCR engine that takes far too long (a pathological image)."""

    name = "slow"

    def check(self) -> None:
        return None

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        time.sleep(3600)
        raise AssertionError("unreachable: the card's deadline fires first")

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        return None


def slow_engine(job: CardJob) -> object:
    return process_card(job, SlowEngine())
