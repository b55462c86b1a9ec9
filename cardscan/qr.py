"""QR codes on cards: read them, and use what they hold as exact evidence.

Many cards carry a QR code with the company's web address or a whole vCard. What it
holds is the card owner's own typing, free of OCR errors, so it fills fields the
reading missed and settles emails, phones and web addresses. It never replaces a name,
title, company or department that was read: only an empty field is filled, because a QR code may
hold a colleague's or the company's card.

Anyone can make a QR code, so its values pass the checks a value read from the print
passes, and more, since nothing about a code says it was made honestly:
- names, titles, companies, departments (ORG:Company;Department) and the address:
  one line, control characters removed
  (the ones terminal.visible shows as escapes), and at most MAX_CHARS long. A
  10,000-character "name" is not a name, and cutting it would keep a wrong one, so
  a longer value is left out;
- emails: email-validator's syntax check (never the network), as validate.py;
- phones: a TEL must look like a printed number (the OCR path's digit-run shape, 7 to
  15 digits, an extension); phonenumbers then decides, and a number it does not take
  is kept with valid=False, so validate.py flags it as it flags a misprinted one;
- web addresses and social profiles: http or https only (never `javascript:`,
  `file:`, `data:` ...), no user name or password, a host of real DNS labels ending
  in a letter TLD, a path of URL characters. Links to social networks go to social.
A vCard value that fails is left out and the card flagged for review
(`qr_rejected`), naming the value: the user should know the card carried something
cardscan would not write. A code that is not a vCard is used only when it is an http
or https address; any other text (a Wi-Fi code, a `mailto:`) is not contact data.

OpenCV's detector finds the code on the card crop (the whole photo at 12 MP is slow
and no better); light codes on dark cards are tried inverted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import cv2
import numpy as np
import phonenumbers
from email_validator import EmailNotValidError, validate_email

from cardscan import fields as contact_fields
from cardscan.extract.contacts import social_url
from cardscan.extract.domains import registrable
from cardscan.extract.phones import EXT_TAIL_RE, MAX_DIGITS, MIN_DIGITS_KEEP, RUN_RE, plan_kind
from cardscan.fields import Shape
from cardscan.model import Contact, Extraction, Issue, Phone, PhoneKind
from cardscan.terminal import visible

QR_CONFIDENCE = 0.95

# The longest value kept for a one-line field, in characters. Real ones are far
# shorter (long legal names of companies run to about 80).
MAX_CHARS = contact_fields.MAX_CHARS  # name 100, title / company / department 150, address 300
# vCard ORG's units, in order: the company, then its department (cardscan.fields).
ORG_UNITS = tuple(f.name for f in contact_fields.FIELDS if f.vcard == "ORG")
# The one-line fields that are a vCard property of their own: FN for the name, TITLE.
_PROPERTIES = (
    ("name", "fn"),
    *(
        (f.name, f.vcard.lower())
        for f in contact_fields.with_shape(Shape.TEXT)
        if f.vcard and f.vcard not in ("ORG", "ADR")
    ),
)
MAX_URL = 300
_SHOWN = 60  # characters of a rejected value quoted in the review reason

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
# The characters terminal.visible treats as control: C0, DEL, C1, line and paragraph
# separators, bidi marks, embeddings, overrides and isolates.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(?![0-9])", re.IGNORECASE)
_DNS_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TLD = re.compile(r"[a-z]{2,24}|xn--[a-z0-9-]{1,59}")
# RFC 3986 path characters, but not ";", which separates values in a book cell.
_PATH = re.compile(r"[A-Za-z0-9\-._~%!$&'()*+,=:@/]*")
_NETWORK = re.compile(r"[a-z0-9]{1,30}")


class Rejected(ValueError):
    """A QR value cardscan will not write; the message says why, after the value."""


def read_qr(card_rgb: np.ndarray) -> str | None:
    """The text of the first QR code found on the card, or None.

    OpenCV's classic detector on the card as it is; when it finds nothing, its
    ArUco-based detector (cv2.QRCodeDetectorAruco, OpenCV 4.8+), on the card and on the
    card inverted (a light code on a dark card). Measured 2026-12-07 on the cleaned cards
    of every set: against the classic detector on both tones, 82 → 53-60 ms a card and
    every code found before still found, plus 2 of held-out's and 1 of tune's that it
    missed. The ArUco one alone is faster still but misses codes the classic one reads.
    """
    gray = card_rgb if card_rgb.ndim == 2 else cv2.cvtColor(card_rgb, cv2.COLOR_RGB2GRAY)
    text = _decoded(cv2.QRCodeDetector(), gray)
    if text is None and hasattr(cv2, "QRCodeDetectorAruco"):
        aruco = cv2.QRCodeDetectorAruco()
        text = _decoded(aruco, gray) or _decoded(aruco, cv2.bitwise_not(gray))
    return text


def _decoded(detector: Any, image: np.ndarray) -> str | None:
    try:
        text, _points, _ = detector.detectAndDecode(image)
    except cv2.error:
        return None  # a malformed code: no opinion, the reading stands
    return text.strip() if text and text.strip() else None


def apply_qr(extraction: Extraction, text: str, region: str) -> list[str]:
    """Fill the contact from a QR code's text; returns the fields it changed.

    Values that fail their check are left out and added to extraction.issues.
    """
    if text.upper().startswith("BEGIN:VCARD"):
        changed = _apply_vcard(extraction, text, region)
    elif re.match(r"(?i)https?://", text):
        changed = _Filler(extraction).link(text, "web address")
    else:
        changed = []
    for name in changed:
        extraction.confidence[name] = max(extraction.confidence.get(name, 0.0), QR_CONFIDENCE)
    return changed


class _Filler:
    """Adds checked QR values to one extraction, recording what changed or was refused."""

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self.contact: Contact = extraction.contact
        self.changed: list[str] = []

    def reject(self, field: str, what: str, value: str, why: str) -> None:
        shown = visible(value[:_SHOWN]) + ("…" if len(value) > _SHOWN else "")
        self.extraction.issues.append(
            Issue("qr_rejected", f"QR code: {what} '{shown}' {why}; left out", field)
        )

    def one_line(self, field: str, value: str) -> None:
        """Fill an empty one-line field (name, title, company...) with a checked line."""
        line = one_line(value)
        if not line or getattr(self.contact, field):
            return
        if len(line) > MAX_CHARS[field]:
            why = f"is {len(line)} characters long (at most {MAX_CHARS[field]})"
            self.reject(field, field, line, why)
            return
        setattr(self.contact, field, line)
        self.changed.append(field)

    def email(self, value: str) -> None:
        value = value.strip()
        try:
            email = validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError as err:
            self.reject("emails", "email", value, f"is not an email address ({err})")
            return
        if email not in (e.lower() for e in self.contact.emails):
            self.contact.emails.append(email)
            self.changed.append("emails")

    def phone(self, value: str, types: list[str], region: str) -> None:
        try:
            phone = qr_phone(value, types, region)
        except Rejected as why:
            self.reject("phones", "phone", value, str(why))
            return
        if phone.number not in (p.number for p in self.contact.phones):
            self.contact.phones.append(phone)
            self.changed.append("phones")

    def link(self, value: str, what: str, network: str | None = None) -> list[str]:
        """A web address: the website, or a social profile when it is one."""
        try:
            host, path = web_address(value)
        except Rejected as why:
            self.reject("websites", what, value, str(why))
            return self.changed
        social = social_url(host, path)
        if social is None and network and _NETWORK.fullmatch(network.lower()):
            social = network.lower(), host + path  # a network cardscan does not know
        if social is not None:
            key, profile = social
            if key not in self.contact.social:
                self.contact.social[key] = profile
                self.changed.append("social")
        elif not _NOT_A_WEBSITE.search(host) and _add_website(self.contact, host + path):
            self.changed.append("websites")
        return self.changed


def one_line(text: str) -> str:
    """`text` on one line: control characters and line breaks as spaces, spaces collapsed."""
    return " ".join(_CONTROL.sub(" ", text).split())


def web_address(text: str) -> tuple[str, str]:
    """(host, path) of an http(s) address, or of a bare "www.acme.com/x"; else Rejected.

    The host is lowercase; the path loses its trailing slash; port, query and
    fragment are dropped (a website cell holds where to go, not tracking tags).
    """
    url = text.strip()
    if not url or len(url) > MAX_URL or re.search(r"[\s\x00-\x1f\x7f-\x9f]", url):
        raise Rejected("is not a web address")
    scheme = _SCHEME.match(url)
    if scheme is None:
        url = "http://" + url
    elif scheme.group(1).lower() not in ("http", "https") or not url[scheme.end() :].startswith(
        "//"
    ):
        raise Rejected("is not an http or https web address")
    parts = urlsplit(url)
    try:
        _ = parts.port  # a port that is not a number raises here
    except ValueError as exc:
        raise Rejected("is not a web address") from exc
    if "@" in parts.netloc:
        raise Rejected("carries a user name or password")
    host = (parts.hostname or "").rstrip(".")
    try:
        labels = host.encode("idna").decode("ascii").split(".")
    except UnicodeError as exc:
        raise Rejected("has no valid host name") from exc
    if (
        len(labels) < 2
        or not all(_DNS_LABEL.fullmatch(label) for label in labels)
        or not _TLD.fullmatch(labels[-1])
    ):
        raise Rejected("has no valid host name")
    if not _PATH.fullmatch(parts.path):
        raise Rejected("has characters a web address cannot hold")
    return host, parts.path.rstrip("/")


def qr_phone(raw: str, types: list[str], region: str) -> Phone:
    """A TEL value as a Phone: valid, or kept with valid=False like a misprinted number."""
    text = one_line(raw)
    if text.lower().startswith("tel:"):
        text = text[4:].replace(";ext=", " ext. ")  # a vCard 4.0 tel: URI
    number_text = EXT_TAIL_RE.sub("", text)
    digits = sum(c.isdigit() for c in number_text)
    if not RUN_RE.fullmatch(number_text) or not MIN_DIGITS_KEEP <= digits <= MAX_DIGITS:
        raise Rejected("is not a phone number")
    kinds = {t.upper() for t in types}
    # The first vCard type that names a kind wins: a WORK,FAX line is a fax. A TEL
    # without one is like a number printed without a label: its numbering plan's kind.
    kind = next((k for t, k in _VCARD_KINDS if t in kinds), None)
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        plain = re.sub(r"\D", "", number_text)
        number = "+" + plain if text.startswith("+") else plain
        return Phone(number, kind or PhoneKind.OTHER, text, valid=False)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164, kind or plan_kind(e164), text, extension=parsed.extension or None)


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
    fill = _Filler(extraction)

    def each(key: str, use: Callable[[str, dict[str, list[str]]], object]) -> None:
        for item in card.contents.get(key, []):
            raw = item.value
            # A list value (ORG's units) is joined by spaces.
            value = " ".join(str(v) for v in raw if v) if isinstance(raw, list) else str(raw)
            if value.strip():  # an empty line in a sloppy vCard is no value
                use(value, item.params)

    for name, key in _PROPERTIES:
        items = card.contents.get(key)
        if items:  # the first property only: a second FN is not this card's name
            raw = items[0].value
            fill.one_line(name, " ".join(map(str, raw)) if isinstance(raw, list) else str(raw))
    orgs = card.contents.get("org")
    if orgs:  # ORG:Company;Department (deeper units join the department)
        raw = orgs[0].value
        units = [str(u) for u in raw if u] if isinstance(raw, list) else [str(raw)]
        last = len(ORG_UNITS) - 1
        for name, unit in zip(ORG_UNITS, [*units[:last], ", ".join(units[last:])], strict=False):
            if unit.strip():
                fill.one_line(name, unit)
    each("email", lambda value, _params: fill.email(value))
    each("tel", lambda value, params: fill.phone(value, params.get("TYPE", []), region))
    each("url", lambda value, _params: fill.link(value, "web address"))
    each(
        "x-socialprofile",
        lambda value, params: fill.link(value, "social profile", _first(params.get("TYPE"))),
    )
    adr = card.contents.get("adr")
    if adr:
        a = adr[0].value
        parts = [a.street, " ".join(p for p in (a.code, a.city) if p), a.region, a.country]
        lines = (one_line(str(p)) for p in parts if p)
        fill.one_line("address", ", ".join(line for line in lines if line))
    return sorted(set(fill.changed))


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None
