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
from cardscan.ocr import read_upright, reading_score
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


def test_a_weak_reading_is_retried_in_sparse_mode() -> None:
    """A generated card (first tune split, #154) whose layout analysis drops the contact block."""
    from pinned_cards import TUNE_0154

    from cardscan.load import decode_photo
    from cardscan.ocr import OrientParams
    from tools.cardgen.sample import build_sample

    jpeg, _ = build_sample(TUNE_0154)
    image = cleanup(decode_photo(jpeg, "bench-0154").pixels).image
    email = "ramazan.meyer@auchschlauchin.de"
    plain = read_upright(TesseractEngine(), image, OrientParams(sparse_retry=False))
    retried = read_upright(TesseractEngine(), image, OrientParams())
    assert email not in plain.text
    assert email in retried.text
