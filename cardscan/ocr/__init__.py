"""OCR stage: an engine registry (keys are the pipeline's `engine` choices)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cardscan.ocr.base import OcrEngine
from cardscan.ocr.orient import OrientParams, read_upright, reading_score
from cardscan.ocr.ppocr import CombinedEngine, HybridEngine, RapidOcrEngine
from cardscan.ocr.tesseract import TesseractEngine

# rapidocr and hybrid need the optional extra; they import it only when first used, so
# a pipeline naming them fails with the install command, not an ImportError.
ENGINES: dict[str, Callable[..., OcrEngine]] = {
    "tesseract": TesseractEngine,
    "rapidocr": RapidOcrEngine,
    "hybrid": HybridEngine,
    "combined": CombinedEngine,
}


def make_engine(name: str, **options: Any) -> OcrEngine:
    return ENGINES[name](**options)


__all__ = ["ENGINES", "OcrEngine", "OrientParams", "make_engine", "read_upright", "reading_score"]
