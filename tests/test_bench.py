"""The benchmark's scoring on hand-built results, and `cardscan bench` on real photos."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, SAMPLES, run_cli

from cardscan.bench import Truth, find_truths, kind_right, score
from cardscan.bench_cards import score_several
from cardscan.breakdown import BANDS, BY_COLUMNS, breakdown
from cardscan.cli.main import cli
from cardscan.model import CardResult, Contact, Phone, PhoneKind, Position, Status

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


def test_an_unlabelled_numbers_truth_of_other_is_met_by_its_numbering_plans_kind() -> None:
    # Real cards' truth says "other" for a number printed without a label; cardscan
    # files it under the kind its numbering plan gives it, and that counts as right.
    mobile, landline, us = "+491711234567", "+49301234567", "+14155552671"
    assert kind_right(mobile, "mobile", "other") and kind_right(landline, "work", "other")
    assert not kind_right(mobile, "work", "other")  # not the number's own kind
    assert not kind_right(landline, "fax", "other")  # no plan says fax
    assert not kind_right(us, "mobile", "other")  # US numbers could be either
    assert kind_right(us, "other", "other")
    assert not kind_right(mobile, "other", "mobile")  # a printed label must be read
    assert not kind_right(mobile, "mobile", "work")

    truth = {**TRUTH, "phones": [{"number": mobile, "kind": "other", "raw": "0171 1234567"}]}
    read = _result(phones=[Phone(mobile, PhoneKind.MOBILE, "0171 1234567")])
    figures = score([(Truth(Path("x.jpg"), truth), read)]).to_json(peak_mb=1)
    assert figures["phone_kind_accuracy"] == 1.0 and figures["all_fields_right"] == 1.0
    fax = _result(phones=[Phone(mobile, PhoneKind.FAX, "0171 1234567")])
    figures = score([(Truth(Path("x.jpg"), truth), fax)]).to_json(peak_mb=1)
    assert figures["phone_kind_accuracy"] == 0.0 and figures["all_fields_right"] == 0.0


def _real(record: dict[str, object], contact: dict[str, object] | None = None) -> Truth:
    """A truth in the real development set's shape: the contact plus what it says more."""
    return Truth(Path("r.jpg"), contact or TRUTH, record={"region": "US", **record})


def test_a_name_or_company_is_right_in_any_of_its_printed_forms() -> None:
    truth = _real({"alts": {"name": ["ジェーン・ドウ"], "title": [], "company": ["ACME"]}})
    read = _result(name="ジェーン・ドウ", company="Acme")
    figures = score([(truth, read)]).to_json(peak_mb=1)
    assert figures["exact_match"] == {"name": 1.0, "title": 1.0, "company": 1.0}
    wrong = score([(truth, _result(company="Acme Labs"))]).to_json(peak_mb=1)
    assert wrong["exact_match"]["company"] == 0.0


def test_social_links_in_the_truth_match_the_readings_network_and_handle() -> None:
    contact = {
        **TRUTH,
        "social": ["http://twitter.com/jane_d", "https://www.linkedin.com/in/janed/"],
    }
    read = _result(social={"twitter": "@jane_d", "linkedin": "linkedin.com/in/janed"})
    assert score([(_real({}, contact), read)]).to_json(peak_mb=1)["all_fields_right"] == 1.0
    other = _result(social={"twitter": "@jane_x", "linkedin": "linkedin.com/in/janed"})
    assert score([(_real({}, contact), other)]).to_json(peak_mb=1)["all_fields_right"] == 0.0


