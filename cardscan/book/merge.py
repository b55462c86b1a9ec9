"""What a card changes in a row, as a pure function of the row's text and the card.

Kept free of any file format so the rules (fill, append, never overwrite the person's
data, flag conflicts) are the same for .xlsx and .csv books and can be read in one
place. Each function returns the cells to write and the conflicts it found between the
card and the row (the scanner's own issues go into Review reasons but are not
returned: the caller already has them on the CardResult).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import PurePath

from cardscan.book import columns as col
from cardscan.book.cells import (
    CellValue,
    clean,
    email_key,
    format_phone,
    format_social,
    join_cell,
    parse_social,
    phone_dedup_key,
    same_text,
    split_cell,
    website_key,
)
from cardscan.model import CardResult, PhoneKind, Status

Changes = dict[str, CellValue]

PHONE_COLUMN = {
    PhoneKind.MOBILE: col.MOBILE,
    PhoneKind.WORK: col.WORK_PHONE,
    PhoneKind.FAX: col.FAX,
    PhoneKind.OTHER: col.OTHER_PHONES,
}

# Single-value fields where a different reading is flagged instead of written.
FLAGGED = {col.NAME: "name", col.TITLE: "title", col.COMPANY: "company", col.ADDRESS: "address"}


def card_file(result: CardResult) -> str:
    return PurePath(result.source).name or result.source


def contact_cells(result: CardResult) -> dict[str, str]:
    """The card's contact as cell text for every column in CONTACT_COLUMNS."""
    c = result.contact
    cells = {
        col.NAME: clean(c.name),
        col.GIVEN_NAME: clean(c.given_name),
        col.FAMILY_NAME: clean(c.family_name),
        col.TITLE: clean(c.title),
        col.COMPANY: clean(c.company),
        col.EMAILS: join_cell(e.strip() for e in _unique(c.emails, email_key)),
        col.WEBSITE: join_cell(_unique(c.websites, website_key)),
        col.ADDRESS: clean(c.address),
        col.SOCIAL: format_social(c.social),
    }
    for kind, column in PHONE_COLUMN.items():
        cells[column] = join_cell(format_phone(p) for p in c.phones if p.kind == kind)
    return cells


def review_reasons(result: CardResult) -> list[str]:
    """Why the scanner wants a person to look: only needs_review readings carry them."""
    if result.status != Status.NEEDS_REVIEW:
        return []
    where = f"(card {card_file(result)})"
    reasons = [f"{clean(i.message)} {where}" for i in result.issues if clean(i.message)]
    return reasons or [f"uncertain reading {where}"]


def new_row(
    result: CardResult, *, event: str | None, met_on: date | None, scanned_at: datetime
) -> tuple[Changes, list[str]]:
    """Every cell of a new person's row; Notes, Tags and Followed up on stay empty."""
    changes: Changes = dict(contact_cells(result))
    reasons = review_reasons(result)
    changes[col.EVENT] = clean(event)
    changes[col.MET_ON] = met_on
    # A reminder is useful even without a meeting date: then count from the scan.
    changes[col.FOLLOW_UP_BY] = (met_on or scanned_at.date()) + timedelta(days=1)
    changes[col.SOURCE_PHOTOS] = clean(result.source)
    changes[col.CARD_IDS] = result.card_id
    changes[col.SCANNED_AT] = scanned_at
    changes[col.NEEDS_REVIEW] = "yes" if reasons else ""
    changes[col.REVIEW_REASONS] = join_cell(reasons)
    return changes, []


