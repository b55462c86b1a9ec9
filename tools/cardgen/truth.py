"""Truth JSON for a simulated photo, derived from the same spec that drew it.

Phone numbers are normalised with `phonenumbers` here (never typed in E.164 by
hand) and rejected if invalid, and every truth string is checked against the
lines the renderer actually drew, so truth and pixels cannot drift apart.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import phonenumbers

from .photo import Photo
from .render import RenderedCard
from .spec import CardSpec, Person, Phone, PhotoSpec


def phone_truth(phone: Phone, region: str) -> dict[str, str]:
    """E.164 number, kind, printed text and extension of one phone line."""
    num = phonenumbers.parse(phone.raw, phone.region or region)
    if not phonenumbers.is_valid_number(num):
        raise ValueError(f"invalid phone number for {phone.region or region}: {phone.raw!r}")
    out = {
        "number": phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164),
        "kind": phone.kind,
        "raw": phone.raw,
    }
    if phone.extension:
        out["extension"] = phone.extension
    return out


def contact_truth(spec: CardSpec) -> dict[str, Any]:
    """The contact fields an extractor should recover from the card."""
    return {
        "name": spec.name,
        "given_name": spec.given_name,
        "family_name": spec.family_name,
        "title": spec.title,
        "company": spec.company,
        "emails": list(spec.emails),
        "phones": [phone_truth(p, spec.region) for p in spec.phones],
        "websites": list(spec.websites),
        "address": ", ".join(spec.address) if spec.address else None,
        "social": {s.network: s.handle for s in spec.socials},
    }


def other_truth(person: Person, region: str) -> dict[str, Any]:
    """A further person on the card: name, title and their own emails and phones."""
    return {
        "name": person.name,
        "title": person.title,
        "emails": list(person.emails),
        "phones": [phone_truth(p, region) for p in person.phones],
    }


def check_printed(spec: CardSpec, card: RenderedCard) -> None:
    """Raise if any truth value is not on a line the renderer drew (or in its QR code)."""
    lines = card.printed_lines()
    caps = spec.style.name_caps
    wanted = [spec.title, spec.company, *spec.emails, *spec.websites, *spec.address]
    if spec.name:
        wanted.append(spec.name.upper() if caps else spec.name)
    wanted += [p.printed() for p in spec.phones] + [s.handle for s in spec.socials]
    for other in spec.others:
        wanted += [other.name.upper() if caps else other.name, other.title, *other.emails]
        wanted += [p.printed() for p in other.phones]
    for value in wanted:
        if value and not any(value in line for line in lines):
            raise AssertionError(f"truth value {value!r} was not drawn on the card")
    if spec.qr is not None and spec.qr not in card.qr_codes():
        raise AssertionError(f"QR code {spec.qr!r} was not drawn on the card")


def merged_truth(front: CardSpec, back: CardSpec) -> dict[str, Any]:
    """The contact a card's front and back make together.

    The front wins: a field it lacks comes from the back; emails, phones (by number),
    websites and social networks it does not have are added after its own.
    """
    out = contact_truth(front)
    theirs = contact_truth(back)
    if out["name"] is None:
        for key in ("name", "given_name", "family_name"):
            out[key] = theirs[key]
    for key in ("title", "company", "address"):
        if out[key] is None:
            out[key] = theirs[key]
    out["emails"] += [e for e in theirs["emails"] if e.lower() not in map(str.lower, out["emails"])]
    numbers = {p["number"] for p in out["phones"]}
    out["phones"] += [p for p in theirs["phones"] if p["number"] not in numbers]
    sites = {w.lower() for w in out["websites"]}
    out["websites"] += [w for w in theirs["websites"] if w.lower() not in sites]
    out["social"] = {**theirs["social"], **out["social"]}
    return out


def back_notes(front: CardSpec, back: CardSpec) -> list[str]:
    """What a back prints (or has written on it) that is no field of the whole card, in
    the order it reads: the book's Card notes. A name, title, company or address that
    differs from the front's (the card in another language) counts as a note too."""
    notes: list[str] = []
    singles = (
        (front.name, back.name),
        (front.title, back.title),
        (front.company, back.company),
    )
    notes += [b for f, b in singles if f and b and f != b]
    if back.address and front.address and back.address != front.address:
        notes += list(back.address)
    if back.tagline:
        notes.append(back.tagline)
    notes += [*back.extra_lines, *back.handwritten]
    return notes


def sample_truth(
    exercises: str,
    spec: CardSpec,
    photo_spec: PhotoSpec,
    card: RenderedCard,
    photo: Photo,
    back_of: tuple[str, CardSpec] | None = None,
) -> dict[str, Any]:
    """The full truth record: the contract fields first, then render metadata.

    `back_of`: (stem, spec) of the card's front when this photo is its back; the
    record then also says what the two make together (`merged`, `card_notes`).
    """
    check_printed(spec, card)
    st = spec.style
    corners = np.round(photo.card_corners.astype(float), 1).tolist()
    truth: dict[str, Any] = {
        "exercises": exercises,
        "region": spec.region,
        "rotation": photo_spec.rotation,
        "contact": contact_truth(spec),
    }
    if back_of is not None:  # keys only present when used, as for "others"
        truth["back_of"] = back_of[0]
        truth["merged"] = merged_truth(back_of[1], spec)
        truth["card_notes"] = back_notes(back_of[1], spec)
    if spec.others:  # keys only present when used, so older truth files stay as they are
        truth["others"] = [other_truth(p, spec.region) for p in spec.others]
    truth["card"] = {
        "layout": spec.layout,
        "name_all_caps": st.name_caps,
        "fonts": {"name": st.name_font, "body": st.body_font},
        "body_px_300dpi": round(st.body_size * card.shrink),
        "printed_lines": card.printed_lines(),
    }
    if spec.qr is not None:
        truth["card"]["qr"] = spec.qr
    truth["photo"] = {
        "background": photo_spec.background,
        "size": list(photo.image.size),
        "card_corners": corners,
        "tilt_x": photo_spec.tilt_x,
        "tilt_y": photo_spec.tilt_y,
        "roll": photo_spec.roll,
        "hand": photo_spec.hand,
        "cast_shadow": photo_spec.cast_shadow,
        "glare": photo_spec.glare,
        "blur": photo_spec.blur,
        "jpeg_quality": photo_spec.jpeg_quality,
    }
    return truth


def dumps(truth: dict[str, Any]) -> str:
    """Stable, readable JSON (UTF-8 text, trailing newline)."""
    return json.dumps(truth, indent=2, ensure_ascii=False) + "\n"
