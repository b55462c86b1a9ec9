"""QR codes on cards: read them, and use what they hold as exact evidence.

Many cards carry a QR code with the company's web address or a whole vCard. What it
holds is the card owner's own typing, free of OCR errors, so it fills fields the
reading missed and settles emails, phones and web addresses. It never replaces a name,
title or company that was read: only an empty field is filled, because a QR code may
hold a colleague's or the company's card.

OpenCV's detector finds the code on the card crop (the whole photo at 12 MP is slow
and no better); light codes on dark cards are tried inverted.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import cv2
import numpy as np
import phonenumbers

from cardscan.extract.domains import registrable
from cardscan.model import Contact, Extraction, Phone, PhoneKind

QR_CONFIDENCE = 0.95

# vCard TEL types -> kind, most specific first.
_VCARD_KINDS = (
    ("FAX", PhoneKind.FAX),
    ("CELL", PhoneKind.MOBILE),
    ("WORK", PhoneKind.WORK),
    ("VOICE", PhoneKind.WORK),
)

# Hosts whose links are not the person's or company's own web address.
_NOT_A_WEBSITE = re.compile(
    r"(^|\.)(bit\.ly|goo\.gl|tinyurl\.com|qrco\.de|linktr\.ee|wa\.me|t\.me|"
    r"linkedin\.com|facebook\.com|instagram\.com|x\.com|twitter\.com|youtube\.com|"
    r"maps\.google\.[a-z.]+|maps\.app\.goo\.gl)$"
)


def read_qr(card_rgb: np.ndarray) -> str | None:
    """The text of the first QR code found on the card, or None."""
    gray = card_rgb if card_rgb.ndim == 2 else cv2.cvtColor(card_rgb, cv2.COLOR_RGB2GRAY)
    detector = cv2.QRCodeDetector()
    for image in (gray, cv2.bitwise_not(gray)):
        try:
            text, _points, _ = detector.detectAndDecode(image)
        except cv2.error:
            continue  # a malformed code: no opinion, the reading stands
        if text and text.strip():
            return text.strip()
    return None


def apply_qr(extraction: Extraction, text: str, region: str) -> list[str]:
    """Fill the contact from a QR code's text; returns the fields it changed."""
    if text.upper().startswith("BEGIN:VCARD"):
        return _apply_vcard(extraction, text, region)
    host_path = _website(text)
    if host_path and _add_website(extraction.contact, host_path):
        extraction.confidence["websites"] = max(
            extraction.confidence.get("websites", 0.0), QR_CONFIDENCE
        )
        return ["websites"]
    return []


def _website(text: str) -> str | None:
    if not re.match(r"(?i)^https?://", text):
        return None
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if not host or "." not in host or _NOT_A_WEBSITE.search(host):
        return None
    path = parts.path.rstrip("/")
    return host + path


def _add_website(contact: Contact, website: str) -> bool:
    # registrable() drops scheme, www and path itself.
    domain = registrable(website)
    if any(registrable(w) == domain for w in contact.websites):
        return False
    contact.websites.append(website)
    return True


def _apply_vcard(extraction: Extraction, text: str, region: str) -> list[str]:
    import vobject

    try:
        card = vobject.readOne(text)
    except Exception:  # vobject raises many types on bad input; a bad code is no evidence
        return []
    contact = extraction.contact
    changed: list[str] = []

    def value(key: str) -> str | None:
        """The first property's text; a list value (ORG's units) joined by spaces."""
        items = card.contents.get(key)
        if not items:
            return None
        raw = items[0].value
        text = " ".join(str(v) for v in raw if v) if isinstance(raw, list) else str(raw)
        return text.strip() or None

    for name, key in (("name", "fn"), ("title", "title"), ("company", "org")):
        found = value(key)
        if found and not getattr(contact, name):
            setattr(contact, name, found)
            changed.append(name)
    for item in card.contents.get("email", []):
        email = str(item.value).strip().lower()
        if email and email not in (e.lower() for e in contact.emails):
            contact.emails.append(email)
            changed.append("emails")
    for item in card.contents.get("tel", []):
        phone = _phone(str(item.value), item.params.get("TYPE", []), region)
        if phone and phone.number not in (p.number for p in contact.phones):
            contact.phones.append(phone)
            changed.append("phones")
    for item in card.contents.get("url", []):
        website = _website(str(item.value)) or str(item.value).strip()
        if website and _add_website(contact, website):
            changed.append("websites")
    adr = card.contents.get("adr")
    if adr and not contact.address:
        a = adr[0].value
        parts = [a.street, " ".join(p for p in (a.code, a.city) if p), a.region, a.country]
        address = ", ".join(str(p).strip() for p in parts if p and str(p).strip())
        if address:
            contact.address = address
            changed.append("address")
    changed = sorted(set(changed))
    for name in changed:
        extraction.confidence[name] = max(extraction.confidence.get(name, 0.0), QR_CONFIDENCE)
    return changed


def _phone(raw: str, types: list[str], region: str) -> Phone | None:
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    kinds = {t.upper() for t in types}
    # The first vCard type that names a kind wins: a WORK,FAX line is a fax.
    kind = next((k for t, k in _VCARD_KINDS if t in kinds), PhoneKind.OTHER)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164, kind, raw.strip())
