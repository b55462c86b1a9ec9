"""The committed sample photos and their truth JSON agree with each other and
with the generator that made them.

Regeneration is compared by truth (exact) and by pixels (nearly equal), not by bytes:
a fresh machine may get another libjpeg, Pillow or FreeType whose output differs in the
last bits. If the pixel check fails after such an upgrade, the samples need regenerating
(`python samples/generate.py`) and re-committing.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
import types
from dataclasses import replace
from pathlib import Path

import numpy as np
import phonenumbers
import pytest
from conftest import CONTACT_KEYS
from PIL import Image

from cardscan.bench import OPTIONAL_FIELDS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def _load_generate() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("samples_generate", SAMPLES / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # also puts the repo root on sys.path
    return module


generate = _load_generate()
sys.path.insert(0, str(ROOT))

from tools.cardgen import fonts  # noqa: E402
from tools.cardgen.photo import photograph  # noqa: E402
from tools.cardgen.render import render_card  # noqa: E402
from tools.cardgen.spec import CardSpec, Phone, PhotoSpec  # noqa: E402
from tools.cardgen.truth import contact_truth  # noqa: E402

JPGS = sorted(SAMPLES.glob("*.jpg"))
JSONS = sorted(SAMPLES.glob("*.json"))
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def _truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_at_least_16_samples() -> None:
    assert len(JPGS) >= 16
    assert {p.stem for p in JPGS} == {s.stem for s in generate.SAMPLES}


def test_every_photo_has_truth_and_vice_versa() -> None:
    assert [p.stem for p in JPGS] == [p.stem for p in JSONS]


@pytest.mark.parametrize("path", JSONS, ids=lambda p: p.stem)
def test_truth_shape(path: Path) -> None:
    t = _truth(path)
    assert isinstance(t["exercises"], str) and len(t["exercises"]) > 10
    assert re.fullmatch(r"[A-Z]{2}", t["region"])
    assert t["rotation"] in (0, 90, 180, 270)
    c = t["contact"]
    # A field added after the truth was written may be left out (fields.optional_truth).
    assert CONTACT_KEYS - set(OPTIONAL_FIELDS) <= set(c) <= CONTACT_KEYS
    for key in ("name", "given_name", "family_name", "title", "company", "address"):
        assert c[key] is None or (isinstance(c[key], str) and c[key].strip() == c[key] != "")
    assert c["name"] is not None or c["company"] is not None
    assert all("@" in e and " " not in e for e in c["emails"])
    assert all(isinstance(w, str) and "." in w for w in c["websites"])
    assert set(c["social"]) <= {"linkedin", "twitter", "instagram"}
    if c["name"] and c["given_name"]:
        assert c["given_name"] in c["name"] and c["family_name"] in c["name"]


@pytest.mark.parametrize("path", JSONS, ids=lambda p: p.stem)
def test_truth_phones_are_valid_e164(path: Path) -> None:
    t = _truth(path)
    # Every card has a phone; a card's back may print none (its front does).
    card = t.get("merged", t["contact"])
    assert card["phones"], "every sample card prints at least one phone"
    for p in t["contact"]["phones"]:
        assert set(p) <= {"number", "kind", "raw", "extension"}
        assert p["kind"] in ("mobile", "work", "fax", "other")
        assert E164.match(p["number"]), p
        num = phonenumbers.parse(p["number"])
        assert phonenumbers.is_valid_number(num), p
        assert phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164) == p["number"]
        # The printed text must mean the same number in the card's own region.
        assert phonenumbers.parse(p["raw"], t["region"]) == num, p
        assert "extension" not in p or p["extension"].isdigit()


@pytest.mark.parametrize("path", JSONS, ids=lambda p: p.stem)
def test_truth_strings_are_printed(path: Path) -> None:
    t = _truth(path)
    c, lines = t["contact"], t["card"]["printed_lines"]
    printed = "\n".join(lines)
    values = [c["title"], c["company"], *c["emails"], *c["websites"], *c["social"].values()]
    values += [p["raw"] for p in c["phones"]]
    if c["name"]:
        values.append(c["name"].upper() if t["card"]["name_all_caps"] else c["name"])
    for v in filter(None, values):
        assert v in printed, v
    if c["address"]:
        assert all(part in printed for part in c["address"].split(", "))


BACKS = [p for p in JSONS if "back_of" in _truth(p)]


def test_some_samples_are_cards_with_their_backs() -> None:
    assert len(BACKS) >= 3


@pytest.mark.parametrize("path", BACKS, ids=lambda p: p.stem)
def test_back_truth_names_its_front_and_the_whole_card(path: Path) -> None:
    """A back is named `<front stem>-back` (as ingest pairs them) and says what the card
    is with both sides: the front's contact, completed from the back."""
    t = _truth(path)
    front = _truth(SAMPLES / f"{t['back_of']}.json")
    assert path.stem == f"{t['back_of']}-back" and "back_of" not in front
    merged, mine = t["merged"], front["contact"]
    assert CONTACT_KEYS - set(OPTIONAL_FIELDS) <= set(merged) <= CONTACT_KEYS
    for key in ("name", "title", "company", "address"):
        assert merged[key] == (mine[key] or t["contact"][key])
    numbers = [p["number"] for p in merged["phones"]]
    assert numbers[: len(mine["phones"])] == [p["number"] for p in mine["phones"]]
    assert len(set(numbers)) == len(numbers)
    assert {p["number"] for p in t["contact"]["phones"]} <= set(numbers)
    assert set(t["contact"]["emails"]) <= set(merged["emails"])
    printed = "\n".join(t["card"]["printed_lines"])
    assert t["card_notes"] and all(note in printed for note in t["card_notes"])


