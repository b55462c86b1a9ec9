"""Pipeline definitions: shipped ones load, bad ones fail with a "did you mean"."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

from cardscan.config import LEGACY_OCR_KEYS, available_pipelines, load_pipeline, parse_pipeline
from cardscan.errors import ExitCode, PipelineError


def test_default_ships_in_the_package() -> None:
    assert {"default", "flat"} <= set(available_pipelines())
    pipeline = load_pipeline()
    assert pipeline.name == "default"
    assert pipeline.stages == ("load", "cleanup", "ocr", "extract", "validate")
    assert pipeline.ocr.tesseract.languages == ["eng"]
    assert pipeline.ocr.rapidocr.detect_side == 960
    assert pipeline.cleanup.detect_card is True


def test_every_shipped_pipeline_is_valid() -> None:
    for name in available_pipelines():
        assert load_pipeline(name).name == name


def test_the_repositorys_pipelines_use_the_engine_tables() -> None:
    """pipelines/ as in this tree (the installed package may be another checkout's)."""
    for path in sorted((ROOT / "pipelines").glob("*.toml")):
        parse_pipeline(path.read_text(encoding="utf-8"), str(path))
        ocr = tomllib.loads(path.read_text(encoding="utf-8")).get("ocr", {})
        assert not set(ocr) & set(LEGACY_OCR_KEYS), path.name


def test_pipeline_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\n[ocr.tesseract]\npsm = 11\ntimeout = 5\n[cleanup]\ntarget_text_px = 40\n'
    )
    pipeline = load_pipeline(str(path))
    tesseract = pipeline.ocr.tesseract
    assert (pipeline.name, tesseract.psm, tesseract.timeout) == ("mine", 11, 5.0)
    assert pipeline.cleanup.target_text_px == 40.0
    assert pipeline.ocr.engine == "rapidocr"  # unspecified keys keep their defaults


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "[cleanup]\ndetect_crad = false\n",
            "unknown key 'cleanup.detect_crad' (did you mean 'detect_card'?)",
        ),
        ("[orc]\npsm = 3\n", "unknown key 'orc' (did you mean 'ocr'?)"),
        ("[ocr]\npsm = 'three'\n", "ocr.psm must be a whole number"),
        (
            "[ocr]\nengine = 'tesserat'\n",
            "unknown OCR engine 'tesserat' (did you mean 'tesseract'?)",
        ),
        (
            "stages = ['load', 'ocr', 'extrakt']\n",
            "unknown stage 'extrakt' (did you mean 'extract'?)",
        ),
        ("stages = ['load', 'cleanup']\n", "stages must include ocr, extract"),
        ("[ocr]\norientation = 'sideways'\n", "ocr.orientation must be one of"),
        ("[ocr\n", "not valid TOML"),
    ],
)
def test_bad_definitions_say_what_was_meant(text: str, message: str) -> None:
    with pytest.raises(PipelineError) as error:
        parse_pipeline(text, "test.toml")
    assert message in str(error.value)
    assert error.value.exit_code == ExitCode.PIPELINE


def test_the_old_flat_ocr_keys_still_load_as_tesseracts() -> None:
    """[ocr] languages/psm/timeout were always Tesseract's: a pipeline file written
    before [ocr.tesseract] existed reads the same, with no warning."""
    old = parse_pipeline('[ocr]\nlanguages = ["eng", "deu"]\npsm = 6\ntimeout = 30\n', "old.toml")
    new = parse_pipeline(
        '[ocr.tesseract]\nlanguages = ["eng", "deu"]\npsm = 6\ntimeout = 30\n', "new.toml"
    )
    assert old.ocr == new.ocr
    assert old.ocr.tesseract.languages == ["eng", "deu"]
    same = parse_pipeline("[ocr]\npsm = 6\n[ocr.tesseract]\npsm = 6\n", "both.toml")
    assert same.ocr.tesseract.psm == 6


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "[ocr]\npsm = 6\n[ocr.tesseract]\npsm = 4\n",
            "ocr.psm and ocr.tesseract.psm are both given, with different values: "
            "keep only the one in [ocr.tesseract]",
        ),
        (
            "[ocr]\ndetect_side = 800\n",
            "ocr.detect_side is an option of the rapidocr engine: "
            "put it in the [ocr.rapidocr] table",
        ),
        (
            "[ocr.tesseract]\nlangauges = ['eng']\n",
            "unknown key 'ocr.tesseract.langauges' (did you mean 'languages'?)",
        ),
        ("[ocr.tesserract]\npsm = 3\n", "unknown key 'ocr.tesserract' (did you mean 'tesseract'?)"),
        ("[ocr]\nlangauges = ['eng']\n", "unknown key 'ocr.langauges' (did you mean 'languages'?)"),
        (
            "[ocr.rapidocr]\ndetect_side = 'big'\n",
            "ocr.rapidocr.detect_side must be a whole number",
        ),
        ("[ocr.rapidocr]\nkorean = 1\n", "ocr.rapidocr.korean must be true or false"),
        ("[ocr.tesseract]\nlanguages = []\n", "ocr.tesseract.languages is empty"),
        ("[ocr]\nlanguages = []\n", "ocr.tesseract.languages is empty"),
        ("[ocr]\ntesseract = 3\n", "[ocr.tesseract] must be a table"),
    ],
)
def test_bad_engine_options_say_what_was_meant(text: str, message: str) -> None:
    with pytest.raises(PipelineError) as error:
        parse_pipeline(text, "test.toml")
    assert message in str(error.value)
    assert error.value.exit_code == ExitCode.PIPELINE


def test_unknown_name_lists_the_choices() -> None:
    with pytest.raises(
        PipelineError, match=r"no pipeline named 'defualt' \(did you mean 'default'\?\)"
    ):
        load_pipeline("defualt")


def test_missing_file() -> None:
    with pytest.raises(PipelineError, match="not found"):
        load_pipeline("/nonexistent/pipe.toml")
