"""The engine registry: engines load lazily, own their options, and a missing engine
stops a run with ENGINE_MISSING (Tesseract itself keeps TESSERACT_MISSING, 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES
from test_export import build_book

from cardscan.cli.main import cli
from cardscan.config import load_pipeline, parse_pipeline
from cardscan.errors import EngineMissingError, ExitCode, TesseractMissingError
from cardscan.ocr import ENGINES, OPTION_TABLES, engine_class, is_available, make_engine, ppocr
from cardscan.pipeline import engine_for

ENGINE_LIBRARIES = ["rapidocr", "onnxruntime"]
# What the book's own commands must never load: the OCR engines and their libraries.
READER = [*ENGINE_LIBRARIES, "cv2", "pytesseract", "cardscan.ocr"]


def _python(code: str) -> dict[str, list[str]]:
    """Run `code` in a fresh interpreter from the repository; its last line of output
    is JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[str]] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_the_books_commands_load_no_engine(tmp_path: Path) -> None:
    """find, note and export run whole (not just their --help) without importing an
    OCR engine, its libraries or OpenCV."""
    book = build_book(tmp_path / "contacts.xlsx")
    runs = [
        ["find", "--book", str(book), "a"],
        ["note", "--book", str(book), "--on", "2026-01-02", "raj", "met at the fair"],
        ["export", "--book", str(book), "--to", str(tmp_path / "out.vcf")],
    ]
    probe = f"""
import json, sys
from click.testing import CliRunner
from cardscan.cli.main import cli
found = {{}}
for args in {runs!r}:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, (args, result.output)
    found[args[0]] = sorted(m for m in {READER!r} if m in sys.modules)
print(json.dumps(found))
"""
    assert _python(probe) == {"find": [], "note": [], "export": []}


def test_the_registry_imports_an_engine_only_when_it_is_built() -> None:
    """Knowing the engines' names imports none; Tesseract's pipeline builds and checks
    its engine without RapidOCR or onnxruntime."""
    probe = f"""
import json, sys
import cardscan.ocr, cardscan.config
found = {{"names": sorted(m for m in sys.modules if m.startswith("cardscan.ocr."))}}
from cardscan.config import load_pipeline
from cardscan.pipeline import engine_for
engine_for(load_pipeline("tesseract")).check()
found["tesseract"] = sorted(m for m in {ENGINE_LIBRARIES!r} if m in sys.modules)
print(json.dumps(found))
"""
    found = _python(probe)
    assert not {"cardscan.ocr.tesseract", "cardscan.ocr.ppocr"} & set(found["names"])
    assert found["tesseract"] == []


def test_every_registered_engine_and_table_resolves() -> None:
    for name in ENGINES:
        cls = engine_class(name)
        assert set(cls.option_tables) <= set(OPTION_TABLES), name
        assert make_engine(name).name == name
        assert is_available(name)  # this machine has Tesseract, rapidocr and onnxruntime


def test_each_engine_gets_its_own_options() -> None:
    pipeline = parse_pipeline(
        '[ocr]\nengine = "hybrid"\n[ocr.tesseract]\nlanguages = ["eng", "kor"]\npsm = 6\n'
        "timeout = 9\n[ocr.rapidocr]\ndetect_side = 1280\nkorean = false\n",
        "test.toml",
    )
    engine = engine_for(pipeline)
    assert isinstance(engine, ppocr.HybridEngine)
    assert (engine.tesseract.languages, engine.tesseract.psm) == (("eng", "kor"), 6)
    assert engine.tesseract.timeout == 9.0
    assert (engine.options.detect_side, engine.options.korean) == (1280, False)
    tesseract = engine_for(parse_pipeline('[ocr]\nengine = "tesseract"\npsm = 4\n', "t.toml"))
    assert (tesseract.name, getattr(tesseract, "psm", None)) == ("tesseract", 4)


def test_rapidocr_missing_is_engine_missing_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ppocr._rapid.cache_clear()
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if not installed
    try:
        assert not is_available("rapidocr")
        assert is_available("tesseract")
        result = CliRunner().invoke(cli, ["rescan", str(SAMPLES / "us-classic-wood.jpg")])
    finally:
        ppocr._rapid.cache_clear()
    assert result.exit_code == ExitCode.ENGINE_MISSING == 11
    message = result.output.strip()
    assert "\n" not in message
    assert message.startswith("cardscan: error: the rapidocr engine cannot run")
    assert "pip install 'rapidocr>=3.4,<4' 'onnxruntime>=1.17'" in message


def test_models_that_cannot_load_are_engine_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoModels:
        def __init__(self, params: dict[str, object]) -> None:
            raise FileNotFoundError("ch_PP-OCRv4_det_infer.onnx does not exist")

    import rapidocr

    ppocr._rapid.cache_clear()
    monkeypatch.setattr(rapidocr, "RapidOCR", NoModels)
    try:
        with pytest.raises(EngineMissingError) as caught:
            make_engine("rapidocr").check()
    finally:
        ppocr._rapid.cache_clear()
    assert caught.value.exit_code == ExitCode.ENGINE_MISSING
    assert "cannot load its PP-OCR models" in str(caught.value)


def test_rescan_stops_on_models_that_cannot_load_before_writing_anything(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Models that fail to load stop rescan with the engine's own one-line error before
    # the book is opened or written.
    class NoModels:
        def __init__(self, params: dict[str, object]) -> None:
            raise FileNotFoundError("PP-OCRv6_det_small.onnx does not exist")

    import rapidocr

    ppocr._rapid.cache_clear()
    monkeypatch.setattr(rapidocr, "RapidOCR", NoModels)
    book = tmp_path / "contacts.xlsx"
    try:
        result = CliRunner().invoke(
            cli, ["rescan", str(SAMPLES / "us-classic-wood.jpg"), "--book", str(book)]
        )
    finally:
        ppocr._rapid.cache_clear()
    assert result.exit_code == ExitCode.ENGINE_MISSING
    message = result.output.strip()
    assert "\n" not in message
    assert "cannot load its PP-OCR models" in message
    assert not book.exists()


def test_tesseract_missing_is_an_engine_missing_that_keeps_code_5() -> None:
    assert issubclass(TesseractMissingError, EngineMissingError)
    assert TesseractMissingError("x").exit_code == ExitCode.TESSERACT_MISSING == 5


def test_the_default_pipeline_keeps_its_reading_cache_key() -> None:
    """The [ocr] section's repr is the input of pipeline_key: kept in the flat form it
    had before the engine tables, so readings stored then are still found (the default
    pipeline's sparse_retry turned false on 2026-12-07: readings made before are read
    again, as for any change of a pipeline)."""
    assert repr(load_pipeline().ocr) == (
        "OcrSection(engine='rapidocr', languages=['eng'], psm=3, timeout=60.0, "
        "card_timeout=120.0, orientation='auto', sparse_retry=False, qr=True)"
    )
