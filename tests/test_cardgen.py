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
from tools.cardgen.layouts import BAND, LAYOUT_DECORATIONS, LAYOUT_FUNCS, MARGIN
from tools.cardgen.random_specs import (
    REGIONS,
    random_card_spec,
    random_photo_spec,
    style_for_layout,
)
from tools.cardgen.render import LayoutError, RenderedCard, render_card
from tools.cardgen.sample import Sample, build_sample
from tools.cardgen.spec import (
    LAYOUTS,
    PAIR_LAYOUTS,
    QR_LAYOUTS,
    CardSpec,
    Person,
    Phone,
    Social,
    Style,
)
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


# -- layouts -------------------------------------------------------------------

NEW_LAYOUTS = ("right_aligned", "band_top", "split_panel", "details_top", "minimal", "grid")

FULL_CARD = CardSpec(
    "US",
    "Dana Whitfield",
    given_name="Dana",
    family_name="Whitfield",
    title="Operations Manager",
    company="Harbor Point Logistics",
    tagline="Freight since 1987",
    phones=(
        Phone("(212) 555-0142", "work", "T"),
        Phone("(415) 555-0177", "mobile", "M"),
        Phone("(212) 555-0199", "fax", "F"),
    ),
    emails=("dana.whitfield@harborpoint.com",),
    websites=("www.harborpoint.com",),
    address=("410 Water Street", "New York, NY 10038"),
    socials=(Social("linkedin", "linkedin.com/in/danawhitfield"),),
    style=Style(logo="hexagon"),
)
SHOP_CARD = CardSpec(
    "GB",
    company="The Copper Kettle",
    tagline="Tea room · Est. 1994",
    phones=(Phone("020 7946 0321", "work", "T"),),
    emails=("info@copperkettle.co.uk",),
    address=("12 Market Street", "London SE1 9AA"),
    extra_lines=("Open daily 8am-6pm",),
    style=Style(logo="leaf"),
)


def _on_layout(spec: CardSpec, layout: str) -> CardSpec:
    qr = spec.qr if layout in QR_LAYOUTS else None
    others = spec.others if layout in PAIR_LAYOUTS else ()
    style = style_for_layout(spec.style, layout)
    return replace(spec, layout=layout, qr=qr, others=others, style=style)


def _boxes(card: RenderedCard, *roles: str) -> list[tuple[float, float, float, float]]:
    return [it.box for it in card.items if it.role in roles]


def test_there_are_at_least_ten_layouts_each_drawn_by_the_renderer() -> None:
    assert len(LAYOUTS) >= 10 and set(NEW_LAYOUTS) <= set(LAYOUTS)
    assert set(LAYOUT_FUNCS) == set(LAYOUTS) == set(LAYOUT_DECORATIONS)
    assert set(PAIR_LAYOUTS) <= set(LAYOUTS) and set(QR_LAYOUTS) <= set(LAYOUTS)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_renders_random_cards_with_their_truth_printed(layout: str) -> None:
    rendered = 0
    for seed in range(6):
        spec = _on_layout(random_card_spec(np.random.default_rng(500 + seed)), layout)
        try:
            card = render_card(spec, 1.0)
        except LayoutError:
            continue
        check_printed(spec, card)
        rendered += 1
    assert rendered >= 5


@pytest.mark.parametrize("layout", NEW_LAYOUTS)
@pytest.mark.parametrize("base", [FULL_CARD, SHOP_CARD], ids=["person", "shop"])
def test_new_layouts_print_everything_including_tagline_and_notes(
    layout: str, base: CardSpec
) -> None:
    spec = _on_layout(base, layout)
    card = render_card(spec, 1.0)
    check_printed(spec, card)
    text = "\n".join(card.printed_lines())
    for value in (spec.tagline, *spec.extra_lines):
        assert value and value in text
    assert len(_boxes(card, "logo")) == 1


def test_right_aligned_is_flush_right_with_the_logo_top_right() -> None:
    card = render_card(_on_layout(FULL_CARD, "right_aligned"), 1.0)
    w, _ = card.size
    (logo,) = _boxes(card, "logo")
    assert logo[2] == w - MARGIN and logo[1] < 100
    for it in card.items:
        if it.role not in ("logo", "qr"):
            assert abs(it.box[2] - (w - MARGIN)) < 8 or it.role in ("company", "tagline"), it
    # A QR code sits bottom-left and reads back.
    spec = replace(_on_layout(FULL_CARD, "right_aligned"), qr="https://www.harborpoint.com")
    card = render_card(spec, 2.0)
    check_printed(spec, card)
    (qr,) = _boxes(card, "qr")
    assert qr[0] < MARGIN and qr[3] > card.size[1] - MARGIN - 10
    assert _decode(card) == spec.qr