@pytest.mark.parametrize("path", JPGS, ids=lambda p: p.stem)
def test_photo_decodes_with_sane_size(path: Path) -> None:
    assert path.stat().st_size < 600 * 1024
    with Image.open(path) as im:
        im.load()
        assert im.format == "JPEG" and im.mode == "RGB"
        assert 1200 <= max(im.size) <= 3000
        assert im.getexif().get(0x0112) is None, "orientation must be in the pixels, not EXIF"
        size = list(im.size)
    assert _truth(path.with_suffix(".json"))["photo"]["size"] == size


@pytest.mark.parametrize("path", JSONS, ids=lambda p: p.stem)
def test_card_corners_match_rotation(path: Path) -> None:
    """The card's top edge (TL->TR) points the way `rotation` says the photo is turned."""
    t = _truth(path)
    corners = np.array(t["photo"]["card_corners"])
    w, h = t["photo"]["size"]
    assert ((corners >= 0) & (corners <= [w, h])).all()
    dx, dy = corners[1] - corners[0]
    angle = math.degrees(math.atan2(dy, dx)) % 360  # clockwise, since y points down
    diff = (angle - t["rotation"] + 180) % 360 - 180
    assert abs(diff) < 30, (angle, t["rotation"])


@pytest.mark.parametrize("stem", ["us-classic-wood", "us-held-in-hand", "us-consultant-note-back"])
def test_regeneration_reproduces_the_sample(stem: str, tmp_path: Path) -> None:
    jpg, js = generate.generate_one(stem, tmp_path)
    fresh = np.asarray(Image.open(jpg).convert("L"), dtype=np.float32)
    committed = np.asarray(Image.open(SAMPLES / f"{stem}.jpg").convert("L"), dtype=np.float32)
    assert fresh.shape == committed.shape
    assert float(np.abs(fresh - committed).mean()) < 2.0
    assert js.read_text(encoding="utf-8") == (SAMPLES / f"{stem}.json").read_text(encoding="utf-8")


def test_rotation_means_clockwise_turn() -> None:
    """Image.rotate(rotation, expand=True) undoes the turn, as the truth docs promise."""
    card = render_card(generate.sample_by_stem("us-classic-wood").card, scale=1.0)
    base = PhotoSpec("dark_table", size=(640, 480), tilt_x=5, roll=3)
    upright = photograph(card, base, np.random.default_rng(7)).image
    for rot in (90, 180, 270):
        turned = photograph(card, replace(base, rotation=rot), np.random.default_rng(7)).image
        assert turned.size == (upright.size if rot == 180 else upright.size[::-1])
        restored = turned.rotate(rot, expand=True)
        assert np.array_equal(np.asarray(restored), np.asarray(upright)), rot


def test_invalid_phone_is_rejected() -> None:
    spec = CardSpec("US", "A B", phones=(Phone("(555) 555-5555", "work", "T"),))
    with pytest.raises(ValueError, match="invalid phone"):
        contact_truth(spec)


def test_missing_font_names_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(fonts, "_ROOT", tmp_path)
    with pytest.raises(fonts.MissingFontError, match=r"apt-get install -y fonts-lato"):
        fonts.font_path("lato-bold")
    assert generate.main(["--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "apt-get install -y fonts-" in err
    assert not (tmp_path / "out").exists()
