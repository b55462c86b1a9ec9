"""Deciding which row, if any, a card belongs to.

A book has one row per person, so a second card of the same person must land on
their row, and a card of someone else must never be merged into it: a wrong merge
hides a person inside another's row, while a duplicate row is easy to spot and
delete. So only certain matches merge; a near match adds a new row flagged for
review ("possibly the same person as ...").

In order, the first that applies wins:

1. CARD: the card id (sha256 of the photo) is already in the row: the same photo again
   (for a card read with its back, either photo).
2. PERSON: a personal email (not a role mailbox like info@) or a mobile number in
   common (phones compared as E.164, emails case-insensitively).
3. NAME: the names agree (rapidfuzz token_sort_ratio >= SAME_NAME_AT = 90 on names
   folded to lower case without punctuation, so "Marcus J. Whitfield" matches
   "Marcus Whitfield" and word order does not matter) AND the same company
   (token_sort_ratio >= SAME_COMPANY_AT = 90 once legal forms such as Ltd, Inc, GmbH
   are dropped) or the same organisation domain (from emails and websites; free-mail
   domains such as gmail.com do not count).
4. SHARED: only company-wide details in common (a role mailbox, a work or fax number
   two colleagues print alike) and the names agree as in 3, or both cards have no name
   (two photos of the same shop card).

Not merged, but flagged on the new row as "possibly the same person as <name> (row N)":
- the names agree (>= 90) with nothing else in common (perhaps a job change);
- company-wide details in common while the names neither agree nor clearly differ
  (one name missing, or 60 <= ratio < 90: an OCR slip, or a colleague).
Names that clearly differ (ratio < NAME_CONFLICT_BELOW = 60) sharing only a switchboard
or info@ address are colleagues: a new row, not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

import cardscan.book.columns as col
from cardscan.book.cells import email_key, phone_key, split_cell, website_key
from cardscan.model import CardResult, PhoneKind

# Local parts that name a role or a department rather than one person.
_ROLE_WORDS = """
    info information sales contact contacts hello hi office admin administration support
    team mail email enquiries enquiry inquiries inquiry service services kontakt bureau
    reception marketing press media pr hr jobs careers billing accounts accounting invoices
    help general welcome booking bookings orders shop store noreply no-reply webmaster post
"""
ROLE_MAILBOXES = frozenset(_ROLE_WORDS.split())

# Mail providers anyone can use: sharing one says nothing about working together.
_FREE_MAIL = """
    gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk hotmail.fr hotmail.de
    live.com live.co.uk msn.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.es ymail.com
    icloud.com me.com mac.com aol.com gmx.com gmx.de gmx.net gmx.at gmx.ch web.de t-online.de
    proton.me protonmail.com pm.me mail.com zoho.com yandex.com yandex.ru mail.ru qq.com
    163.com 126.com orange.fr free.fr laposte.net wanadoo.fr libero.it virgilio.it uol.com.br
    bol.com.br terra.com.br bigpond.com optusnet.com.au shaw.ca rogers.com sympatico.ca
    btinternet.com sky.com comcast.net verizon.net att.net fastmail.com hey.com
"""
FREE_MAIL_DOMAINS = frozenset(_FREE_MAIL.split())

# Legal forms and filler words dropped before comparing company names.
_LEGAL_WORDS = """
    inc incorporated corp corporation co company ltd limited llc llp lp plc pllc pc
    gmbh mbh ag kg ohg ug ev sa sas sarl sl slu srl spa bv nv ab as asa oy oyj aps
    pty pte ltda eireli me kk the and group
