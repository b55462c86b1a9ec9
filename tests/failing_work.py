"""Work functions for the batch runner's failure paths (imported by its pool workers).

Ordinary photos are read for real; a photo whose name holds a marker makes its worker
die or hang the way a real one can (killed for memory, stuck in native code).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np

from cardscan.executors.process import read_in_worker
from cardscan.model import OcrResult
from cardscan.pipeline import CardJob, process_card


def crash_or_read(job: CardJob) -> object:
    if "crash" in Path(job.path).name:
        os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
    return read_in_worker(job)


def hang_or_read(job: CardJob) -> object:
    if "hang" in Path(job.path).name:
        # Stuck where the card's own alarm cannot reach it, like a call into C that
        # never returns.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    return read_in_worker(job)


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
