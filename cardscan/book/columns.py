"""The book's column contract: header texts, who owns each column, how wide it starts.

The header text is the only thing that identifies a column (users move, insert and
delete columns between runs), so everything here is keyed by the exact header text
and compared through `header_key` (case-insensitive, trimmed).
"""

from __future__ import annotations

from cardscan.fields import CONTACT_COLUMNS as _CONTACT
from cardscan.fields import field

# The contact's columns come from the one table of fields (cardscan.fields).
NAME, GIVEN_NAME, FAMILY_NAME = field("name").columns
(TITLE,) = field("title").columns
(COMPANY,) = field("company").columns
(DEPARTMENT,) = field("department").columns
(EMAILS,) = field("emails").columns
MOBILE, WORK_PHONE, FAX, OTHER_PHONES = field("phones").columns
(WEBSITE,) = field("websites").columns
(ADDRESS,) = field("address").columns
(SOCIAL,) = field("social").columns
EVENT = "Event"
WHERE = "Where"  # where at the event: a booth, a table, a city (ingest --where)
MET_ON = "Met on"
LAST_MET = "Last met"
TIMES_MET = "Times met"
NOTES = "Notes"
# Text on a card's back that is no contact detail (a tagline, a note written on it):
# cardscan's column, filled from the back and grown by later backs (cardscan.backs).
CARD_NOTES = "Card notes"
TAGS = "Tags"
FOLLOW_UP_BY = "Follow up by"
FOLLOWED_UP_ON = "Followed up on"
SOURCE_PHOTOS = "Source photos"
CARD_IDS = "Card IDs"
SCANNED_AT = "Scanned at"
NEEDS_REVIEW = "Needs review"
REVIEW_REASONS = "Review reasons"

# Meetings: Met on is the first meeting date, Last met the latest, Times met the number
# of distinct meeting dates; Event and Where list every distinct event and place (see
# cardscan.book.merge).

# Filled from the card itself (every column of cardscan.fields' table, in its order);
# `rescan --book` replaces exactly these.
CONTACT_COLUMNS: tuple[str, ...] = _CONTACT

# Order of the columns in a new book (and in exports): the contact's, then ours.
COLUMNS: tuple[str, ...] = (
    *CONTACT_COLUMNS,
    EVENT,
    WHERE,
    MET_ON,
    LAST_MET,
    TIMES_MET,
    NOTES,
    CARD_NOTES,
    TAGS,
    FOLLOW_UP_BY,
    FOLLOWED_UP_ON,
    SOURCE_PHOTOS,
    CARD_IDS,
    SCANNED_AT,
    NEEDS_REVIEW,
    REVIEW_REASONS,
)

REFILLED_COLUMNS: tuple[str, ...] = (*CONTACT_COLUMNS, NEEDS_REVIEW, REVIEW_REASONS, SCANNED_AT)

# The user's own columns inside our set: cardscan never sets them. Notes is the one
# cardscan may add to: a dated line at the end when a card brings a new title, company or department
# (Store.append_text), never replacing or reflowing what the user wrote.
USER_OWNED: frozenset[str] = frozenset({NOTES, TAGS, FOLLOWED_UP_ON})

PHONE_COLUMNS: tuple[str, ...] = field("phones").columns

DATE_COLUMNS: frozenset[str] = frozenset({MET_ON, LAST_MET, FOLLOW_UP_BY, FOLLOWED_UP_ON})
DATETIME_COLUMNS: frozenset[str] = frozenset({SCANNED_AT})

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

# Starting widths (in Excel character units) for a new book: wide enough to read the
# usual value without making the sheet scroll sideways forever.
WIDTHS: dict[str, float] = {
    NAME: 24,
    GIVEN_NAME: 14,
    FAMILY_NAME: 16,
    TITLE: 24,
    COMPANY: 24,
    DEPARTMENT: 24,
    EMAILS: 30,
    MOBILE: 20,
    WORK_PHONE: 20,
    FAX: 18,
    OTHER_PHONES: 20,
    WEBSITE: 26,
    ADDRESS: 36,
    SOCIAL: 30,
    EVENT: 20,
    WHERE: 16,
    MET_ON: 12,
    LAST_MET: 12,
    TIMES_MET: 10,
    NOTES: 36,
    CARD_NOTES: 36,
    TAGS: 16,
    FOLLOW_UP_BY: 13,
    FOLLOWED_UP_ON: 14,
    SOURCE_PHOTOS: 28,
    CARD_IDS: 20,
    SCANNED_AT: 17,
    NEEDS_REVIEW: 13,
    REVIEW_REASONS: 40,
}

_BY_KEY: dict[str, str] = {c.casefold(): c for c in COLUMNS}


def header_key(text: str) -> str:
    """How headers are compared: users retype them in any case, with stray spaces."""
    return " ".join(text.split()).casefold()


def canonical(header: str) -> str | None:
    """Our column name for a header cell's text, or None for a user column."""
    return _BY_KEY.get(header_key(header))
