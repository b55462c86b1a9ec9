"""Calibrated confidences and the card's verdict (cardscan.calibration, tools/calibrate.py).

The fit on synthetic data with a known answer; the shipped file loads, covers every field
and state, and knows every feature the code computes; the verdict rule on hand-built
readings (one doubtful field flags the card with an issue naming it); the pipeline and
the real CLI on photos, checking what holds whatever the fitted numbers are.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ROOT, SAMPLES, run_cli

from cardscan.calibration import (
    EMPTY,
    LOW_CONFIDENCE,
    MAYBE_MISSED,
    READ,
    Calibration,
    calibrate,
    doubtful,
    field_features,
    field_probabilities,
    shipped,
)
from cardscan.calibration.model import Logistic, fit
from cardscan.config import load_pipeline, parse_pipeline
from cardscan.errors import PipelineError
from cardscan.extract.names import NO_NAME
from cardscan.model import FIELDS, Box, Contact, Extraction, OcrLine, OcrResult, OcrWord, Phone
from cardscan.pipeline import interpret, verdict_limit

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --- the fit ------------------------------------------------------------------------------


def test_fit_recovers_a_known_model() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(6000, 2))
    p = 1 / (1 + np.exp(-(0.5 + 2.0 * x[:, 0] - 1.0 * x[:, 1])))
    right = list(rng.random(6000) < p)
    rows = [{"a": float(a), "b": float(b)} for a, b in x]
    model = fit(rows, right, penalty=0.0)
    # Coefficients are kept per standard deviation of the feature: back to raw units.
    raw = [c / s for c, s in zip(model.coef, model.scale, strict=True)]
    assert raw == pytest.approx([2.0, -1.0], abs=0.15)
    assert model.probability({"a": 0.0, "b": 0.0}) == pytest.approx(
        1 / (1 + math.exp(-0.5)), abs=0.03
    )
    assert model.examples == 6000
    # Deterministic: the same data, the same model, to the last digit.
    assert fit(rows, right, penalty=0.0) == model


def test_a_field_always_right_in_the_data_is_never_certain() -> None:
    # Two pseudo-examples at the mean (one right, one wrong): 10 right of 10 gives 11/12.
    model = fit([{"x": 1.0}] * 10, [True] * 10)
    assert model.probability({"x": 1.0}) == pytest.approx(11 / 12)
    assert fit([], []).probability({}) == pytest.approx(0.5)


def test_the_penalty_pulls_a_few_examples_towards_their_base_rate() -> None:
    rows = [{"x": float(v)} for v in (0, 1, 2, 3)]
    right = [False, False, True, True]  # separable: unpenalised, the slope runs away
    loose = fit(rows, right, penalty=0.01)
    tight = fit(rows, right, penalty=30.0)
    assert loose.probability({"x": 3.0}) > 0.9
    assert 0.5 < tight.probability({"x": 3.0}) < 0.75


def test_a_model_round_trips_through_json_and_a_bad_one_is_refused() -> None:
    model = fit([{"x": 0.0}, {"x": 1.0}, {"x": 2.0}], [False, True, True])
    again = Logistic.from_json(json.loads(json.dumps(model.to_json())))
    assert again.probability({"x": 1.5}) == pytest.approx(model.probability({"x": 1.5}), abs=1e-5)
    broken = {**model.to_json(), "scale": [0.0]}
    with pytest.raises(ValueError, match="scale"):
        Logistic.from_json(broken)


# --- the shipped calibration -----------------------------------------------------------------


def _card_ocr() -> OcrResult:
    """A plain card, built here: name, title, company, email, phone, address."""
    return _ocr(
        [
            ("Jane Doe", 40, 98.0),
            ("Sales Director", 26, 96.0),
            ("Acme Robotics Ltd", 30, 97.0),
            ("jane.doe@acmerobotics.com", 22, 95.0),
            ("Tel +44 20 7946 0958", 22, 94.0),
            ("12 High Street, London SW1A 1AA", 22, 93.0),
        ]
    )


def _shop_ocr(email: str) -> OcrResult:
    """A shop's card without a person: its name, its wares, an email, phone, address."""
    return _ocr(
        [
            ("Rose & Thorn Florists Ltd", 40, 98.0),
            ("Flowers for every occasion", 24, 96.0),
            (email, 22, 97.0),
            ("Tel +44 20 7946 0958", 22, 97.0),
            ("12 High Street, London SW1A 1AA", 22, 96.0),
        ]
    )


