"""Word spacing of PP-OCR lines: from the gaps in the print (hand-built crops with known
gaps, and a rendered line read by the real engine), then by the spelling rules."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from cardscan.model import Box
from cardscan.ocr.ppocr import RapidOcrEngine, assemble, place_words
from cardscan.ocr.recognised import PpLine
from cardscan.ocr.spacing import Spaced, is_wide, respace, respace_word, space_by_gaps
from tools.cardgen.fonts import font_path

LETTER = 20  # a hand-built letter: a black bar this wide and 40 px tall
STEP = 4  # pixels per CTC column on the hand-built crops


def crop_of(text: str, gaps: list[int]) -> tuple[np.ndarray, list[int], float]:
    """A white crop with one black bar per character of `text` (spaces skipped), the
    bars `gaps[i]` pixels apart, and each character's CTC column at its bar's left."""
    chars = [c for c in text if c != " "]
    assert len(gaps) == len(chars) - 1
    width = 10 + len(chars) * LETTER + sum(gaps) + 10
    crop = np.full((60, width), 255, dtype=np.uint8)
    columns, x = [], 10
    for i in range(len(chars)):
        crop[10:50, x : x + LETTER] = 0
        columns.append(x // STEP)
        x += LETTER + (gaps[i] if i < len(gaps) else 0)
    return crop, columns, width / STEP


def test_a_word_gap_in_the_print_becomes_a_space() -> None:
    # Letters 3 px apart, one gap of 16 px (most of a letter pitch): two words.
    crop, columns, steps = crop_of("DEPARTMENTOF", [3] * 9 + [16] + [3])
    spaced = space_by_gaps("DEPARTMENTOF", columns, steps, crop)
    assert spaced.words == ["DEPARTMENT", "OF"]


def test_widely_tracked_capitals_stay_one_word() -> None:
    # Every gap as wide as a word gap: that is the typeface's tracking, not ten words.
    crop, columns, steps = crop_of("ELECTRICAL", [16] * 9)
    assert space_by_gaps("ELECTRICAL", columns, steps, crop).words == ["ELECTRICAL"]


def test_a_small_last_letter_set_apart_stays_with_its_word() -> None:
    # "Directo r", "co.u k": the line's last small letter a word gap away is the word's.
    crop, columns, steps = crop_of("Director", [3] * 6 + [16])
    assert space_by_gaps("Director", columns, steps, crop).words == ["Director"]
    # Also before a closing stop: "Ld a." is "Lda.".
    crop, columns, steps = crop_of("Lda.", [3, 16, 3])
    assert space_by_gaps("Lda.", columns, steps, crop).words == ["Lda."]
    # A capital or a letter mid-line a word gap away is a word of its own.
    crop, columns, steps = crop_of("SuiteB", [3] * 4 + [16])
    assert space_by_gaps("SuiteB", columns, steps, crop).words == ["Suite", "B"]
    crop, columns, steps = crop_of("planbhere", [3] * 3 + [16, 16] + [3] * 3)
    assert space_by_gaps("planbhere", columns, steps, crop).words == ["plan", "b", "here"]


@pytest.mark.parametrize(
    "text",
    [
        "10117345",  # digits: a "1" stands in a wide cell of white
        "name@acme",  # an email: white around "@" is no word gap
        "株式会社東京",  # Chinese and Japanese are set without spaces
    ],
)
def test_no_space_between_digits_beside_punctuation_or_in_cjk(text: str) -> None:
    gaps = [3] * (len(text) - 1)
    gaps[len(gaps) // 2] = 16
    crop, columns, steps = crop_of(text, gaps)
    assert space_by_gaps(text, columns, steps, crop).words == [text]


def test_the_recognisers_own_spaces_are_kept_and_words_get_their_spans() -> None:
    crop, columns, steps = crop_of("AB CDE", [3, 30, 3, 3])
    spaced = space_by_gaps("AB CDE", columns, steps, crop)
    assert spaced.words == ["AB", "CDE"]
    # "AB" ends where its gap starts, "CDE" starts where it ends (to a CTC column).
    gap_start, gap_end = 10 + 2 * LETTER + 3, 10 + 2 * LETTER + 3 + 30
    assert spaced.spans[0] == (10, gap_start)
    assert spaced.spans[1] == (pytest.approx(gap_end, abs=STEP), crop.shape[1] - 10)


def test_columns_that_do_not_fit_the_text_leave_its_words_as_read() -> None:
    crop, columns, steps = crop_of("ABCD", [3, 16, 3])
    spaced = space_by_gaps("AB CD EF", columns, steps, crop)  # 6 characters, 4 columns
    assert spaced.words == ["AB", "CD", "EF"]
    assert len(spaced.spans) == 3


def test_word_boxes_follow_the_spans_and_the_spelling_rules_split_further() -> None:
    box = Box(100, 50, 400, 40)  # the crop is 200 px wide: 2 card pixels per crop pixel
    spaced = Spaced(["KaltenbachSystemtechnik", "GmbH"], [(0.0, 150.0), (160.0, 200.0)])
    line = place_words(spaced, 200, 90.0, box)
    assert line is not None
    assert [w.text for w in line.words] == ["Kaltenbach", "Systemtechnik", "GmbH"]
    lefts = [w.box.left for w in line.words]
    assert lefts == sorted(lefts)
    assert line.words[0].box.left == 100
    assert line.words[2].box.left == 100 + 2 * 160  # GmbH where its span says
    for word in line.words:
        assert box.left <= word.box.left and word.box.right <= box.right
        assert box.top <= word.box.top and word.box.bottom <= box.bottom


def test_respace_rules_by_word() -> None:
    assert respace_word("AG&") == ["AG", "&"]
    assert respace_word("Co-founder&") == ["Co-founder", "&"]  # a hyphenated word too
    assert respace_word("AT&T") == ["AT&T"]
    assert respace_word("10117Berlin") == ["10117", "Berlin"]
    assert respace("Smith &Jones AG& Co.") == "Smith & Jones AG & Co."
    assert is_wide("東") and is_wide("한") and not is_wide("A")


def _rendered_line(words: list[str], gap_em: float) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A clean, large rendering of words on one line, `gap_em` letter heights apart;
    the x-range of each word as drawn."""
    font = ImageFont.truetype(str(font_path("dejavu-sans-bold")), 56)
    image = Image.new("RGB", (1900, 260), "white")
    draw = ImageDraw.Draw(image)
    x, ranges = 60, []
    for word in words:
        left, _, right, _ = draw.textbbox((x, 100), word, font=font)
        draw.text((x, 100), word, fill="black", font=font)
        ranges.append((left, right))
        x = right + round(gap_em * 56)
    return np.asarray(image), ranges


