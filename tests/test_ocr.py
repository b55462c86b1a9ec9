"""The OCR stage on real Tesseract: words with boxes, orientation, and its failures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytesseract
import pytest
from conftest import SAMPLES

from cardscan.cleanup import cleanup, rotate
from cardscan.errors import ExitCode, LanguageMissingError, OcrError, TesseractMissingError
from cardscan.load import load_photo
from cardscan.model import Box, OcrLine, OcrResult, OcrWord
from cardscan.ocr import OcrEngine, OrientParams, read_upright, reading_score
from cardscan.ocr import tesseract as tess
from cardscan.ocr.tesseract import TesseractEngine, language_package

EMAIL = "marcus.whitfield@northwindlogistics.com"


@pytest.fixture(scope="module")
def upright_card() -> np.ndarray:
    return cleanup(load_photo(SAMPLES / "us-classic-wood.jpg").pixels).image


def test_words_come_with_boxes_confidences_and_lines(upright_card: np.ndarray) -> None:
    result = TesseractEngine().read(upright_card)
    assert EMAIL in result.text
    email_line = next(line for line in result.lines if EMAIL in line.text)
    word = email_line.words[0]
    assert 0 <= word.conf <= 100 and word.conf > 60
    assert 0 <= word.box.left < result.width and 0 <= word.box.top < result.height
    # Lines come top to bottom: the name is above the email.
    name_line = next(i for i, line in enumerate(result.lines) if "Whitfield" in line.text)
    assert name_line < result.lines.index(email_line)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_card_is_read_upright(upright_card: np.ndarray, turn: int) -> None:
    result = read_upright(TesseractEngine(), rotate(upright_card, turn))
    assert (turn + result.rotation) % 360 == 0
    assert EMAIL in result.text


@pytest.mark.parametrize("colour", [False, True])
def test_tesseract_reads_the_same_from_the_uncompressed_page(
    upright_card: np.ndarray, colour: bool
) -> None:
    # The page goes to Tesseract as PNM instead of pytesseract's PNG (no compression):
    # the same pixels, so the same words, boxes and confidences, for grey and colour.
    from PIL import Image

    part = upright_card[: upright_card.shape[0] // 2]
    if colour:
        part = np.dstack([part, part, part])
    png = pytesseract.image_to_data(Image.fromarray(part), config="--oem 1 --psm 6")
    assert tess._page(part).format == "PPM"
    assert pytesseract.image_to_data(tess._page(part), config="--oem 1 --psm 6") == png
    assert "Whitfield" in png


def test_osd_reports_the_clockwise_turn_that_makes_it_upright(upright_card: np.ndarray) -> None:
    guess = TesseractEngine().orientation(rotate(upright_card, 90))
    assert guess is not None and guess[0] == 270


def test_reading_score_prefers_the_upright_reading(upright_card: np.ndarray) -> None:
    engine = TesseractEngine()
    upright = reading_score(engine.read(upright_card))
    upside_down = reading_score(engine.read(rotate(upright_card, 180)))
    assert upright > 2 * upside_down


def test_missing_language_names_the_package() -> None:
    with pytest.raises(LanguageMissingError) as error:
        TesseractEngine(languages=["eng", "xyz_abc"]).check()
    assert "sudo apt-get install tesseract-ocr-xyz-abc" in str(error.value)
    assert error.value.exit_code == ExitCode.LANGUAGE_MISSING
    assert language_package("chi_sim") == "tesseract-ocr-chi-sim"


def test_missing_tesseract_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    tess.tesseract_version.cache_clear()
    tess.installed_languages.cache_clear()
    try:
        with pytest.raises(TesseractMissingError) as error:
            TesseractEngine().check()
        assert "apt-get install tesseract-ocr" in str(error.value)
        assert error.value.exit_code == ExitCode.TESSERACT_MISSING
    finally:
        tess.tesseract_version.cache_clear()
        tess.installed_languages.cache_clear()


def test_a_tesseract_timeout_fails_with_a_fix(upright_card: np.ndarray) -> None:
    with pytest.raises(OcrError, match="took longer than"):
        TesseractEngine(timeout=0.01).read(upright_card)


def test_a_crashing_tesseract_is_an_ocr_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, upright_card: np.ndarray
) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'Segmentation fault' >&2\nexit 139\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(fake))
    with pytest.raises(OcrError, match="tesseract failed"):
        TesseractEngine().read(upright_card)


# --- the orientation search, on an engine whose readings the test decides ---------------
# Real engines' scores differ slightly between CPUs (Tesseract's LSTM runs AVX-512, AVX2 or
# SSE code), so the search's rules are pinned here on readings with known scores, and the
# real engines are tested above and below only on cards with a wide margin.


def _reading(words: int, conf: float = 90.0, tag: str = "") -> OcrResult:
    """A reading of `words` five-letter words at `conf`: reading_score = words * 5 * conf/100."""
    line = OcrLine(
        [OcrWord(f"w{tag or 'x'}{i:03d}"[:5], conf, Box(10 * i, 0, 40, 10)) for i in range(words)]
    )
    return OcrResult(lines=[line] if words else [], width=400, height=100)


class ScriptedEngine:
    """Readings per turn (and per sparse turn), with an OSD guess; records what it was asked."""

    name = "scripted"

    def __init__(
        self,
        readings: dict[int, OcrResult],
        sparse: dict[int, OcrResult] | None = None,
        osd: tuple[int, float] | None = None,
    ) -> None:
        self.readings, self.sparse, self.osd = readings, sparse or {}, osd
        self.calls: list[tuple[int, bool]] = []

    def check(self) -> None:
        pass

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        return self.osd

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        turn = 90 * int(image[0, 0])  # the test image carries its turn in its first pixel
        self.calls.append((turn, sparse))
        table = self.sparse if sparse else self.readings
        return table.get(turn, _reading(0))


def _marked_image() -> np.ndarray:
    """An image whose first pixel, after any rotate(), says by how much it was turned."""
    image = np.zeros((40, 60), dtype=np.uint8)
    # rotate(image, d) turns clockwise: the corner that lands top-left carries d / 90
    image[0, 0], image[-1, 0], image[-1, -1], image[0, -1] = 0, 1, 2, 3
    return image


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_the_marked_image_reports_its_turn(turn: int) -> None:
    assert 90 * int(rotate(_marked_image(), turn)[0, 0]) == turn


def test_a_good_reading_at_a_confident_osd_guess_is_taken_as_it_is() -> None:
    engine = ScriptedEngine({90: _reading(20)}, osd=(90, 5.0))
    result = read_upright(engine, _marked_image())
    assert result.rotation == 90
    assert engine.calls == [(90, False)]  # no other turn, no sparse retry


def test_a_weak_upright_reading_is_retried_in_sparse_mode_and_the_better_one_kept() -> None:
    engine = ScriptedEngine({0: _reading(5)}, sparse={0: _reading(30, tag="s")}, osd=(0, 5.0))
    result = read_upright(engine, _marked_image(), OrientParams(mode="osd"))
    assert engine.calls == [(0, False), (0, True)]
    assert result.text.startswith("ws")  # the sparse reading won


def test_a_sparse_reading_that_reads_less_is_dropped() -> None:
    engine = ScriptedEngine({0: _reading(5)}, sparse={0: _reading(2, tag="s")}, osd=(0, 5.0))
    result = read_upright(engine, _marked_image(), OrientParams(mode="osd"))
    assert not result.text.startswith("ws")


def test_no_sparse_retry_when_it_is_turned_off() -> None:
    engine = ScriptedEngine({0: _reading(5)}, sparse={0: _reading(30)}, osd=(0, 5.0))
    read_upright(engine, _marked_image(), OrientParams(mode="osd", sparse_retry=False))
    assert engine.calls == [(0, False)]


@pytest.mark.parametrize("mode", ["osd", "auto", "none"])
def test_with_the_retry_off_a_card_read_empty_still_gets_the_sparse_reading(mode: str) -> None:
    # The last resort: without it the card would fail as unreadable ("no text found").
    turns = {d: _reading(0) for d in (0, 90, 180, 270)}
    engine = ScriptedEngine(turns, sparse={0: _reading(6, tag="s")}, osd=(0, 5.0))
    result = read_upright(engine, _marked_image(), OrientParams(mode=mode, sparse_retry=False))
    assert result.text.startswith("ws")
    assert (0, True) in engine.calls


@pytest.mark.parametrize("wobble", [-0.04, -0.01, 0.0, 0.01, 0.04])
@pytest.mark.parametrize(("osd", "expected"), [(None, 0), ((180, 0.9), 180), ((0, 0.9), 0)])
def test_a_near_tie_between_turns_is_decided_by_evidence_not_by_noise(
    wobble: float, osd: tuple[int, float] | None, expected: int
) -> None:
    """Upright and upside down read about equally (scores a few percent apart, as float
    paths on two CPUs give): the weak OSD guess decides, else the photo as it came."""
    upright = _reading(20, conf=90.0)
    upside_down = _reading(20, conf=90.0 * (1 + wobble), tag="u")
    engine = ScriptedEngine({0: upright, 180: upside_down}, osd=osd)
    assert read_upright(engine, _marked_image(), OrientParams(good_words=30)).rotation == expected


def test_a_clearly_better_turn_wins_over_a_weak_osd_guess() -> None:
    engine = ScriptedEngine({0: _reading(6), 180: _reading(20)}, osd=(0, 0.9))
    assert read_upright(engine, _marked_image()).rotation == 180


def test_when_every_turn_reads_weakly_the_sparse_readings_of_the_two_best_decide() -> None:
    """A busy card read upside down: layout analysis reads a few words at every turn, the
    wrong turn a few more; the sparse reading of the right turn finds the whole card."""
    engine = ScriptedEngine(
        {0: _reading(6), 180: _reading(5), 90: _reading(1), 270: _reading(1)},
        sparse={0: _reading(8), 180: _reading(25, tag="s")},
    )
    result = read_upright(engine, _marked_image())
    assert result.rotation == 180 and result.text.startswith("ws")
    assert sorted(call for call in engine.calls if call[1]) == [(0, True), (180, True)]


class _NoOsd:
    """A real engine without its OSD guess: only the readings decide the turn."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine, self.name = engine, engine.name

    def check(self) -> None:
        self.engine.check()

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        return None

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        return self.engine.read(image, sparse=sparse)


def test_pp_ocr_tells_an_upside_down_card_from_an_upright_one_by_reading_alone(
    upright_card: np.ndarray,
) -> None:
    """PP-OCR reads each line as it lies (no per-line turning), so the upside-down reading
    scores far below the upright one: a wide margin, not a near tie, on any CPU."""
    from cardscan.ocr.ppocr import RapidOcrEngine

    engine = RapidOcrEngine()
    upright = reading_score(engine.read(upright_card))
    upside_down = reading_score(engine.read(rotate(upright_card, 180)))
    assert upright > 2 * upside_down
    result = read_upright(_NoOsd(engine), rotate(upright_card, 180))
    assert result.rotation == 180 and EMAIL in result.text
