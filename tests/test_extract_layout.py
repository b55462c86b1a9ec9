"""Segmentation: gaps and separators split lines; spans map matches back to words."""

from __future__ import annotations

from cardscan.extract.layout import Joined, above, below, score, segment
from cardscan.extract.synth import from_text, make_ocr
from cardscan.model import Box, OcrLine, OcrResult, OcrWord
from cardscan.words import fold, tokens


def _texts(lines: list) -> list[str]:
    return [s.text for s in segment(make_ocr(lines))]


def test_large_gap_splits_merged_columns() -> None:
    assert _texts(["Jane Doe   T +1 415 555 0132"]) == ["Jane Doe", "T +1 415 555 0132"]


def test_normal_word_spacing_keeps_one_segment() -> None:
    assert _texts(["Chief Technology Officer"]) == ["Chief Technology Officer"]


def test_gap_threshold_scales_with_line_height() -> None:
    # 60 px gap: wide for 10 px text, normal for 40 px text.
    def line(h: int) -> OcrLine:
        return OcrLine([OcrWord("a", 90, Box(0, 0, 10, h)), OcrWord("b", 90, Box(70, 0, 10, h))])

    small = segment(OcrResult([line(10)], 100, 100))
    big = segment(OcrResult([line(40)], 100, 100))
    assert len(small) == 2
    assert len(big) == 1


def test_separator_words_split_and_disappear() -> None:
    assert _texts(["Tel 030 1234567 | Fax 030 1234568"]) == ["Tel 030 1234567", "Fax 030 1234568"]
    assert _texts(["Hauptstr. 5 · 10115 Berlin"]) == ["Hauptstr. 5", "10115 Berlin"]


def test_a_contact_label_after_other_text_starts_a_segment() -> None:
    assert _texts(["Ho Chi Minh City, VIETNAM. Tel: +84 8 3910 5103"]) == [
        "Ho Chi Minh City, VIETNAM.",
        "Tel: +84 8 3910 5103",
    ]
    assert _texts(["NAGOYA, AICHI, 460-0003, JAPAN F A X: 81-52-204-2612"]) == [
        "NAGOYA, AICHI, 460-0003, JAPAN",
        "F A X: 81-52-204-2612",
    ]
    assert _texts(["Mobile: +84 903 737 755 E-mail: hung@example.vn"]) == [
        "Mobile: +84 903 737 755",
        "E-mail: hung@example.vn",
    ]
    # Without its colon a word is no label ("Tel Aviv", "Cell Biology").
    assert _texts(["Rothschild Blvd 1, Tel Aviv"]) == ["Rothschild Blvd 1, Tel Aviv"]
    assert _texts(["Tel: +1 415 555 0132"]) == ["Tel: +1 415 555 0132"]


def test_pipe_inside_word_is_not_a_separator() -> None:
    assert _texts(["A|ice Smith"]) == ["A|ice Smith"]


def test_segments_know_line_column_and_reading_order() -> None:
    segs = segment(make_ocr(["Jane Doe   jane@acme.com", "CEO   +1 415 555 0132"]))
    assert [(s.line_no, s.col, s.index) for s in segs] == [
        (0, 0, 0),
        (0, 1, 1),
        (1, 0, 2),
        (1, 1, 3),
    ]
    assert below(segs[0], segs) is segs[2]
    assert above(segs[3], segs) is segs[1]
    assert below(segs[2], segs) is None


def test_empty_lines_are_skipped() -> None:
    ocr = OcrResult([OcrLine([OcrWord("  ", 50, Box(0, 0, 5, 5))])], 10, 10)
    assert segment(ocr) == []


def test_joined_maps_spans_back_to_words_and_glues_plus() -> None:
    words = [OcrWord(t, 80, Box(i * 10, 0, 8, 10)) for i, t in enumerate(["T", "+", "44", "20"])]
    j = Joined.build(words)
    assert j.text == "T +44 20"
    assert [w.text for w in j.words_in(2, 5)] == ["+", "44"]


def test_fold_and_tokens_ignore_case_accents_and_punctuation() -> None:
    assert fold("Tél. MÓVIL") == "tel. movil"
    # Hangul syllables and voiced kana stay whole letters (NFKD takes them apart).
    assert fold("서영주") == "서영주"
    assert fold("ガス") == "ガス"
    # Letters without a decomposition fold to their base letter too.
    assert fold("Yılmaz Właściciel Søren Đorđe") == "yilmaz wlasciciel soren dorde"
    assert tokens("Tel./Fax: 030") == ["tel", "fax"]


def test_score_scales_rule_by_ocr_confidence() -> None:
    hi = [OcrWord("x", 100, Box(0, 0, 1, 1))]
    lo = [OcrWord("x", 0, Box(0, 0, 1, 1))]
    assert score(0.9, hi) == 0.9
    assert score(0.9, lo) == round(0.9 * 0.6, 3)
    assert score(2.0, hi) == 1.0


def test_synth_from_text_one_line_per_text_line() -> None:
    ocr = from_text("Jane Doe\n\nCEO")
    assert [line.text for line in ocr.lines] == ["Jane Doe", "CEO"]
    assert ocr.lines[0].height == 20