def merge_row(
    row: Mapping[str, str],
    result: CardResult,
    *,
    event: str | None,
    met_on: date | None,
    scanned_at: datetime,
) -> tuple[Changes, list[str]]:
    """Add what a card knows to a person's row without losing anything already there."""
    card = contact_cells(result)
    changes: Changes = {}
    reasons: list[str] = []
    name_kept = False
    for column, label in FLAGGED.items():
        old, new = row.get(column, ""), card[column]
        if new and not old:
            changes[column] = new
        elif new and not same_text(old, new):
            reasons.append(f"new {label} on card {card_file(result)}: {new}")
            name_kept = name_kept or column == col.NAME
    if not name_kept:  # parts of a different name would contradict the kept one
        for column in (col.GIVEN_NAME, col.FAMILY_NAME):
            if card[column] and not row.get(column, ""):
                changes[column] = card[column]

    _append(changes, row, col.EMAILS, split_cell(card[col.EMAILS]), email_key)
    _append(changes, row, col.WEBSITE, split_cell(card[col.WEBSITE]), website_key)
    _append_phones(changes, row, result)
    _merge_social(changes, reasons, row, result)

    if event:
        _append(changes, row, col.EVENT, [clean(event)], str.casefold)
    if met_on and not row.get(col.MET_ON, ""):
        changes[col.MET_ON] = met_on  # the first meeting date is kept once set
    _append(changes, row, col.SOURCE_PHOTOS, [clean(result.source)], str)
    _append(changes, row, col.CARD_IDS, [result.card_id], str.lower)
    changes[col.SCANNED_AT] = scanned_at

    _flag(changes, row, reasons + review_reasons(result))
    return changes, reasons


def refill_row(
    row: Mapping[str, str], result: CardResult, *, scanned_at: datetime
) -> tuple[Changes, list[str]]:
    """Replace the machine-filled cells of a one-card row with a new reading."""
    changes: Changes = dict(contact_cells(result))
    reasons = review_reasons(result)
    changes[col.NEEDS_REVIEW] = "yes" if reasons else ""
    changes[col.REVIEW_REASONS] = join_cell(reasons)
    changes[col.SCANNED_AT] = scanned_at
    changes[col.SOURCE_PHOTOS] = clean(result.source)
    return {k: v for k, v in changes.items() if _differs(row.get(k, ""), v)}, []


def _differs(old: str, new: CellValue) -> bool:
    return not isinstance(new, str) or old != new


def _flag(changes: Changes, row: Mapping[str, str], reasons: list[str]) -> None:
    if not reasons:
        return
    changes[col.NEEDS_REVIEW] = "yes"
    _append(changes, row, col.REVIEW_REASONS, reasons, str.casefold)


def _unique(values: list[str], key: Callable[[str], str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        k = key(value)
        if value.strip() and k not in seen:
            seen.add(k)
            out.append(value)
    return out


def _append(
    changes: Changes,
    row: Mapping[str, str],
    column: str,
    new: list[str],
    key: Callable[[str], str],
) -> None:
    """Append values to a multi-value cell unless an equal one (by key) is there."""
    current = str(changes.get(column) or row.get(column, ""))
    have = {key(v) for v in split_cell(current)}
    added = [v for v in new if v and key(v) not in have]
    if added:
        changes[column] = join_cell([*split_cell(current), *added])


def _append_phones(changes: Changes, row: Mapping[str, str], result: CardResult) -> None:
    """Add numbers not already anywhere in the row, under the card's kind for them."""
    region = result.region
    have = {
        phone_dedup_key(text, region)
        for column in col.PHONE_COLUMNS
        for text in split_cell(row.get(column, ""))
    }
    for phone in result.contact.phones:
        text = format_phone(phone)
        key = phone_dedup_key(text, region)
        if text and key not in have:
            have.add(key)
            column = PHONE_COLUMN[phone.kind]
            current = str(changes.get(column) or row.get(column, ""))
            changes[column] = join_cell([*split_cell(current), text])


def _merge_social(
    changes: Changes, reasons: list[str], row: Mapping[str, str], result: CardResult
) -> None:
    """Add networks the row lacks; a different handle on a known network is flagged."""
    current = row.get(col.SOCIAL, "")
    known = parse_social(current)
    added: list[str] = []
    for network, handle in result.contact.social.items():
        handle = clean(handle)
        if not handle:
            continue
        old = known.get(network.lower())
        if old is None:
            added.append(f"{network}: {handle}")
        elif not same_text(old, handle):
            reasons.append(f"new {network} on card {card_file(result)}: {handle}")
    if added:
        changes[col.SOCIAL] = join_cell([*split_cell(current), *added])
