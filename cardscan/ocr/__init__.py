"""OCR stage: an engine registry (keys are the pipeline's `engine` choices)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cardscan.ocr.base import OcrEngine
from cardscan.ocr.orient import OrientParams, read_upright, reading_score
from cardscan.ocr.tesseract import TesseractEngine

ENGINES: dict[str, Callable[..., OcrEngine]] = {"tesseract": TesseractEngine}


def make_engine(name: str, **options: Any) -> OcrEngine:
    return ENGINES[name](**options)


__all__ = ["ENGINES", "OcrEngine", "OrientParams", "make_engine", "read_upright", "reading_score"]