def test_band_top_prints_the_company_light_on_a_dark_band() -> None:
    spec = _on_layout(FULL_CARD, "band_top")
    card = render_card(spec, 1.0)
    (company,) = _boxes(card, "company")
    assert company[3] < BAND
    assert all(
        it.box[1] > BAND for it in card.items if it.role not in ("company", "tagline", "logo")
    )
    assert card.image.getpixel((5, 5)) == (0x1F, 0x5F, 0x8B)  # the accent
    assert card.image.getpixel((5, BAND + 5)) == (255, 255, 255)  # the card colour
    (name,) = _boxes(card, "name")
    assert name[2] < min(b[0] for b in _boxes(card, "phone", "email", "web", "address"))


def test_band_top_prints_two_people_below_the_band() -> None:
    colleague = Person("Sam Ortega", "Sales Director", ("sam.ortega@harborpoint.com",))
    spec = replace(_on_layout(FULL_CARD, "band_top"), others=(colleague,))
    card = render_card(spec, 1.0)
    check_printed(spec, card)
    first, second = _boxes(card, "name")
    assert first[1] > BAND and abs(first[1] - second[1]) < 2 and first[2] < second[0]


@pytest.mark.parametrize("layout", PAIR_LAYOUTS)
def test_stacked_people_are_printed_one_above_the_other(layout: str) -> None:
    colleague = Person(
        "Sam Ortega",
        "Sales Director",
        ("sam.ortega@harborpoint.com",),
        (Phone("(415) 555-0188", "mobile", "M"),),
    )
    spec = replace(_on_layout(FULL_CARD, layout), others=(colleague,), people="stacked")
    card = render_card(spec, 1.0)
    check_printed(spec, card)
    first, second = _boxes(card, "name")
    assert abs(first[0] - second[0]) < 2 and second[1] > first[3]
    # Each person's own email lies between their name and the next block.
    own = sorted(_boxes(card, "email"), key=lambda b: b[1])
    assert len(own) == 2 and first[3] < own[0][1] < second[1] < second[3] < own[1][1]
    # The shared lines (office phone, web, address) stand in a column right of the blocks.
    blocks_right = max(b[2] for b in [first, second, *own])
    assert all(b[0] > blocks_right for b in _boxes(card, "web", "address"))
    with pytest.raises(ValueError, match="arrangement"):
        replace(spec, people="diagonal")


def test_pair_sets_keep_benchmark_cards_naming_two_people() -> None:
    from tools.cardgen.pairs import pair_sample

    seeds = [s for s in range(400) if random_sample(s, "x").card.others]
    assert seeds and len(seeds) < 60  # about 1 draw in 20 names a colleague
    assert pair_sample(next(s for s in range(400) if s not in seeds), "x", 1.0) is None
    plain, side, stacked = (
        random_sample(seeds[0], "x"),
        pair_sample(seeds[0], "x", 0.0),
        pair_sample(seeds[0], "x", 1.0),
    )
    assert side == plain and side.card.people == "side"
    assert stacked is not None and stacked.card.people == "stacked"
    assert replace(stacked.card, people="side") == plain.card and stacked.seed == plain.seed
    assert "two people stacked" in stacked.exercises


def test_split_panel_mixes_light_and_dark_print() -> None:
    spec = _on_layout(FULL_CARD, "split_panel")
    card = render_card(spec, 1.0)
    panel = card.size[0] * 0.4
    for box in _boxes(card, "name", "title", "logo"):
        assert box[2] < panel
    for box in _boxes(card, "company", "phone", "email", "web", "social", "address"):
        assert box[0] > panel
    img, accent, white = card.image, (0x1F, 0x5F, 0x8B), (255, 255, 255)
    assert img.getpixel((5, 5)) == accent and img.getpixel((card.size[0] - 5, 5)) == white
    (name,) = _boxes(card, "name")
    mid = round((name[1] + name[3]) / 2)
    assert white in {img.getpixel((x, mid)) for x in range(int(name[0]), int(name[2]))}
    (phone, *_) = _boxes(card, "phone")
    mid = round((phone[1] + phone[3]) / 2)
    inked = {img.getpixel((x, mid)) for x in range(int(phone[0]), int(phone[2]))}
    assert min(sum(px) for px in inked) < 3 * 80  # dark print on the card colour
    # A name too long for the panel is not allowed to run out of it (it would vanish).
    long = replace(spec, name="Maximiliana Alexandra Worthington-Hughes")
    with pytest.raises(LayoutError):
        render_card(long, 1.0)


