"""tools/ocrcache.py: a reading kept once, interpreted again as the pipeline would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

from cardscan.config import load_pipeline
from cardscan.model import Box, OcrLine, OcrResult, OcrWord
from cardscan.pipeline import CardJob, process_card

if str(ROOT) not in __import__("sys").path:
    __import__("sys").path.insert(0, str(ROOT))

from tools import ocrcache


def test_a_reading_round_trips_through_json() -> None:
    ocr = OcrResult(
        lines=[
            OcrLine(
                [OcrWord("Jane", 97.5, Box(1, 2, 30, 12)), OcrWord("Doe", 88.0, Box(35, 2, 25, 12))]
            )
        ],
        width=640,
        height=400,
        engine="rapidocr",
        rotation=180,
    )
    assert ocrcache.ocr_from_json(ocrcache.ocr_to_json(ocr)) == ocr


def test_a_kept_reading_is_interpreted_as_the_pipeline_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    for suffix in (".jpg", ".json"):
        shutil.copy((SAMPLES / "us-classic-wood").with_suffix(suffix), folder)
    cache = tmp_path / "cache"
    pipeline = load_pipeline()
    _, first = ocrcache.measure([folder], pipeline, "US", 1, cache)
    assert len(list(cache.glob("*.json"))) == 1

    def no_reading(job: CardJob) -> dict[str, object]:
        raise AssertionError("a kept reading was read again")

    monkeypatch.setattr(ocrcache, "_read", no_reading)
    _, again = ocrcache.measure([folder], pipeline, "US", 1, cache)
    direct = process_card(CardJob(str(folder / "us-classic-wood.jpg"), pipeline, "US"))
    for result in (first[0], again[0]):
        assert result.contact == direct.contact
        assert result.status == direct.status
        assert result.confidence == direct.confidence
    # A change to the code that makes readings makes them stale.
    monkeypatch.setattr(ocrcache, "reading_code_hash", lambda: "changed")
    with pytest.raises(AssertionError, match="read again"):
        ocrcache.measure([folder], pipeline, "US", 1, cache)
