"""Undo: put the book back as it was before the last ingest.

Every ingest that changes the book records itself in the result store's journal
(cardscan.state.readings): the backup it made of the book and a hash of the book as it
left it. Undo restores that backup. Decisions:

- Each undo steps back one ingest: the latest one not yet undone. Ingests that changed
  nothing are not recorded, so there is nothing to step over.
- Undo refuses when the book is no longer exactly what that ingest wrote (edited by
  you, saved by a spreadsheet program, changed by `cardscan rescan --book`, or already
  stepped back past edits made between two ingests): restoring would silently throw
  those changes away too. `--force` restores anyway. This is also what keeps a second
  undo from going back further than makes sense: it only goes on while the book is
  exactly the one the earlier ingest left.
- The version being undone is itself kept as a backup in .cardscan/backups/ (the
  message names it), so an undo can be undone by copying that file back.
- An ingest that created the book is undone by removing the book (after keeping it as
  a backup): before that ingest there was no book.
- Undo takes the book's lock and refuses while a spreadsheet program has the book
  open, or when the user made it read-only, like every command that writes the book.
  The photos' readings stay in the store: ingesting the same photos again is quick.
- Nothing to undo (no book and no journal, no ingest recorded, every ingest undone)
  is exit code 4, "no usable input", as `cardscan review` with no batch: nothing is
  wrong with the book. A refusal to lose changes stays 7, like any book refusal.
- The backups of the last UNDOABLE ingests not undone are never pruned (backups.
  prune_backups), so undo of the last ingest works however many notes, tags and
  follow-ups were saved after it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cardscan.book.core import Book
from cardscan.book.safety import atomic_write, lock_for_writing
from cardscan.book.store import check_type
from cardscan.errors import BookError, InputError
from cardscan.state.backups import backup
from cardscan.state.folder import state_dir
from cardscan.state.readings import IngestRecord, ResultStore, Warn, file_sha256, store_path
from cardscan.terminal import visible


@dataclass
class UndoReport:
    book: Path  # as the user named it
    ingest: IngestRecord  # the ingest undone
    removed_book: bool  # the ingest had created the book: it is gone again
    rows_removed: int | None  # None when the undone version could not be read
    rows_changed: int | None
    rows_restored: int | None  # rows missing from the undone version (only with --force)
    kept: Path | None  # the undone version, kept as a backup
    forced: bool  # the book had changed since the ingest

    def message(self) -> str:
        when = self.ingest.started_at.strftime("%Y-%m-%d %H:%M")
        photos = f"{self.ingest.photos} card photo{'s' if self.ingest.photos != 1 else ''}"
        name = visible(self.book.name)  # several lines on purpose: values made visible here
        if self.removed_book:
            head = f"Removed {name}: it did not exist before the ingest of {when} ({photos})"
        else:
            head = f"Restored {name} to its state before the ingest of {when} ({photos})"
        parts = []
        if self.rows_removed is not None and self.rows_changed is not None:
            parts.append(_count(self.rows_removed, "row", "removed"))
            if not self.removed_book:
                parts.append(_count(self.rows_changed, "row", "changed back"))
            if self.rows_restored:
                parts.append(_count(self.rows_restored, "row", "brought back"))
        lines = [head + (": " + ", ".join(parts) if parts else "") + "."]
        if self.forced:
            lines.append("The book had changed since that ingest; those changes are undone too.")
        if self.kept is not None:
            lines.append(
                f"The undone version is kept as {visible(self.kept)} (copy it over the book "
                "to redo)."
            )
        return "\n".join(lines)


def save_ingest(
    contacts: Book,
    store: ResultStore | None,
    *,
    started: datetime,
    photos: int,
    new_rows: int,
    merged: int,
) -> IngestRecord | None:
    """Save the book at the end of an ingest and record the ingest for `cardscan undo`.

    The record holds the backup save() made and the sha256 of the book as written.
    None when nothing could be recorded (no store: that ingest cannot be undone).
    """
    created = not contacts.exists
    contacts.save()
    backup_made = contacts.last_backup
    if store is None or (backup_made is None and not created):
        return None  # nothing to restore from: never claim an undo we could not do
    record = IngestRecord(
        started_at=started,
        saved_at=datetime.now(),
        photos=photos,
        new_rows=new_rows,
        merged=merged,
        backup=None
        if backup_made is None
        else str(backup_made.relative_to(state_dir(contacts.file))),
        book_sha256=file_sha256(contacts.file),
    )
    return record if store.record_ingest(record) else None


def _count(n: int, noun: str, verb: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'} {verb}"


def undo_last_ingest(
    path: Path, *, force: bool = False, warn: Warn, lock_timeout: float = 10.0
) -> UndoReport:
    """Restore the book at `path` from the backup of its latest ingest not yet undone."""
    path = Path(path)
    check_type(path)
    target = path.resolve()
    journal = store_path(target)
    no_history = (
        "undo knows the ingests recorded in it; earlier versions of the book are in "
        f"{state_dir(target) / 'backups'}: copy one over the book by hand"
    )
    if not journal.is_file():
        if not path.exists():
            raise InputError(
                f"the book {path} does not exist, and no ingest of it is recorded",
                f"make it from card photos with `cardscan ingest PHOTOS --book {path}`, "
                "or pass --book (or set $CARDSCAN_BOOK) to name your book",
            )
        raise InputError(f"no ingest of {path} is recorded ({journal} does not exist)", no_history)
    lock = lock_for_writing(path, target, lock_timeout)
    try:
        store = ResultStore.open(target, warn=warn)
        if store is None:
            raise BookError(f"cannot read the ingest journal of {path} ({journal})", no_history)
        with store:
            try:
                return _undo(path, target, store, force, warn)
            except sqlite3.Error as exc:
                raise BookError(
                    f"cannot read the ingest journal of {path} ({journal}: {exc})",
                    "nothing was changed; run again, or restore a copy from "
                    f"{state_dir(target) / 'backups'} by hand",
                ) from exc
    finally:
        lock.release()


def _undo(path: Path, target: Path, store: ResultStore, force: bool, warn: Warn) -> UndoReport:
    last = store.last_ingest()
    if last is None:
        undone = [r for r in store.ingests() if r.undone_at is not None]
        what = "every recorded ingest has been undone" if undone else "no ingest is recorded"
        raise InputError(
            f"nothing to undo for {path}: {what}",
            f"earlier versions of the book are in {state_dir(target) / 'backups'}",
        )
    when = last.started_at.strftime("%Y-%m-%d %H:%M")
    current = file_sha256(target) if target.is_file() else None
    changed = current != last.book_sha256
    if changed and not force:
        now = "does not exist any more" if current is None else "has changed"
        raise BookError(
            f"{path} {now} since the ingest of {when} (edited, saved by another program, "
            "changed by another cardscan command, or an earlier undo stepped back past "
            "edits made after that ingest)",
            "undoing would throw those changes away too: run `cardscan undo --force` to "
            "do it anyway (the current version is kept in .cardscan/backups/)",
        )
    source = state_dir(target) / last.backup if last.backup else None
    try:
        # Read before the backup below, which may prune this very file.
        restored = source.read_bytes() if source is not None else None
    except OSError as exc:
        raise BookError(
            f"the copy of {path} from before the ingest of {when} cannot be read: "
            f"{source} ({exc.strerror or exc})",
            f"nothing was changed; older copies may be in {state_dir(target) / 'backups'}",
        ) from exc
    before_rows = _rows(source) if source is not None else []
    now_rows = _rows(target) if current is not None else []
    kept: Path | None = None
    try:
        if current is not None:
            kept = backup(target, held=store.needed_backups())
        if restored is not None:
            data = restored
            # A book deleted since takes the backup's mode and owner (the book's then).
            like = source if current is None else None
            atomic_write(target, lambda tmp: tmp.write_bytes(data), like=like)
        else:
            target.unlink(missing_ok=True)
    except OSError as exc:
        raise BookError(
            f"cannot restore the book {path} ({exc.strerror or exc})",
            "check free disk space and that you can write in its folder",
        ) from exc
    kept_name = str(kept.relative_to(state_dir(target))) if kept is not None else None
    try:
        store.mark_undone(last.id, datetime.now(), kept_name)
    except sqlite3.Error as exc:  # restored all the same; the next undo will refuse
        warn(f"the book is restored but the journal {store.path} could not record it ({exc})")
    removed = changed_back = restored_rows = None
    if before_rows is not None and now_rows is not None:
        removed = max(0, len(now_rows) - len(before_rows))
        restored_rows = max(0, len(before_rows) - len(now_rows))
        changed_back = sum(a != b for a, b in zip(now_rows, before_rows, strict=False))
    return UndoReport(
        book=path,
        ingest=last,
        removed_book=restored is None,
        rows_removed=removed,
        rows_changed=changed_back,
        rows_restored=restored_rows,
        kept=_shown(path, kept),
        forced=changed,
    )


def _rows(path: Path) -> list[dict[str, str]] | None:
    """A book's rows for counting what changed; None when it cannot be read."""
    try:
        with Book.open(path, read_only=True) as book:
            return book.rows()
    except BookError:
        return None


def _shown(book: Path, kept: Path | None) -> Path | None:
    """The kept copy as the user would type it: relative to the current folder if inside."""
    if kept is None:
        return None
    try:
        return kept.relative_to(Path.cwd())
    except ValueError:
        return kept
