"""Deciding which row, if any, a card belongs to.

A book has one row per person, so a second card of the same person must land on
their row. The keys are the card id (the same photo again), emails and phones. Shared
company details are the trap: two colleagues print the same switchboard number or
info@ address, and merging them would silently lose a person. So a match made only
through such shared-looking details is refused when the names clearly differ.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

from cardscan.book import columns as col
from cardscan.book.cells import email_key, phone_key, split_cell
from cardscan.model import CardResult, PhoneKind

# Local parts that name a role or a department rather than one person.
_ROLE_WORDS = """
    info information sales contact contacts hello hi office admin administration support
    team mail email enquiries enquiry inquiries inquiry service services kontakt bureau
    reception marketing press media pr hr jobs careers billing accounts accounting invoices
    help general welcome booking bookings orders shop store noreply no-reply webmaster post
"""
ROLE_MAILBOXES = frozenset(_ROLE_WORDS.split())

NAME_CONFLICT_BELOW = 60  # rapidfuzz token_sort_ratio, 0-100


class MatchKind(StrEnum):
    CARD = "card"  # the same photo: its card id is already in the row
    PERSON = "person"  # shares an email or phone with the row


@dataclass
class RowKeys:
    """What identifies the person on one row, parsed once per row."""

    card_ids: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    phones: dict[str, bool] = field(default_factory=dict)  # E.164 -> is a mobile
    name: str = ""


def row_keys(row: Mapping[str, str]) -> RowKeys:
    keys = RowKeys(name=row.get(col.NAME, ""))
    keys.card_ids = {c.lower() for c in split_cell(row.get(col.CARD_IDS, ""))}
    keys.emails = {email_key(e) for e in split_cell(row.get(col.EMAILS, ""))}
    for column in col.PHONE_COLUMNS:
        for text in split_cell(row.get(column, "")):
            key = phone_key(text)
            if key:
                keys.phones[key] = keys.phones.get(key, False) or column == col.MOBILE
    return keys


def card_keys(result: CardResult) -> RowKeys:
    contact = result.contact
    keys = RowKeys(name=contact.name or "", card_ids={result.card_id.lower()})
    keys.emails = {email_key(e) for e in contact.emails if e.strip()}
    for phone in contact.phones:
        key = phone_key(phone.number, result.region) if phone.valid else None
        if key:
            keys.phones[key] = keys.phones.get(key, False) or phone.kind == PhoneKind.MOBILE
    return keys


def is_role_email(address: str) -> bool:
    local = address.split("@", 1)[0].lower()
    return local in ROLE_MAILBOXES


def _name_text(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


def names_conflict(a: str, b: str) -> bool:
    """True when both names are known and clearly belong to different people."""
    a, b = _name_text(a), _name_text(b)
    if not a or not b:
        return False
    return fuzz.token_sort_ratio(a, b) < NAME_CONFLICT_BELOW


def find_match(rows: Sequence[RowKeys], card: RowKeys) -> tuple[MatchKind, int] | None:
    """The row (0-based) this card belongs to, and why; None for a new person."""
    for index, keys in enumerate(rows):
        if keys.card_ids & card.card_ids:
            return MatchKind.CARD, index
    fallback: int | None = None
    for index, keys in enumerate(rows):
        emails = keys.emails & card.emails
        phones = keys.phones.keys() & card.phones.keys()
        if not emails and not phones:
            continue
        personal = any(not is_role_email(e) for e in emails) or any(
            keys.phones[p] or card.phones[p] for p in phones
        )
        if personal:
            return MatchKind.PERSON, index
        if not names_conflict(keys.name, card.name) and fallback is None:
            fallback = index
    return (MatchKind.PERSON, fallback) if fallback is not None else None
