"""The second OCR engine: PP-OCR text-line detection and recognition, through RapidOCR.

The `rapidocr` wheel (3.x) carries the PP-OCR detection, line-direction and recognition
models, and onnxruntime runs them offline on the CPU; nothing is downloaded at run time.
Both are ordinary dependencies since "rapidocr" became the default engine: on the
benchmark it reads clearly more cards right than Tesseract at a similar speed (figures
in the README). Tesseract stays: it judges a card's orientation when PP-OCR's own
evidence is unclear (OSD), gives a second opinion on weak readings where the pipeline
asks for it ([ocr] sparse_retry) and on cards PP-OCR reads nothing on, reads Korean
lines, and is the whole engine of the `tesseract` pipeline. (The older
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

Orientation comes from PP-OCR's own evidence first (cardscan.ocr.lineturn: which way the
detected lines run, and the line classifier's 0 or 180 degrees for each); Tesseract's
OSD (every install has Tesseract) is asked only when that evidence is unclear. The
benchmark figures for each engine are in the README.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from cardscan.errors import EngineMissingError, LanguageMissingError, OcrError
from cardscan.model import Box, OcrLine, OcrResult, OcrWord
from cardscan.ocr.hangul import MIN_UNREAD_LINES, korean_installed, looks_korean, read_korean
from cardscan.ocr.lineturn import CONFIDENCE, line_evidence
from cardscan.ocr.recognised import Detected, PpLine, bounds, detect, read_detected
from cardscan.ocr.spacing import Spaced, respace, respace_word, space_by_gaps
from cardscan.ocr.strips import stack, unstack
from cardscan.ocr.tables import tables_kept
from cardscan.ocr.tesseract import TesseractEngine
from cardscan.words import PHONE_LABELS as LABELS
from cardscan.words import tokens

__all__ = ["respace"]  # kept importable from here (cardscan.ocr.spacing has it now)

# What pyproject.toml asks for (both are cardscan's own dependencies).
EXTRA_FIX = (
    "install them: pip install 'rapidocr>=3.4,<4' 'onnxruntime>=1.17' "
    "(or reinstall cardscan with its dependencies), or use --pipeline tesseract"
)

_LETTER_SHARE = 0.65  # letter height / PP-OCR line box height
_DETECT_SIDE = 960  # long side of the image the detector sees (RapidOcrOptions.detect_side)
_JOIN_GAP = 1.5  # pieces of one line: gap at most this many line heights...
_JOIN_SIZE = 1.35  # ...and heights within this ratio
_LABEL_GAP = 6.0  # after a lone label word the value may stand this far off


@dataclass(frozen=True)
class RapidOcrOptions:
    """A pipeline's [ocr.rapidocr] table: how PP-OCR runs in the rapidocr, hybrid and
    combined engines (Tesseract beside it takes [ocr.tesseract]).

    Each field is a key; its default's type is the key's type (cardscan.config checks
    both). The defaults are what the benchmark figures in the README were measured with.
    """

    # The detector sees the card at most this many pixels long (letters ~17 px at 960,
    # plenty for finding lines, at a third of the full-size time); the recogniser still
    # cuts each line from the full-size card.
    detect_side: int = _DETECT_SIDE
    # Lines that look Korean are read by Tesseract's Korean data when it is installed
    # (cardscan.ocr.hangul); false: they stay as PP-OCR read them, and no card is said to
    # hold unread Korean.
    korean: bool = True

    def __post_init__(self) -> None:
        if self.detect_side < 32:
            raise ValueError(f"detect_side must be at least 32 (pixels), not {self.detect_side}")


def rapidocr_installed() -> bool:
    """Whether rapidocr and onnxruntime can be imported, without importing them (which
    takes a second and loads onnxruntime's native library)."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))


@functools.cache
def _rapid(threads: int, detect_side: int = _DETECT_SIDE) -> Any:
    """One RapidOCR instance per process (loading the models takes about a second)."""
    try:
        with tables_kept():
            from rapidocr import RapidOCR
    except ImportError as exc:
        raise EngineMissingError(
            f"the rapidocr engine cannot run: {exc.name or 'rapidocr'} is not installed",
            EXTRA_FIX,
        ) from exc
    try:
        rapid = RapidOCR(
            params={
                "Global.log_level": "error",
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                "Det.limit_type": "max",
                "Det.limit_side_len": detect_side,
            }
        )
        # RapidOCR (3.x) loads each model on first use: loaded here, a missing or damaged
        # one stops the run before its first card, not on it.
        for name in ("_load_det_model", "_load_cls_model", "_load_rec_model"):
            load = getattr(rapid, name, None)
            if load is not None:
                load()
        return rapid
    except Exception as exc:  # models missing or damaged: RapidOCR raises its own types
        raise EngineMissingError(
            f"the rapidocr engine cannot load its PP-OCR models ({_first_line(exc)})",
            "reinstall them: pip install --force-reinstall 'rapidocr>=3.4,<4', "
            "or use --pipeline tesseract",
        ) from exc


ORIENT_SIDE = 640  # long side of the orientation check's copy of a card lying on its side
PORTRAIT = 1.15  # taller than wide by this much: a landscape card lying on its side


def _sideways_copy(image: np.ndarray) -> np.ndarray:
    """What the orientation check detects lines on. A card taller than wide (PORTRAIT)
    mostly lies on its side: it is detected again once turned, so the check needs only
    the lines' direction and the classifier's votes, which a copy of ORIENT_SIDE pixels
    gives as well, at under half the detector's time. Any other card is looked at whole:
    its detection is the reading's when it lies upright."""
    height, width = image.shape[:2]
    if height < PORTRAIT * width or height <= ORIENT_SIDE:
        return image
    scale = ORIENT_SIDE / height
    size = (max(1, round(width * scale)), ORIENT_SIDE)
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def _threads() -> int:
    """Follow the runner's per-worker thread cap (OMP_THREAD_LIMIT); -1 = onnxruntime's
    default (every core) for a single card."""
    limit = os.environ.get("OMP_THREAD_LIMIT", "")
    return int(limit) if limit.isdigit() and int(limit) > 0 else -1


def _as_bgr(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return cv2.cvtColor(image, cv2.COLOR_RGB2BGR)


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


def place_words(spaced: Spaced, crop_width: int, conf: float, box: Box) -> OcrLine | None:
    """A line's words in card pixels, each at its own place on the line (`spaced.spans`
    are in the crop's pixels; the crop is the line box's width). A word the spelling
    rules split further (respace_word) shares its span by character count."""
    scale = box.width / max(crop_width, 1)
    letters = max(1, round(box.height * _LETTER_SHARE))
    top = box.top + (box.height - letters) // 2
    out = []
    for word, (left, right) in zip(spaced.words, spaced.spans, strict=True):
        parts = respace_word(word)
        total = sum(len(p) for p in parts) + len(parts) - 1
        per_char = (right - left) * scale / max(total, 1)
        x = box.left + left * scale
        for part in parts:
            width = max(1, round(len(part) * per_char))
            start = min(max(box.left, round(x)), box.right - 1)
            out.append(OcrWord(part, conf, Box(start, top, min(width, box.right - start), letters)))
            x += (len(part) + 1) * per_char
    return OcrLine(out) if out else None


class _PpOcrBase:
    """What the PP-OCR engines share: the lazy import, their options, the orientation
    check (the lines' evidence, then Tesseract's OSD)."""

    name = "ppocr"
    # PP-OCR's own table, and Tesseract's for the Tesseract that works beside it.
    option_tables: tuple[str, ...] = ("rapidocr", "tesseract")

    def __init__(
        self,
        languages: Sequence[str] = ("eng",),
        psm: int = 3,
        timeout: float = 60.0,
        options: RapidOcrOptions | None = None,
    ) -> None:
        self.tesseract = TesseractEngine(languages, psm=psm, timeout=timeout)
        self.options = options or RapidOcrOptions()

    @classmethod
    def configured(cls, options: Mapping[str, Any]) -> _PpOcrBase:
        tesseract = TesseractEngine.configured(options)
        engine = cls(options=options.get("rapidocr"))
        engine.tesseract = tesseract
        return engine

    @staticmethod
    def is_available() -> bool:
        """rapidocr and onnxruntime importable, and Tesseract installed (it turns the
        card upright); whether the models load is check()'s to find out."""
        return rapidocr_installed() and TesseractEngine.is_available()

    def check(self) -> None:
        if not rapidocr_installed():
            raise EngineMissingError(
                f"the {self.name} engine cannot run: rapidocr or onnxruntime is not installed",
                EXTRA_FIX,
            )
        self._rapid()  # loads the models: missing or damaged ones stop the run here
        self.tesseract.check()

    def _rapid(self) -> Any:
        return _rapid(_threads(), self.options.detect_side)

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        """PP-OCR's own evidence first (cardscan.ocr.lineturn: the detected lines' direction
        and the line classifier); Tesseract's OSD only when it is not clear."""
        found = self._detect(_sideways_copy(image))
        try:
            turn = line_evidence(self._rapid(), found).turn
        except Exception as exc:  # onnxruntime raises its own types; one card fails
            raise OcrError(f"rapidocr failed: {exc}") from exc
        if turn is None:
            return self.tesseract.orientation(image)
        if turn == 0 and self.reuses_detection and found.image is image:
            # The card is read as it lies: its reading reuses this detection. A card found
            # turned is detected again once turned: the detector finds lines better on
            # the upright card than on it sideways or upside down (turning this
            # detection's lines with the card lost cards on every benchmark set:
            # README, Speed and memory).
            self._found = found
        return turn, CONFIDENCE

    # The last orientation check's detection, kept for the reading that follows it when
    # the card is read as it lies (the same image object); dropped by the next read.
    _found: Detected | None = None
    reuses_detection = False  # whether read() takes _found (the rapidocr engine's does)

    def _detect(self, image: np.ndarray) -> Detected:
        self._found = None
        try:
            return detect(self._rapid(), image, _as_bgr(image))
        except EngineMissingError:
            raise
        except Exception as exc:  # onnxruntime raises its own types; one card fails
            raise OcrError(f"rapidocr failed: {exc}") from exc

    def _run(self, image: np.ndarray, **options: Any) -> Any:
        try:
            return self._rapid()(_as_bgr(image), **options)
        except EngineMissingError:
            raise
        except Exception as exc:  # onnxruntime raises its own types; one card fails
            raise OcrError(f"rapidocr failed: {exc}") from exc


class RapidOcrEngine(_PpOcrBase):
    """PP-OCR detection and recognition for every line."""

    name = "rapidocr"
    reuses_detection = True

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        if sparse:
            # PP-OCR has no layout analysis to skip, so the same call would give the same
            # reading; the second opinion comes from the other engine instead.
            return self.tesseract.read(image, sparse=True)
        # No line classifier in the reading (use_cls, in recognised.detect): it turns each
        # upside-down line before reading it, so a card read upside down came back as well
        # read as upright, only with its lines in reverse order, and the orientation search
        # could not tell the two turns apart (reading scores within 1%, decided by float
        # noise). Without it an upside-down reading scores about a third of the upright
        # one, so the turn is decided by the reading; upright readings are the same
        # (measured on samples/). The classifier's votes decide the turn before the
        # reading instead (cardscan.ocr.lineturn); a card is turned whole, never line by
        # line.
        return assemble(
            self._recognise(image),
            image,
            self.tesseract.timeout,
            self.name,
            korean=self.options.korean,
        )

    def _recognise(self, image: np.ndarray) -> list[PpLine]:
        found, self._found = self._found, None
        try:
            if found is None or found.image is not image:
                found = detect(self._rapid(), image, _as_bgr(image))
            return read_detected(self._rapid(), found)
        except EngineMissingError:
            raise
        except Exception as exc:  # onnxruntime raises its own types; one card fails
            raise OcrError(f"rapidocr failed: {exc}") from exc


def assemble(
    found: list[PpLine], image: np.ndarray, timeout: float, engine: str, korean: bool = True
) -> OcrResult:
    """The card's reading from its recognised lines: each line PP-OCR read, spaced by
    the gaps in its print; the Korean-looking lines read by Tesseract's Korean data
    (unless `korean` is false: [ocr.rapidocr] korean)."""
    height, width = image.shape[:2]
    lines = {i: _line_of(line) for i, line in enumerate(found) if line.kept}
    korean_lines = [i for i, line in enumerate(found) if korean and looks_korean(line)]
    unread = 0
    if korean_lines and korean_installed():
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        try:
            read = read_korean(gray, [found[i] for i in korean_lines], timeout)
        except (OcrError, LanguageMissingError):
            read = {}  # Tesseract failed on the page: the rest of the card stands
        lines.update({korean_lines[j]: line for j, line in read.items()})
    elif len(korean_lines) >= MIN_UNREAD_LINES:
        unread = len(korean_lines)
    kept = [(found[i], line) for i, line in sorted(lines.items()) if line]
    return OcrResult(
        # Rows are joined by the lines' detected boxes (see join_rows).
        lines=join_rows([line for _, line in kept], [row_box(f.box) for f, _ in kept]),
        width=width,
        height=height,
        engine=engine,
        korean_unread=unread,
    )


def _line_of(found: PpLine) -> OcrLine | None:
    """A recognised line as words: spaced by the gaps in its print, then by the rules."""
    spaced = space_by_gaps(found.text, found.columns, found.steps, found.crop)
    return place_words(spaced, found.crop.shape[1], found.score * 100.0, found.box)


class HybridEngine(_PpOcrBase):
    """PP-OCR finds the lines; Tesseract reads them, all in one call."""

    name = "hybrid"

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        height, width = image.shape[:2]
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        boxes = []
        # The detector shrinks the card to detect_side itself (see _rapid) and returns
        # boxes in the card's own pixels.
        output = self._run(gray, use_det=True, use_cls=False, use_rec=False)
        for points in output.boxes if output.boxes is not None else []:
            box = bounds(points.tolist(), width, height)
            if box is not None and box.width >= box.height // 2:
                boxes.append(box)
        boxes = merge_rows(boxes)
        if not boxes:
            return OcrResult(lines=[], width=width, height=height, engine=self.name)
        boxes.sort(key=lambda b: (b.top, b.left))
        page, strips = stack(gray, boxes)
        words = unstack(self.tesseract.read(page, psm=6), strips)
        lines = [OcrLine(words[i]) for i in sorted(words)]
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


def row_box(box: Box) -> Box:
    """A detected line's box as the rows are joined by: its full width (the detector's
    padding included) at the letters' height, as split_line's words span it."""
    letters = max(1, round(box.height * _LETTER_SHARE))
    return Box(box.left, box.top + (box.height - letters) // 2, box.width, letters)


def join_rows(lines: list[OcrLine], boxes: Sequence[Box] | None = None) -> list[OcrLine]:
    """Lines PP-OCR read apart but printed as one (a phone label and its number), joined
    so the extractor sees the label beside the number; top to bottom.

    `boxes`: each line's box for the joining, by default its words' bounds. The PP-OCR
    engine gives its detected boxes (row_box): the gaps the joining allows were set on
    them, and its word boxes now stand on the print itself, without the detector's
    padding, so two pieces of a line would look further apart than they are."""
    labels = [_is_label(line.text) for line in lines]
    found = list(boxes) if boxes is not None else [line.box for line in lines]
    joined = [
        OcrLine([w for i in members for w in lines[i].words])
        for members in _row_groups(found, labels)
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
