"""What PP-OCR's recogniser said about each detected line, before any of it is trusted.

RapidOCR's one-call API returns only the lines it read with confidence, as text. Two
things need more: the word spacing (cardscan.ocr.spacing) needs where on the line each
character was read (the CTC columns) and the line's crop, and the Korean reader
(cardscan.ocr.hangul) needs the lines the recogniser could not read at all (its
dictionary has no Hangul: a Korean name comes back empty or below the score cut). So the
detector and recogniser are run through RapidOCR's own steps (`preprocess_img`,
`run_ocr_steps`, both public methods since rapidocr 3.5) and every detected line is
kept, with its score; the caller filters as RapidOCR would (`PpLine.kept`).

Asking the recogniser for the columns (`return_word_box`) costs only its decoder's
bookkeeping: RapidOCR's own word-box step (a perspective transform per word) is not
run, since the columns are all cardscan uses.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from cardscan.model import Box

TEXT_SCORE = 0.5  # RapidOCR's own cut (Global.text_score): weaker readings are dropped


@dataclass(frozen=True)
class PpLine:
    """One detected line: where it is, what the recogniser read, and how sure it was."""

    box: Box  # the line's bounding box on the card, in the card's pixels
    text: str
    score: float  # 0-1, the mean of the characters' probabilities
    columns: list[int]  # the CTC column of each character of text that is not a space
    steps: float  # how many CTC columns the crop's width spans
    crop: np.ndarray  # the line cut out straight, grayscale, as the recogniser saw it

    @property
    def kept(self) -> bool:
        """Whether RapidOCR would return this line (text, and a score above its cut)."""
        return bool(self.text.strip()) and self.score >= TEXT_SCORE


@dataclass(frozen=True)
class Detected:
    """The detector's lines on one card image, cut out but not yet read."""

    image: np.ndarray  # the card image they were found on (as the engine was given it)
    record: dict[str, Any]  # RapidOCR's record of its resizing and padding
    quads: np.ndarray | None  # each line's corners, in the resized image's pixels
    crops: list[np.ndarray]  # each line cut out straight (a tall line turned on its side)

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @property
    def width(self) -> int:
        return int(self.image.shape[1])


def detect(rapid: Any, image: np.ndarray, bgr: np.ndarray) -> Detected:
    """Every line the detector finds on a card (`bgr`: `image` as the models take it)."""
    # Every switch is set on every call: RapidOCR keeps the last call's switches. No
    # line classifier (see RapidOcrEngine.read); columns from the recogniser's decoder.
    rapid.update_params(use_det=True, use_cls=False, use_rec=True, return_word_box=True)
    prepared, record = rapid.preprocess_img(rapid.load_img(bgr))
    from rapidocr.main import RapidOCRError

    try:
        crops, detected = rapid.detect_and_crop(prepared, record)
    except RapidOCRError:  # "The text detection result is empty"
        return Detected(image, record, None, [])
    return Detected(image, record, detected.boxes, list(crops))


def read_detected(rapid: Any, found: Detected) -> list[PpLine]:
    """The detected lines, read by the recogniser."""
    if found.quads is None or not found.crops:
        return []
    from rapidocr.main import RapidOCRError
    from rapidocr.utils.process_img import map_boxes_to_original

    rapid.update_params(use_det=True, use_cls=False, use_rec=True, return_word_box=True)
    try:
        read = rapid.recognize_txt(found.crops)
    except RapidOCRError:  # "The text recognize result is empty"
        return []
    if read.txts is None:
        return []

    height, width = found.height, found.width
    quads = map_boxes_to_original(copy.deepcopy(found.quads), found.record, height, width)
    infos = read.word_results or [None] * len(read.txts)
    lines = []
    for quad, text, score, info, crop in zip(
        quads, read.txts, read.scores, infos, found.crops, strict=False
    ):
        box = bounds(quad.tolist(), width, height)
        if box is None or crop is None or crop.size == 0:
            continue
        columns = [int(c) for word in getattr(info, "word_cols", None) or [] for c in word]
        lines.append(
            PpLine(
                box=box,
                text=str(text),
                score=float(score),
                columns=columns,
                steps=float(getattr(info, "line_txt_len", 0.0) or 0.0),
                crop=cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop,
            )
        )
    return lines


def bounds(points: list[list[float]], width: int, height: int) -> Box | None:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    left, top = max(0, int(min(xs))), max(0, int(min(ys)))
    right, bottom = min(width, round(max(xs))), min(height, round(max(ys)))
    if right - left < 4 or bottom - top < 4:
        return None
    return Box(left, top, right - left, bottom - top)
