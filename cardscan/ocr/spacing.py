"""Where the words of a PP-OCR line begin and end: spaces from the gaps in the print.

PP-OCR's recogniser reads a line as one string and drops some spaces between words
("NORTHWINDLOGISTICS", "Departmentof", "E-mailname@…"). Two things put them back:

- `space_by_gaps`: the recogniser says where on the line it read each character (the
  CTC column of each character, `return_word_box` in rapidocr). Between two characters
  read without a space, the print is looked at: the widest run of ink-free pixel columns
  between them, against the line's own letter pitch (the median distance between
  characters) and its usual gap between letters. A word gap is about half a letter
  pitch and several times the gap between letters; a letter gap rarely a third of the
  pitch (measured on the real and generated cards: README, "Word spacing and Korean
  lines"). Being relative to the line, widely tracked capitals ("E L E C T R I C A L")
  stay one word. Digits stay together (a "1" stands alone in its wide cell: "12A" is
  not "1 2A"), and so do characters beside punctuation (emails, web addresses,
  "Co.,Ltd"), and Chinese, Japanese and Korean characters, which are set without spaces.
- `respace`: rules for what the print may not show, such as a capital after three
  lower-case letters ("KaltenbachSystemtechnik"), kept from before, applied after.

The same columns give each word its place on the line (`Spaced.spans`), so word boxes
(the review page's evidence, the layout's columns) follow the words as spaced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

# A space goes in where the gap between two characters is at least this share of the
# line's letter pitch and this many times its usual gap between letters; beside a narrow
# glyph, which stands in a wide cell of white, the gap must be wider.
GAP_PITCH = 0.45
GAP_NARROW_PITCH = 0.7
GAP_BOTH_NARROW_PITCH = 1.0  # "ll", "il"
GAP_TIMES_USUAL = 2.5
_MIN_PAIRS = 3  # fewer characters than this on a line: too little to know its pitch
_NARROW = frozenset("1lIij!|")
_CLOSING = frozenset(".,;:)")  # what may follow a line's last letter
# Characters of emails, web addresses, numbers and legal forms: no space is put beside
# them from gaps alone (a "." or "@" leaves white around it that is not a word gap).
_NO_SPLIT = frozenset(".@/_-'’,:;()[]{}<>\"&+#*=~%·")


def is_wide(char: str) -> bool:
    """A character of Chinese, Japanese or Korean print (set without spaces between
    words): CJK ideographs, kana, Hangul, CJK and full-width punctuation."""
    code = ord(char)
    return (
        0x1100 <= code <= 0x11FF  # Hangul jamo
        or 0x2E80 <= code <= 0x9FFF  # CJK radicals, punctuation, kana, ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
    )


@dataclass(frozen=True)
class Spaced:
    """A line's words as spaced, each with its left and right edge in crop pixels."""

    words: list[str]
    spans: list[tuple[float, float]]


def ink_columns(crop: np.ndarray) -> np.ndarray:
    """Per pixel column of a line's crop (grayscale), whether the print has ink there.

    Otsu's threshold splits print from paper; the paper is what the crop's top and
    bottom rows mostly show (the detector's box has a margin around the print), so
    light text on a dark band is print too. Only the rows that hold the letters' bodies
    count, so a descender or an accent does not close a word gap."""
    _, binary = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = binary == 0
    if np.concatenate((ink[0], ink[-1])).mean() > 0.5:
        ink = ~ink
    rows = ink.sum(axis=1)
    if not rows.any():
        return np.zeros(crop.shape[1], dtype=bool)
    body = np.flatnonzero(rows > 0.2 * rows.max())
    return np.asarray(ink[body[0] : body[-1] + 1].any(axis=0))