def _ocr(lines: list[tuple[str, int, float]]) -> OcrResult:
    out, top = [], 20
    for text, height, conf in lines:
        words, left = [], 30
        for word in text.split():
            width = len(word) * height // 2
            words.append(OcrWord(word, conf, Box(left, top, width, height)))
            left += width + height // 2
        out.append(OcrLine(words))
        top += height + 14
    return OcrResult(out, 1000, 600, engine="rapidocr")


def test_the_shipped_calibration_covers_every_field_and_feature() -> None:
    calibration = shipped()
    assert 0.0 < calibration.threshold < 1.0
    assert set(calibration.models) == set(FIELDS)
    pipeline = parse_pipeline("", "test.toml")
    assert pipeline.review.min_confidence is None  # the calibrated threshold applies
    ex, _issues = interpret(_card_ocr(), None, "GB", pipeline)
    empty = interpret(OcrResult([_card_ocr().lines[1]], 1000, 600), None, "GB", pipeline)[0]
    seen = {READ: set(), EMPTY: set()}
    for extraction, ocr in (
        (ex, _card_ocr()),
        (empty, OcrResult([_card_ocr().lines[1]], 1000, 600)),
    ):
        for field, (state, features) in field_features(extraction, ocr, []).items():
            model = calibration.models[field][state]
            # Every feature the code computes is known to the model, and no other: a
            # renamed feature would otherwise be silently taken at its mean.
            assert set(model.features) == set(features), (field, state)
            seen[state].add(field)
    assert seen[READ] >= {"name", "title", "company", "emails", "phones", "address"}
    assert seen[EMPTY] >= {"websites", "social", "emails"}


# --- the verdict ------------------------------------------------------------------------------


def _flat(field_models: dict[str, dict[str, float]], threshold: float = 0.8) -> Calibration:
    """A calibration whose every model gives a fixed probability (its intercept)."""
    fields: dict[str, Any] = {}
    for field in FIELDS:
        fields[field] = {}
        for state in (READ, EMPTY):
            p = field_models.get(field, {}).get(state, 0.999)
            fields[field][state] = {
                "features": ["raw"],
                "mean": [0.0],
                "scale": [1.0],
                "coef": [0.0],
                "intercept": math.log(p / (1 - p)),
                "examples": 10,
                "right_share": p,
            }
    return Calibration.from_json({"threshold": threshold, "fields": fields})


def test_one_doubtful_field_is_named_and_the_others_pass() -> None:
    ex = Extraction(
        Contact(name="Jane Doe", company="Acme", emails=["jane@acme.com"]),
        confidence={"name": 0.9, "company": 0.9, "emails": 0.95},
    )
    features = field_features(ex, _card_ocr(), [])
    issues = calibrate(ex, features, calibration=_flat({"company": {READ: 0.4}}))
    assert [(i.code, i.field) for i in issues] == [(LOW_CONFIDENCE, "company")]
    assert issues[0].message.startswith("company is doubtful (40% likely right): ")
    # The confidences are now the calibrated chances; empty fields get none.
    assert ex.confidence == {"name": 0.999, "company": 0.4, "emails": 0.999}


