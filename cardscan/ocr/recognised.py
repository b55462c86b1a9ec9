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
    quads: np.ndarray | None  # each line's corners, in the detector's resized pixels
    boxes: list[np.ndarray]  # each line's corners, in the card's own pixels
    crops: list[np.ndarray]  # each line cut out straight (a tall line turned on its side)

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @property
    def width(self) -> int:
        return int(self.image.shape[1])


def detect(rapid: Any, image: np.ndarray, bgr: np.ndarray) -> Detected:
    """Every line the detector finds on a card (`bgr`: `image` as the models take it)."""
    height, width = bgr.shape[:2]
    # Every switch is set on every call: RapidOCR keeps the last call's switches. No
    # line classifier (see RapidOcrEngine.read); columns from the recogniser's decoder.
    rapid.update_params(use_det=True, use_cls=False, use_rec=True, return_word_box=True)
    prepared, record = rapid.preprocess_img(rapid.load_img(bgr))
    from rapidocr.main import RapidOCRError
    from rapidocr.utils.process_img import map_boxes_to_original

    try:
        crops, detected = rapid.detect_and_crop(prepared, record)
    except RapidOCRError:  # "The text detection result is empty"
        return Detected(image, None, [], [])
    if detected.boxes is None:
        return Detected(image, None, [], [])
    boxes = map_boxes_to_original(copy.deepcopy(detected.boxes), record, height, width)
    return Detected(image, detected.boxes, list(boxes), list(crops))


# RapidOCR turns a line's crop a quarter counterclockwise when it is this many times
# taller than wide (rapidocr.utils.process_img.get_rotate_crop_image).
_TALL = 1.5


def _tall(crop: np.ndarray) -> bool:
    return crop.shape[0] / max(crop.shape[1], 1) >= _TALL


def turned(found: Detected, degrees: int, image: np.ndarray) -> Detected:
    """The lines of `found` as the detector would give them on the card turned `degrees`
    clockwise (`image`: that turned card): each corner turned with the card, each crop
    turned as RapidOCR would have cut it from the turned card. Saves a second detection
    (a quarter of a card's reading) when the orientation check found the card turned.
    """
    height, width = found.height, found.width
    boxes = []
    for box in found.boxes:
        x, y = box[:, 0], box[:, 1]
        if degrees == 90:
            points = np.stack([height - 1 - y, x], axis=1)
        elif degrees == 180:
            points = np.stack([width - 1 - x, height - 1 - y], axis=1)
        elif degrees == 270:
            points = np.stack([y, width - 1 - x], axis=1)
        else:
            points = box
        boxes.append(points.astype(box.dtype))
    quads: list[np.ndarray] = [] if found.quads is None else list(found.quads)
    crops = []
    for quad, crop in zip(quads, found.crops, strict=True):
        # As cut before RapidOCR turned it (a tall line's crop; the quad says which).
        side = float(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
        up = float(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
        raw = np.rot90(crop, -1) if int(up) / max(int(side), 1) >= _TALL else crop
        cut = np.rot90(raw, -(degrees // 90))  # turned with the card (clockwise)
        crops.append(np.ascontiguousarray(np.rot90(cut) if _tall(cut) else cut))
    return Detected(image, found.quads, boxes, crops)


def read_detected(rapid: Any, found: Detected) -> list[PpLine]:
    """The detected lines, read by the recogniser."""
    if not found.crops:
        return []
    from rapidocr.main import RapidOCRError

    rapid.update_params(use_det=True, use_cls=False, use_rec=True, return_word_box=True)
    try:
        read = rapid.recognize_txt(found.crops)
    except RapidOCRError:  # "The text recognize result is empty"
        return []
    if read.txts is None:
        return []
    height, width = found.height, found.width
    infos = read.word_results or [None] * len(read.txts)
    lines = []
    for quad, text, score, info, crop in zip(
        found.boxes, read.txts, read.scores, infos, found.crops, strict=False
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