def _widest_blank(ink: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """The widest run of ink-free columns in [start, end): (its start, its length)."""
    best = (start, 0)
    run_start = None
    for x in range(start, end):
        if not ink[x]:
            if run_start is None:
                run_start = x
            if x + 1 - run_start > best[1]:
                best = (run_start, x + 1 - run_start)
        else:
            run_start = None
    return best


def space_by_gaps(text: str, columns: Sequence[int], steps: float, crop: np.ndarray) -> Spaced:
    """The line's words, with a space wherever the print shows a word gap.

    `columns`: the recogniser's CTC column for each character of `text` that is not a
    space, in order; `steps`: how many columns the crop's width spans. The recogniser's
    own spaces are kept. When the columns do not fit the text (another recogniser), the
    text's own words come back, spread over the crop by character count.
    """
    chars = [c for c in text if not c.isspace()]
    width = crop.shape[1] if crop.ndim >= 2 else 0
    if not chars or len(chars) != len(columns) or steps <= 0 or width == 0:
        return _by_count(text.split(), float(width))
    spaced = _spaces_before(text)
    scale = width / steps
    xs = [min(width, max(0, round((c + 0.5) * scale))) for c in columns]
    ink = ink_columns(crop)
    gaps = [_widest_blank(ink, xs[i], xs[i + 1]) for i in range(len(chars) - 1)]
    pitches = [
        xs[i + 1] - xs[i]
        for i in range(len(chars) - 1)
        if not spaced[i + 1] and not is_wide(chars[i]) and not is_wide(chars[i + 1])
    ]
    if len(pitches) >= _MIN_PAIRS:
        pitch = float(np.median(pitches))
        usual = float(np.median([g[1] for i, g in enumerate(gaps) if not spaced[i + 1]]))
        floor = max(usual, 1.0, 0.08 * pitch)
        # The line's last letter, before any closing stop or comma ("Ld a." is "Lda.").
        last = len(chars) - 2
        while last > 0 and chars[last + 1] in _CLOSING:
            last -= 1
        for i, (_, run) in enumerate(gaps):
            a, b = chars[i], chars[i + 1]
            if spaced[i + 1] or not _may_split(a, b):
                continue
            if i == last and a.islower() and b.islower():
                # A lone small letter at the line's end is the word's last letter set a
                # little apart ("Managing Directo r", "co.u k", "Ld a."), not a word of
                # its own.
                continue
            narrow = (a in _NARROW) + (b in _NARROW)
            share = (GAP_PITCH, GAP_NARROW_PITCH, GAP_BOTH_NARROW_PITCH)[narrow]
            if run >= share * pitch and run >= GAP_TIMES_USUAL * floor:
                spaced[i + 1] = True
    return _words(chars, spaced, gaps, xs, ink)


def _spaces_before(text: str) -> list[bool]:
    """For each non-space character of text, whether a space stands before it."""
    out: list[bool] = []
    pending = False
    for char in text:
        if char.isspace():
            pending = True
            continue
        out.append(pending and bool(out))
        pending = False
    return out


def _may_split(a: str, b: str) -> bool:
    if a == "," and b.isalnum() and not is_wide(b):
        return True  # "Professor,Department": print sets a space after a comma
    if is_wide(a) or is_wide(b) or a in _NO_SPLIT or b in _NO_SPLIT:
        return False
    return not (a.isdigit() and b.isdigit())


def _words(
    chars: list[str],
    spaced: list[bool],
    gaps: list[tuple[int, int]],
    xs: list[int],
    ink: np.ndarray,
) -> Spaced:
    """Words and their spans: a word ends where the gap after it starts (where no
    blank column was found, half way between the two characters)."""
    inked = np.flatnonzero(ink)
    left = float(inked[0]) if inked.size else 0.0
    right = float(inked[-1] + 1) if inked.size else float(len(ink))
    words: list[str] = []
    spans: list[tuple[float, float]] = []
    current = chars[0]
    start = left
    for i in range(1, len(chars)):
        if spaced[i]:
            gap_start, run = gaps[i - 1]
            if run:
                end, after = float(gap_start), float(gap_start + run)
            else:
                end = after = (xs[i - 1] + xs[i]) / 2
            words.append(current)
            spans.append((start, max(start + 1.0, end)))
            current, start = chars[i], after
        else:
            current += chars[i]
    words.append(current)
    spans.append((start, max(start + 1.0, right)))
    return Spaced(words, spans)


def _by_count(words: list[str], width: float) -> Spaced:
    total = sum(len(w) for w in words) + len(words) - 1
    per_char = width / max(total, 1)
    spans, x = [], 0.0
    for word in words:
        spans.append((x, x + len(word) * per_char))
        x += (len(word) + 1) * per_char
    return Spaced(words, spans)


_NO_RESPACE = re.compile(r"[@/]|\w\.\w")  # emails, web addresses, handles: left as read
_CAMEL = re.compile(r"(?<=[a-zà-ÿ]{3})(?=[A-ZÀ-Þ][a-zà-ÿ]{2})")
_DIGITS_WORD = re.compile(r"(?<=\d{2})(?=[A-ZÀ-Þ][a-zà-ÿ]{2})")
_WORD_DIGITS = re.compile(r"(?<=[A-Za-zà-ÿ]{4})(?=\d)")
_SOCIAL_LABEL = re.compile(r"^(IG|FB|TW|LI|X|Insta|Instagram|Twitter|Facebook)(?=@[a-z0-9_.]+$)")
_AMPERSAND = re.compile(r"^(\w[\w.'’-]*)&$|^&(\w[\w.'’-]*)$")


def respace_word(token: str) -> list[str]:
    """One word as read, split where the spelling makes a dropped space certain."""
    token = _SOCIAL_LABEL.sub(r"\1 ", token)  # "IG@handle": a badge, then a handle
    token = _AMPERSAND.sub(lambda m: f"{m[1]} &" if m[1] else f"& {m[2]}", token)  # "AG&"
    if not _NO_RESPACE.search(token):
        token = _CAMEL.sub(" ", token)
        token = _DIGITS_WORD.sub(" ", token)
        token = _WORD_DIGITS.sub(" ", token)
    return token.split()


def respace(text: str) -> str:
    """Put back spaces PP-OCR's recogniser tends to drop between words.

    "KaltenbachSystemtechnik" -> "Kaltenbach Systemtechnik" (a capital after three
    lower-case letters), "10117Berlin" -> "10117 Berlin", "Suite1800" -> "Suite 1800",
    "AG& Co." -> "AG & Co.", "IG@studio" -> "IG @studio". Emails, web addresses and
    handles are left alone, and so are short prefixes and endings ("McDonald",
    "MacDonald", "LinkedIn", "YouTube", "E4th", "V6B"); a brand like "PowerPoint" being
    split is the known cost.
    """
    return " ".join(part for token in text.split() for part in respace_word(token))
