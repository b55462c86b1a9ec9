"""Corrections: the user's fixes from the review page, written into the book and kept.

The flow: the review page (cardscan.review.page) shows the fields read from each card,
editable; its "Save corrections" button downloads a JSON file; `cardscan apply FILE`
writes it into the book (apply_file) and keeps every correction beside the book in
`.cardscan/<book>.corrections.json` (CorrectionStore), per card id.

Rules:

- A correction is the user's own edit, written like `cardscan tag` writes (Book.edit).
  Nothing cardscan does later overwrites it: an ingest never overwrites a filled cell
  (book.merge), and `cardscan rescan PHOTO --book`, which refills the row of a
  re-read photo, leaves the corrected cells alone (kept_columns) and drops the card's
  reasons to review about them.
- One-value columns (Name, Title, Company, Address…) are set to the corrected text.
  Multi-value ones (Emails, the phone columns, Website, Social) may hold values from
  several cards of the person: the values this card showed are replaced by the
  corrected ones and the row's others are kept.
- A corrected Name whose parts were not corrected splits Given and Family name again.
- The card's reasons to review about a corrected field leave Review reasons; a card
  marked "checked" on the page takes all its reasons out. A row left without reasons
  is no longer flagged (Needs review emptied).
- Applying the same file twice changes nothing the second time. A card whose row is
  gone (deleted, or its ingest undone) is reported; its correction is kept all the same.

The kept corrections are the benchmark's truth for real cards (`cardscan bench
--corrections`; see truths()). `.cardscan/<book>.corrections.json`:

    {"format": "cardscan-corrections-store", "version": 1,
     "cards": {"<card id>": {
        "source": "IMG_0042.jpg", "photo": "/home/me/Pictures/IMG_0042.jpg",
        "back_photo": null (or the photo of the card's back), "region": "US",
        "reading": {<the contact as read: the rescan --json "contact" object>} or null,
        "checked_at": "2026-11-28T21:40:00" or null,
        "fields": {"Title": {"read": "CT0", "value": "CTO", "at": "2026-11-28T21:40:00"}}}}}

`fields` are book columns; `read` is what the card was read as, `value` what the user
made it. A card's truth is its reading with the corrected fields put in: fields the
user left alone on a card they corrected or checked are taken as right.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

import phonenumbers

import cardscan.book.columns as col
from cardscan import fields as contact_fields
from cardscan.book.cells import (
    clean,
    join_cell,
    parse_social,
    split_cell,
)
from cardscan.book.core import Book
from cardscan.book.merge import LIST_KEY, contact_cells
from cardscan.book.safety import atomic_write
from cardscan.errors import BookError, InputError
from cardscan.fields import Shape
from cardscan.model import CardResult, PhoneKind, Status
from cardscan.state.folder import state_dir
from cardscan.terminal import visible

FILE_FORMAT = "cardscan-corrections"  # saved by the review page
STORE_FORMAT = "cardscan-corrections-store"  # kept beside the book
VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_STORE_BYTES = 256 * 1024 * 1024  # every correction of a lifetime is a few MB

# The columns the page lets a person correct, and the reading's field each comes from
# (the key of CardResult.confidence, .evidence and Issue.field): cardscan.fields.
FIELD_OF: dict[str, str] = {
    column: f.name for f in contact_fields.FIELDS if f.correctable for column in f.columns
}
EDITABLE: tuple[str, ...] = tuple(FIELD_OF)
PHONE_KIND = {column: PhoneKind(kind) for kind, column in contact_fields.PHONE_COLUMNS.items()}


def _phone_key(text: str) -> str:
    return re.sub(r"\D", "", text)


def _social_key(text: str) -> str:
    return " ".join(text.split()).casefold()


# Multi-value columns, and when two of their values are the same.
_KEY_OF_SHAPE: dict[Shape, Callable[[str], str]] = {
    Shape.PHONES: _phone_key,
    Shape.SOCIAL: _social_key,
}
MULTI: dict[str, Callable[[str], str]] = {
    column: LIST_KEY.get(f.name) or _KEY_OF_SHAPE[f.shape]
    for f in contact_fields.FIELDS
    if f.multi
    for column in f.columns
}


def store_path(book: Path) -> Path:
    """Where the corrections of the book at `book` (the real file) are kept."""
    return state_dir(book) / f"{book.name}.corrections.json"


def _now() -> str:
    return datetime.now().replace(microsecond=0).isoformat()


# --- the file the page saves ------------------------------------------------------------


@dataclass
class FieldEdit:
    read: str  # what the card was read as
    was: str  # what the page showed before the edit (the reading, or an earlier correction)
    value: str  # what the user made it


@dataclass
class CardEdit:
    card_id: str
    source: str
    fields: dict[str, FieldEdit] = field(default_factory=dict)
    checked: bool = False  # "checked" on the page: the card's reasons to review are done


@dataclass
class CorrectionsFile:
    path: Path
    book: str
    batch: str
    cards: list[CardEdit]


def read_file(path: Path) -> CorrectionsFile:
    """The corrections file at `path`; InputError (one line) when it is not one.

    Anything else the file may be - nested 200,000 deep, NaN, text that is not valid
    Unicode, a list where text belongs - is refused the same way before the book is
    opened: the file comes from a download folder, not necessarily from the page.
    """

    def refuse(why: str) -> InputError:
        return InputError(
            f"{path} is not a cardscan corrections file ({why})",
            'save one with "Save corrections" on the review page (`cardscan review`)',
        )

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise refuse("it is over 20 MB")
        data = parse_json(path.read_bytes())
    except FileNotFoundError:
        raise InputError(
            f"no such corrections file: {path}",
            'give the JSON file "Save corrections" downloaded from the review page',
        ) from None
    except IsADirectoryError:
        raise refuse("it is a folder") from None
    except OSError as exc:
        raise InputError(
            f"cannot read the corrections file {path} ({exc.strerror or exc})",
            "check that the file is there and readable",
        ) from exc
    except UnicodeDecodeError:
        raise refuse("it is not UTF-8 text") from None
    except ValueError as exc:
        raise refuse(f"not JSON: {_short(exc)}") from None
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise refuse(f'no "format": "{FILE_FORMAT}"')
    version = data.get("version")
    if type(version) is not int or version > VERSION:
        raise refuse(f"version {_short(version)}: this cardscan reads version {VERSION}")
    cards = data.get("cards")
    if not isinstance(cards, list):
        raise refuse('"cards" is not a list')
    for key in ("book", "batch"):
        if not _is_text(data.get(key, "")):
            raise refuse(f'"{key}" is not text')
    out: list[CardEdit] = []
    for number, card in enumerate(cards, 1):
        if not isinstance(card, dict):
            raise refuse(f"card {number} is not an object")
        card_id = card.get("card_id")
        if not isinstance(card_id, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", card_id):
            raise refuse(f"card {number} has no card_id (a sha256)")
        fields = card.get("fields") or {}
        if not isinstance(fields, dict):
            raise refuse(f'card {number}: "fields" is not an object')
        if not _is_text(card.get("source", "")):
            raise refuse(f'card {number}: "source" is not text')
        if card.get("checked", False) not in (True, False):
            raise refuse(f'card {number}: "checked" is not true or false')
        edit = CardEdit(card_id.lower(), card.get("source") or "")
        edit.checked = card.get("checked") is True
        for column, change in fields.items():
            if column not in FIELD_OF:
                raise refuse(f"card {number}: {_short(column)} is not a column the page corrects")
            if not isinstance(change, dict) or not all(
                _is_text(change.get(k, "")) for k in ("read", "was", "value")
            ):
                raise refuse(f"card {number}: {column} is not read/was/value text")
            value = str(change.get("value", ""))
            read = str(change.get("read", ""))
            edit.fields[column] = FieldEdit(read, str(change.get("was", read)), value)
        out.append(edit)
    return CorrectionsFile(path, data.get("book") or "", data.get("batch") or "", out)


def parse_json(data: bytes) -> Any:
    """JSON from UTF-8 bytes, strictly: ValueError (never RecursionError) on anything odd.

    NaN and Infinity are refused (Python's json reads them, no other JSON tool does),
    and so is nesting deeper than any corrections file has (the json module recurses
    once per level and would hit Python's recursion limit).
    """
    text = data.decode("utf-8")
    if _nesting(text) > MAX_NESTING:
        raise ValueError(f"nested more than {MAX_NESTING} levels deep")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:  # _nesting should have said so; never a traceback all the same
        raise ValueError(f"nested more than {MAX_NESTING} levels deep") from None


# A corrections file nests five levels (file, cards, card, fields, field); the kept store
# one more for the reading. Anything deeper is not one of them.
MAX_NESTING = 32
_BRACKETS_AND_STRINGS = re.compile(r'[\[{]|"(?:[^"\\]|\\.)*"|[\]}]')


def _nesting(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text (strings skipped)."""
    depth = deepest = 0
    for token in _BRACKETS_AND_STRINGS.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                break
        elif mark in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _is_text(value: object) -> bool:
    """Text that can be written anywhere: a str without lone surrogates ("\\ud800")."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, BaseException) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- the corrections kept beside the book -----------------------------------------------


class CorrectionStore:
    """`.cardscan/<book>.corrections.json`: every correction applied, per card id."""

    def __init__(self, path: Path, cards: dict[str, dict[str, Any]]) -> None:
        self.path = path
        self.cards = cards
        self.changed = False

    @classmethod
    def load(cls, book: Path) -> CorrectionStore:
        """The store of the book at `book` (the real file); empty when there is none.

        A damaged store is refused (BookError), never replaced: it holds the user's edits.
        """
        path = store_path(book)
        try:
            if path.stat().st_size > MAX_STORE_BYTES:
                raise _damaged(path, f"it is over {MAX_STORE_BYTES // (1024 * 1024)} MB")
            data = parse_json(path.read_bytes())
        except FileNotFoundError:
            return cls(path, {})
        except (OSError, ValueError) as exc:
            raise _damaged(path, _short(exc)) from exc
        if not isinstance(data, dict) or data.get("format") != STORE_FORMAT:
            raise _damaged(path, f'no "format": "{STORE_FORMAT}"')
        cards = data.get("cards")
        if not isinstance(cards, dict):
            raise _damaged(path, '"cards" is not an object of cards')
        for card_id, card in cards.items():
            why = _bad_kept_card(card)
            if why:
                raise _damaged(path, f"card {_short(card_id)}: {why}")
        return cls(path, cards)

    def fields(self, card_id: str) -> dict[str, str]:
        """Column -> the corrected text, for one card."""
        card = self.cards.get(card_id.lower()) or {}
        return {
            column: str(change.get("value", ""))
            for column, change in (card.get("fields") or {}).items()
            if column in FIELD_OF and isinstance(change, dict)
        }

    def kept_columns(self, card_id: str) -> frozenset[str]:
        """The cells of this card's row that a refill must leave alone."""
        columns = set(self.fields(card_id))
        if col.NAME in columns:  # its parts were split from the corrected name
            columns |= {col.GIVEN_NAME, col.FAMILY_NAME}
        return frozenset(columns)

    def checked(self, card_id: str) -> bool:
        return bool((self.cards.get(card_id.lower()) or {}).get("checked_at"))

    def record(self, edit: CardEdit, entry: Mapping[str, Any] | None) -> None:
        """Keep a card's corrections; an unchanged value keeps its first date.

        `entry` is the card's batch record (cardscan.state.batches.Entry.to_json()), for
        its photo, region and reading; None when no batch holds the card any more.
        """
        reading = (entry or {}).get("reading") or {}
        old = self.cards.get(edit.card_id) or {}
        card: dict[str, Any] = {
            "source": old.get("source") or (entry or {}).get("source") or edit.source,
            "photo": old.get("photo") or (entry or {}).get("photo"),
            "back_photo": old.get("back_photo") or (entry or {}).get("back_photo"),
            "region": old.get("region") or reading.get("region"),
            "reading": old.get("reading") or reading.get("contact"),
            "checked_at": old.get("checked_at"),
            "fields": dict(old.get("fields") or {}),
        }
        if edit.checked and not card["checked_at"]:
            card["checked_at"] = _now()
        for column, change in edit.fields.items():
            before = card["fields"].get(column) or {}
            if before.get("value") == change.value:
                continue
            read = before.get("read", change.read)
            card["fields"][column] = {"read": read, "value": change.value, "at": _now()}
        if card != old:
            self.cards[edit.card_id] = card
            self.changed = True

    def save(self) -> None:
        data = {"format": STORE_FORMAT, "version": VERSION, "cards": self.cards}
        text = json.dumps(data, indent=1, ensure_ascii=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, lambda tmp: tmp.write_text(text, encoding="ascii"))
        self.changed = False


_KEPT_TEXT = ("source", "photo", "back_photo", "region", "checked_at")


def _bad_kept_card(card: object) -> str:
    """What is wrong with one card of the kept store, or "" (the shape record() writes)."""
    if not isinstance(card, dict):
        return "not an object"
    for key in _KEPT_TEXT:
        if card.get(key) is not None and not _is_text(card[key]):
            return f'"{key}" is not text'
    if card.get("reading") is not None and not isinstance(card["reading"], dict):
        return '"reading" is not an object'
    fields = card.get("fields")
    if fields is None:
        return ""
    if not isinstance(fields, dict):
        return '"fields" is not an object'
    for column, change in fields.items():
        if not isinstance(change, dict) or not all(
            change.get(k) is None or _is_text(change[k]) for k in ("read", "value", "at")
        ):
            return f"{_short(column)} is not read/value text"
    return ""


def _damaged(path: Path, why: str) -> BookError:
    return BookError(
        f"the corrections kept in {path} cannot be read ({why})",
        "move that file aside and run again (your corrections are in the book too)",
    )


def for_book(result: CardResult, store: CorrectionStore) -> tuple[CardResult, frozenset[str]]:
    """A re-read card as the book should take it, and the cells to leave alone.

    The reading with the user's corrections put in (so merging it finds nothing new to
    flag) and without its issues about them; the corrected cells are not written at all.
    """
    fields = store.fields(result.card_id)
    if not fields:
        return result, frozenset()
    from cardscan.state.readings import result_from_json

    data = result.to_json()
    data["contact"] = corrected_contact(data["contact"], fields, result.region)
    corrected = dataclasses.replace(result, contact=result_from_json(data).contact)
    return settled(corrected, fields), store.kept_columns(result.card_id)


def settled(result: CardResult, columns: Iterable[str]) -> CardResult:
    """`result` without its issues about the corrected `columns` (for a refill)."""
    fields = {FIELD_OF[c] for c in columns if c in FIELD_OF}
    if not fields:
        return result
    issues = [i for i in result.issues if i.field not in fields]
    status = result.status
    if status is Status.NEEDS_REVIEW and not issues:
        status = Status.OK
    return dataclasses.replace(result, issues=issues, status=status)


# --- applying a file to the book --------------------------------------------------------


@dataclass
class CardApplied:
    source: str
    row: int | None  # the sheet row; None: no row holds the card any more
    name: str | None = None
    columns: list[str] = field(default_factory=list)  # the cells written


@dataclass
class ApplyReport:
    book: Path
    file: Path
    store: Path
    cards: list[CardApplied]

    @property
    def written(self) -> list[CardApplied]:
        return [c for c in self.cards if c.row is not None and c.columns]

    @property
    def gone(self) -> list[CardApplied]:
        return [c for c in self.cards if c.row is None]

    def message(self) -> str:
        """What was done, one line per card. Several lines on purpose, so each value
        from outside (the file's name and sources, the book's names) is made visible()
        here, where a line break in one is not one of ours."""
        written, gone = self.written, self.gone
        file, book = visible(self.file.name), visible(self.book)
        already = len(self.cards) - len(written) - len(gone)
        lines: list[str] = []
        if written:
            cells = sum(len(c.columns) for c in written)
            lines.append(
                f"Applied {file} to {book}: {_n(cells, 'cell')} changed "
                f"in {_n(len(written), 'row')}."
            )
            for card in written:
                who = visible(card.name or "(no name)")
                columns = visible(", ".join(card.columns))
                lines.append(f"  {visible(card.source)}: row {card.row} ({who}): {columns}")
        if already:
            if written:
                lines.append(f"Already in the book: {_n(already, 'card')}.")
            else:
                lines.append(f"Nothing to change: the corrections in {file} are already in {book}.")
        if gone:
            lines.append(
                "No row holds these cards any more (deleted, or their ingest undone); their "
                f"corrections are kept in {visible(self.store)}:"
            )
            lines += [f"  {visible(card.source)}" for card in gone]
        return "\n".join(lines) or f"{file} holds no corrections."


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def apply_file(book_path: Path, file: Path) -> ApplyReport:
    """Write the corrections file `file` into the book and keep it in the store."""
    from cardscan.state.batches import load_batches

    edits = read_file(file)
    with Book.open(book_path) as book:
        store = CorrectionStore.load(book.file)
        entries: dict[str, dict[str, Any]] = {}
        for batch in load_batches(book.file):
            for recorded in batch.entries:
                if recorded.card_id and recorded.reading is not None:
                    entries[recorded.card_id.lower()] = recorded.to_json()
        report = ApplyReport(book_path, file, store.path, [])
        for edit in edits.cards:
            entry = entries.get(edit.card_id)
            store.record(edit, entry)
            report.cards.append(_apply_card(book, edit, entry))
        if report.written:
            book.save()
        if store.changed:
            try:
                store.save()
            except OSError as exc:
                raise BookError(
                    f"the corrections are in {book_path} but could not be kept in "
                    f"{store.path} ({exc.strerror or exc})",
                    "check that you can write in the book's folder and apply the file again",
                ) from exc
    return report


def _apply_card(book: Book, edit: CardEdit, entry: Mapping[str, Any] | None) -> CardApplied:
    source = edit.source or str((entry or {}).get("source") or edit.card_id[:12])
    found = book.card_outcome(edit.card_id)
    if found is None:
        return CardApplied(source, None)
    index = found.row - 1
    row = book.rows()[index]
    reading = (entry or {}).get("reading") or {}
    changes: dict[str, str] = {}
    for column, change in edit.fields.items():
        old = row.get(column, "")
        if column in MULTI:
            new = _replace_values(old, change.was, change.value, MULTI[column])
        else:
            new = clean(change.value)
        if new != old:
            changes[column] = new
    name = edit.fields.get(col.NAME)
    if name is not None and not {col.GIVEN_NAME, col.FAMILY_NAME} & set(edit.fields):
        from cardscan.extract.names import split_name

        given, family = split_name(clean(name.value).split(), str(reading.get("region") or ""))
        for column, part in ((col.GIVEN_NAME, given), (col.FAMILY_NAME, family)):
            if clean(part) != row.get(column, ""):
                changes[column] = clean(part)
    changes.update(_settle_review(row, edit, reading, source))
    if changes:
        book.edit(index, changes)
    shown = [c for c in changes if c != col.NEEDS_REVIEW]  # its reasons say it
    return CardApplied(source, found.sheet_row, changes.get(col.NAME) or row[col.NAME], shown)


def _replace_values(cell: str, was: str, value: str, key: Callable[[str], str]) -> str:
    """`cell` with the values of `was` replaced by those of `value`; others kept."""
    current = split_cell(cell)
    new = split_cell(value)
    gone = {key(v) for v in split_cell(was)} - {key(v) for v in new}
    have = {key(v) for v in current}
    fresh = [v for v in new if key(v) not in have]
    out: list[str] = []
    for text in current:
        if key(text) not in gone:
            out.append(text)
        elif fresh:
            out.append(fresh.pop(0))  # in the place of the value it corrects
    return join_cell([*out, *fresh])


def _settle_review(
    row: Mapping[str, str], edit: CardEdit, reading: Mapping[str, Any], source: str
) -> dict[str, str]:
    """Review reasons without this card's reasons the corrections (or "checked") settle."""
    photo = PurePath(str(reading.get("source") or source)).name
    fields = {FIELD_OF[c] for c in edit.fields}
    settled_texts = {
        f"{clean(str(i.get('message', '')))} (card {photo})".casefold()
        for i in reading.get("issues") or []
        if isinstance(i, dict) and i.get("field") in fields
    }
    before = split_cell(row.get(col.REVIEW_REASONS, ""))
    after = [
        r
        for r in before
        if r.casefold() not in settled_texts and not (edit.checked and f"card {photo}" in r)
    ]
    if after == before:
        return {}
    changes = {col.REVIEW_REASONS: join_cell(after)}
    if not after and row.get(col.NEEDS_REVIEW, ""):
        changes[col.NEEDS_REVIEW] = ""
    return changes


# --- the benchmark's truth --------------------------------------------------------------


@dataclass(frozen=True)
class CorrectedCard:
    photo: Path
    card_id: str
    contact: dict[str, Any]  # the truth, in the shape of the rescan --json "contact"
    back: Path | None = None  # the photo of its back, for a two-sided card


def truths(book: Path) -> tuple[list[CorrectedCard], list[str]]:
    """Every corrected or checked card with a reading, as benchmark truth.

    Returns the cards and one line per card left out (photo gone, no reading kept).
    """
    store = CorrectionStore.load(book)
    out: list[CorrectedCard] = []
    skipped: list[str] = []
    for card_id, card in sorted(store.cards.items(), key=lambda kv: str(kv[1].get("source"))):
        source = str(card.get("source") or card_id[:12])
        photo = Path(str(card.get("photo") or source))
        reading = card.get("reading")
        if not isinstance(reading, dict):
            skipped.append(f"{source}: its reading was not kept (no batch record held it)")
            continue
        if not photo.is_file():
            skipped.append(f"{source}: the photo {photo} is not there any more")
            continue
        back = Path(str(card["back_photo"])) if card.get("back_photo") else None
        if back is not None and not back.is_file():
            skipped.append(f"{source}: the photo of its back {back} is not there any more")
            continue
        contact = corrected_contact(reading, store.fields(card_id), card.get("region"))
        out.append(CorrectedCard(photo, card_id, contact, back))
    return out, skipped


def corrected_contact(
    reading: Mapping[str, Any], fields: Mapping[str, str], region: str | None
) -> dict[str, Any]:
    """The reading's contact (rescan --json shape) with corrected columns put in."""
    contact = json.loads(json.dumps(dict(reading)))  # a deep copy
    for column, value in fields.items():
        f = contact_fields.FIELD_OF_COLUMN.get(column)
        if f is None:
            continue
        if f.shape in (Shape.TEXT, Shape.NAME):
            keys = dict(zip(f.columns, (f.name, *f.parts), strict=True))
            contact[keys[column]] = clean(value) or None
        elif f.shape is Shape.LIST:
            contact[f.name] = split_cell(value)
        elif f.shape is Shape.SOCIAL:
            contact[f.name] = parse_social(value)
        elif column in PHONE_KIND:
            kind = str(PHONE_KIND[column])
            phones = [p for p in contact.get("phones") or [] if p.get("kind") != kind]
            phones += [
                {"number": _e164(text, region), "kind": kind, "raw": text}
                for text in split_cell(value)
            ]
            contact["phones"] = phones
    return contact


def _e164(text: str, region: str | None) -> str:
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return _phone_key(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def reading_cells(reading: Mapping[str, Any]) -> dict[str, str]:
    """The cells a reading (CardResult.to_json()) fills, for the editable columns."""
    from cardscan.state.readings import result_from_json

    cells = contact_cells(result_from_json(dict(reading)))
    return {column: cells.get(column, "") for column in EDITABLE}