def test_the_card_is_ok_only_when_all_its_fields_likely_are() -> None:
    # Each field alone clears 0.8, but all three right together is 0.9^3 = 73%: the
    # least likely fields are named until the rest reach the threshold.
    assert doubtful({"name": 0.9, "company": 0.85, "emails": 0.9}, 0.8) == ["company"]
    assert doubtful({"name": 0.9, "company": 0.9, "emails": 0.9}, 0.8) == ["company"]
    assert doubtful({"name": 0.85, "company": 0.85, "emails": 0.85}, 0.8) == [
        "company",
        "emails",
    ]
    assert doubtful({"name": 0.99, "company": 0.95}, 0.9) == []
    assert doubtful({"name": 0.0, "company": 0.95}, 0.9) == ["name"]


def test_a_field_likely_missed_is_named() -> None:
    ex = Extraction(Contact(name="Jane Doe"), confidence={"name": 0.9})
    features = field_features(ex, _card_ocr(), [])
    issues = calibrate(ex, features, calibration=_flat({"phones": {EMPTY: 0.2}}))
    assert [(i.code, i.field) for i in issues] == [(MAYBE_MISSED, "phones")]
    assert issues[0].message.startswith("no phones read (20% likely none on the card): ")


def test_the_pipelines_threshold_overrides_the_calibrated_one() -> None:
    ex = Extraction(Contact(name="Jane Doe"), confidence={"name": 0.9})
    features = field_features(ex, _card_ocr(), [])
    calibration = _flat({"name": {READ: 0.7}}, threshold=0.8)
    assert [i.field for i in calibrate(ex, features, calibration=calibration)] == ["name"]
    assert calibrate(ex, dict(features), 0.6, calibration=calibration) == []


def test_the_reason_is_the_feature_that_lowers_the_chance_most() -> None:
    model = fit(
        [{"ocr_mean": v, "words": 2.0} for v in (0.5, 0.6, 0.9, 0.95, 0.97, 0.99)],
        [False, False, True, True, True, True],
    )
    calibration = Calibration({f: {READ: model, EMPTY: model} for f in FIELDS}, threshold=0.9)
    why = calibration.reason("name", READ, {"ocr_mean": 0.5, "words": 2.0})
    assert why == "read with low OCR confidence"


@pytest.mark.parametrize("key", ["min_confidence", "several_min_confidence"])
@pytest.mark.parametrize("value", ["1.5", "-0.1"])
def test_a_threshold_that_is_no_chance_is_refused(key: str, value: str) -> None:
    with pytest.raises(PipelineError, match=rf"review\.{key} must be between 0 and 1"):
        parse_pipeline(f"[review]\n{key} = {value}\n", "mine.toml")
    review = parse_pipeline(f"[review]\n{key} = 0.7\n", "x").review
    assert getattr(review, key) == 0.7


def test_a_card_cut_from_a_photo_of_several_is_judged_more_strictly() -> None:
    """[review] several_min_confidence raises the threshold for a card cut from a photo
    of several cards, never lowers it; a photo of one card keeps the usual one."""
    plain = parse_pipeline("", "t.toml")
    strict = parse_pipeline("[review]\nseveral_min_confidence = 0.95\n", "t.toml")
    mine = parse_pipeline("[review]\nmin_confidence = 0.97\nseveral_min_confidence = 0.9\n", "t")
    assert verdict_limit(plain, 0.8, several=True) == 0.8  # none set: as one card
    assert verdict_limit(strict, 0.8) == 0.8
    assert verdict_limit(strict, 0.8, several=True) == 0.95
    assert verdict_limit(mine, 0.8, several=True) == 0.97  # the user's own is stricter
    # Through interpret: no field is certain, so a threshold of 1 for the cards of a
    # photo of several flags a card that alone is ok, by its doubtful fields.
    both = parse_pipeline(
        "[review]\nmin_confidence = 0.01\nseveral_min_confidence = 1.0\n", "t.toml"
    )
    assert not interpret(_card_ocr(), None, "GB", both)[1]
    _ex, issues = interpret(_card_ocr(), None, "GB", both, several=True)
    assert issues and {i.code for i in issues} <= {LOW_CONFIDENCE, MAYBE_MISSED}


