"""The random benchmark generator (tools/cardgen): its newer regions, QR codes,
two-person cards and photo ranges, run for real on a few drawn cards.

Photos here are taken at a small frame size so the module stays fast; the
rendering and truth code are the ones the benchmark uses.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np
import phonenumbers
import pytest
from conftest import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.cardgen.benchmark import random_sample
from tools.cardgen.random_specs import REGIONS, random_card_spec, random_photo_spec
from tools.cardgen.render import LayoutError, RenderedCard, render_card
from tools.cardgen.sample import Sample, build_sample
from tools.cardgen.spec import CardSpec, Person
from tools.cardgen.truth import check_printed

SMALL_PHOTO = {"size": (900, 675), "hand": False}


def _find(want: Callable[[Sample], bool], limit: int = 3000) -> Sample:
    """The first benchmark sample (by seed) that satisfies `want` and renders."""
    for seed in range(limit):
        sample = random_sample(seed, f"test-{seed}")
        if want(sample):
            try:
                render_card(sample.card, 1.0)
            except LayoutError:
                continue
            return sample
    raise AssertionError(f"no such sample in {limit} seeds")


def _build(sample: Sample) -> tuple[dict, RenderedCard]:
    """Truth JSON of the sample photographed small, and its card rendered as the photo's."""
    small = replace(sample, photo=replace(sample.photo, **SMALL_PHOTO))
    _, truth = build_sample(small)
    return json.loads(truth), render_card(sample.card, 2.0)


@pytest.mark.parametrize("region", ["IT", "NL", "IN"])
def test_new_regions_draw_valid_phones_and_render(region: str) -> None:
    _, _, work, mobile, fax, titles = REGIONS[region]
    rendered = 0
    for seed in range(8):
        spec = random_card_spec(np.random.default_rng(seed), region)
        assert spec.region == region
        assert spec.title is None or spec.title in titles
        for phone in spec.phones:
            num = phonenumbers.parse(phone.raw, region)
            assert phonenumbers.is_valid_number(num), phone
            assert phonenumbers.region_code_for_number(num) == region
            assert phone.label in {"work": work, "mobile": mobile, "fax": fax}[phone.kind]
        try:
            card = render_card(spec, 1.0)
        except LayoutError:
            continue
        check_printed(spec, card)
        rendered += 1
    assert rendered >= 6


def _address_lines(region: str) -> list[str]:
    specs = (random_card_spec(np.random.default_rng(seed), region) for seed in range(30))
    return [line for spec in specs for line in spec.address]


def test_new_region_addresses_print_in_local_form() -> None:
    nl, it = _address_lines("NL"), _address_lines("IT")
    assert any(re.fullmatch(r"\d{4} [A-Z]{2} \S.*", line) for line in nl)  # "1234 AB Plaats"
    assert not any(re.fullmatch(r"\d{4} ?[A-Z]{2}", line) for line in nl)
    assert any(re.match(r"\d{5} \S", line) for line in it)  # "20143 Milano (MI)"
    assert not any(re.match(r"\d{5},", line) for line in it)


