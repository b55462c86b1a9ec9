"""The OCR engine interface.

An engine turns one cleaned card image into words with boxes, grouped in lines. The
rest of cardscan sees only this protocol, so a second engine can stand beside
Tesseract without touching the stages around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from cardscan.model import OcrResult


class OcrEngine(Protocol):
    name: str

    def check(self) -> None:
        """Raise EngineMissingError (TesseractMissingError for Tesseract itself),
        LanguageMissingError (etc.) if the engine cannot run.

        Called once in the parent before a batch, so a missing install stops the run
        with one clear message instead of failing every card.
        """
        ...

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        """OCR an upright grayscale or RGB image. Raises OcrError on engine failure.

        sparse: find scattered text without layout analysis (a second try for cards
        whose layout confused the first reading).
        """
        ...

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        """(clockwise degrees to turn the image upright, confidence), or None if unsure."""
        ...


class EngineClass(Protocol):
    """What the registry (cardscan.ocr.registry) asks of an engine's class.

    The pipeline's options reach an engine only through `configured`, so each engine
    decides which tables it reads and how; the stage never passes one engine's options
    to another.
    """

    # The [ocr.NAME] tables this engine reads (cardscan.ocr.registry.OPTION_TABLES).
    option_tables: tuple[str, ...]

    def configured(self, options: Mapping[str, Any]) -> OcrEngine:
        """The engine built from its tables' options objects (a table left out: its
        defaults)."""
        ...

    def is_available(self) -> bool:
        """Whether the engine can run here at all, answered cheaply and without raising
        (no models loaded); check() says why not."""
        ...