def test_the_verdict_through_interpret_is_consistent() -> None:
    pipeline = parse_pipeline("", "test.toml")
    ex, issues = interpret(_card_ocr(), None, "GB", pipeline)
    limit = shipped().threshold
    doubted = {i.field for i in issues if i.code == LOW_CONFIDENCE}
    for field, value in ex.confidence.items():
        assert 0.0 <= value <= 1.0
        if value < limit:  # a field below the threshold always keeps the card from ok
            assert field in doubted, (field, value)
    # The fields read and not doubted are, together, likely right (empty fields' chances
    # only lower the product further, so this holds whatever they are).
    kept = [v for f, v in ex.confidence.items() if f not in doubted]
    assert math.prod(kept) >= limit - 0.005  # confidences are rounded to 3 places
    # Without the validate stage the confidences are still calibrated, but not judged.
    quiet = parse_pipeline('stages = ["load", "ocr", "extract"]\n', "t.toml")
    ex2, issues2 = interpret(_card_ocr(), None, "GB", quiet)
    assert ex2.confidence == ex.confidence
    assert not {i.code for i in issues2} & {LOW_CONFIDENCE, MAYBE_MISSED}


def test_features_that_fail_flag_the_card(monkeypatch: pytest.MonkeyPatch) -> None:
    import cardscan.pipeline as pipeline_module

    def broken(*args: object) -> None:
        raise RuntimeError("odd text")

    monkeypatch.setattr(pipeline_module, "field_features", broken)
    _ex, issues = interpret(_card_ocr(), None, "GB", parse_pipeline("", "t.toml"))
    assert "no_verdict" in [i.code for i in issues]


# --- photos, through the real pipeline and CLI -------------------------------------------------


