"""The OCR engines and their options tables, by name, each imported only when used.

A pipeline names its engine (`[ocr] engine = "rapidocr"`) and may set each engine's own
options (`[ocr.tesseract]`, `[ocr.rapidocr]`). Both tables here map a name to the
"module:attribute" that holds it, so that knowing the names (to validate a pipeline, to
list the choices in an error) imports no engine: the commands that never read a card
(find, note, export ...) never load Tesseract's wrapper, OpenCV, RapidOCR or
onnxruntime, and a pipeline that reads with Tesseract alone never loads PP-OCR's code.

An engine class (cardscan.ocr.base.EngineClass) says which options tables it reads
(`option_tables`), builds itself from them (`configured`), and reports whether it can
run on this machine at all (`is_available`), which the commands' up-front checks use.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from cardscan.ocr.base import EngineClass, OcrEngine

# The pipeline's `engine` choices. Keep the keys in step with the README's Pipelines section.
ENGINES: dict[str, str] = {
    "tesseract": "cardscan.ocr.tesseract:TesseractEngine",
    "rapidocr": "cardscan.ocr.ppocr:RapidOcrEngine",
    "hybrid": "cardscan.ocr.ppocr:HybridEngine",
    "combined": "cardscan.ocr.ppocr:CombinedEngine",
}

# [ocr.NAME] tables: each a frozen dataclass declared beside its engine's code, whose
# fields (name, type from the default, default) are the table's keys.
OPTION_TABLES: dict[str, str] = {
    "tesseract": "cardscan.ocr.tesseract:TesseractOptions",
    "rapidocr": "cardscan.ocr.ppocr:RapidOcrOptions",
}


def resolve(target: str) -> Any:
    """The object a "module:attribute" names, importing its module now."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def engine_class(name: str) -> EngineClass:
    """The class of engine `name` (a key of ENGINES; KeyError otherwise)."""
    return cast("EngineClass", resolve(ENGINES[name]))


def option_class(table: str) -> type[Any]:
    """The options dataclass of table `table` (a key of OPTION_TABLES)."""
    return cast("type[Any]", resolve(OPTION_TABLES[table]))


def make_engine(name: str, options: Mapping[str, Any] | None = None) -> OcrEngine:
    """Engine `name` built from the options tables it reads (defaults for those not
    given); `options` maps a table name to its options object."""
    cls = engine_class(name)
    given = options or {}
    return cls.configured({t: given[t] for t in cls.option_tables if t in given})


def is_available(name: str) -> bool:
    """Whether engine `name` can run here (its libraries, models and programs present)."""
    return engine_class(name).is_available()
