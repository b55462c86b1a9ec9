"""What each ingest did, photo by photo: the batches the review page shows.

Kept beside the book, in its `.cardscan/` folder:

- `<book>.batches/<id>.json`: one file per ingest (not --dry-run) that added or merged
  a card or failed to read one (an ingest of photos all already in the book has
  nothing to show and is not recorded). The id is the time
  the ingest started, `YYYYmmdd-HHMMSS` (`-2`, `-3`… when two start within a second).
  It holds the event, and per photo: the path as given and as an absolute path, the
  card id, what happened (`new`, `merged`, `unchanged`: already in the book, `failed`),
  the row it went to, the merge's reasons to review, and the whole reading (the
  `rescan --json` object, with the evidence boxes). Some 3 KB a photo.
- `crops/<card id>.jpg`: the straightened card of each photo read (cardscan.review.crop),
  written by the ingest from the bytes its worker sent back, then dropped from memory.
  Shared by the books of the folder (a crop depends only on the photo). Some 50-150 KB
  a photo, never pruned: delete the folder to reclaim the space (pages then show the
  photo link only, until the photos are read again with `ingest --rescan`).

Both are for people and pages, not for the book: losing them loses nothing but the
review pages of past batches.

The review page beside the book is rewritten only by an ingest that added or merged a
card: a batch that read nothing new (all already in the book, or all failed) must not
replace the page of the last batch that did, whose cards the user may not have checked
yet. A batch that only failed is still recorded, so `cardscan review --batch ID` shows
it; `--batch last` means the last batch that added or merged a card (Batch.added).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from cardscan.book.core import Action, MergeOutcome
from cardscan.book.safety import atomic_write
from cardscan.errors import CardscanError
from cardscan.model import CardResult, Status
from cardscan.state.folder import state_dir
from cardscan.terminal import printable

FORMAT = "cardscan-batch"
VERSION = 1
_STAMP = "%Y%m%d-%H%M%S"

Warn = Callable[[str], None]


class PageWriter(Protocol):
    """Writes the review page of a batch (cardscan.review.page.write_page).

    Handed to BatchRecorder by the ingest rather than imported: the review page reads
    this state, so state must not import it back (no cycle, and review/ stays a reader).
    """

    def __call__(self, book: Path, target: Path, *, batch: str, warn: Warn | None) -> Path: ...


class Outcome:
    """What an ingest did with a photo (Entry.action)."""

    NEW = "new"
    MERGED = "merged"
    UNCHANGED = "unchanged"  # already in the book: not read
    FAILED = "failed"


def batches_dir(book: Path) -> Path:
    """Where the batches of the book at `book` (the real file) are kept."""
    return state_dir(book) / f"{book.name}.batches"


def crop_path(book: Path, card_id: str) -> Path:
    """The card's picture; a further person's row of a card ("<id>@2", cardscan.rows)
    shows the card's."""
    return state_dir(book) / "crops" / f"{card_id.partition('@')[0].lower()}.jpg"


@dataclass
class Entry:
    """One photo of a batch."""

    source: str  # the photo as the ingest was given it (printable)
    photo: str  # its absolute path (may hold undecodable bytes, escaped by json)
    card_id: str  # "" when the file could not be read at all
    action: str  # Outcome.*
    row: int | None = None  # the sheet row it went to (the header is row 1), then
    reasons: list[str] = field(default_factory=list)  # the merge's reasons to review
    reading: dict[str, Any] | None = None  # CardResult.to_json(); None: not read
    back_photo: str | None = None  # the absolute path of the card's back, if photographed

    @property
    def status(self) -> str:
        """ok, needs_review, failed, or unchanged (already in the book, not read)."""
        if self.action == Outcome.FAILED:
            return str(Status.FAILED)
        if self.action == Outcome.UNCHANGED:
            return Outcome.UNCHANGED
        flagged = self.reading is not None and self.reading.get("status") == Status.NEEDS_REVIEW
        return str(Status.NEEDS_REVIEW) if flagged or self.reasons else str(Status.OK)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "photo": self.photo,
            "card_id": self.card_id,
            "action": self.action,
            "row": self.row,
            "reasons": list(self.reasons),
            "reading": self.reading,
            "back_photo": self.back_photo,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        reading = data.get("reading")
        return cls(
            source=str(data["source"]),
            photo=str(data.get("photo") or data["source"]),
            card_id=str(data.get("card_id") or ""),
            action=str(data["action"]),
            row=int(data["row"]) if data.get("row") is not None else None,
            reasons=[str(r) for r in data.get("reasons") or []],
            reading=reading if isinstance(reading, dict) else None,
            back_photo=str(data["back_photo"]) if data.get("back_photo") else None,
        )