def test_rescan_json_flags_the_fields_below_the_threshold(tmp_path: Path) -> None:
    photo = SAMPLES / "us-classic-wood.jpg"
    done = run_cli("rescan", str(photo), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    # The CLI's pipeline is the built-in default: its [review] min_confidence when set,
    # else the calibrated threshold.
    limit = load_pipeline("default").review.min_confidence or shipped().threshold
    low = {i["field"] for i in data["issues"] if i["code"] == LOW_CONFIDENCE}
    for field, value in data["confidence"].items():
        if value < limit:
            assert field in low, (field, value, data["issues"])
    assert (data["status"] == "ok") == (data["issues"] == [])
    if data["status"] == "ok":  # then all its fields read are, together, likely right
        assert math.prod(data["confidence"].values()) >= limit - 0.005


def test_calibrate_command_fits_and_writes_a_file_that_loads(tmp_path: Path) -> None:
    from tools import calibrate as tool

    folder = tmp_path / "cards"
    folder.mkdir()
    for stem in ("us-classic-wood", "gb-shop-no-person", "de-gmbh-small-print"):
        for suffix in (".jpg", ".json"):
            shutil.copy((SAMPLES / stem).with_suffix(suffix), folder)
    out = tmp_path / "calibration.json"
    code = tool.main(
        [str(folder), "--out", str(out), "--jobs", "1", "--cache", str(tmp_path / "c")]
    )
    assert code == 0
    written = Calibration.from_json(json.loads(out.read_text(encoding="utf-8")))
    assert set(written.models) == set(FIELDS)
    assert 0.0 <= written.threshold <= 1.0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["fitted_on"]["cards"] == 3
    # Fitted again on the same readings (kept), the same file.
    tool.main(
        [
            str(folder),
            "--out",
            str(tmp_path / "again.json"),
            "--jobs",
            "1",
            "--cache",
            str(tmp_path / "c"),
        ]
    )
    assert (tmp_path / "again.json").read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_calibrate_command_refuses_a_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tools import calibrate as tool

    with pytest.raises(SystemExit) as stop:
        tool.main([str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.json")])
    assert stop.value.code == 2
    assert "nowhere is not a folder" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_phone_issue_feeds_the_phones_model() -> None:
    ex = Extraction(
        Contact(phones=[Phone("+1555", raw="555", valid=False)]), confidence={"phones": 0.5}
    )
    features = field_features(ex, _card_ocr(), [])
    state, values = features["phones"]
    assert state == READ and values["invalid"] == 1.0


def test_no_title_doubt_on_a_card_without_a_name() -> None:
    # A title is the person's: with no name read, an empty title is right exactly when
    # the empty name is, so its doubt is the name's, counted once.
    ex = Extraction(Contact(company="Acme Ltd"), confidence={"company": 0.9})
    features = field_features(ex, _card_ocr(), [])
    calibration = _flat({"title": {EMPTY: 0.2}, "name": {EMPTY: 0.2}})
    assert [i.field for i in calibrate(ex, features, calibration=calibration)] == ["name"]
    trusted = _flat({"title": {EMPTY: 0.2}, "name": {EMPTY: 0.99}})
    assert calibrate(ex, features, calibration=trusted) == []
    probabilities = field_probabilities(trusted.probability, features)
    assert probabilities["title"] == 1.0 and probabilities["name"] == pytest.approx(0.99)
    named = Extraction(Contact(name="Jane Doe"), confidence={"name": 0.9})
    features = field_features(named, _card_ocr(), [])
    assert [i.field for i in calibrate(named, features, calibration=calibration)] == ["title"]
    assert field_probabilities(trusted.probability, features)["title"] == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("emails", "mailbox_only"),
    [
        (["info@roseandthorn.co.uk"], 1.0),
        (["sales.team@roseandthorn.co.uk", "Office2@roseandthorn.co.uk"], 1.0),
        (["info@roseandthorn.co.uk", "jramos@roseandthorn.co.uk"], 0.0),
        (["jramos@roseandthorn.co.uk"], 0.0),
        ([], 0.0),
    ],
)
def test_a_shared_mailbox_hints_that_a_card_has_no_name(
    emails: list[str], mailbox_only: float
) -> None:
    ex = Extraction(Contact(company="Rose & Thorn", emails=emails), confidence={"company": 0.9})
    state, features = field_features(ex, _card_ocr(), [])["name"]
    assert state == EMPTY and features["mailbox_only"] == mailbox_only


@pytest.mark.parametrize(
    ("emails", "agree"),
    [
        (["jane.doe@acme.com"], 1.0),  # the address spells the name
        (["hello@janedoe.studio"], 1.0),  # a shared mailbox at the person's own domain
        (["info@acme.com"], 0.5),  # a shared mailbox: nothing for or against
        (["jd@acme.com"], 0.0),  # a person's address that spells no part of the name
        (["info@acme.com", "xyz@acme.com"], 0.0),
    ],
)
def test_the_emails_agreement_with_the_name(emails: list[str], agree: float) -> None:
    ex = Extraction(
        Contact(name="Jane Doe", emails=emails), confidence={"name": 0.9, "emails": 0.9}
    )
    state, features = field_features(ex, _card_ocr(), [])["emails"]
    assert state == READ and features["name_agree"] == agree


def test_the_extractors_no_name_stands_only_when_the_verdict_doubts_the_empty_name() -> None:
    """The extractor flags every card without a person's name; the verdict, which can
    tell a shop's card from a missed name, keeps that flag or drops it."""
    pipeline = parse_pipeline("", "test.toml")
    shop = _shop_ocr("info@roseandthorn.co.uk")
    trusted = _flat({"name": {EMPTY: 0.99}})
    ex, issues = interpret(shop, None, "GB", pipeline, calibration=trusted)
    assert ex.contact.name is None and ex.contact.company
    assert issues == [] and ex.issues == []
    doubted = _flat({"name": {EMPTY: 0.3}})
    ex, issues = interpret(shop, None, "GB", pipeline, calibration=doubted)
    assert sorted((i.code, i.field) for i in issues) == [
        (MAYBE_MISSED, "name"),
        (NO_NAME, "name"),
    ]
    # Without the validate stage there is no verdict: the extractor's flag stands.
    quiet = parse_pipeline('stages = ["load", "ocr", "extract"]\n', "t.toml")
    _ex, issues = interpret(shop, None, "GB", quiet, calibration=trusted)
    assert [i.code for i in issues] == [NO_NAME]


def test_the_shipped_calibration_trusts_a_shops_mailbox_more_than_a_persons() -> None:
    pipeline = parse_pipeline("", "test.toml")
    chances = {}
    for email in ("info@roseandthorn.co.uk", "jramos@roseandthorn.co.uk"):
        ex, _issues = interpret(_shop_ocr(email), None, "GB", pipeline)
        assert ex.contact.name is None, email  # "jramos" alone spells no name
        state, features = field_features(ex, _shop_ocr(email), [])["name"]
        chances[email] = shipped().probability("name", state, features)
    assert chances["info@roseandthorn.co.uk"] > chances["jramos@roseandthorn.co.uk"] + 0.02


def test_review_page_marks_the_doubtful_fields_with_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    from click.testing import CliRunner

    from cardscan.cli.main import cli
    from cardscan.model import CardResult, Status
    from cardscan.state.batches import Batch, Entry, save_batch

    ex = Extraction(
        Contact(name="Jane Doe", company="Acme", emails=["jane@acme.com"]),
        confidence={"name": 0.9, "company": 0.9, "emails": 0.95},
    )
    features = field_features(ex, _card_ocr(), [])
    calibration = _flat(
        {
            "company": {READ: 0.4},
            "phones": {EMPTY: 0.1},
            "name": {READ: 0.99},
            "emails": {READ: 0.99},
        }
    )
    issues = calibrate(ex, features, calibration=calibration)
    assert shipped().threshold < 0.99  # the page marks by the shipped threshold
    result = CardResult(
        source=str(tmp_path / "card.jpg"),
        card_id="cd" * 32,
        status=Status.NEEDS_REVIEW,
        contact=ex.contact,
        confidence=ex.confidence,
        issues=issues,
    )
    batch = Batch(id="", book="contacts.xlsx", started_at=datetime.now())
    batch.entries.append(
        Entry(
            source="card.jpg",
            photo=str(tmp_path / "card.jpg"),
            card_id=result.card_id,
            action="new",
            reasons=[i.message for i in issues],
            reading=result.to_json(),
        )
    )
    save_batch((tmp_path / "contacts.xlsx").resolve(), batch)
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(cli, ["review"])
    assert done.exit_code == 0, done.output
    page = (tmp_path / "contacts.review.html").read_text(encoding="utf-8")
    why = calibration.reason("company", READ, features["company"][1])
    assert f"doubtful (40%): {why}" in page  # the company, with the verdict's reason
    # Name and email are likely right: only the company is marked doubtful.
    assert page.count('class="mark doubt"><span aria-hidden') == 1
    assert "no phones read (10% likely none on the card)" in page


def test_the_threshold_is_chosen_on_several_dealings_of_the_folds() -> None:
    """Each dealing puts every card in exactly one fold, the folds as even as can be;
    the first deals in turn, the others differ; the choice sees every dealing."""
    from tools import calibrate as tool

    data = [tool.Example(str(i), {}, False) for i in range(23)]
    first = tool._fold(data)
    assert first == [i % tool.FOLDS for i in range(23)]
    dealings = [tool._fold(data, k) for k in range(tool.FOLD_SHUFFLES)]
    assert len({tuple(d) for d in dealings}) == tool.FOLD_SHUFFLES
    for folds in dealings:
        sizes = [folds.count(k) for k in range(tool.FOLDS)]
        assert max(sizes) - min(sizes) <= 1
    assert tool._fold(data, 3) == tool._fold(data, 3)  # seeded: the same every run