"""
LEGAL_WORDS = frozenset(_LEGAL_WORDS.split())

SAME_NAME_AT = 90  # rapidfuzz token_sort_ratio (0-100) from which two names agree
SAME_COMPANY_AT = 90  # the same for company names without their legal form
NAME_CONFLICT_BELOW = 60  # below this, two names belong to different people


class MatchKind(StrEnum):
    CARD = "card"  # the same photo: its card id is already in the row
    PERSON = "person"  # shares a personal email or a mobile number with the row
    NAME = "name"  # same name, and same company or organisation domain
    SHARED = "shared"  # shares company-wide details only, and the names agree
    POSSIBLE = "possible"  # not merged: the new row is flagged for a person to decide


@dataclass(frozen=True)
class Match:
    kind: MatchKind
    row: int  # 0-based data row
    why: str  # for people: "same email jane@acme.example"


@dataclass
class RowKeys:
    """What identifies the person on one row, parsed once per row."""

    card_ids: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    phones: dict[str, bool] = field(default_factory=dict)  # E.164 -> is a mobile
    name: str = ""
    company: str = ""  # company_key() of the company
    domains: set[str] = field(default_factory=set)  # organisation domains


def row_keys(row: Mapping[str, str]) -> RowKeys:
    keys = RowKeys(name=row.get(col.NAME, ""), company=company_key(row.get(col.COMPANY, "")))
    keys.card_ids = {c.lower() for c in split_cell(row.get(col.CARD_IDS, ""))}
    keys.emails = {email_key(e) for e in split_cell(row.get(col.EMAILS, ""))}
    for column in col.PHONE_COLUMNS:
        for text in split_cell(row.get(column, "")):
            key = phone_key(text)
            if key:
                keys.phones[key] = keys.phones.get(key, False) or column == col.MOBILE
    keys.domains = _domains(keys.emails, split_cell(row.get(col.WEBSITE, "")))
    return keys


def card_keys(result: CardResult) -> RowKeys:
    contact = result.contact
    keys = RowKeys(
        name=contact.name or "",
        card_ids={r.card_id.lower() for r in result.photos if r.card_id},
        company=company_key(contact.company or ""),
    )
    keys.emails = {email_key(e) for e in contact.emails if e.strip()}
    for phone in contact.phones:
        key = phone_key(phone.number, result.region) if phone.valid else None
        if key:
            keys.phones[key] = keys.phones.get(key, False) or phone.kind == PhoneKind.MOBILE
    keys.domains = _domains(keys.emails, contact.websites)
    return keys


def is_role_email(address: str) -> bool:
    local = address.split("@", 1)[0].lower()
    return local in ROLE_MAILBOXES


def _name_text(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


def company_key(company: str) -> str:
    """A company name folded for comparison: no case, punctuation or legal form."""
    words = _name_text(company.replace("&", " and ")).split()
    kept = [w for w in words if w not in LEGAL_WORDS]
    return " ".join(kept or words)


def _domains(emails: set[str], websites: Sequence[str]) -> set[str]:
    found = {e.rsplit("@", 1)[1] for e in emails if "@" in e}
    for site in websites:
        host = website_key(site).split("/", 1)[0].split(":", 1)[0]
        if "." in host:
            found.add(host)
    return {d for d in found if d and d not in FREE_MAIL_DOMAINS}


def name_score(a: str, b: str) -> float | None:
    """How alike two names are (0-100), or None when either is missing."""
    a, b = _name_text(a), _name_text(b)
    if not a or not b:
        return None
    return fuzz.token_sort_ratio(a, b)


def names_agree(a: str, b: str) -> bool:
    score = name_score(a, b)
    return score is not None and score >= SAME_NAME_AT


def names_conflict(a: str, b: str) -> bool:
    """True when both names are known and clearly belong to different people."""
    score = name_score(a, b)
    return score is not None and score < NAME_CONFLICT_BELOW


def same_company(a: RowKeys, b: RowKeys) -> bool:
    if not a.company or not b.company:
        return False
    return fuzz.token_sort_ratio(a.company, b.company) >= SAME_COMPANY_AT


def shared_domain(a: RowKeys, b: RowKeys) -> str | None:
    for x in sorted(a.domains):
        for y in sorted(b.domains):
            if x == y or x.endswith("." + y) or y.endswith("." + x):
                return min(x, y, key=len)
    return None


def _organisation(row: RowKeys, card: RowKeys) -> str | None:
    """Why two people seem to work at the same place, or None."""
    if same_company(row, card):
        return "same company"
    domain = shared_domain(row, card)
    return f"same domain {domain}" if domain else None


def find_match(rows: Sequence[RowKeys], card: RowKeys) -> Match | None:
    """The row (0-based) this card belongs to, and why; None for a new person."""
    for index, keys in enumerate(rows):
        if keys.card_ids & card.card_ids:
            return Match(MatchKind.CARD, index, "same photo")
    for index, keys in enumerate(rows):
        for email in sorted(keys.emails & card.emails):
            if not is_role_email(email):
                return Match(MatchKind.PERSON, index, f"same email {email}")
        for phone in sorted(keys.phones.keys() & card.phones.keys()):
            if keys.phones[phone] or card.phones[phone]:
                return Match(MatchKind.PERSON, index, f"same mobile {phone}")
    best: tuple[float, int, str] | None = None
    for index, keys in enumerate(rows):
        score = name_score(keys.name, card.name)
        if score is None or score < SAME_NAME_AT:
            continue
        where = _organisation(keys, card)
        if where and (best is None or score > best[0]):
            best = (score, index, where)
    if best is not None:
        return Match(MatchKind.NAME, best[1], f"same name and {best[2]}")
    for index, keys in enumerate(rows):
        shared = _shared_details(keys, card)
        if not shared:
            continue
        if not _name_text(keys.name) and not _name_text(card.name):
            return Match(MatchKind.SHARED, index, f"{shared}, neither has a name")
        if names_agree(keys.name, card.name):
            return Match(MatchKind.SHARED, index, f"same name, {shared}")
    return None


def possible_matches(rows: Sequence[RowKeys], card: RowKeys, limit: int = 2) -> list[Match]:
    """Rows that may be this (new) person but are not certain enough to merge into."""
    found: list[tuple[float, Match]] = []
    for index, keys in enumerate(rows):
        score = name_score(keys.name, card.name)
        shared = _shared_details(keys, card)
        if score is not None and score >= SAME_NAME_AT:
            why = f"similar name; {shared}" if shared else "similar name, nothing else in common"
            if score == 100:
                why = why.replace("similar name", "same name", 1)
            found.append((score, Match(MatchKind.POSSIBLE, index, why)))
        elif shared and (score is None or score >= NAME_CONFLICT_BELOW):
            found.append((score or 0.0, Match(MatchKind.POSSIBLE, index, shared)))
    found.sort(key=lambda pair: (-pair[0], pair[1].row))
    return [match for _, match in found[:limit]]


def _shared_details(row: RowKeys, card: RowKeys) -> str | None:
    """The company-wide details two rows have in common, said for a person."""
    emails = sorted(row.emails & card.emails)
    phones = sorted(row.phones.keys() & card.phones.keys())
    if emails:
        return f"shares {emails[0]}"
    if phones:
        return f"shares {phones[0]}"
    return None
