"""Turning values into cell text and cell text back into comparable keys.

Both directions live together because matching depends on them agreeing: a phone we
wrote as "+44 20 7946 0958 ext. 240" must parse back to the same E.164 key, and a
value a person typed ("020 7946 0958", "Jane@Example.com ") must compare equal to
what a card reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time

import phonenumbers

from cardscan.model import Phone
from cardscan.terminal import printable

# What a store accepts for one cell: text, a real date/datetime for date columns, or a
# whole number (Times met) that stays a number a spreadsheet can sum and sort.
CellValue = str | int | date | datetime | None

SEP = "; "

# The control characters openpyxl refuses in a cell (its ILLEGAL_CHARACTERS_RE; a test
# holds the two equal), written out so that reading a card does not import openpyxl.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: str | None) -> str:
    """One-line, spreadsheet-safe text.

    OCR output can carry line breaks and control characters; openpyxl refuses the
    latter outright and the former make rows tall and CSVs awkward. A file name that
    is not valid UTF-8 is escaped (printable()).
    """
    if not text:
        return ""
    lines = [" ".join(line.split()) for line in printable(str(text)).splitlines()]
    joined = ", ".join(line for line in lines if line)
    return ILLEGAL_CHARACTERS_RE.sub("", joined)


def split_cell(text: str) -> list[str]:
    """The values in a multi-value cell; people also type ',' -less lists with ';'."""
    return [part.strip() for part in text.split(";") if part.strip()]


def join_cell(values: Iterable[str]) -> str:
    """Join values with "; ", dropping blanks and exact repeats."""
    out: list[str] = []
    for value in values:
        value = clean(value)
        if value and value not in out:
            out.append(value)
    return SEP.join(out)


def same_text(a: str, b: str) -> bool:
    """Equal for a person: case and spacing do not make a new title."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def clean_note(text: str) -> str:
    """Text for a notes cell: line breaks kept (notes are multi-line), the rest as clean()."""
    lines = [" ".join(line.split()) for line in printable(str(text)).splitlines()]
    return ILLEGAL_CHARACTERS_RE.sub("", "\n".join(line for line in lines if line))


def format_date(value: date) -> str:
    return value.isoformat()


_ISO_DATE = re.compile(r"\s*(\d{4}-\d{2}-\d{2})(?:[ T].*)?\s*")


def parse_date(text: str) -> date | None:
    """The date in a date cell as Book.rows() gives it ("2026-11-21", or with a time
    after it), else None: empty, or text a person typed ("next week")."""
    m = _ISO_DATE.fullmatch(text)
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


def format_datetime(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def text_of(value: object) -> str:
    """A cell's value as the text a person sees (dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return format_date(value.date())
        return format_datetime(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    formula = getattr(value, "text", None)  # openpyxl ArrayFormula
    if isinstance(formula, str):
        return formula
    return str(value).strip()


# --- phones ---------------------------------------------------------------------


def format_phone(phone: Phone) -> str:
    """International format, readable and dialable; an unparseable number as printed."""
    printed = clean(phone.raw) or clean(phone.number)
    if not phone.valid:
        return printed
    try:
        parsed = phonenumbers.parse(phone.number, None)
    except phonenumbers.NumberParseException:
        return printed
    text = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    extension = phone.extension or parsed.extension
    return f"{text} ext. {extension}" if extension else text


def phone_key(text: str, region: str | None = None) -> str | None:
    """E.164 of a valid number (extension ignored), else None: the identity of a phone.

    A number the user annotated in the cell ("+44 7911 123456 (personal)") still counts:
    when the whole text does not parse, the first valid number found inside it is used.
    """
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        found = next(iter(phonenumbers.PhoneNumberMatcher(text, region or "ZZ")), None)
        if found is None:
            return None
        parsed = found.number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_dedup_key(text: str, region: str | None = None) -> str:
    """Key to avoid appending a number already in the row, valid or not."""
    key = phone_key(text, region)
    if key:
        return key
    return re.sub(r"\D", "", text.split("ext")[0])


# --- emails, websites, social ------------------------------------------------------


def email_key(text: str) -> str:
    text = text.strip().strip("<>")
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text.lower()


def website_key(text: str) -> str:
    key = text.strip().lower()
    key = re.sub(r"^[a-z][a-z0-9+.-]*://", "", key)
    key = key.removeprefix("www.")
    return key.rstrip("/")


def format_social(social: dict[str, str]) -> str:
    return join_cell(f"{network}: {handle}" for network, handle in social.items() if handle)


def parse_social(text: str) -> dict[str, str]:
    """Network -> handle from a Social cell; a part without "network:" keeps its text."""
    out: dict[str, str] = {}
    for part in split_cell(text):
        network, sep, handle = part.partition(":")
        # "https://..." would split on the scheme: only a short word counts as network.
        if sep and re.fullmatch(r"[\w .-]{1,30}", network) and not handle.startswith("//"):
            out[network.strip().lower()] = handle.strip()
        else:
            out[part] = ""
    return out
