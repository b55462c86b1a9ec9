"""Book: the user's contacts spreadsheet, opened, merged into and saved safely.

One row per person. Book finds our columns by header, decides per card whether it
is the same photo again, a person already in the book, or someone new, and writes
only the cells cardscan owns. Everything else in the file belongs to the user.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from types import TracebackType

import cardscan.book.columns as col
from cardscan.book.cells import CellValue
from cardscan.book.matching import (
    MatchKind,
    RowKeys,
    card_keys,
    find_match,
    possible_matches,
    row_keys,
)
from cardscan.book.merge import FOLLOW_UP_DAYS, RowUpdate, merge_row, new_row, refill_row
from cardscan.book.people import resolve
from cardscan.book.safety import atomic_write, lock_for_writing, refuse_if_open_elsewhere
from cardscan.book.store import Store, check_type, load_store
from cardscan.errors import BookError, InputError
from cardscan.model import CardResult, Status
from cardscan.state.backups import backup
from cardscan.state.folder import BookLock
from cardscan.state.readings import needed_backups


class Action(StrEnum):
    NEW = "new"
    MERGED = "merged"
    UNCHANGED = "unchanged"
    UPDATED = "updated"


@dataclass
class MergeOutcome:
    action: Action
    row: int  # 1-based data row: row 1 is the sheet's row 2, under the header
    name: str | None
    # Disagreements between this card and the row ("new title on card b.jpg: CEO"),
    # and for a new row a possible duplicate ("possibly the same person as ..."), also
    # written to Review reasons. The card's own issues are not repeated here.
    reasons: list[str] = field(default_factory=list)
    # Why the card went to this row ("same email jane@acme.example"); "" for a new row.
    why: str = ""
    # Our columns whose text this card changed: column -> (before, after).
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def sheet_row(self) -> int:
        """The row number a spreadsheet program shows (the header is row 1)."""
        return self.row + 1


Fingerprint = tuple[int, int, int] | None


def _fingerprint(path: Path) -> Fingerprint:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class Book:
    """Open with Book.open(path); use as a context manager so the lock is released.

    Book.open(path) is for saving: it refuses a book the user made read-only
    (safety.refuse_if_read_only) before any work.

    Changes stay in memory until save(); leaving the context without save() drops them.
    Book.open(path, read_only=True) takes no lock, creates nothing (not even the
    .cardscan folder) and cannot save: for previews (`ingest --dry-run`) and for
    reading a backup.
    """

    _store: Store
    _cols: dict[str, int]
    _keys: list[RowKeys]
    _fingerprint: Fingerprint
    _fresh: bool  # no file yet (or an empty one): save() creates it
    _dirty: bool

    def __init__(self, path: Path, target: Path, lock: BookLock | None) -> None:
        self.path = path  # as the user named it, for messages
        self._target = target  # the real file (symlinks resolved), for writing
        self._lock = lock
        self._ops: list[Callable[[], MergeOutcome]] = []
        self._backed_up = False
        self._closed = False
        # The copy save() made of the previous file, if any (what `cardscan undo` restores).
        self.last_backup: Path | None = None
        self._load()

    @classmethod
    def open(cls, path: Path, *, lock_timeout: float = 10.0, read_only: bool = False) -> Book:
        """Lock and read the book; a missing file is an empty book created on save()."""
        path = Path(path)
        check_type(path)
        if not path.parent.is_dir():  # a slip in --book, as a missing book: exit 4
            raise InputError(
                f"the folder of the book {path} does not exist",
                "create the folder, or choose another book path",
            )
        if path.exists() and not path.is_file():
            raise BookError(f"the book {path} is not a file", "choose a .xlsx or .csv file")
        target = path.resolve()
        if read_only:
            return cls(path, target, None)
        lock = lock_for_writing(path, target, lock_timeout)
        try:
            return cls(path, target, lock)
        except BaseException:
            lock.release()
            raise

    # --- reading -------------------------------------------------------------------

    def __len__(self) -> int:
        """Data rows down to the last one holding any value (len(rows()))."""
        return self._store.row_count()

    def rows(self) -> list[dict[str, str]]:
        """Every data row as header -> text; ours under their canonical names.

        Index i is MergeOutcome.row i + 1, so a blank spacer row the user left inside
        the list appears as a row of empty strings. Columns without a header are left
        out; a repeated user header gets a " (2)" suffix.
        """
        keys = self._row_keys()
        return [{key: self._store.get(i, c) for c, key in keys} for i in range(len(self))]

    @property
    def file(self) -> Path:
        """The real file behind the book (symlinks resolved)."""
        return self._target

    @property
    def exists(self) -> bool:
        """Whether the book has a file with content yet (else save() creates it)."""
        return not self._fresh

    def card_outcome(self, card_id: str) -> MergeOutcome | None:
        """What add_card would say for a photo already in the book, without reading it.

        A photo whose card id is in a row changes nothing (see add_card), so a caller
        holding only the photo's bytes can skip reading it.
        """
        card_id = card_id.lower()
        # A card of a photo of several has the photo's id and its place ("<id>#2"): the
        # photo's own id is in no row, so ingest looks at the photo again and leaves
        # each of its cards in the book alone (cardscan.ingest_plan).
        for index, keys in enumerate(self._keys):
            if card_id in keys.card_ids:
                return self._outcome(Action.UNCHANGED, index, [], why="same photo")
        return None

    @property
    def user_columns(self) -> list[str]:
        """Headers of the user's own columns, in sheet order."""
        ours = set(self._cols.values())
        return [key for c, key in self._row_keys() if c not in ours]

    # --- merging -------------------------------------------------------------------

    def add_card(
        self,
        result: CardResult,
        *,
        event: str | None = None,
        met_on: date | None = None,
        scanned_at: datetime,
        where: str | None = None,
        follow_up_days: int = FOLLOW_UP_DAYS,
    ) -> MergeOutcome:
        """Put one card into the book: same photo, same person, or a new person.

        `where` (booth, table, city) accumulates like `event`; a new person's Follow up
        by is `met_on` (else the scan's date) plus `follow_up_days`.
        """
        self._check_usable(result)
        return self._record(
            partial(
                self._add,
                result,
                event,
                met_on,
                scanned_at,
                where=where,
                follow_up_days=follow_up_days,
            )
        )

    def update_card(
        self, result: CardResult, *, scanned_at: datetime, keep: Collection[str] = ()
    ) -> MergeOutcome:
        """Re-fill the row of a re-read photo; the user's columns are left alone.

        `keep`: columns not to write either, the ones the user corrected on the review
        page (cardscan.state.corrections).
        """
        self._check_usable(result)
        return self._record(partial(self._update, result, scanned_at, frozenset(keep)))

    def _add(
        self,
        result: CardResult,
        event: str | None,
        met_on: date | None,
        scanned_at: datetime,
        *,
        where: str | None = None,
        follow_up_days: int = FOLLOW_UP_DAYS,
    ) -> MergeOutcome:
        card = card_keys(result)
        found = find_match(self._keys, card)
        if found is not None:
            # One side of a card in the row and the other new (a back added later,
            # cardscan.backs): the new photo's details join the row, but it is the card
            # already counted, not another meeting.
            same_card = found.kind == MatchKind.CARD
            if same_card and card.card_ids <= self._keys[found.row].card_ids:
                return self._outcome(Action.UNCHANGED, found.row, [], why=found.why)
            meeting = not same_card
            update = merge_row(
                self._our_row(found.row),
                result,
                event=event if meeting else None,
                met_on=met_on if meeting else None,
                scanned_at=scanned_at,
                where=where if meeting else None,
                same_card=same_card,
            )
            changed = self._apply(found.row, update)
            why = "the other side of a card in the row" if same_card else found.why
            return self._outcome(Action.MERGED, found.row, update.reasons, why, changed)
        flags = [
            f"possibly the same person as {self._who(m.row)} (row {m.row + 2}): {m.why}"
            for m in possible_matches(self._keys, card)
        ]
        index = self._store.append_row()
        update = new_row(
            result,
            event=event,
            met_on=met_on,
            scanned_at=scanned_at,
            flags=flags,
            where=where,
            follow_up_days=follow_up_days,
        )
        changed = self._apply(index, update)
        return self._outcome(Action.NEW, index, update.reasons, "", changed)

    def _update(
        self, result: CardResult, scanned_at: datetime, keep: frozenset[str] = frozenset()
    ) -> MergeOutcome:
        card_id = result.card_id.lower()
        index = next((i for i, k in enumerate(self._keys) if card_id in k.card_ids), None)
        if index is None:
            return self._add(result, None, None, scanned_at)
        row = self._our_row(index)
        if len(self._keys[index].card_ids) > 1:
            # The row also holds other cards' details; replacing them would lose those.
            update = merge_row(row, result, event=None, met_on=None, scanned_at=scanned_at)
        else:
            update = refill_row(row, result, scanned_at=scanned_at)
        if keep:
            changes = {k: v for k, v in update.changes.items() if k not in keep}
            update = dataclasses.replace(update, changes=changes)
        changed = self._apply(index, update)
        return self._outcome(Action.UPDATED, index, update.reasons, "same photo", changed)

    # --- the user's own edits, by command ----------------------------------------------

    def find_person(self, query: str) -> int:
        """The 0-based row `query` (a name, email or company) means; see book.people.

        Raises PersonError when it matches nobody, or several people about as well.
        """
        self._check_open()
        return resolve(self.rows(), query, self.path)

    def edit(
        self,
        index: int,
        changes: Mapping[str, CellValue] | None = None,
        *,
        note: str | None = None,
    ) -> MergeOutcome:
        """Write cells the user asked for by command (`cardscan tag`, `done`, `note`).

        Unlike a card, a command may set the user's own columns (Tags, Followed up on):
        the person typed the value. `note` is a line appended to Notes, never replacing
        what is there. Should another program save the book before save(), the edit is
        replayed on the row holding the same person (same card ids, name and emails),
        and refused if that row is gone, rather than written to whoever is there now.
        """
        self._check_open()
        if not 0 <= index < len(self._keys):
            raise IndexError(f"no data row {index} in {self.path}")
        identity = self._identity(index)
        wanted = dict(changes or {})
        unknown = [name for name in wanted if name not in self._cols]
        if unknown:
            raise ValueError(f"not a cardscan column: {', '.join(unknown)}")

        def op() -> MergeOutcome:
            row = self._row_with(identity)
            update = RowUpdate(changes=wanted, notes=[note] if note else [])
            changed = self._apply(row, update, user=True)
            return self._outcome(Action.UPDATED if changed else Action.UNCHANGED, row, [], "")

        return self._record(op)

    def _identity(self, index: int) -> tuple[str, str, str]:
        row = self._our_row(index)
        return (row[col.CARD_IDS], row[col.NAME], row[col.EMAILS])

    def _row_with(self, identity: tuple[str, str, str]) -> int:
        for index in range(len(self._keys)):
            if self._identity(index) == identity:
                return index
        raise BookError(
            f"the person being edited is no longer in {self.path} (it was changed "
            "by another program meanwhile)",
            "run the command again",
        )

    # --- saving --------------------------------------------------------------------

    def save(self) -> None:
        """Write the book atomically, after a one-per-session backup of the old file.

        If another program saved the file since we read it, it is read again and
        this session's cards are merged into that version, so its edits survive.
        """
        self._check_open()
        if self._lock is None:
            raise ValueError(f"the book {self.path} was opened read-only")
        refuse_if_open_elsewhere(self.path)
        refuse_if_open_elsewhere(self._target)
        if not self._dirty and not self._fresh:
            return
        if _fingerprint(self._target) != self._fingerprint:
            self._reload_and_replay()
        try:
            if self._target.exists() and not self._fresh and not self._backed_up:
                # The backups `cardscan undo` needs are never pruned (state.readings).
                held = needed_backups(self._target)
                self.last_backup = backup(self._target, held=held)
                self._backed_up = True
            atomic_write(self._target, self._store.write)
        except OSError as exc:
            raise BookError(
                f"cannot save the book {self.path} ({exc.strerror or exc})",
                "check free disk space and that you can write in its folder; "
                "the book on disk is unchanged",
            ) from exc
        self._fingerprint = _fingerprint(self._target)
        self._dirty = self._fresh = False
        self._ops.clear()

    def close(self) -> None:
        """Release the lock; unsaved changes are dropped."""
        if not self._closed:
            self._closed = True
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Book:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- internals -----------------------------------------------------------------

    def _load(self) -> None:
        self._fingerprint = _fingerprint(self._target)
        self._fresh = self._fingerprint is None or self._fingerprint[1] == 0
        self._store = load_store(self._target)
        self._dirty = False
        self._cols = self._map_columns()
        self._keys = [row_keys(self._our_row(i)) for i in range(len(self))]

    def _map_columns(self) -> dict[str, int]:
        headers = self._store.headers()
        cols: dict[str, int] = {}
        for index, header in enumerate(headers):
            name = col.canonical(header)
            if name and name not in cols:
                cols[name] = index
        if not cols and (any(headers) or len(self)):
            raise BookError(
                f"the first sheet of {self.path} has data but none of cardscan's "
                "column headers in row 1",
                "choose your contacts book, or put headers such as Name, Emails, Mobile "
                "in row 1 of the first sheet",
            )
        for name in col.COLUMNS:
            if name not in cols:  # appended at the right; saved only with a change
                cols[name] = self._store.add_column(name)
        return cols

    def _row_keys(self) -> list[tuple[int, str]]:
        """(column, dict key) for every column with a header, in sheet order."""
        by_index = {index: name for name, index in self._cols.items()}
        seen: set[str] = set(self._cols)
        out: list[tuple[int, str]] = []
        for index, header in enumerate(self._store.headers()):
            key = by_index.get(index, header.strip())
            if not key:
                continue
            if index not in by_index:
                base, n = key, 1
                while key in seen:
                    n += 1
                    key = f"{base} ({n})"
                seen.add(key)
            out.append((index, key))
        return out

    def _our_row(self, index: int) -> dict[str, str]:
        return {name: self._store.get(index, c) for name, c in self._cols.items()}

    def _apply(
        self, index: int, update: RowUpdate, *, user: bool = False
    ) -> dict[str, tuple[str, str]]:
        """Write a RowUpdate to row `index`; returns what it changed, as text.

        `user` is True only for edits the person asked for by command (Book.edit): a
        card must never write the user's columns.
        """
        before = self._our_row(index) if index < len(self._keys) else {}
        for name, value in update.changes.items():
            if name in col.USER_OWNED and not user:
                raise AssertionError(f"cardscan must not write the user's column {name}")
            self._store.set(index, self._cols[name], value)
        for line in update.notes:  # the one way into a user's column: appended
            self._store.append_text(index, self._cols[col.NOTES], line)
        after = self._our_row(index)
        keys = row_keys(after)
        if index == len(self._keys):
            self._keys.append(keys)
        else:
            self._keys[index] = keys
        self._dirty = True
        return {
            name: (before.get(name, ""), after[name])
            for name in self._cols
            if before.get(name, "") != after[name]
        }

    def _who(self, index: int) -> str:
        row = self._our_row(index)
        return row[col.NAME] or row[col.COMPANY] or "(no name)"

    def _outcome(
        self,
        action: Action,
        index: int,
        reasons: list[str],
        why: str = "",
        changed: dict[str, tuple[str, str]] | None = None,
    ) -> MergeOutcome:
        name = self._store.get(index, self._cols[col.NAME]) or None
        return MergeOutcome(action, index + 1, name, list(reasons), why, dict(changed or {}))

    def _record(self, op: Callable[[], MergeOutcome]) -> MergeOutcome:
        outcome = op()
        if outcome.action != Action.UNCHANGED:
            self._ops.append(op)
        return outcome

    def _reload_and_replay(self) -> None:
        ops, self._ops = self._ops, []
        self._load()
        for op in ops:
            self._record(op)

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"the book {self.path} is closed")

    def _check_usable(self, result: CardResult) -> None:
        self._check_open()
        if result.status not in (Status.OK, Status.NEEDS_REVIEW):
            raise ValueError(f"cannot add a {result.status} card to the book: {result.source}")