def test_a_rendered_line_is_read_in_its_printed_words_with_boxes_over_them() -> None:
    # A word gap of a whole letter height: a margin no reading can take for a letter gap.
    image, ranges = _rendered_line(["NORTHWIND", "LOGISTICS", "GROUP"], 1.0)
    result = RapidOcrEngine().read(image)
    [line] = result.lines
    assert line.text == "NORTHWIND LOGISTICS GROUP"
    for word, (left, right) in zip(line.words, ranges, strict=True):
        middle = word.box.left + word.box.width / 2
        assert left < middle < right, (word.text, word.box, (left, right))


def test_pieces_of_one_row_are_joined_by_their_detected_boxes_not_their_print() -> None:
    # PP-OCR found one printed line as two boxes 20 px apart; their print stands well
    # inside the boxes (the detector pads each), so the words are much further apart
    # than the boxes. Rows are joined as the detector saw them.
    def found(text: str, left: int) -> PpLine:
        crop, columns, steps = crop_of(text, [3] * (len(text) - 1))
        padded = np.full((60, crop.shape[1] + 120), 255, dtype=np.uint8)
        padded[:, 60 : 60 + crop.shape[1]] = crop
        box = Box(left, 100, padded.shape[1], 60)
        return PpLine(box, text, 0.99, [c + 60 // STEP for c in columns], steps + 30, padded)

    first = found("NORTH", 100)
    second = found("WINDS", first.box.right + 20)
    result = assemble([first, second], np.full((400, 1200), 255, np.uint8), 10.0, "rapidocr")
    assert [line.text for line in result.lines] == ["NORTH WINDS"]
    north, winds = result.lines[0].words
    assert winds.box.left - north.box.right > 100  # the print's own gap: wider than a join