def test_details_top_puts_the_details_above_a_large_name() -> None:
    card = render_card(_on_layout(FULL_CARD, "details_top"), 1.0)
    _, h = card.size
    (name,), (title,) = _boxes(card, "name"), _boxes(card, "title")
    assert name[1] > h / 2 and name[3] - name[1] > 1.5 * (title[3] - title[1])
    assert max(b[3] for b in _boxes(card, "phone", "email", "web", "social", "address")) < name[1]


def test_minimal_packs_the_details_into_small_lines_along_the_bottom() -> None:
    spec = _on_layout(FULL_CARD, "minimal")
    assert spec.style.body_size < FULL_CARD.style.body_size
    card = render_card(spec, 1.0)
    w, h = card.size
    (name,) = _boxes(card, "name")
    assert abs((name[0] + name[2]) / 2 - w / 2) < 2
    lines = [it for it in card.items if it.role in ("details", "phone", "address", "social")]
    assert 1 <= len(lines) <= 3 and all(it.box[1] > h * 0.7 for it in lines)
    assert any(it.text == "410 Water Street | New York, NY 10038" for it in lines)


def test_grid_heads_each_block_in_the_card_language() -> None:
    card = render_card(_on_layout(FULL_CARD, "grid"), 1.0)
    assert [it.text for it in card.items if it.role == "heading"] == [
        "PHONE",
        "EMAIL",
        "ADDRESS",
        "WEB",
    ]
    x0s = {round(b[0]) for b in _boxes(card, "heading")}
    assert len(x0s) == 2
    de = replace(_on_layout(FULL_CARD, "grid"), region="DE")
    card = render_card(de, 1.0)
    assert "TELEFON" in card.printed_lines() and "ADRESSE" in card.printed_lines()


def test_random_draws_spread_over_all_layouts_with_fitting_features() -> None:
    rng = np.random.default_rng(3)
    cards = [random_card_spec(rng) for _ in range(600)]
    shares = {lay: sum(c.layout == lay for c in cards) / len(cards) for lay in LAYOUTS}
    assert all(0.035 < s < 0.17 for s in shares.values()), shares
    for c in cards:
        assert c.style.decoration is None or c.style.decoration in LAYOUT_DECORATIONS[c.layout]
    assert {c.layout for c in cards if c.others} == set(PAIR_LAYOUTS)
    assert {c.layout for c in cards if c.qr} == set(QR_LAYOUTS)


def test_the_cards_of_a_multi_card_photo_alone_are_the_same_cards() -> None:
    """cards_alone: the baseline of a photo of several cards is the same cards, each in a
    photo of its own; the truth of each matches the multi-card photo's card for card."""
    from tools.cardgen.multi import cards_alone, multi_photo

    fixed = {"count": 2, "layout": "grid", "gap_mm": 6.0, "frame": (800, 600)}
    _, record = multi_photo(11, **fixed)
    alone = cards_alone(11, **fixed)
    assert [s.card.name for s in alone] == [c["truth"]["contact"]["name"] for c in record["cards"]]
    assert alone[0].photo.background == record["background"]  # the same table


def test_photos_of_many_cards_are_drawn_at_12_mp() -> None:
    """A photo of more than a few cards is a 12 MP photo (issue 16), whichever way up;
    a photo of a few cards may be any of the frames."""
    from tools.cardgen.multi import FRAMES, SMALL_FRAME_CARDS, draw_multi_spec

    for seed in range(30):
        spec = draw_multi_spec(np.random.default_rng(seed), count=SMALL_FRAME_CARDS + 1)
        assert sorted(spec.frame) == sorted(FRAMES[0])
    small = {draw_multi_spec(np.random.default_rng(s), count=2).frame for s in range(30)}
    assert any(sorted(f) != sorted(FRAMES[0]) for f in small)
