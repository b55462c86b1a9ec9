"""Turn the card upright, then read it.

A phone saves a sideways photo sideways when EXIF is missing or stripped, and cards are
photographed upside down as often as not. The engine's orientation check (for PP-OCR:
its detected lines and line classifier, then Tesseract's OSD when those are unclear;
for Tesseract: OSD) can guess wrong on sparse text, so its answer is only a first try: a
reading that comes back weak is compared with the other three turns and the best
reading wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from cardscan.cleanup import rotate
from cardscan.model import OcrResult
from cardscan.ocr.base import OcrEngine

_ALNUM = re.compile(r"[^\W_]", re.UNICODE)


@dataclass(frozen=True)
class OrientParams:
    mode: str = "auto"  # auto: the engine's guess, then verify; osd: trust it; none: as is
    osd_min_conf: float = 1.5
    good_words: int = 8  # a reading with this many confident words is accepted at once
    good_mean_conf: float = 75.0
    # A weak reading is tried again in sparse mode (off: only a reading with no text).
    sparse_retry: bool = True


def reading_score(result: OcrResult) -> float:
    """How much confident, word-like, horizontal text a reading holds.

    Tesseract can read a sideways text block by itself, with word boxes taller than
    wide; such a reading must not win over the properly turned one, whose word order
    and line grouping are right.
    """
    score = 0.0
    for line in result.lines:
        for word in line.words:
            letters = len(_ALNUM.findall(word.text))
            if letters < 2 or word.conf < 50:
                continue
            if letters >= 3 and word.box.height > word.box.width:
                continue  # a vertical word: this turn is not upright
            score += letters * word.conf / 100.0
    return score


def _is_good(result: OcrResult, params: OrientParams) -> bool:
    words = [w for line in result.lines for w in line.words if len(_ALNUM.findall(w.text)) >= 2]
    if len(words) < params.good_words:
        return False
    if sum(1 for w in words if w.box.height > w.box.width) > len(words) / 4:
        return False  # read sideways
    return sum(w.conf for w in words) / len(words) >= params.good_mean_conf


# A turn replaces the first guess only when its reading is clearly better: by this
# share and these points of reading_score. Two readings within it are a tie, and a tie
# is decided by the evidence in order (OSD's guess, even a weak one; then the photo as
# it came), never by which float path a CPU took: an engine's scores differ slightly
# between machines (Tesseract's LSTM picks AVX-512, AVX2 or SSE code at run time), and a
# card must not come out turned 180 degrees on one machine and upright on the next.
TIE_SHARE = 0.15
TIE_POINTS = 3.0


def read_upright(
    engine: OcrEngine, image: np.ndarray, params: OrientParams = OrientParams()
) -> OcrResult:
    if params.mode == "none":
        return _with_rotation(_sparse_retry(engine, image, engine.read(image), 0, params), 0)
    first, hint = 0, 0
    guess = engine.orientation(image)
    if guess is not None:
        hint = guess[0]
        if guess[1] >= params.osd_min_conf:
            first = guess[0]
    tried: dict[int, OcrResult] = {first: engine.read(rotate(image, first))}
    if params.mode == "osd" or _is_good(tried[first], params):
        return _with_rotation(_sparse_retry(engine, image, tried[first], first, params), first)
    # Upright first, then upside down (the usual ways a card lies), then sideways.
    for degrees in (0, 180, 90, 270):
        if degrees in tried:
            continue
        tried[degrees] = engine.read(rotate(image, degrees))
        if _is_good(tried[degrees], params) and _clearly_better(tried[degrees], tried[first]):
            break
    preference = list(dict.fromkeys((hint, 0, 180, 90, 270)))
    best = _best_turn(tried, preference)
    if not params.sparse_retry:
        return _with_rotation(_last_resort(engine, image, tried[best], best), best)
    if not _is_good(tried[best], params):
        # Every turn read weakly (a busy or sparse card): the turns' scores say little,
        # so the two best turns are read again in sparse mode and compared with those
        # readings too. A sparse reading of the right turn finds the blocks layout
        # analysis dropped; of a wrong turn, it finds noise.
        ranked = sorted(tried, key=lambda d: (-reading_score(tried[d]), preference.index(d)))
        candidates = dict(tried)
        for degrees in ranked[:2]:
            sparse = engine.read(rotate(image, degrees), sparse=True)
            if reading_score(sparse) > reading_score(candidates[degrees]):
                candidates[degrees] = sparse
        best = _best_turn(candidates, preference)
        return _with_rotation(candidates[best], best)
    return _with_rotation(_sparse_retry(engine, image, tried[best], best, params), best)


def _clearly_better(result: OcrResult, other: OcrResult) -> bool:
    """Whether `result` reads clearly more than `other`: more than a tie apart."""
    score, against = reading_score(result), reading_score(other)
    return score > against * (1 + TIE_SHARE) + TIE_POINTS


def _best_turn(readings: dict[int, OcrResult], preference: list[int]) -> int:
    """The turn whose reading wins; a turn later in `preference` must win clearly."""
    best: int | None = None
    for degrees in preference:
        if degrees not in readings:
            continue
        if best is None or _clearly_better(readings[degrees], readings[best]):
            best = degrees
    assert best is not None
    return best


def _sparse_retry(
    engine: OcrEngine, image: np.ndarray, result: OcrResult, degrees: int, params: OrientParams
) -> OcrResult:
    """Layout analysis sometimes drops whole blocks of a busy card (logos, panels, mixed
    sizes); a sparse reading finds them. It costs one more pass, so only weak readings
    get it, and it is kept only when it reads more confident text."""
    if not params.sparse_retry:
        return _last_resort(engine, image, result, degrees)
    if _is_good(result, params):
        return result
    sparse = engine.read(rotate(image, degrees), sparse=True)
    return sparse if reading_score(sparse) > reading_score(result) else result


def _last_resort(
    engine: OcrEngine, image: np.ndarray, result: OcrResult, degrees: int
) -> OcrResult:
    """With sparse_retry off, a reading with no text at all still gets the sparse one: a
    card must not fail as unreadable for want of a second opinion (measured: without
    this, 3 weakly read cards of the benchmark sets failed)."""
    if result.text.strip():
        return result
    sparse = engine.read(rotate(image, degrees), sparse=True)
    return sparse if sparse.text.strip() else result


def _with_rotation(result: OcrResult, degrees: int) -> OcrResult:
    result.rotation = degrees
    return result
