"""Which way up a card lies, from PP-OCR's own evidence: the lines its detector found
and its line classifier's verdict on each.

Tesseract's orientation check (OSD) took a quarter to a half of a card's time (0.5-1.5 s
a card on the 2-core machine) and, on sparse or busy cards, answered with too little
confidence to be followed, so the card was read at every turn. PP-OCR has the evidence
already: the detector runs anyway, so the direction its line boxes run (wide: upright or
upside down; tall: on its side) is free, and the line classifier that ships with the
models (0 or 180 degrees for one line, ~1 ms a line) tells the two apart. One detection
and one classifier pass (about a quarter of a second) answer for most cards; when they
read the same way as the card lies, the reading reuses the detection.

The answer is given only when the evidence is clear: enough lines, most of their length
running one way, and most of it classified one way up, with a margin wide enough that a
CPU's float rounding cannot move a card across it. Otherwise there is no answer here and
Tesseract's OSD is asked, as before (cardscan.ocr.ppocr).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cardscan.ocr.recognised import Detected

# A line is wide (or tall) when its long side is this many times its short side (the
# ratio at which RapidOCR turns a tall crop on its side before reading it); squarer boxes
# (a logo, a short word, one digit) say nothing about the direction.
LINE_RATIO = 1.5
MIN_LINES = 3  # at least this many lines running the chosen way
DIRECTION_SHARE = 0.8  # of the length of every wide or tall line, this much runs one way
UPRIGHT_SHARE = 0.85  # of those lines' length, weighed by the classifier's score
# Decisive evidence, as the orientation search reads confidence (OSD's scale: its
# answers above 1.5 are followed; see OrientParams.osd_min_conf).
CONFIDENCE = 10.0


@dataclass(frozen=True)
class LineEvidence:
    """What the lines say: how much of their length runs across or along the card, and of
    the chosen direction's lines, how much the classifier reads as upright."""

    wide: float
    tall: float
    lines: int  # lines running the chosen way
    upright: float  # length classified upright (0 degrees), weighed by the score
    upside_down: float  # ... and classified turned (180 degrees)

    @property
    def turn(self) -> int | None:
        """Clockwise degrees that turn the card upright, or None when the lines disagree."""
        across = self.wide + self.tall
        if across <= 0 or self.lines < MIN_LINES:
            return None
        sideways = self.tall >= DIRECTION_SHARE * across
        if not sideways and self.wide < DIRECTION_SHARE * across:
            return None  # lines running both ways: a photo of two cards, or a diagram
        voted = self.upright + self.upside_down
        if voted <= 0:
            return None
        if self.upright >= UPRIGHT_SHARE * voted:
            up = True
        elif self.upside_down >= UPRIGHT_SHARE * voted:
            up = False
        else:
            return None
        # A tall line is cut out and turned a quarter counterclockwise before it is
        # classified (RapidOCR's crop): read upright, its card lies turned a quarter
        # clockwise and turns back by 270; read upside down, by 90 (checked on cards
        # turned by known amounts in tests/test_ocr_ppocr.py).
        if sideways:
            return 270 if up else 90
        return 0 if up else 180


def line_evidence(rapid: Any, found: Detected) -> LineEvidence:
    """Classify the detected lines that run clearly one way (PP-OCR's line classifier)."""
    wide = tall = 0.0
    chosen: dict[str, list[tuple[int, float]]] = {"wide": [], "tall": []}
    quads: list[np.ndarray] = [] if found.quads is None else list(found.quads)
    for index, quad in enumerate(quads):
        points = np.asarray(quad, dtype=np.float64)
        across = float(
            max(np.linalg.norm(points[1] - points[0]), np.linalg.norm(points[2] - points[3]))
        )
        along = float(
            max(np.linalg.norm(points[3] - points[0]), np.linalg.norm(points[2] - points[1]))
        )
        if across >= LINE_RATIO * along:
            wide += across
            chosen["wide"].append((index, across))
        elif along >= LINE_RATIO * across:
            tall += along
            chosen["tall"].append((index, along))
    lines = chosen["tall"] if tall > wide else chosen["wide"]
    upright = upside_down = 0.0
    if len(lines) >= MIN_LINES:
        _, classified = rapid.cls_and_rotate([found.crops[i] for i, _ in lines])
        for (_, length), (label, score) in zip(lines, classified.cls_res or [], strict=False):
            if label == "0":
                upright += length * float(score)
            elif label == "180":
                upside_down += length * float(score)
    return LineEvidence(wide, tall, len(lines), upright, upside_down)
