"""The benchmark's scoring on hand-built results, and `cardscan bench` on real photos."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from conftest import ROOT, SAMPLES, run_cli

from cardscan.bench import Truth, find_truths, score
from cardscan.model import CardResult, Contact, Phone, PhoneKind, Status

TRUTH = {
    "name": "Jane Doe",
    "given_name": "Jane",
    "family_name": "Doe",
    "title": "CTO",
    "company": "Acme, Inc.",
    "emails": ["jane@acme.com"],
    "phones": [{"number": "+14155552671", "kind": "mobile", "raw": "415 555 2671"}],
    "websites": ["https://www.acme.com/"],
    "address": "1 Main St, Springfield, IL 62701",
    "social": {},
}


def _result(**changes: object) -> CardResult:
    contact = Contact(
        name="JANE  DOE",
        title="CTO",
        company="Acme Inc",
        emails=["Jane@acme.com"],
        phones=[Phone("+14155552671", PhoneKind.MOBILE, "415 555 2671")],
        websites=["acme.com"],
        address="1 Main St, Springfield IL 62701",
    )
    for key, value in changes.items():
        setattr(contact, key, value)
    return CardResult("x.jpg", "id", Status.OK, contact=contact, seconds=2.0)


def test_presentation_differences_do_not_count_as_errors() -> None:
    figures = score([(Truth(Path("x.jpg"), TRUTH), _result())]).to_json(peak_mb=1)
    assert figures["all_fields_right"] == 1.0
    assert figures["fields"]["websites"]["f1"] == 1.0
    assert figures["exact_match"] == {"name": 1.0, "title": 1.0, "company": 1.0}
    assert figures["invented_share"] == 0.0


def test_wrong_missing_and_invented_values_are_counted() -> None:
    wrong = _result(
        phones=[
            Phone("+14155552671", PhoneKind.WORK, ""),
            Phone("+14155550000", PhoneKind.FAX, ""),
        ],
        emails=[],
        title="Chief",
        social={"twitter": "@jane"},
    )
    figures = score([(Truth(Path("x.jpg"), TRUTH), wrong)]).to_json(peak_mb=1)
    assert figures["fields"]["phones"]["precision"] == 0.5
    assert figures["fields"]["emails"]["recall"] == 0.0
    assert figures["phone_kind_accuracy"] == 0.0
    assert figures["exact_match"]["title"] == 0.0
    assert figures["invented"]["social"] == 1
    assert figures["invented_share"] == 1.0  # social is the one field the card lacks
    assert figures["all_fields_right"] == 0.0


def test_bench_command_prints_figures_for_machines(tmp_path: Path) -> None:
    for stem in ("us-classic-wood", "fr-lyon-serif-fabric"):
        shutil.copy(SAMPLES / f"{stem}.jpg", tmp_path)
        shutil.copy(SAMPLES / f"{stem}.json", tmp_path)
    done = run_cli("bench", str(tmp_path), "--json", "--jobs", "2", "--speed", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["cards"] == 2 and figures["failed"] == 0
    assert figures["fields"]["emails"]["f1"] == 1.0
    assert figures["seconds_per_card"]["median"] > 0
    assert 0.3 < figures["ocr_share"] < 1
    assert figures["one_job"]["cards_per_second"] > 0
    assert 0.1 < figures["one_job"]["ocr_share_of_wall"] < 1
    # All processes together: a worker holding the OCR models (over 100 MB on its own)
    # counts, not just the parent.
    assert figures["peak_memory_mb"] > 250
    assert figures["one_job"]["peak_memory_mb"] > 250


def test_bench_prints_its_speed_figures(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "us-classic-wood.jpg", tmp_path)
    shutil.copy(SAMPLES / "us-classic-wood.json", tmp_path)
    done = run_cli("bench", str(tmp_path), "--jobs", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "time inside the OCR engines: " in done.stdout
    assert "peak memory, all processes together: " in done.stdout


def test_bench_without_truth_is_an_input_error(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "us-classic-wood.jpg", tmp_path)
    done = run_cli("bench", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 4
    assert "no photos with a truth JSON beside them" in done.stderr


def test_stack_tool_repeats_photos_with_their_truth(tmp_path: Path) -> None:
    if str(ROOT) not in sys.path:  # tools/ is beside the package, not installed
        sys.path.insert(0, str(ROOT))
    from tools.stack import make_stack

    make_stack(tmp_path / "stack", 40, [SAMPLES])
    truths = find_truths(tmp_path / "stack")
    assert len(truths) == 40
    assert truths[0].photo.resolve().parent == SAMPLES
    assert (
        truths[0].contact
        == json.loads((SAMPLES / truths[0].photo.resolve().with_suffix(".json").name).read_text())[
            "contact"
        ]
    )
