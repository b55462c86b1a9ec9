"""OCR stage: the engine registry (keys are the pipeline's `engine` choices).

The engines themselves load lazily (cardscan.ocr.registry): importing this package
imports none of them.
"""

from __future__ import annotations

from cardscan.ocr.base import EngineClass, OcrEngine
from cardscan.ocr.orient import OrientParams, read_upright, reading_score
from cardscan.ocr.registry import (
    ENGINES,
    OPTION_TABLES,
    engine_class,
    is_available,
    make_engine,
    option_class,
)

__all__ = [
    "ENGINES",
    "OPTION_TABLES",
    "EngineClass",
    "OcrEngine",
    "OrientParams",
    "engine_class",
    "is_available",
    "make_engine",
    "option_class",
    "read_upright",
    "reading_score",
]
