"""Pipeline definitions: shipped ones load, bad ones fail with a "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest

from cardscan.config import available_pipelines, load_pipeline, parse_pipeline
from cardscan.errors import ExitCode, PipelineError


def test_default_ships_in_the_package() -> None:
    assert {"default", "flat"} <= set(available_pipelines())
    pipeline = load_pipeline()
    assert pipeline.name == "default"
    assert pipeline.stages == ("load", "cleanup", "ocr", "extract", "validate")
    assert pipeline.ocr.languages == ["eng"]
    assert pipeline.cleanup.detect_card is True


def test_every_shipped_pipeline_is_valid() -> None:
    for name in available_pipelines():
        assert load_pipeline(name).name == name


def test_pipeline_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\n[ocr]\npsm = 11\ntimeout = 5\n[cleanup]\ntarget_text_px = 40\n')
    pipeline = load_pipeline(str(path))
    assert (pipeline.name, pipeline.ocr.psm, pipeline.ocr.timeout) == ("mine", 11, 5.0)
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


def test_unknown_name_lists_the_choices() -> None:
    with pytest.raises(
        PipelineError, match=r"no pipeline named 'defualt' \(did you mean 'default'\?\)"
    ):
        load_pipeline("defualt")


def test_missing_file() -> None:
    with pytest.raises(PipelineError, match="not found"):
        load_pipeline("/nonexistent/pipe.toml")
