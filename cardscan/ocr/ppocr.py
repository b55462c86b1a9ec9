"""A second OCR engine: PP-OCR text-line detection and recognition, through RapidOCR.

Optional (`pip install 'cardscan[rapidocr]'`): the `rapidocr` wheel (3.x) carries the
PP-OCR detection, line-direction and recognition models, and onnxruntime runs them
offline on the CPU; nothing is downloaded at run time. (The older
`rapidocr-onnxruntime` wheel was not used: it pulls in the GUI build of OpenCV, which
overwrites the headless one cardscan needs and wants libGL on a server.)

Three engines are built on it, all behind the same OcrEngine protocol:

- "rapidocr": PP-OCR detects and reads every line. Its detector finds text Tesseract's
  layout analysis misses (busy backgrounds, small print beside a logo), but its
  recogniser sometimes runs words together ("2Kingdom Street") and drops accents, which
  hurts title and address matching.
- "hybrid": PP-OCR only finds the lines; each line is cut out, scaled to one letter
  height and stacked on a clean page that Tesseract reads in one call as a uniform
  block. Tesseract keeps its word spacing, accents and language data; PP-OCR decides
  where the text is.
- "combined": Tesseract as usual; only a weak reading gets the hybrid reading as its
  second try (instead of Tesseract's sparse mode).

Orientation is left to Tesseract's OSD (every install has Tesseract); PP-OCR's own
classifier only knows 0 and 180 degrees per line. The benchmark figures for each engine
are in the README.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from cardscan.errors import EngineMissingError, OcrError
from cardscan.model import Box, OcrLine, OcrResult, OcrWord
from cardscan.ocr.tesseract import TesseractEngine

EXTRA_FIX = "install the optional engine: pip install 'cardscan[rapidocr]'"

# Hybrid page layout: every detected line is scaled so its box is this tall, then
# stacked with this much white space around it. Tesseract reads letters best at about
# 30-40 px cap height; a PP-OCR line box is about 1.4x the letter height.
_LINE_PX = 48
_GAP_PX = 24
_MARGIN_PX = 32
_LETTER_SHARE = 0.65  # letter height / PP-OCR line box height
_DETECT_SIDE = 960  # long side of the image the detector sees


@functools.cache
def _rapid(threads: int) -> Any:
    """One RapidOCR instance per process (loading the models takes about a second)."""
    try:
        from rapidocr import RapidOCR
    except ImportError as exc:
        raise EngineMissingError("the rapidocr engine is not installed", EXTRA_FIX) from exc
    return RapidOCR(
        params={
            "Global.log_level": "error",
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


def _threads() -> int:
    """Follow the runner's per-worker thread cap (OMP_THREAD_LIMIT); -1 = onnxruntime's
    default (every core) for a single card."""
    limit = os.environ.get("OMP_THREAD_LIMIT", "")
    return int(limit) if limit.isdigit() and int(limit) > 0 else -1


def _as_bgr(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return cv2.cvtColor(image, cv2.COLOR_RGB2BGR)


def _bounds(points: Sequence[Sequence[float]], width: int, height: int) -> Box | None:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    left, top = max(0, int(min(xs))), max(0, int(min(ys)))
    right, bottom = min(width, round(max(xs))), min(height, round(max(ys)))
    if right - left < 4 or bottom - top < 4:
        return None
    return Box(left, top, right - left, bottom - top)


def split_line(text: str, conf: float, box: Box) -> OcrLine | None:
    """Words of a line read as one string, with boxes shared out by character count.

    PP-OCR's line box is padded around the print (its detector grows each box by half
    again), so a word's box keeps only the middle of the line's height: about the
    letters' own height, as Tesseract reports word boxes. Otherwise short words look
    taller than wide, which the orientation check takes for sideways text.
    """
    words = text.split()
    if not words:
        return None
    letters = max(1, round(box.height * _LETTER_SHARE))
    top = box.top + (box.height - letters) // 2
    total = sum(len(w) for w in words) + len(words) - 1
    per_char = box.width / max(total, 1)
    out = []
    x = float(box.left)
    for word in words:
        width = max(1, round(len(word) * per_char))
        out.append(OcrWord(word, conf, Box(round(x), top, width, letters)))
        x += (len(word) + 1) * per_char
    return OcrLine(out)


class _PpOcrBase:
    """What both PP-OCR engines share: the optional import and Tesseract's OSD."""

    name = "ppocr"

    def __init__(
        self,
        languages: Sequence[str] = ("eng",),
        psm: int = 3,
        timeout: float = 60.0,
    ) -> None:
        self.tesseract = TesseractEngine(languages, psm=psm, timeout=timeout)

    def check(self) -> None:
        _rapid(_threads())
        self.tesseract.check()

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        return self.tesseract.orientation(image)

    def _run(self, image: np.ndarray, **options: Any) -> Any:
        try:
            return _rapid(_threads())(_as_bgr(image), **options)
        except EngineMissingError:
            raise
        except Exception as exc:  # onnxruntime raises its own types; one card fails
            raise OcrError(f"rapidocr failed: {exc}") from exc


