"""The only module that talks to Tesseract (through pytesseract).

It probes the installed version and language data once, maps every failure to an
error carrying an exit code and a fix, and turns Tesseract's TSV into OcrWords
grouped by Tesseract's own (block, paragraph, line) ids, which keep columns apart.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image

from cardscan.errors import LanguageMissingError, OcrError, TesseractMissingError
from cardscan.model import Box, OcrLine, OcrResult, OcrWord

# pytesseract imports pandas whenever it is installed, only to offer DataFrame output,
# which cardscan never asks for: that cost every process reading cards (ingest, rescan,
# each worker) some 0.15 s and 40 MB. pandas is installed for `cardscan bench` alone, so
# it is hidden while pytesseract loads (None in sys.modules makes `import pandas` raise
# ModuleNotFoundError, the case pytesseract handles by leaving DataFrame output off).
_HIDE_PANDAS = "pandas" not in sys.modules
if _HIDE_PANDAS:
    sys.modules["pandas"] = None  # type: ignore[assignment]
try:
    import pytesseract
finally:
    if _HIDE_PANDAS:
        del sys.modules["pandas"]

INSTALL_FIX = "install it: sudo apt-get install tesseract-ocr (then run cardscan again)"
MIN_VERSION = (4, 0)
SPARSE_PSM = 11


def language_package(code: str) -> str:
    """Debian's package for a Tesseract language code: chi_sim -> tesseract-ocr-chi-sim."""
    return "tesseract-ocr-" + code.lower().replace("_", "-")


@functools.cache
def tesseract_version() -> tuple[int, ...]:
    try:
        version = pytesseract.get_tesseract_version()
    except pytesseract.TesseractNotFoundError as exc:
        raise TesseractMissingError("tesseract not found", INSTALL_FIX) from exc
    except (OSError, pytesseract.TesseractError) as exc:
        raise TesseractMissingError(f"tesseract does not run ({exc})", INSTALL_FIX) from exc
    parts = tuple(int(p) for p in str(version).split(".")[:2] if p.isdigit())
    return parts or (0,)


@functools.cache
def installed_languages() -> frozenset[str]:
    tesseract_version()
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (OSError, pytesseract.TesseractError) as exc:
        raise TesseractMissingError(
            f"tesseract cannot list languages ({exc})", INSTALL_FIX
        ) from exc


@dataclass(frozen=True)
class TesseractOptions:
    """A pipeline's [ocr.tesseract] table: how Tesseract is run wherever it runs.

    That is the tesseract engine, and Tesseract beside PP-OCR (turning the card upright,
    the sparse second opinion, the hybrid engines' reading, Korean lines' timeout).
    Each field is a key; its default's type is the key's type (cardscan.config checks
    both). Before the table existed these were [ocr]'s own keys, which still load.
    """

    # Language codes, each needing its tesseract-ocr-<code> package.
    languages: list[str] = field(default_factory=lambda: ["eng"])
    psm: int = 3  # page segmentation mode: 3 = automatic layout
    timeout: float = 60.0  # seconds per Tesseract call before the card fails

    def __post_init__(self) -> None:
        if not self.languages:
            raise ValueError('languages is empty: name at least one, e.g. ["eng"]')


