"""The PP-OCR engines (rapidocr: the default; hybrid; combined) on real photos, and
their failure paths. rapidocr is a dependency, so these always run."""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import SAMPLES

from cardscan.cleanup import cleanup, rotate
from cardscan.config import load_pipeline
from cardscan.errors import EngineMissingError, ExitCode, OcrError
from cardscan.load import load_photo
from cardscan.model import Box, OcrLine
from cardscan.ocr import ENGINES, lineturn, make_engine, ppocr, read_upright
from cardscan.ocr.ppocr import (
    CombinedEngine,
    HybridEngine,
    join_rows,
    merge_rows,
    respace,
    split_line,
)
from cardscan.pipeline import CardJob, process_card

EMAIL = "marcus.whitfield@northwindlogistics.com"


@pytest.fixture(scope="module")
def upright_card() -> np.ndarray:
    return cleanup(load_photo(SAMPLES / "us-classic-wood.jpg").pixels).image


@pytest.mark.parametrize("name", ["rapidocr", "hybrid"])
def test_each_ppocr_engine_reads_the_card(upright_card: np.ndarray, name: str) -> None:
    engine = make_engine(name)
    engine.check()
    result = engine.read(upright_card)
    assert result.engine == name
    assert EMAIL in result.text.lower().replace(" ", "")
    for line in result.lines:
        for word in line.words:
            assert 0 <= word.box.left < result.width and 0 <= word.box.top < result.height


def test_hybrid_keeps_tesseracts_word_spacing_and_label_rows(upright_card: np.ndarray) -> None:
    result = HybridEngine().read(upright_card)
    lines = [line.text for line in result.lines]
    assert "Director of Operations" in lines
    # The "T" label and its number were detected apart but are read as one line.
    assert any(line.startswith("T ") and "555-0132" in line for line in lines)
    # Lines come back top to bottom, in card coordinates.
    tops = [line.box.top for line in result.lines]
    assert tops == sorted(tops)


def test_rapidocr_asks_tesseract_for_the_second_opinion(upright_card: np.ndarray) -> None:
    engine = make_engine("rapidocr")
    assert engine.read(upright_card).engine == "rapidocr"
    assert engine.read(upright_card, sparse=True).engine == "tesseract"


def test_combined_engine_reads_with_tesseract_and_falls_back_to_ppocr_lines(
    upright_card: np.ndarray,
) -> None:
    engine = CombinedEngine()
    assert engine.read(upright_card).engine == "tesseract"
    assert engine.read(upright_card, sparse=True).engine == "combined"


def test_a_pipeline_can_choose_the_engine_and_the_card_comes_out_whole(tmp_path: Path) -> None:
    toml = tmp_path / "pp.toml"
    toml.write_text('name = "pp"\n[ocr]\nengine = "hybrid"\n', encoding="utf-8")
    pipeline = load_pipeline(str(toml))
    result = process_card(CardJob(str(SAMPLES / "us-classic-wood.jpg"), pipeline, "US"))
    assert EMAIL in result.contact.emails
    assert result.contact.name == "Marcus J. Whitfield"


