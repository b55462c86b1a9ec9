"""Korean (Hangul) lines, read by Tesseract's Korean data where PP-OCR cannot read them.

The recogniser in the rapidocr wheel (PP-OCRv6 small) has no Hangul in its dictionary:
a Korean line comes back empty, below RapidOCR's score cut, or as stray Latin letters,
brackets and Chinese characters read with little confidence. No package on PyPI ships
a Korean PP-OCR recogniser inside it (the Korean models are fetched from a model hub at
run time, which cardscan never does), while Debian ships Tesseract's Korean data
(`tesseract-ocr-kor`), which reads a clean line crop well. So PP-OCR still finds every
line, and the lines that look Korean (`looks_korean`, a cheap test on PP-OCR's own
reading) are cut out, stacked on one page and read by Tesseract with `kor` in one call
per card; a reading is taken only when it is mostly Hangul (`is_korean_reading`).
Cards without such lines cost nothing more.

Without the Korean data, every other line reads as before, and the card carries a note
saying what to install (`KOREAN_FIX`): see cardscan.ocr.ppocr.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np

from cardscan.errors import CardscanError
from cardscan.model import OcrLine, OcrWord
from cardscan.ocr.recognised import PpLine
from cardscan.ocr.strips import stack, unstack
from cardscan.ocr.tesseract import TesseractEngine, installed_languages, language_package

KOREAN = "kor"
KOREAN_FIX = f"install Tesseract's Korean data: sudo apt-get install {language_package(KOREAN)}"

# A line PP-OCR read is Korean-looking when it holds few characters for its length (a
# Hangul syllable is a square, one letter height wide, and the recogniser reads each as
# nothing or as one stray mark), or Chinese characters read with little confidence.
SPARSE_PER_HEIGHT = 0.8  # characters per line height (Latin print holds about 2)
WEAK_WIDE_SCORE = 0.93  # Chinese or Japanese read below this score may be Hangul
MIN_HEIGHT_PX = 10
SURE_SCORE = 0.95  # a Latin line read this surely is what it says
HAN_PER_HEIGHT = 0.55
# Tesseract's reading is taken when most of its letters are Hangul, read with at least
# this mean confidence (Tesseract's 0-100).
MIN_HANGUL_SHARE = 0.5
# Tesseract's Korean model reads a Hangul syllable right from about 60 px high (at the
# hybrid engine's 30 px it takes "김민준" for "긴미 ㅁㄴ 주"): lines are stacked this high.
KOREAN_LINE_PX = 96
MIN_CONF = 50.0
MIN_WORD_CONF = 20.0  # a word Tesseract reads below this is its noise

_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_JAMO = re.compile(r"[\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_LETTER = re.compile(r"[^\W\d_]")
_SYLLABLE = re.compile(r"^[\uac00-\ud7a3]$")
_PIECE = re.compile(r"^(?=.)[(\[]?[\uac00-\ud7a3]?[)\]]?$")  # a syllable, a bracket, or both
# Tesseract's usual misreading of "(주)" (주식회사, the company's legal form) as "(쥐".
_JU = re.compile(r"\(쥐(?=[\uac00-\ud7a3]|$)")


# Without the Korean data, a card is said to hold unread Korean when this many of its
# lines look Korean: a Korean card prints several (name, company, title, address), while
# a Latin card may have one odd line (a logo read as nothing).
MIN_UNREAD_LINES = 2


def unread_note(cards: int) -> str | None:
    """The one note for a run that met cards with Korean lines it could not read."""
    if not cards:
        return None
    which = "1 card holds" if cards == 1 else f"{cards} cards hold"
    return (
        f"{which} lines that look Korean (Hangul), which were not read: {KOREAN_FIX}, "
        "then read them again."
    )


@functools.cache
def korean_installed() -> bool:
    """Whether Tesseract has its Korean data (asked once per process)."""
    try:
        return KOREAN in installed_languages()
    except CardscanError:
        return False


def hangul_share(text: str) -> float:
    """The share of the letters in text that are Hangul."""
    letters = _LETTER.findall(text)
    return len(_HANGUL.findall(text)) / len(letters) if letters else 0.0


def looks_korean(line: PpLine) -> bool:
    """Whether PP-OCR's reading of a line is what its recogniser makes of Hangul.

    A line it could not read (empty, or below RapidOCR's score cut) that is shaped like
    print; a line holding few characters for its length; or Chinese characters read
    with little confidence. Latin lines read well, and Chinese or Japanese lines read
    with confidence, are none of these, so a card without Korean costs nothing more.
    Kana is Japanese: a line holding it is not Korean.
    """
    box = line.box
    if box.height < MIN_HEIGHT_PX or box.width < box.height:
        return False
    if not line.kept:
        return True
    text = line.text.replace(" ", "")
    if _KANA.search(text):
        return False
    per_height = len(text) * box.height / box.width
    if _HAN.search(text):
        # Chinese and Japanese print holds about one character per line height (real
        # cards: 0.7 and up); a Hangul line read as Chinese holds fewer, or is weak.
        return per_height < HAN_PER_HEIGHT or line.score < WEAK_WIDE_SCORE
    return line.score < SURE_SCORE and per_height < SPARSE_PER_HEIGHT


def is_korean_reading(words: Sequence[OcrWord]) -> bool:
    """Whether Tesseract's reading of a line is Korean, and read with confidence."""
    text = "".join(w.text for w in words)
    hangul = len(_HANGUL.findall(text))
    if not hangul or hangul_share(text) < MIN_HANGUL_SHARE:
        return False
    weight = sum(len(w.text) for w in words)
    return sum(w.conf * len(w.text) for w in words) / weight >= MIN_CONF


def read_korean(gray: np.ndarray, lines: Sequence[PpLine], timeout: float) -> dict[int, OcrLine]:
    """Tesseract's Korean reading of each of `lines` that reads as Korean, by index.

    One Tesseract call reads them all (cardscan.ocr.strips). Raises TesseractMissingError,
    LanguageMissingError or OcrError as the Tesseract engine does.
    """
    if not lines:
        return {}
    page, strips = stack(gray, [line.box for line in lines], KOREAN_LINE_PX)
    reading = TesseractEngine((KOREAN,), psm=6, timeout=timeout).read(page, reading_order=True)
    out = {}
    # In Tesseract's reading order: its boxes of Hangul words overlap ("테크놀로지" may
    # start left of the syllable before it), so left to right would shuffle them.
    for index, found in unstack(reading, strips, by_left=False).items():
        words = _without_noise(found)
        if words and is_korean_reading(words):
            out[index] = OcrLine(join_syllables(words))
    return out


def _without_noise(words: list[OcrWord]) -> list[OcrWord]:
    """Tesseract's Korean reading without its noise: a lone jamo ("ㅎ" over "한") is
    never a word of print; a word read with no confidence, or lying inside a word read
    with more, is a fragment of a syllable read twice."""
    kept = []
    for word in words:
        if _JAMO.fullmatch(word.text) or word.conf < MIN_WORD_CONF:
            continue
        inside = any(
            other.conf > word.conf and _overlap(word, other) >= 0.6 * word.box.width
            for other in words
            if other is not word
        )
        if not inside:
            kept.append(word)
    return kept


def _overlap(a: OcrWord, b: OcrWord) -> int:
    return max(0, min(a.box.right, b.box.right) - max(a.box.left, b.box.left))


def join_syllables(words: Sequence[OcrWord]) -> list[OcrWord]:
    """Tesseract's Korean words with the syllables it split apart put back together.

    Tesseract's `kor` data splits letter-spaced Hangul into one word per syllable ("곽 대
    원" for a name printed with wide tracking, "( 주 ) 한 국" for a company): Korean names
    and company names are written without spaces, and a word of one syllable is rare, so
    a run of single syllables (and brackets) is one word. A syllable after a number is
    its unit ("7 층" -> "7층", "507 호" -> "507호").
    """
    out: list[OcrWord] = []
    in_run = False  # whether out[-1] is made of single syllables and brackets only
    for word in words:
        text = _JU.sub("(주)", word.text)
        piece = bool(_PIECE.match(text))
        joins = bool(out) and (
            (piece and in_run) or (bool(_SYLLABLE.match(text)) and out[-1].text[-1:].isdigit())
        )
        if joins:
            last = out.pop()
            joined = _JU.sub("(주)", last.text + text)
            out.append(OcrWord(joined, min(last.conf, word.conf), last.box.union(word.box)))
        else:
            out.append(OcrWord(text, word.conf, word.box))
            in_run = piece
    return out
