"""Build a plausible OcrResult from plain text, for tests and for trying the extractor.

Each line is text (font size 20) or (text, font_size) or (text, font_size, left).
Three or more spaces inside a line mean a wide gap, as when two columns are merged
into one OCR line. Word boxes get widths proportional to their length and heights
equal to the font size, which is all the extractor looks at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cardscan.model import Box, OcrLine, OcrResult, OcrWord

DEFAULT_SIZE = 20.0
CHAR_WIDTH = 0.55  # of the font size
WORD_GAP = 0.35  # of the font size
COLUMN_GAP = 6.0  # of the font size: well over the extractor's split threshold
LINE_PITCH = 1.6  # of the font size
MARGIN = 40

LineSpec = str | tuple[str, float] | tuple[str, float, int]


def make_ocr(lines: Sequence[LineSpec], conf: float = 90.0, width: int = 1050) -> OcrResult:
    out: list[OcrLine] = []
    y = MARGIN
    for spec in lines:
        if isinstance(spec, str):
            text, size, left = spec, DEFAULT_SIZE, MARGIN
        elif len(spec) == 2:
            text, size, left = spec[0], float(spec[1]), MARGIN
        else:
            text, size, left = spec[0], float(spec[1]), int(spec[2])
        words: list[OcrWord] = []
        x = float(left)
        for ci, column in enumerate(re.split(r"\s{3,}", text.strip())):
            if ci:
                x += COLUMN_GAP * size
            for word in column.split():
                w = max(1, round(CHAR_WIDTH * size * len(word)))
                words.append(OcrWord(word, conf, Box(round(x), y, w, round(size))))
                x += w + WORD_GAP * size
        if words:
            out.append(OcrLine(words))
        y += round(LINE_PITCH * size)
    return OcrResult(out, width=width, height=y + MARGIN)


def from_text(text: str) -> OcrResult:
    """One line per text line, all at the default size."""
    return make_ocr([line for line in text.splitlines() if line.strip()])