class TesseractEngine:
    name = "tesseract"
    option_tables: tuple[str, ...] = ("tesseract",)

    @classmethod
    def configured(cls, options: Mapping[str, Any]) -> TesseractEngine:
        chosen = options.get("tesseract") or TesseractOptions()
        return cls(chosen.languages, psm=chosen.psm, timeout=chosen.timeout)

    @staticmethod
    def is_available() -> bool:
        """Whether a Tesseract that runs is installed (the version is asked once)."""
        try:
            tesseract_version()
        except TesseractMissingError:
            return False
        return True

    def __init__(
        self,
        languages: Sequence[str] = ("eng",),
        psm: int = 3,
        timeout: float = 60.0,
        extra_config: str = "",
    ) -> None:
        self.languages = tuple(languages)
        self.psm = psm
        self.timeout = timeout
        self.extra_config = extra_config

    @property
    def lang(self) -> str:
        return "+".join(self.languages)

    def check(self) -> None:
        version = tesseract_version()
        if version < MIN_VERSION:
            shown = ".".join(map(str, version))
            raise TesseractMissingError(
                f"tesseract {shown} is too old (cardscan needs 4 or newer)",
                "upgrade: sudo apt-get install tesseract-ocr",
            )
        have = installed_languages()
        for code in self.languages:
            if code not in have:
                raise LanguageMissingError(
                    f"Tesseract language data '{code}' is not installed",
                    f"install it: sudo apt-get install {language_package(code)}",
                )

    def read(
        self,
        image: np.ndarray,
        sparse: bool = False,
        psm: int | None = None,
        reading_order: bool = False,
    ) -> OcrResult:
        """reading_order: each line's words in the order Tesseract read them, not sorted
        left to right (its boxes of Hangul syllables overlap; its order is right)."""
        # Sparse reading is Tesseract's mode 11: every bit of text, no layout analysis.
        mode = psm or (SPARSE_PSM if sparse else self.psm)
        config = f"--oem 1 --psm {mode} {self.extra_config}".strip()
        data = self._call(
            pytesseract.image_to_data,
            _page(image),
            lang=self.lang,
            config=config,
            output_type=pytesseract.Output.DICT,
        )
        height, width = image.shape[:2]
        lines = _lines_from_tsv(data, reading_order)
        return OcrResult(lines=lines, width=width, height=height, engine=self.name)

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        try:
            osd = self._call(
                pytesseract.image_to_osd,
                _page(image),
                config="--psm 0 -c min_characters_to_try=10",
                output_type=pytesseract.Output.DICT,
            )
        except (OcrError, LanguageMissingError):
            # Too few characters, or no osd.traineddata: no opinion; the caller then
            # compares readings in every orientation instead.
            return None
        # Tesseract's "rotate" is the clockwise turn that makes the page upright
        # (checked against photos turned by known amounts in tests/test_ocr.py).
        rotate = int(osd.get("rotate", 0)) % 360
        return rotate, float(osd.get("orientation_conf", 0.0))

    def _call(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, timeout=self.timeout, **kwargs)
        except pytesseract.TesseractNotFoundError as exc:
            raise TesseractMissingError("tesseract not found", INSTALL_FIX) from exc
        except pytesseract.TesseractError as exc:
            message = str(exc.message or exc)
            if "Failed loading language" in message or "Error opening data file" in message:
                raise LanguageMissingError(
                    f"Tesseract language data for '{self.lang}' could not be loaded",
                    "install the language packs: sudo apt-get install "
                    + " ".join(language_package(c) for c in self.languages),
                ) from exc
            raise OcrError(f"tesseract failed: {_first_line(message)}") from exc
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                raise OcrError(
                    f"tesseract took longer than {self.timeout:g} s",
                    "raise [ocr.tesseract] timeout in the pipeline, or photograph the card closer",
                ) from exc
            raise OcrError(f"tesseract failed: {exc}") from exc
        except OSError as exc:
            raise OcrError(f"tesseract could not run: {exc}") from exc


def _lines_from_tsv(data: dict[str, list[Any]], reading_order: bool = False) -> list[OcrLine]:
    grouped: dict[tuple[int, int, int], list[OcrWord]] = {}
    for i, raw_text in enumerate(data.get("text", [])):
        text = str(raw_text).strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        box = Box(
            int(data["left"][i]), int(data["top"][i]), int(data["width"][i]), int(data["height"][i])
        )
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        grouped.setdefault(key, []).append(OcrWord(text, conf, box))
    lines = []
    for words in grouped.values():
        if not reading_order:
            words.sort(key=lambda w: w.box.left)
        lines.append(OcrLine(words))
    return lines


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return "unknown error"


def _page(image: np.ndarray) -> Image.Image:
    """The image as pytesseract hands it to Tesseract: through a temporary file, which
    pytesseract writes as PNG unless the image names another format. PNG's compression
    took 0.1-0.15 s of each Tesseract call on a card (more than some calls' reading);
    PNM (PGM for grey, PPM for colour) is written as it is, and Leptonica reads the same
    pixels from it (both lossless: the same reading, checked in tests/test_ocr.py)."""
    page = Image.fromarray(image)
    page.format = "PPM"
    return page
