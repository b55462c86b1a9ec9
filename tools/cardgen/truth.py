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


def sample_truth(
    exercises: str, spec: CardSpec, photo_spec: PhotoSpec, card: RenderedCard, photo: Photo
) -> dict[str, Any]:
    """The full truth record: the contract fields first, then render metadata."""
    check_printed(spec, card)
    st = spec.style
    corners = np.round(photo.card_corners.astype(float), 1).tolist()
    truth: dict[str, Any] = {
        "exercises": exercises,
        "region": spec.region,
        "rotation": photo_spec.rotation,
        "contact": contact_truth(spec),
    }
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