def _decode(card: RenderedCard) -> str:
    """Read the card's QR code with OpenCV from the rendered image, either polarity."""
    (box,) = [it.box for it in card.items if it.role == "qr"]
    x0, y0, x1, y1 = (round(v * card.scale) for v in box)
    gray = cv2.cvtColor(np.asarray(card.image), cv2.COLOR_RGB2GRAY)
    pad = round(8 * card.scale)
    crop = gray[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    detector = cv2.QRCodeDetector()
    return detector.detectAndDecode(crop)[0] or detector.detectAndDecode(255 - crop)[0]


@pytest.mark.parametrize("kind", ["https://", "BEGIN:VCARD"])
def test_a_qr_code_decodes_to_its_truth(kind: str) -> None:
    # A vCard with accents, to check the UTF-8 bytes come back as the same text.
    sample = _find(
        lambda s: (
            (s.card.qr or "").startswith(kind)
            and (kind != "BEGIN:VCARD" or not s.card.qr.isascii())
        )
    )
    truth, card = _build(sample)
    assert "qr" not in truth["contact"]
    qr = truth["card"]["qr"]
    assert qr == sample.card.qr and qr not in truth["card"]["printed_lines"]
    assert _decode(card) == qr
    c = truth["contact"]
    if kind == "https://":
        assert qr == "https://" + c["websites"][0]
    else:
        assert not c["websites"]
        assert qr.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and qr.endswith("END:VCARD\r\n")
        assert f"\r\nFN:{c['name']}\r\n" in qr
        assert all(f":{p['number']}\r\n" in qr for p in c["phones"])
        assert all(f":{e}\r\n" in qr for e in c["emails"])


def test_a_two_person_card_has_both_in_truth_and_print() -> None:
    sample = _find(lambda s: bool(s.card.others) and bool(s.card.others[0].phones))
    truth, _ = _build(sample)
    lines = truth["card"]["printed_lines"]
    caps = truth["card"]["name_all_caps"]
    (other,) = truth["others"]
    assert set(other) == {"name", "title", "emails", "phones"}
    first, second = truth["contact"]["name"], other["name"]
    assert first != second and first == sample.card.name
    for name in (first, second):
        assert (name.upper() if caps else name) in lines
    assert other["title"] in lines
    domain = truth["contact"]["emails"][0].split("@")[1]
    assert [e.split("@")[1] for e in other["emails"]] == [domain]
    assert set(other["emails"]).isdisjoint(truth["contact"]["emails"])
    (phone,) = other["phones"]
    assert set(phone) >= {"number", "kind", "raw"} and phone["number"].startswith("+")
    assert any(phone["raw"] in ln for ln in lines)
    assert phone["number"] not in {p["number"] for p in truth["contact"]["phones"]}


def test_the_truth_check_covers_the_second_person() -> None:
    sample = _find(lambda s: bool(s.card.others))
    card = render_card(sample.card, 1.0)
    check_printed(sample.card, card)
    other = sample.card.others[0]
    for changed in (
        replace(other, name=other.name + "x"),
        replace(other, title="Nowhere Printed"),
        replace(other, emails=("nobody@example.com",)),
    ):
        spec: CardSpec = replace(sample.card, others=(changed,))
        with pytest.raises(AssertionError, match="was not drawn"):
            check_printed(spec, card)
    with pytest.raises(AssertionError, match="QR code"):
        check_printed(replace(sample.card, qr="https://elsewhere.example"), card)


def test_cards_without_the_new_fields_draw_no_qr_and_no_second_block() -> None:
    spec = CardSpec("US", "Ann Lee", title="Director", emails=("ann@lee.com",))
    card = render_card(spec, 1.0)
    assert [it.role for it in card.items] == ["name", "title", "email"]
    with pytest.raises(ValueError, match="several people"):
        CardSpec("US", "Ann Lee", layout="centered", others=(Person("Bo Lee"),))
    with pytest.raises(ValueError, match="QR code"):
        CardSpec("US", "Ann Lee", layout="logo_left", qr="https://lee.com")


def test_feature_rates_and_photo_ranges() -> None:
    rng = np.random.default_rng(11)
    cards = [random_card_spec(rng) for _ in range(400)]
    assert {c.region for c in cards} == set(REGIONS)
    qr = sum(c.qr is not None for c in cards) / len(cards)
    pairs = sum(bool(c.others) for c in cards) / len(cards)
    assert 0.07 < qr < 0.2 and 0.02 < pairs < 0.1
    photos = [random_photo_spec(rng) for _ in range(600)]
    sizes = {p.size for p in photos}
    assert {(4032, 3024), (3264, 2448), (2016, 1512)} <= sizes
    assert sum(max(p.size) > 2048 for p in photos) < len(photos) * 0.3
    tilts = [float(np.hypot(p.tilt_x, p.tilt_y)) for p in photos]
    assert max(tilts) <= 35.1 and 0.1 < sum(t > 25.1 for t in tilts) / len(tilts) < 0.25
    quality = {p.jpeg_quality for p in photos}
    assert min(quality) == 60 and max(quality) == 90


def test_same_seed_same_sample() -> None:
    assert random_sample(42, "a") == random_sample(42, "a")
    assert random_sample(42, "a") != random_sample(43, "a")