@dataclass
class Batch:
    id: str
    book: str  # the book's file name
    started_at: datetime
    event: str | None = None
    where: str | None = None
    met_on: date | None = None
    interrupted: bool = False
    entries: list[Entry] = field(default_factory=list)

    @property
    def added(self) -> bool:
        """Whether this batch added or merged a card: it has cards to review."""
        return any(e.action in (Outcome.NEW, Outcome.MERGED) for e in self.entries)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "id": self.id,
            "book": self.book,
            "started_at": self.started_at.isoformat(),
            "event": self.event,
            "where": self.where,
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "interrupted": self.interrupted,
            "entries": [e.to_json() for e in self.entries],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Batch:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a cardscan batch record")
        return cls(
            id=str(data["id"]),
            book=str(data.get("book") or ""),
            started_at=datetime.fromisoformat(data["started_at"]),
            event=data.get("event") or None,
            where=data.get("where") or None,
            met_on=date.fromisoformat(data["met_on"]) if data.get("met_on") else None,
            interrupted=bool(data.get("interrupted")),
            entries=[Entry.from_json(e) for e in data.get("entries") or []],
        )


def load_batches(book: Path, warn: Warn | None = None) -> list[Batch]:
    """Every batch recorded for the book at `book` (the real file), oldest first.

    A record that cannot be read is skipped, with a warning when `warn` is given.
    """
    folder = batches_dir(book)
    if not folder.is_dir():
        return []
    batches = []
    for path in sorted(folder.glob("*.json")):
        try:
            batches.append(Batch.from_json(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
            # RecursionError: a record nested thousands deep (json.loads recurses per level)
            if warn is not None:
                warn(f"the batch record {path} cannot be read ({exc}): left out of the page")
    batches.sort(key=lambda b: (b.started_at, b.id))
    return batches


def save_batch(book: Path, batch: Batch) -> Path:
    """Write a batch record under a fresh id derived from its start; returns its path."""
    folder = batches_dir(book)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = batch.started_at.strftime(_STAMP)
    batch.id, counter = stamp, 1
    while (folder / f"{batch.id}.json").exists():
        counter += 1
        batch.id = f"{stamp}-{counter}"
    target = folder / f"{batch.id}.json"
    data = json.dumps(batch.to_json(), indent=1).encode("ascii")
    atomic_write(target, lambda tmp: tmp.write_bytes(data))
    return target


def default_page(book: Path) -> Path:
    """`contacts.xlsx` -> `contacts.review.html` beside it."""
    return book.with_name(f"{book.stem}.review.html")


@dataclass
class Finished:
    """What BatchRecorder.finish wrote."""

    added: bool = False  # the batch added or merged a card: its page is due
    page: Path | None = None  # the review page of this batch, when written
    batch: str | None = None  # this batch's id, when recorded
    earlier: Path | None = None  # the page as it was before (left as it is unless `page`)


class BatchRecorder:
    """Collects an ingest's photos as they are merged; writes the batch at the end.

    `card()` also writes the photo's crop and drops its bytes from the result, so no
    crop stays in memory however long the batch. A dry run records and writes nothing.
    `write_page` writes the batch's review page at the end (see PageWriter).
    """

    def __init__(
        self,
        book: Path,
        *,
        started: datetime,
        event: str | None,
        where: str | None = None,
        met_on: date | None = None,
        dry_run: bool = False,
        warn: Warn,
        write_page: PageWriter,
    ) -> None:
        self.book = Path(book)
        self._write_page = write_page
        self.batch = Batch(
            id="",
            book=self.book.name,
            started_at=started,
            event=event,
            where=where,
            met_on=met_on,
        )
        self.dry_run = dry_run
        self._warn = warn
        self._crops_ok = True

    @property
    def _target(self) -> Path:
        return self.book.resolve()

    def keep_crop(self, result: CardResult) -> None:
        """Write a photo's crop to .cardscan/crops/ and drop it from the result."""
        crop, result.crop = result.crop, None
        if crop is not None and not self.dry_run:
            self._keep_crop(result.card_id, crop)

    def card(self, path: Path, result: CardResult, outcome: MergeOutcome) -> None:
        """A card read (or taken from the store) and merged into the book."""
        for side in result.photos:  # the front, and the back of a two-sided card
            self.keep_crop(side)
        action = {Action.NEW: Outcome.NEW, Action.MERGED: Outcome.MERGED}.get(
            outcome.action, Outcome.UNCHANGED
        )
        self._add(path, result.card_id, action, outcome.sheet_row, outcome.reasons, result)

    def unchanged(self, path: Path, card_id: str, outcome: MergeOutcome) -> None:
        """A photo already in the book: not read."""
        self._add(path, card_id, Outcome.UNCHANGED, outcome.sheet_row, [], None)

    def finish(self, failed: list[CardResult], *, interrupted: bool) -> Finished:
        """Record the batch, with its failed photos, and write its review page.

        The page is written only when the batch added or merged a card; a batch that
        only failed is recorded without it, one with nothing new not at all. A dry run
        records and writes nothing. When the page or the record cannot be written, a
        warning says so (the book is saved all the same).
        """
        if self.dry_run:
            return Finished()
        page = default_page(self.book)
        done = Finished(earlier=page if page.is_file() else None)
        for result in failed:
            self._add(Path(result.source), result.card_id, Outcome.FAILED, None, [], result)
        self.batch.interrupted = interrupted
        done.added = self.batch.added
        if not done.added and not failed:
            return done  # every card already in the book: nothing to show
        try:
            save_batch(self._target, self.batch)
            done.batch = self.batch.id
            if done.added:
                done.page = self._write_page(self.book, page, batch=self.batch.id, warn=self._warn)
        except (OSError, CardscanError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            self._warn(
                f"cannot write the review page or its batch record beside {self.book} "
                f"({why}): the book is saved; fix that, then run `cardscan review`"
            )
        return done

    def _add(
        self,
        path: Path,
        card_id: str,
        action: str,
        row: int | None,
        reasons: list[str],
        result: CardResult | None,
    ) -> None:
        self.batch.entries.append(
            Entry(
                source=printable(str(path)),
                photo=os.path.abspath(path),
                card_id=card_id,
                action=action,
                row=row,
                reasons=list(reasons),
                reading=result.to_json() if result is not None else None,
                back_photo=(
                    os.path.abspath(result.back.source)
                    if result is not None and result.back is not None
                    else None
                ),
            )
        )

    def _keep_crop(self, card_id: str, crop: bytes) -> None:
        if not self._crops_ok or not card_id:
            return
        target = crop_path(self._target, card_id)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # No fsync: a crop is a picture for a page, made again by reading the photo.
            tmp.write_bytes(crop)
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            self._crops_ok = False  # once is enough: the folder is not writable
            self._warn(
                f"cannot keep the card images in {target.parent} ({exc.strerror or exc}): "
                "the review page will show the photo links only"
            )
