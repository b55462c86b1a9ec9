"""The contact's fields: one table, from which every field<->column mapping derives.

A contact field used to be spelled out by hand in about ten places (the model's JSON,
the book's columns, merge, corrections, backs, rescan's table, each exporter, the QR
reader, the benchmark), so a new field meant finding every copy. Each row of FIELDS
below says everything those places need to know about one field; they read it from
here, and tests/test_fields.py walks the table through every output so that a place
that forgets a field fails.

Plain data on purpose: it imports nothing of cardscan (the model and the book import
it), so it can never be part of an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Shape(StrEnum):
    """How a field's value is held in a Contact and in the book."""

    TEXT = "text"  # one line of text; one column
    NAME = "name"  # the name: one line, with its given and family parts in their own columns
    LIST = "list"  # several texts, one column, joined with "; "
    PHONES = "phones"  # Phone objects; one column per kind (Field.kinds)
    SOCIAL = "social"  # network -> handle; one column of "network: handle" entries


class OnChange(StrEnum):
    """What merging a later card of the person does with a different value (book.merge)."""

    GROW = "grow"  # several values: a new one is added (a second email or number flags)
    FLAG = "flag"  # one value: kept, the card's value is a reason to review
    NOTE = "note"  # as FLAG, and news about the person: also a dated line in Notes


class Score(StrEnum):
    """How `cardscan bench` compares the field with the truth (cardscan.bench)."""

    TEXT = "text"  # exact, ignoring case and spacing, any printed form
    SET = "set"  # precision / recall over the values
    TOKENS = "tokens"  # token F1 (the address)
    SOCIAL = "social"  # networks and handles


@dataclass(frozen=True)
class Field:
    """One contact field and everything that maps it somewhere."""

    name: str  # Contact attribute, JSON key, key of confidence / evidence / Issue.field
    columns: tuple[str, ...]  # its book header(s), in the book's order
    shape: Shape
    on_change: OnChange  # merging a later card with another value
    # A doubtful value (or a missed one) flags the card: the verdict's calibration
    # (cardscan.calibration) has a model for the field. False: shown, never flags.
    calibrated: bool
    # Two-sided cards (cardscan.backs): the back's value fills the field when the
    # front has none; when the front has one, a different value goes to Card notes.
    back_to_notes: bool
    correctable: bool  # editable on the review page, kept as a correction
    score: Score
    # A truth JSON without the key: the field is not scored on that card (a field added
    # after the truth was written), rather than scored as empty.
    optional_truth: bool = False
    max_chars: int | None = None  # the longest value kept (a longer one is garbage)
    label: str = ""  # in messages: "new title on card b.jpg"; default: the name
    # PHONES: the phone kind (model.PhoneKind's value) of each column, same order.
    kinds: tuple[str, ...] = ()
    # NAME: the Contact attributes / JSON keys of the parts, one per column after the first.
    parts: tuple[str, ...] = ()
    # The exports: the vCard property (ORG's units are company then department), the
    # Google Contacts CSV column and the Outlook CSV column that take it. "" for a field
    # the exporter spreads over several properties or columns by its own rules.
    vcard: str = ""
    google: str = ""
    outlook: str = ""

    @property
    def shown(self) -> str:
        """The field in a message to the user."""
        return self.label or self.name

    @property
    def multi(self) -> bool:
        return self.shape in (Shape.LIST, Shape.PHONES, Shape.SOCIAL)


# The table. Its order is the order of the book's contact columns, of the JSON keys
# and of rescan's table.
FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        ("Name", "Given name", "Family name"),
        Shape.NAME,
        OnChange.FLAG,
        calibrated=True,
        back_to_notes=False,  # a different name on the back is its own case (backs)
        correctable=True,
        score=Score.TEXT,
        max_chars=100,
        parts=("given_name", "family_name"),
        vcard="N",
    ),
    Field(
        "title",
        ("Title",),
        Shape.TEXT,
        OnChange.NOTE,
        calibrated=True,
        back_to_notes=True,
        correctable=True,
        score=Score.TEXT,
        max_chars=150,
        vcard="TITLE",
        google="Organization Title",
        outlook="Job Title",
    ),
    Field(
        "company",
        ("Company",),
        Shape.TEXT,
        OnChange.NOTE,
        calibrated=True,
        back_to_notes=True,
        correctable=True,
        score=Score.TEXT,
        max_chars=150,
        vcard="ORG",
        google="Organization Name",
        outlook="Company",
    ),
    Field(
        "department",
        ("Department",),
        Shape.TEXT,
        OnChange.NOTE,
        calibrated=False,
        back_to_notes=True,
        correctable=True,
        score=Score.TEXT,
        optional_truth=True,
        max_chars=150,
        vcard="ORG",
        google="Organization Department",
        outlook="Department",
    ),
    Field(
        "emails",
        ("Emails",),
        Shape.LIST,
        OnChange.GROW,
        calibrated=True,
        back_to_notes=False,
        correctable=True,
        score=Score.SET,
        label="email",
        vcard="EMAIL",
    ),
    Field(
        "phones",
        ("Mobile", "Work phone", "Fax", "Other phones"),
        Shape.PHONES,
        OnChange.GROW,
        calibrated=True,
        back_to_notes=False,
        correctable=True,
        score=Score.SET,
        kinds=("mobile", "work", "fax", "other"),
        vcard="TEL",
    ),
    Field(
        "websites",
        ("Website",),
        Shape.LIST,
        OnChange.GROW,
        calibrated=True,
        back_to_notes=False,
        correctable=True,
        score=Score.SET,
        vcard="URL",
    ),
    Field(
        "address",
        ("Address",),
        Shape.TEXT,
        OnChange.FLAG,
        calibrated=True,
        back_to_notes=True,
        correctable=True,
        score=Score.TOKENS,
        max_chars=300,
        vcard="ADR",
    ),
    Field(
        "social",
        ("Social",),
        Shape.SOCIAL,
        OnChange.GROW,
        calibrated=True,
        back_to_notes=False,  # a different handle on a network is a note (backs)
        correctable=True,
        score=Score.SOCIAL,
    ),
)


def field(name: str) -> Field:
    """The row of a field by its name; KeyError for a name not in the table."""
    return BY_NAME[name]


def with_shape(*shapes: Shape) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.shape in shapes)


def on_change(*kinds: OnChange) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.on_change in kinds)


BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
# The fields the verdict's calibration models (cardscan.calibration): model.FIELDS.
CALIBRATED: tuple[str, ...] = tuple(f.name for f in FIELDS if f.calibrated)
# Every book column a field fills, in book order.
CONTACT_COLUMNS: tuple[str, ...] = tuple(c for f in FIELDS for c in f.columns)
# Book column -> the field that fills it.
FIELD_OF_COLUMN: dict[str, Field] = {c: f for f in FIELDS for c in f.columns}
# One-value fields (every TEXT and the NAME), and their longest value kept.
SINGLE: tuple[str, ...] = tuple(f.name for f in FIELDS if not f.multi)
MAX_CHARS: dict[str, int] = {f.name: f.max_chars for f in FIELDS if f.max_chars is not None}
# Phone kind (model.PhoneKind's value) -> its book column.
PHONE_COLUMNS: dict[str, str] = {
    kind: column
    for f in with_shape(Shape.PHONES)
    for kind, column in zip(f.kinds, f.columns, strict=True)
}
# The contact's JSON keys (the `rescan --json` contract), in order: each field, the
# name followed by its parts.
JSON_KEYS: tuple[str, ...] = tuple(k for f in FIELDS for k in (f.name, *f.parts))
