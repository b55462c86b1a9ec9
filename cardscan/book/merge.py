"""What a card changes in a row, as a pure function of the row's text and the card.

Kept free of any file format so the rules are the same for .xlsx and .csv books and
can be read in one place:

- An empty cell is filled from the card.
- A value already in a cell is never overwritten (cardscan cannot tell a value it
  wrote from one the user typed or corrected, so it treats every value as the
  user's). A different reading of a one-value field (name, title, company, department,
  address: cardscan.fields) leaves the cell as it is; the card's value is kept in
  Review reasons and the row is flagged. "Different" ignores case and spacing, and for
  companies also the legal form and stray marks (rapidfuzz token_sort_ratio >= 90
  without Ltd, Inc, GmbH...). A new title, company or department is also noted in
  Notes (below), because it is news about the person that should outlive the review
  flag; one that differs by a character or two (ratio >= NOTE_BELOW = 90, an OCR slip
  more likely than news) is not.
- Multi-value cells (emails, phones, websites, social, events, source photos, card
  ids, card notes) only grow: a value not yet there is appended. A second email, or a
  second number of a phone kind the row already has, flags the row ("new mobile on
  card b.jpg: ..."), so a person can tell a new number from a stale one.
- A card read with its back (CardResult.back, cardscan.backs) is one card: both photos
  go into Source photos and Card IDs, and the back's other text into Card notes.
- Every meeting counts: Event accumulates each distinct event, Where each distinct
  place (booth, table, city); Met on is the first meeting date (kept once set), Last
  met the latest, Times met the number of distinct meeting dates. A card with the date
  of a meeting the row already has (Met on or Last met) is the same meeting. A row
  from before these columns existed counts as many meetings as it has events (at
  least one).
- Follow up by is set once, on a new row: the meeting date (else the scan's) plus
  `follow_up_days` (ingest --follow-up-days, default FOLLOW_UP_DAYS). A later card of
  the same person leaves it alone: the user may have moved it, and the date already
  set is the earlier reminder.
- Notes, Tags and Followed up on are the user's: never set. Notes only ever get a
  line appended, dated by the meeting (else the scan) and naming its event:
  "2026-11-28, Design Week: card b.jpg has a new title: CEO (the Title column still
  says CTO)". Nothing in them is changed, reflowed or removed.

Each function returns a RowUpdate: the cells to write, the conflicts found between the
card and the row (the scanner's own issues go into Review reasons but are not
returned: the caller already has them on the CardResult), and lines for Notes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePath

from rapidfuzz import fuzz

import cardscan.book.columns as col
from cardscan import fields
from cardscan.book.cells import (
    CellValue,
    clean,
    email_key,
    format_date,
    format_phone,
    format_social,
    join_cell,
    parse_date,
    parse_social,
    phone_dedup_key,
    same_text,
    split_cell,
    website_key,
)
from cardscan.book.matching import SAME_COMPANY_AT, company_key
from cardscan.fields import OnChange, Shape
from cardscan.model import CardResult, PhoneKind, Status

Changes = dict[str, CellValue]

PHONE_COLUMN = {PhoneKind(kind): column for kind, column in fields.PHONE_COLUMNS.items()}

# Single-value fields where a different reading is flagged instead of written (their
# first column: the name's parts follow the name).
FLAGGED = {f.columns[0]: f.shown for f in fields.on_change(OnChange.FLAG, OnChange.NOTE)}
# Of those, the ones whose change is news about the person, noted in Notes too. A
# different name or address is far more often an OCR slip than news, and so is a
# title, company or department that differs by a character or two (rapidfuzz ratio
# >= NOTE_BELOW): those are flagged for review but kept out of the user's notes.
NOTED = {f.columns[0] for f in fields.on_change(OnChange.NOTE)}
NOTE_BELOW = 90

# Days from the meeting to the "Follow up by" reminder of a new contact (0: the same day).
FOLLOW_UP_DAYS = 1

PHONE_LABEL = {
    col.MOBILE: "mobile",
    col.WORK_PHONE: "work phone",
    col.FAX: "fax",
    col.OTHER_PHONES: "phone",
}


# When two values of a list field are the same (an email in other case, a web address
# with and without https://).
LIST_KEY: dict[str, Callable[[str], str]] = {"emails": email_key, "websites": website_key}
assert set(LIST_KEY) == {f.name for f in fields.with_shape(Shape.LIST)}


@dataclass
class RowUpdate:
    changes: Changes  # column -> new cell value
    reasons: list[str] = field(default_factory=list)  # disagreements card vs row
    notes: list[str] = field(default_factory=list)  # dated lines to append to Notes


def card_file(result: CardResult) -> str:
    return PurePath(result.source).name or result.source


def contact_cells(result: CardResult) -> dict[str, str]:
    """The card's contact as cell text for every column in CONTACT_COLUMNS."""
    c = result.contact
    cells: dict[str, str] = {}
    for f in fields.FIELDS:
        value = getattr(c, f.name)
        if f.shape is Shape.PHONES:
            for kind, column in PHONE_COLUMN.items():
                cells[column] = join_cell(format_phone(p) for p in value if p.kind == kind)
        elif f.shape is Shape.LIST:
            cells[f.columns[0]] = join_cell(v.strip() for v in _unique(value, LIST_KEY[f.name]))
        elif f.shape is Shape.SOCIAL:
            cells[f.columns[0]] = format_social(value)
        else:
            cells[f.columns[0]] = clean(value)
            for part, column in zip(f.parts, f.columns[1:], strict=True):
                cells[column] = clean(getattr(c, part))
    return cells