def test_turned_card_is_read_upright_with_tesseracts_orientation(
    upright_card: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lines' evidence left out: Tesseract's OSD decides, as for an unclear card.
    monkeypatch.setattr(lineturn.LineEvidence, "turn", property(lambda self: None))
    turned = np.ascontiguousarray(np.rot90(upright_card))  # 90 degrees counter-clockwise
    result = read_upright(HybridEngine(), turned)
    assert result.rotation == 90
    assert EMAIL in result.text


class _Osd:
    """Tesseract's orientation check, counted (and answering 0 with full confidence)."""

    def __init__(self) -> None:
        self.asked = 0

    def __call__(self, image: np.ndarray) -> tuple[int, float]:
        self.asked += 1
        return 0, 15.0


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_the_lines_say_which_way_up_the_card_lies_without_tesseract(
    upright_card: np.ndarray, degrees: int
) -> None:
    engine = make_engine("rapidocr")
    osd = _Osd()
    engine.tesseract.orientation = osd  # type: ignore[attr-defined]
    turned = rotate(upright_card, degrees)
    # Turned clockwise by `degrees`, the card turns back by the rest of the circle.
    assert engine.orientation(turned) == ((360 - degrees) % 360, lineturn.CONFIDENCE)
    result = read_upright(engine, turned)
    assert osd.asked == 0
    assert result.rotation == (360 - degrees) % 360
    assert EMAIL in result.text.lower().replace(" ", "")


def test_a_card_read_as_it_lies_is_detected_once_and_read_as_afresh(
    upright_card: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine("rapidocr")
    fresh = engine.read(upright_card).text
    calls = []
    detect = ppocr.detect

    def counted(*args: object) -> object:
        calls.append(1)
        return detect(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(ppocr, "detect", counted)
    assert engine.orientation(upright_card) == (0, lineturn.CONFIDENCE)
    assert engine.read(upright_card).text == fresh
    assert len(calls) == 1
    # The kept detection is for that image only, and is used once.
    assert engine.read(upright_card).text == fresh
    assert len(calls) == 2
    engine.orientation(upright_card)
    other = upright_card.copy()
    engine.read(other)
    assert len(calls) == 4


def test_a_card_on_its_side_is_judged_on_a_smaller_copy_and_read_whole(
    upright_card: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A card taller than wide lies on its side (mostly): the orientation check detects
    its lines on a copy ORIENT_SIDE pixels long, and the card, once turned, is detected
    again whole for the reading; a card lying upright is looked at whole."""
    sideways = np.ascontiguousarray(np.rot90(upright_card))  # a quarter turn
    assert sideways.shape[0] > ppocr.PORTRAIT * sideways.shape[1] > ppocr.ORIENT_SIDE
    sizes: list[int] = []
    detect = ppocr.detect

    def counted(rapid: object, image: np.ndarray, bgr: np.ndarray) -> object:
        sizes.append(max(image.shape[:2]))
        return detect(rapid, image, bgr)  # type: ignore[arg-type]

    monkeypatch.setattr(ppocr, "detect", counted)
    engine = make_engine("rapidocr")
    turn = engine.orientation(sideways)
    assert turn is not None and turn[0] == 90
    assert sizes == [ppocr.ORIENT_SIDE]
    assert ppocr._sideways_copy(upright_card) is upright_card  # landscape: whole
    text = read_upright(engine, sideways).text.lower().replace(" ", "")
    assert EMAIL in text


def test_a_card_with_too_few_lines_asks_tesseract() -> None:
    page = np.full((400, 700), 255, np.uint8)
    cv2.putText(page, "Hello", (200, 220), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 0, 4)
    engine = make_engine("rapidocr")
    osd = _Osd()
    engine.tesseract.orientation = osd  # type: ignore[attr-defined]
    assert engine.orientation(page) == (0, 15.0)
    assert osd.asked == 1


def _evidence(
    wide: float, tall: float, lines: int, up: float, down: float
) -> lineturn.LineEvidence:
    return lineturn.LineEvidence(wide, tall, lines, up, down)


def test_line_evidence_answers_only_when_it_is_clear() -> None:
    assert _evidence(1000, 0, 5, 950, 0).turn == 0
    assert _evidence(1000, 50, 5, 10, 900).turn == 180
    assert _evidence(0, 1000, 5, 900, 20).turn == 270
    assert _evidence(30, 1000, 5, 0, 900).turn == 90
    assert _evidence(1000, 0, 2, 950, 0).turn is None  # too few lines
    assert _evidence(600, 400, 5, 950, 0).turn is None  # lines running both ways
    assert _evidence(1000, 0, 5, 600, 400).turn is None  # the classifier split
    assert _evidence(0, 0, 0, 0, 0).turn is None  # nothing found


def test_an_engine_crash_while_judging_orientation_fails_that_card_only(
    monkeypatch: pytest.MonkeyPatch, upright_card: np.ndarray
) -> None:
    engine = make_engine("rapidocr")
    engine._rapid()  # loaded before the crash is put in

    def crashing(*args: object) -> None:
        raise RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION")

    monkeypatch.setattr(ppocr, "line_evidence", crashing)
    with pytest.raises(OcrError, match="rapidocr failed"):
        engine.orientation(upright_card)


def test_missing_extra_is_a_clear_error_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch, upright_card: np.ndarray
) -> None:
    ppocr._rapid.cache_clear()
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # import fails as if not installed
    try:
        with pytest.raises(EngineMissingError) as caught:
            HybridEngine().check()
        assert caught.value.exit_code == ExitCode.ENGINE_MISSING
        assert "--pipeline tesseract" in str(caught.value)
        assert "pip install 'rapidocr" in str(caught.value)
        with pytest.raises(EngineMissingError):
            make_engine("rapidocr").read(upright_card)
    finally:
        ppocr._rapid.cache_clear()


def test_a_model_that_does_not_load_stops_the_run_before_any_card(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rapidocr import RapidOCR

    def damaged(self: object) -> None:
        raise RuntimeError("[ONNXRuntimeError] : 7 : INVALID_PROTOBUF : Load model failed")

    ppocr._rapid.cache_clear()
    monkeypatch.setattr(RapidOCR, "_load_rec_model", damaged)
    try:
        with pytest.raises(EngineMissingError, match="cannot load its PP-OCR models"):
            make_engine("rapidocr").check()
    finally:
        ppocr._rapid.cache_clear()


def test_an_engine_crash_fails_that_card_only(
    monkeypatch: pytest.MonkeyPatch, upright_card: np.ndarray
) -> None:
    class Crashing:
        def __call__(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION")

    monkeypatch.setattr(ppocr, "_rapid", lambda threads, detect_side: Crashing())
    with pytest.raises(OcrError, match="rapidocr failed"):
        HybridEngine().read(upright_card)


def test_engines_are_registered_under_their_pipeline_names() -> None:
    assert {"tesseract", "rapidocr", "hybrid", "combined"} <= set(ENGINES)


def test_pieces_of_one_printed_line_join_but_columns_stay_apart() -> None:
    label = Box(100, 500, 20, 30)
    number = Box(140, 498, 300, 34)  # a gap under one letter height: the same line
    right_column = Box(900, 500, 300, 32)  # far away on the same row
    below = Box(100, 560, 300, 30)
    rows = merge_rows([number, below, right_column, label])
    assert Box(100, 498, 340, 34) in rows
    assert right_column in rows and below in rows
    assert len(rows) == 3


def test_a_label_in_its_own_column_joins_its_value_but_a_lone_word_does_not() -> None:
    def line(text: str, left: int, top: int, width: int) -> OcrLine:
        found = split_line(text, 95.0, Box(left, top, width, 40))
        assert found is not None
        return found

    tel, number = line("Tel", 120, 550, 90), line("045 777 9398", 320, 549, 330)
    title, website = line("Partner", 120, 700, 200), line("www.acme.it", 420, 700, 330)
    rows = [r.text for r in join_rows([number, website, title, tel])]
    assert rows == ["Tel 045 777 9398", "Partner", "www.acme.it"]


def test_a_line_read_as_one_string_gets_word_boxes_inside_it() -> None:
    box = Box(10, 20, 220, 30)
    line = split_line("Senior Project Engineer", 90.0, box)
    assert line is not None
    assert [w.text for w in line.words] == ["Senior", "Project", "Engineer"]
    lefts = [w.box.left for w in line.words]
    assert lefts == sorted(lefts)
    assert line.words[0].box.left == 10
    assert line.words[-1].box.right <= box.right + 1
    assert split_line("   ", 90.0, box) is None


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("KaltenbachSystemtechnik GmbH", "Kaltenbach Systemtechnik GmbH"),
        ("10117Berlin", "10117 Berlin"),
        ("Suite1800, Seattle", "Suite 1800, Seattle"),
        ("Hänel Krebs AG& Co. OHG", "Hänel Krebs AG & Co. OHG"),
        ("IG@marisolvega.studio", "IG @marisolvega.studio"),
        # Left as read: emails, web addresses, short prefixes, postcodes, ordinals.
        ("info@KaltenBach.de", "info@KaltenBach.de"),
        ("www.NorthWind.com", "www.NorthWind.com"),
        ("McDonald MacDonald LinkedIn", "McDonald MacDonald LinkedIn"),
        ("500 E4th St, 2nd Floor", "500 E4th St, 2nd Floor"),
        ("London EC2A 3NH", "London EC2A 3NH"),
        ("+49 30 23125-412", "+49 30 23125-412"),
    ],
)
def test_dropped_spaces_are_put_back_where_the_print_makes_them_certain(
    read: str, meant: str
) -> None:
    assert respace(read) == meant