def test_fields_the_truth_marks_uncertain_are_not_scored() -> None:
    truth = _real({"uncertain": ["phones[0]", "address"]})
    read = _result(phones=[Phone("+14155550000", PhoneKind.WORK, "")], address="somewhere")
    figures = score([(truth, read)]).to_json(peak_mb=1)
    assert figures["all_fields_right"] == 1.0
    assert figures["fields"]["phones"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert figures["address_token_f1"] == 0.0  # no address scored: the mean of nothing


def test_the_cards_of_a_photo_of_several_are_matched_and_scored_apart() -> None:
    """score_several: a real truth (each card's contact, no corners) is matched by what
    was read; a generated one (each card's corners) by outline, the reading's corners
    being in the decoded photo's pixels (here half the truth's); a card read that is in
    no truth is invented, a truth card not read is missed."""
    other = {**TRUTH, "name": "John Roe", "emails": ["john@roe.org"], "phones": []}
    real = _real({"cards": [TRUTH, other]})
    john = _result(name="John Roe", emails=["john@roe.org"], phones=[], company=None)
    stray = _result(name="Nobody", emails=[], phones=[])
    got = score_several([(real, [stray, john])]).to_json()
    assert (got["cards"], got["found"], got["missed"], got["invented"]) == (2, 1, 1, 1)
    assert got["of_those_found"]["exact_match"]["name"] == 1.0

    square = [[100, 100], [300, 100], [300, 220], [100, 220]]
    apart = [[500, 100], [700, 100], [700, 220], [500, 220]]
    generated = Truth(
        Path("m.jpg"),
        {},
        record={
            "size": [800, 400],
            "cards": [
                {"corners": square, "truth": {"region": "US", "contact": TRUTH}},
                {"corners": apart, "truth": {"region": "US", "contact": other}},
            ],
        },
    )
    half = tuple((x / 2, y / 2) for x, y in apart)
    placed = dataclasses.replace(john, position=Position(1, 1, half, (400, 200)))
    got = score_several([(generated, [placed])]).to_json()
    assert (got["found"], got["missed"], got["invented"]) == (1, 1, 0)
    assert got["of_those_found"]["all_fields_right"] == 0.0  # company missing on John's
    assert got["of_those_found"]["exact_match"]["name"] == 1.0


def test_photos_of_several_cards_are_left_out_and_several_people_counted() -> None:
    several = _real({"cards": [TRUTH, TRUTH]})
    couple = _real({"people": 2})
    flagged = dataclasses.replace(_result(), status=Status.NEEDS_REVIEW)
    figures = score([(several, _result()), (couple, flagged)]).to_json(peak_mb=1)
    assert figures["cards"] == 1 and figures["several_cards_left_out"] == 1
    # The real set counts the people ("people": 2) without naming the others: none of
    # its cards can be scored person by person.
    assert figures["several_people"] == {
        "cards": 1,
        "flagged": 1,
        "every_person_known": 0,
        "every_person_right": 0,
    }


def test_the_verdict_counts_silent_errors_and_flags_on_right_cards() -> None:
    truth = Truth(Path("x.jpg"), TRUTH)
    right_ok, wrong_ok = _result(), _result(title="Chief")
    right_flagged = dataclasses.replace(_result(), status=Status.NEEDS_REVIEW)
    wrong_flagged = dataclasses.replace(_result(title="Chief"), status=Status.NEEDS_REVIEW)
    pairs = [(truth, r) for r in (right_ok, wrong_ok, wrong_ok, right_flagged, wrong_flagged)]
    verdict = score(pairs).to_json(peak_mb=1)["verdict"]
    assert verdict == {
        "marked_ok": 3,
        "silent_errors": 2,
        "silent_error_share": 2 / 3,
        "flagged": 2,
        "flagged_right": 1,
        "flagged_share": 2 / 5,
    }


def test_each_card_is_read_with_its_truths_country_unless_region_is_given() -> None:
    from cardscan.cli.bench import job_regions

    truths = [_real({"region": "IN"}), Truth(Path("g.jpg"), TRUTH)]
    assert job_regions(truths, "US", given=False) == ["IN", "US"]
    assert job_regions(truths, "DE", given=True) == ["DE", "DE"]


def test_bench_command_prints_figures_for_machines(tmp_path: Path) -> None:
    # One card (read twice: --speed adds a run with one job); the breakdown over several
    # countries is the next test's.
    for stem in ("us-classic-wood",):
        shutil.copy(SAMPLES / f"{stem}.jpg", tmp_path)
        shutil.copy(SAMPLES / f"{stem}.json", tmp_path)
    done = run_cli(
        "bench", str(tmp_path), "--json", "--jobs", "2", "--speed", "--by", "country",
        "--by", "confidence", "--by", "field", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["cards"] == 1 and figures["failed"] == 0
    # The breakdowns, as plain JSON: one row per country, and the fields scored counted
    # the same in the confidence bands as per field.
    assert [(row["country"], row["cards"]) for row in figures["by"]["country"]] == [("US", 1)]
    scored = sum(row["fields"] for row in figures["by"]["field"])
    assert scored == sum(row["fields"] for row in figures["by"]["confidence"]) >= 6
    assert figures["fields"]["emails"]["f1"] == 1.0
    assert figures["seconds_per_card"]["median"] > 0
    assert 0.3 < figures["ocr_share"] < 1
    # The split of a card's time: every stage of a reading, adding up to the card's time
    # (the rest, a few milliseconds, is the worker's own bookkeeping).
    stages = figures["stages"]
    assert set(stages) == {"decode", "cards", "cleanup", "ocr", "orientation", "upright"} | {
        "qr",
        "fields",
        "crop",
    }
    assert all(seconds >= 0 for seconds in stages.values())
    assert stages["ocr"] > stages["fields"]
    engines = (stages["ocr"] + stages["orientation"]) / sum(stages.values())
    assert abs(engines - figures["ocr_share"]) < 0.05
    assert figures["one_job"]["cards_per_second"] > 0
    assert 0.1 < figures["one_job"]["ocr_share_of_wall"] < 1
    # All processes together: a worker holding the OCR models (over 100 MB on its own)
    # counts, not just the parent.
    assert figures["peak_memory_mb"] > 250
    assert figures["one_job"]["peak_memory_mb"] > 250


def _table(stdout: str, title: str) -> list[dict[str, str]]:
    """A printed breakdown (`by COLUMN:`, a header line, a line per group) as dicts
    from heading to cell. Cells are at least two spaces apart; a cell may hold one."""
    lines = stdout.splitlines()
    start = lines.index(f"by {title}:") + 1
    header = re.split(r"\s{2,}", lines[start].strip())
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        rows.append(dict(zip(header, re.split(r"\s{2,}", line.strip()), strict=True)))
    return rows


def test_bench_breaks_the_scores_down_by_country_and_confidence(tmp_path: Path) -> None:
    for stem in ("us-classic-wood", "us-vertical-social", "fr-lyon-serif-fabric"):
        shutil.copy(SAMPLES / f"{stem}.jpg", tmp_path)
        shutil.copy(SAMPLES / f"{stem}.json", tmp_path)
    # A truth file is outside text too: a layout that would retitle the terminal.
    hostile = tmp_path / "fr-lyon-serif-fabric.json"
    truth = json.loads(hostile.read_text(encoding="utf-8"))
    truth["card"]["layout"] = "centered\x1b]0;pwned\x07"
    hostile.write_text(json.dumps(truth), encoding="utf-8")
    done = run_cli(
        "bench", str(tmp_path), "--jobs", "2", "--by", "country", "--by", "confidence",
        "--by", "field", "--by", "layout", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    layouts = [row["layout"] for row in _table(done.stdout, "layout")]
    assert layouts == ["centered\\x1b]0;pwned\\x07", "classic", "vertical"]
    read = re.search(r"^cards: (\d+) ", done.stdout, re.MULTILINE)
    assert read is not None
    cards = int(read.group(1))
    by_country = _table(done.stdout, "country")
    assert [(row["country"], int(row["cards"])) for row in by_country] == [("FR", 1), ("US", 2)]
    assert sum(int(row["cards"]) for row in by_country) == cards
    # Every field scored (one the card has or the reading filled) is in one band, in one
    # field's row and one country's row.
    scored = sum(int(row["fields"]) for row in _table(done.stdout, "field"))
    bands = _table(done.stdout, "confidence")
    assert sum(int(row["fields"]) for row in bands) == scored
    assert sum(int(row["fields"]) for row in by_country) == scored
    assert scored >= 3 * 6  # each card has a name, title, company, email, phone, website
    assert {row["band"] for row in bands} <= {"not read", "no confidence", *BANDS}


def test_an_unknown_by_column_is_a_usage_error_listing_the_columns(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["bench", str(tmp_path), "--by", "planet"])
    assert result.exit_code == 2
    assert "'planet' is not one of" in result.output
    for column in BY_COLUMNS:
        assert f"'{column}'" in result.output


def test_fields_are_scored_by_confidence_band_and_card_columns() -> None:
    truth = Truth(
        Path("x.jpg"),
        TRUTH,
        record={"region": "US", "rotation": 90, "card": {"layout": "classic"}},
    )
    # name right at 0.97; title wrong at 0.6; company right without a confidence; the
    # email missed; social invented at 0.3; the address without its ZIP code at 0.9;
    # phones and websites right at 0.9.
    result = _result(
        title="Chief", emails=[], social={"twitter": "@jane"}, address="1 Main St, Springfield IL"
    )
    result.confidence = {"name": 0.97, "title": 0.6, "phones": 0.9, "websites": 0.9}
    result.confidence |= {"address": 0.9, "social": 0.3}
    result.region = "GB"  # the truth's region wins
    report = score([(truth, result)])
    bands = {
        row["band"]: row for row in breakdown(report.card_rows, report.field_rows, "confidence")
    }
    assert {band: (row["fields"], row["right"]) for band, row in bands.items()} == {
        "not read": (1, 0),
        "no confidence": (1, 1),
        "<0.5": (1, 0),
        "0.5-0.8": (1, 0),
        "0.8-0.95": (3, 2),
        ">=0.95": (1, 1),
    }
    fields = {row["field"]: row for row in breakdown(report.card_rows, report.field_rows, "field")}
    assert fields["emails"]["missed"] == 1 and fields["social"]["invented"] == 1
    assert fields["title"]["wrong"] == 1 and fields["name"]["right"] == 1
    (country,) = breakdown(report.card_rows, report.field_rows, "country")
    assert country["country"] == "US" and country["cards"] == 1 and country["fields"] == 8
    (layout,) = breakdown(report.card_rows, report.field_rows, "layout")
    assert layout["layout"] == "classic"
    (background,) = breakdown(report.card_rows, report.field_rows, "background")
    assert background["background"] == "unknown"  # not in this truth record


def test_a_corrected_card_counts_under_the_country_it_was_read_as() -> None:
    result = _result()
    result.region = "DE"
    report = score([(Truth(Path("x.jpg"), TRUTH), result)])  # no record: --corrections
    (country,) = breakdown(report.card_rows, report.field_rows, "country")
    assert country["country"] == "DE"


def test_bench_prints_its_speed_figures(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "us-classic-wood.jpg", tmp_path)
    shutil.copy(SAMPLES / "us-classic-wood.json", tmp_path)
    done = run_cli("bench", str(tmp_path), "--jobs", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "time inside the OCR engines: " in done.stdout
    split = re.search(
        r"^where a card's time goes \(mean seconds per card\): (.*)$", done.stdout, re.M
    )
    assert split is not None, done.stdout
    assert re.match(
        r"decode [\d.]+ \(\d+%\), cards [\d.]+ \(\d+%\), cleanup [\d.]+ \(\d+%\), ocr ",
        split.group(1),
    )
    assert "peak memory, all processes together: " in done.stdout


def test_bench_without_truth_is_an_input_error(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "us-classic-wood.jpg", tmp_path)
    done = run_cli("bench", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 4
    assert "no photos with a truth JSON beside them" in done.stderr


def test_a_truth_file_that_is_not_json_is_an_input_error_naming_it(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "us-classic-wood.jpg", tmp_path)
    (tmp_path / "us-classic-wood.json").write_text("[" * 100_000, encoding="utf-8")
    result = CliRunner().invoke(cli, ["bench", str(tmp_path)])
    assert result.exit_code == 4
    assert f"the truth file {tmp_path / 'us-classic-wood.json'} cannot be read" in result.output


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


def test_address_tokens_of_chinese_and_japanese_are_characters() -> None:
    # Where a label puts spaces in a line written without them is no error of the read.
    from cardscan.bench import _token_f1

    assert _token_f1("104台北市民生路12號", "104 台北市民生路 12 號") == 1.0
    assert _token_f1("〒101-0047 東京都千代田区", "〒101-0047，東京都千代田区") == 1.0
    assert 0.5 < _token_f1("東京都千代田区", "東京都港区") < 1.0
    assert _token_f1("12 Main Street", "12 Main St") < 1.0  # Latin words stay words