def review_reasons(result: CardResult) -> list[str]:
    """Why the scanner wants a person to look: only needs_review readings carry them."""
    if result.status != Status.NEEDS_REVIEW:
        return []
    where = f"(card {card_file(result)})"
    reasons = [f"{clean(i.message)} {where}" for i in result.issues if clean(i.message)]
    return reasons or [f"uncertain reading {where}"]


def new_row(
    result: CardResult,
    *,
    event: str | None,
    met_on: date | None,
    scanned_at: datetime,
    flags: list[str] | None = None,
    where: str | None = None,
    follow_up_days: int = FOLLOW_UP_DAYS,
) -> RowUpdate:
    """Every cell of a new person's row; Notes, Tags and Followed up on stay empty.

    `flags` are reasons found by the caller (a possible duplicate of another row):
    they flag the row and are returned as its reasons.
    """
    changes: Changes = dict(contact_cells(result))
    reasons = list(flags or [])
    all_reasons = reasons + review_reasons(result)
    changes[col.EVENT] = clean(event)
    changes[col.WHERE] = clean(where)
    changes[col.MET_ON] = met_on
    changes[col.LAST_MET] = met_on
    changes[col.TIMES_MET] = 1
    # A reminder is useful even without a meeting date: then count from the scan.
    changes[col.FOLLOW_UP_BY] = (met_on or scanned_at.date()) + timedelta(days=follow_up_days)
    changes[col.SOURCE_PHOTOS] = join_cell(r.source for r in result.photos)
    changes[col.CARD_IDS] = join_cell(r.card_id for r in result.photos)
    changes[col.CARD_NOTES] = join_cell(result.card_notes)
    changes[col.SCANNED_AT] = scanned_at
    changes[col.NEEDS_REVIEW] = "yes" if all_reasons else ""
    changes[col.REVIEW_REASONS] = join_cell(all_reasons)
    return RowUpdate(changes, reasons)


def merge_row(
    row: Mapping[str, str],
    result: CardResult,
    *,
    event: str | None,
    met_on: date | None,
    scanned_at: datetime,
    where: str | None = None,
    same_card: bool = False,
) -> RowUpdate:
    """Add what a card knows to a person's row without losing anything already there.

    `same_card`: the result is more of a card already in the row (its back, added
    later): empty cells are filled and new values added as usual, but nothing on it is
    news, so it brings no "new ... on card" reason and no line in Notes.
    """
    card = contact_cells(result)
    changes: Changes = {}
    reasons: list[str] = []
    notes: list[str] = []
    name_kept = False
    photo = card_file(result)
    # Notes are dated by the meeting where the card was handed over (else the scan).
    dated = format_date(met_on or scanned_at.date()) + (f", {clean(event)}" if event else "")
    for column, label in FLAGGED.items():
        old, new = row.get(column, ""), card[column]
        if new and not old:
            changes[column] = new
        elif new and not _same_value(column, old, new):
            reasons.append(f"new {label} on card {photo}: {new}")
            name_kept = name_kept or column == col.NAME
            if column in NOTED and fuzz.ratio(old.casefold(), new.casefold()) < NOTE_BELOW:
                notes.append(
                    f"{dated}: card {photo} has a new {label}: "
                    f"{new} (the {column} column still says {old})"
                )
    if not name_kept:  # parts of a different name would contradict the kept one
        for column in (col.GIVEN_NAME, col.FAMILY_NAME):
            if card[column] and not row.get(column, ""):
                changes[column] = card[column]

    added = _append(changes, row, col.EMAILS, split_cell(card[col.EMAILS]), email_key)
    if added and row.get(col.EMAILS, ""):  # a second email: which one is current?
        reasons += [f"new email on card {photo}: {email}" for email in added]
    _append(changes, row, col.WEBSITE, split_cell(card[col.WEBSITE]), website_key)
    reasons += _append_phones(changes, row, result)
    _merge_social(changes, reasons, row, result)

    if event:
        _append(changes, row, col.EVENT, [clean(event)], str.casefold)
    if where:
        _append(changes, row, col.WHERE, [clean(where)], str.casefold)
    _count_meeting(changes, row, met_on)
    _append(changes, row, col.SOURCE_PHOTOS, [clean(r.source) for r in result.photos], str)
    _append(changes, row, col.CARD_IDS, [r.card_id for r in result.photos], str.lower)
    _append(changes, row, col.CARD_NOTES, [clean(n) for n in result.card_notes], str.casefold)
    changes[col.SCANNED_AT] = scanned_at

    if same_card:
        reasons, notes = [], []
    _flag(changes, row, reasons + review_reasons(result))
    return RowUpdate(changes, reasons, notes)