class RapidOcrEngine(_PpOcrBase):
    """PP-OCR detection and recognition for every line."""

    name = "rapidocr"

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        # PP-OCR has no layout analysis to skip: a sparse reading is the same reading.
        height, width = image.shape[:2]
        lines = []
        output = self._run(image)
        found = output.boxes if output.boxes is not None else []
        for points, text, score in zip(found, output.txts or (), output.scores or (), strict=False):
            box = _bounds(points.tolist(), width, height)
            line = split_line(str(text), float(score) * 100.0, box) if box else None
            if line is not None:
                lines.append(line)
        return OcrResult(lines=lines, width=width, height=height, engine=self.name)


class HybridEngine(_PpOcrBase):
    """PP-OCR finds the lines; Tesseract reads them, all in one call."""

    name = "hybrid"

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        height, width = image.shape[:2]
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        boxes = []
        # PP-OCR's detector is trained on text of any size: it finds card print as well
        # at half the cleaned card's scale (letters ~17 px), in a quarter of the time.
        shrink = min(1.0, _DETECT_SIDE / max(height, width))
        small = cv2.resize(gray, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
        output = self._run(small, use_cls=False, use_rec=False)
        for points in output.boxes if output.boxes is not None else []:
            scaled = [(x / shrink, y / shrink) for x, y in points]
            box = _bounds(scaled, width, height)
            if box is not None and box.width >= box.height // 2:
                boxes.append(box)
        boxes = merge_rows(boxes)
        if not boxes:
            return OcrResult(lines=[], width=width, height=height, engine=self.name)
        page, strips = _stack(gray, boxes)
        reading = self.tesseract.read(page, psm=6)
        lines = _unstack(reading, strips)
        return OcrResult(lines=lines, width=width, height=height, engine=self.name)


def merge_rows(boxes: list[Box]) -> list[Box]:
    """Join detected pieces of one printed line ("M" and "+1 415 555 2671", a label and
    its value) so Tesseract reads them as one line; pieces far apart on a row (two
    columns) stay apart."""
    rows: list[Box] = []
    for box in sorted(boxes, key=lambda b: b.left):
        for index, row in enumerate(rows):
            overlap = min(row.bottom, box.bottom) - max(row.top, box.top)
            near = box.left - row.right <= 2.5 * min(row.height, box.height)
            if overlap >= 0.6 * min(row.height, box.height) and near:
                rows[index] = row.union(box)
                break
        else:
            rows.append(box)
    return rows


class CombinedEngine(HybridEngine):
    """Tesseract's own layout analysis first; PP-OCR's lines only for a weak reading.

    The orientation search asks for a second, "sparse" reading when the first one is
    weak; here that second reading is the hybrid one instead of Tesseract's sparse mode.
    Cards Tesseract reads well cost nothing extra.
    """

    name = "combined"

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        if sparse:
            return super().read(image)
        return self.tesseract.read(image)


# A strip: where a detected line sits on the stacked page and how it maps back.
_Strip = tuple[int, int, float, Box]  # (top on page, height on page, scale, box on card)


def _stack(gray: np.ndarray, boxes: list[Box]) -> tuple[np.ndarray, list[_Strip]]:
    boxes = sorted(boxes, key=lambda b: (b.top, b.left))
    crops = []
    for box in boxes:
        crop = gray[box.top : box.bottom, box.left : box.right]
        scale = _LINE_PX / box.height
        size = (max(1, round(box.width * scale)), _LINE_PX)
        interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        crops.append((cv2.resize(crop, size, interpolation=interpolation), scale, box))
    page_w = max(c.shape[1] for c, _, _ in crops) + 2 * _MARGIN_PX
    page_h = 2 * _MARGIN_PX + sum(_LINE_PX + _GAP_PX for _ in crops)
    page = np.full((page_h, page_w), 255, dtype=np.uint8)
    strips: list[_Strip] = []
    y = _MARGIN_PX
    for crop, scale, box in crops:
        page[y : y + _LINE_PX, _MARGIN_PX : _MARGIN_PX + crop.shape[1]] = crop
        strips.append((y, _LINE_PX, scale, box))
        y += _LINE_PX + _GAP_PX
    return page, strips


def _unstack(reading: OcrResult, strips: list[_Strip]) -> list[OcrLine]:
    """Tesseract's words on the stacked page, back in card coordinates, one line per
    detected strip (Tesseract may merge or split lines; the strips are the truth)."""
    by_strip: dict[int, list[OcrWord]] = {}
    for word in (w for line in reading.lines for w in line.words):
        middle = word.box.top + word.box.height / 2
        for index, (top, height, scale, box) in enumerate(strips):
            if top - _GAP_PX / 2 <= middle < top + height + _GAP_PX / 2:
                left = box.left + (word.box.left - _MARGIN_PX) / scale
                word_top = box.top + (word.box.top - top) / scale
                placed = Box(
                    max(0, round(left)),
                    max(0, round(word_top)),
                    max(1, round(word.box.width / scale)),
                    max(1, round(word.box.height / scale)),
                )
                by_strip.setdefault(index, []).append(OcrWord(word.text, word.conf, placed))
                break
    lines = []
    for index in sorted(by_strip):
        words = sorted(by_strip[index], key=lambda w: w.box.left)
        lines.append(OcrLine(words))
    return lines
