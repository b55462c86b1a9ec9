"""The second OCR engine: PP-OCR text-line detection and recognition, through RapidOCR.

The `rapidocr` wheel (3.x) carries the PP-OCR detection, line-direction and recognition
models, and onnxruntime runs them offline on the CPU; nothing is downloaded at run time.
Both are ordinary dependencies since "rapidocr" became the default engine: on the
benchmark it reads clearly more cards right than Tesseract at a similar speed (figures
in the README). Tesseract stays: it turns the card upright (OSD), gives the second
opinion on weak readings, and is the whole engine of the `tesseract` pipeline. (The older
`rapidocr-onnxruntime` wheel was not used: it pulls in the GUI build of OpenCV, which
overwrites the headless one cardscan needs and wants libGL on a server.)

Three engines are built on it, all behind the same OcrEngine protocol:

- "rapidocr" (the default): PP-OCR detects and reads every line. Its detector finds text
  Tesseract's layout analysis misses (busy backgrounds, small print beside a logo, two-
  tone cards), and its recogniser keeps accents. It drops some spaces between words
  ("10117Berlin"); respace() puts the common ones back. A weak reading gets Tesseract's
  sparse reading as a second opinion, and the one with more confident text wins.
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
import re
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from cardscan.errors import EngineMissingError, OcrError
from cardscan.extract.layout import tokens
from cardscan.extract.phones import LABELS
from cardscan.model import Box, OcrLine, OcrResult, OcrWord
from cardscan.ocr.tesseract import TesseractEngine

EXTRA_FIX = (
    "reinstall cardscan with its dependencies (pip install -e . in the project; "
    "they include rapidocr and onnxruntime), or use --pipeline tesseract"
)

# Hybrid page layout: every detected line is scaled so its box is this tall, then
# stacked with this much white space around it. Tesseract reads letters best at about
# 30-40 px cap height; a PP-OCR line box is about 1.4x the letter height.
_LINE_PX = 48
_GAP_PX = 24
_MARGIN_PX = 32
_LETTER_SHARE = 0.65  # letter height / PP-OCR line box height
_DETECT_SIDE = 960  # long side of the image the detector sees
_JOIN_GAP = 1.5  # pieces of one line: gap at most this many line heights...
_JOIN_SIZE = 1.35  # ...and heights within this ratio
_LABEL_GAP = 6.0  # after a lone label word the value may stand this far off


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
            # The detector sees the card at most _DETECT_SIDE px long (letters ~17 px,
            # plenty for finding lines, at a third of the time); the recogniser still
            # cuts each line from the full-size card.
            "Det.limit_type": "max",
            "Det.limit_side_len": _DETECT_SIDE,
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


_NO_RESPACE = re.compile(r"[@/]|\w\.\w")  # emails, web addresses, handles: left as read
_CAMEL = re.compile(r"(?<=[a-zà-ÿ]{3})(?=[A-ZÀ-Þ][a-zà-ÿ]{2})")
_DIGITS_WORD = re.compile(r"(?<=\d{2})(?=[A-ZÀ-Þ][a-zà-ÿ]{2})")
_WORD_DIGITS = re.compile(r"(?<=[A-Za-zà-ÿ]{4})(?=\d)")
_SOCIAL_LABEL = re.compile(r"^(IG|FB|TW|LI|X|Insta|Instagram|Twitter|Facebook)(?=@[a-z0-9_.]+$)")
_AMPERSAND = re.compile(r"(?<=\w)&(?=\s)|(?<=\s)&(?=\w)")


def respace(text: str) -> str:
    """Put back spaces PP-OCR's recogniser tends to drop between words.

    "KaltenbachSystemtechnik" -> "Kaltenbach Systemtechnik" (a capital after three
    lower-case letters), "10117Berlin" -> "10117 Berlin", "Suite1800" -> "Suite 1800",
    "AG& Co." -> "AG & Co.", "IG@studio" -> "IG @studio". Emails, web addresses and
    handles are left alone, and so are short prefixes and endings ("McDonald",
    "MacDonald", "LinkedIn", "YouTube", "E4th", "V6B"); a brand like "PowerPoint" being
    split is the known cost.
    """
    out = []
    for token in text.split(" "):
        token = _SOCIAL_LABEL.sub(r"\1 ", token)  # "IG@handle": a badge, then a handle
        if not _NO_RESPACE.search(token):
            token = _CAMEL.sub(" ", token)
            token = _DIGITS_WORD.sub(" ", token)
            token = _WORD_DIGITS.sub(" ", token)
        out.append(token)
    return _AMPERSAND.sub(lambda m: " & ", " ".join(out)).replace("  ", " ")


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
        if sparse:
            # PP-OCR has no layout analysis to skip, so the same call would give the same
            # reading; the second opinion comes from the other engine instead.
            return self.tesseract.read(image, sparse=True)
        height, width = image.shape[:2]
        lines = []
        # Every switch is passed on every call: RapidOCR keeps the last call's switches.
        # No line classifier (use_cls): it turns each upside-down line before reading it,
        # so a card read upside down came back as well read as upright, only with its lines
        # in reverse order, and the orientation search could not tell the two turns apart
        # (reading scores within 1%, decided by float noise). Without it an upside-down
        # reading scores about a third of the upright one, so the turn is decided by the
        # reading; upright readings are the same (measured on samples/), and it saves the
        # classifier's time. A card is turned whole (orient.py), never line by line.
        output = self._run(image, use_det=True, use_cls=False, use_rec=True)
        found = output.boxes if output.boxes is not None else []
        for points, text, score in zip(found, output.txts or (), output.scores or (), strict=False):
            box = _bounds(points.tolist(), width, height)
            line = split_line(respace(str(text)), float(score) * 100.0, box) if box else None
            if line is not None:
                lines.append(line)
        return OcrResult(lines=join_rows(lines), width=width, height=height, engine=self.name)


class HybridEngine(_PpOcrBase):
    """PP-OCR finds the lines; Tesseract reads them, all in one call."""

    name = "hybrid"

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        height, width = image.shape[:2]
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        boxes = []
        # The detector shrinks the card to _DETECT_SIDE itself (see _rapid) and returns
        # boxes in the card's own pixels.
        output = self._run(gray, use_det=True, use_cls=False, use_rec=False)
        for points in output.boxes if output.boxes is not None else []:
            box = _bounds(points.tolist(), width, height)
            if box is not None and box.width >= box.height // 2:
                boxes.append(box)
        boxes = merge_rows(boxes)
        if not boxes:
            return OcrResult(lines=[], width=width, height=height, engine=self.name)
        page, strips = _stack(gray, boxes)
        reading = self.tesseract.read(page, psm=6)
        lines = _unstack(reading, strips)
        return OcrResult(lines=lines, width=width, height=height, engine=self.name)


def _row_groups(boxes: Sequence[Box], labels: Sequence[bool] = ()) -> list[list[int]]:
    """Indices of boxes that are pieces of one printed line ("M" and "+1 415 555 2671",
    a label and its value): they overlap vertically, are of one print size, and the gap
    between them is about a letter height or less. Pieces further apart on a row (two
    columns) stay apart, except after a label (`labels[i]`), which cards often set in a
    column of its own ("Tel     045 777 9398")."""
    groups: list[tuple[Box, list[int]]] = []
    for index in sorted(range(len(boxes)), key=lambda i: boxes[i].left):
        box = boxes[index]
        for g, (row, members) in enumerate(groups):
            low, high = sorted((row.height, box.height))
            after_label = bool(labels) and labels[members[-1]]
            gap = (_LABEL_GAP if after_label else _JOIN_GAP) * low
            overlap = min(row.bottom, box.bottom) - max(row.top, box.top)
            # Same print size too: a big name beside a small line of the next column
            # is two lines, however close.
            if overlap >= 0.6 * low and box.left - row.right <= gap and high <= _JOIN_SIZE * low:
                groups[g] = (row.union(box), [*members, index])
                break
        else:
            groups.append((box, [index]))
    return [members for _, members in groups]


def merge_rows(boxes: list[Box]) -> list[Box]:
    """Detected pieces of one printed line joined into one box, for Tesseract to read."""
    merged = []
    for members in _row_groups(boxes):
        box = boxes[members[0]]
        for index in members[1:]:
            box = box.union(boxes[index])
        merged.append(box)
    return merged


_FIELD_LABELS = frozenset({"email", "e", "mail", "web", "www", "url", "site", "internet"})


def _is_label(text: str) -> bool:
    """A lone label such as "Tel", "Mobil:", "Cel.", "E-mail" printed before a value (the
    extractor's own phone-label lexicon, so the two stages agree on what a label is)."""
    words = tokens(text)
    return 0 < len(words) <= 2 and all(w in LABELS or w in _FIELD_LABELS for w in words)


def join_rows(lines: list[OcrLine]) -> list[OcrLine]:
    """Lines PP-OCR read apart but printed as one (a phone label and its number), joined
    so the extractor sees the label beside the number; top to bottom."""
    labels = [_is_label(line.text) for line in lines]
    joined = [
        OcrLine([w for i in members for w in lines[i].words])
        for members in _row_groups([line.box for line in lines], labels)
    ]
    return sorted(joined, key=lambda line: (line.box.top, line.box.left))


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