def refill_row(row: Mapping[str, str], result: CardResult, *, scanned_at: datetime) -> RowUpdate:
    """Replace the machine-filled cells of a one-card row with a new reading."""
    changes: Changes = dict(contact_cells(result))
    reasons = review_reasons(result)
    changes[col.NEEDS_REVIEW] = "yes" if reasons else ""
    changes[col.REVIEW_REASONS] = join_cell(reasons)
    changes[col.SCANNED_AT] = scanned_at
    changes[col.SOURCE_PHOTOS] = join_cell(r.source for r in result.photos)
    if result.back is not None:  # the card's back, read with it: its id and notes too
        changes[col.CARD_IDS] = join_cell(r.card_id for r in result.photos)
        changes[col.CARD_NOTES] = join_cell(result.card_notes)
    return RowUpdate({k: v for k, v in changes.items() if _differs(row.get(k, ""), v)})


def _count_meeting(changes: Changes, row: Mapping[str, str], met_on: date | None) -> None:
    """Met on (first, kept once set), Last met (latest) and Times met (distinct dates)."""
    if met_on is None:
        return
    first, last = parse_date(row.get(col.MET_ON, "")), parse_date(row.get(col.LAST_MET, ""))
    if not row.get(col.MET_ON, ""):
        changes[col.MET_ON] = met_on
    if not row.get(col.LAST_MET, "") or (last is not None and met_on > last):
        changes[col.LAST_MET] = met_on
    # The same date as a meeting the row already has is that meeting (two cards of one
    # evening); an empty Times met is a row from before the column existed: it has had
    # at least one meeting per event it lists.
    again = met_on in (first, last)
    count = row.get(col.TIMES_MET, "").strip()
    if not count:
        before = max(1, len(split_cell(row.get(col.EVENT, ""))))
        changes[col.TIMES_MET] = before if again else before + 1
    elif count.isdigit() and not again:
        changes[col.TIMES_MET] = int(count) + 1
    # anything else in Times met was typed by the user and is left alone


def _same_value(column: str, old: str, new: str) -> bool:
    """Equal for a person. Companies are compared without legal form and stray marks
    (SAME_COMPANY_AT), so "Acme Ltd" is "ACME Limited" and a logo read as "mw»" in front
    of the name does not make a new company."""
    if same_text(old, new):
        return True
    if column == col.COMPANY:
        return fuzz.token_sort_ratio(company_key(old), company_key(new)) >= SAME_COMPANY_AT
    return False


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
) -> list[str]:
    """Append values to a multi-value cell unless an equal one (by key) is there."""
    current = str(changes.get(column) or row.get(column, ""))
    have = {key(v) for v in split_cell(current)}
    added: list[str] = []
    for value in new:
        if value and key(value) not in have:
            have.add(key(value))
            added.append(value)
    if added:
        changes[column] = join_cell([*split_cell(current), *added])
    return added


def _append_phones(changes: Changes, row: Mapping[str, str], result: CardResult) -> list[str]:
    """Add numbers not already anywhere in the row, under the card's kind for them.

    Returns a reason for each number added to a kind the row already had a number of.
    """
    region = result.region
    reasons: list[str] = []
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
            if row.get(column, ""):
                reasons.append(f"new {PHONE_LABEL[column]} on card {card_file(result)}: {text}")
            current = str(changes.get(column) or row.get(column, ""))
            changes[column] = join_cell([*split_cell(current), text])
    return reasons


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
