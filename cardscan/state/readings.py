"""The result store: every photo's reading, and the journal of ingests, beside the book.

One SQLite database per book, `.cardscan/<book file name>.results.sqlite` in the book's
folder (e.g. `.cardscan/contacts.xlsx.results.sqlite`), in WAL mode with full sync.

Why: the book is written once, at the end of an ingest (atomically, so it is never
half-written), but reading a big stack takes minutes. Each photo's result is committed
here the moment it arrives, so an interrupted run (Ctrl-C, kill -9, power loss) loses
no photo already read: the next ingest takes those readings from here and only reads
the rest. The same makes re-ingesting a folder cheap.

Tables:
- results: one row per (card id, pipeline key, region): the photo's source path, its
  status, the CardResult as the `rescan --json` JSON, and when it was read. A reading
  is reused only for the same photo bytes (card id), the same pipeline (name plus a
  hash of its parameters and the cardscan version, so an edited pipeline file or an
  upgrade reads again) and the same phone region. Failed readings are not stored:
  the next run tries them again (most failures are a file still being copied, a
  timeout, a photo since replaced). The JSON keeps everything a reading carries about
  the photo, such as the day it was taken (`taken_on`, from its EXIF), so a reading
  taken from here stamps the same meeting date as a fresh one; a reading stored before
  that key existed is read again (STALE_WITHOUT).
- ingests: one row per ingest that changed the book: when, how many photos, the
  backup of the book it made (relative to `.cardscan/`; NULL when the ingest created
  the book) and the sha256 of the book as it left it. `cardscan undo` uses these, so
  the backups of the last UNDOABLE ingests not undone are never pruned (needed_backups).

The store is a cache and a journal, never the user's data: a damaged or foreign
database is moved aside (`*.damaged-<time>`) with a warning and a new one started, and
a store that cannot be written is given up for the run with a warning. The book is
never blocked by it. Deleting the file only costs reading photos again and the undo
history.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from cardscan import __version__
from cardscan.model import Box, CardResult, Contact, Issue, Person, Position, Status
from cardscan.state.folder import state_dir
from cardscan.terminal import printable

if TYPE_CHECKING:
    from cardscan.config import Pipeline

SCHEMA_VERSION = 1
# How many ingests back `cardscan undo` can always go: their backups are kept however
# many other saves (note, tag, done, apply, rescan --book) come after them. One copy of
# the book per ingest; older ingests' backups are pruned like any other backup.
UNDOABLE = 10
# Keys of the stored JSON that a reading from an older cardscan lacks and that only
# reading the photo again can supply: such a reading is not reused.
STALE_WITHOUT = ("taken_on", "evidence", "other_text")
_STAMP = "%Y%m%d-%H%M%S"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    card_id TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    region TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    result TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (card_id, pipeline, region)
);
CREATE TABLE IF NOT EXISTS ingests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    photos INTEGER NOT NULL,
    new_rows INTEGER NOT NULL,
    merged INTEGER NOT NULL,
    backup TEXT,
    book_sha256 TEXT NOT NULL,
    undone_at TEXT,
    undo_backup TEXT
);
"""

Warn = Callable[[str], None]


def store_path(book: Path) -> Path:
    """Where the store of the book at `book` (symlinks resolved) lives."""
    return state_dir(book) / f"{book.name}.results.sqlite"


def needed_backups(book: Path) -> set[Path]:
    """The backups of the book at `book` (the real file) that undo still needs.

    Read straight from the journal, without the checks of ResultStore.open: this runs
    on every save. Empty when there is no journal or it cannot be read (nothing is held
    back from pruning then; a damaged store is reported by whoever opens it to use it).
    """
    path = store_path(book)
    if not path.is_file():
        return set()
    # As ResultStore.open(read_only=True): with no write-ahead log left, the file is
    # complete and opened immutable (no -wal/-shm files made).
    wal = path.with_name(path.name + "-wal").exists()
    uri = f"{path.as_uri()}?mode=ro" + ("" if wal else "&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=10)
        try:
            return _needed(conn, path.parent)
        finally:
            conn.close()
    except sqlite3.Error:
        return set()


def _needed(conn: sqlite3.Connection, folder: Path) -> set[Path]:
    """The backups (under `folder`, .cardscan/) of the last UNDOABLE live ingests."""
    rows = conn.execute(
        "SELECT backup FROM ingests WHERE undone_at IS NULL ORDER BY id DESC LIMIT ?",
        (UNDOABLE,),
    ).fetchall()
    return {folder / row[0] for row in rows if row[0]}


def pipeline_key(pipeline: Pipeline) -> str:
    """Name plus a hash of everything that shapes a reading: "default/1a2b3c4d5e6f"."""
    shape = dataclasses.replace(pipeline, source="", description="")
    digest = hashlib.sha256(f"{__version__}\n{shape!r}".encode()).hexdigest()[:12]
    return f"{pipeline.name}/{digest}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class IngestRecord:
    """One ingest that changed the book, as the journal keeps it."""

    started_at: datetime
    saved_at: datetime
    photos: int  # card photos the ingest went through
    new_rows: int
    merged: int
    backup: str | None  # relative to .cardscan/; None: the ingest created the book
    book_sha256: str  # the book as the ingest left it
    id: int = 0
    undone_at: datetime | None = None
    undo_backup: str | None = None


class StoreDamaged(Exception):
    """The database cannot be used as a result store (corrupt, foreign, newer)."""


class ResultStore:
    """Open with ResultStore.open(book); None back means: go on without a store."""

    def __init__(self, conn: sqlite3.Connection, path: Path, warn: Warn, read_only: bool) -> None:
        self._conn: sqlite3.Connection | None = conn
        self.path = path
        self._warn = warn
        self.read_only = read_only

    # --- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, book: Path, *, warn: Warn, read_only: bool = False) -> ResultStore | None:
        """The store of `book` (the real file, symlinks resolved).

        Read-only: None when there is none or it cannot be used (nothing is created,
        moved or repaired). Otherwise a damaged store is moved aside and replaced, and
        None means even a new one could not be made (the warning says why).
        """
        path = store_path(book)
        if read_only:
            if not path.is_file():
                return None
            # Without a write-ahead log left over (a run killed before it checkpointed),
            # the file is complete: opened immutable, SQLite creates no -wal/-shm files.
            wal = path.with_name(path.name + "-wal").exists()
            uri = f"{path.as_uri()}?mode=ro" + ("" if wal else "&immutable=1")
            try:
                conn = sqlite3.connect(uri, uri=True)
                _check(conn)
            except (sqlite3.Error, StoreDamaged) as exc:
                fix = "; an ingest without --dry-run replaces it" if _damaged(exc) else ""
                warn(f"the result store {path} cannot be used ({_why(exc)}): reading anew{fix}")
                return None
            return cls(conn, path, warn, True)
        try:
            return cls(_connect(path), path, warn, False)
        except (sqlite3.Error, StoreDamaged) as exc:
            if not _damaged(exc):  # locked, I/O error: the file may be fine, leave it be
                warn(_unwritable(path, exc))
                return None
            moved = _move_aside(path)
            where = f"; it was moved to {moved.name}" if moved else ""
            warn(
                f"the result store {path} was damaged ({_why(exc)}){where}: a new one is "
                "started, photos are read again, and ingests before now cannot be undone "
                "with `cardscan undo` (their backups are still in .cardscan/backups/)"
            )
        except OSError as exc:
            warn(_unwritable(path, exc))
            return None
        try:
            return cls(_connect(path), path, warn, False)
        except (sqlite3.Error, StoreDamaged, OSError) as exc:
            warn(_unwritable(path, exc))
            return None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def usable(self) -> bool:
        return self._conn is not None

    # --- readings ------------------------------------------------------------------

    def get(self, card_id: str, pipeline: str, region: str) -> CardResult | None:
        """The stored reading of this photo under this pipeline and region, if any."""
        if self._conn is None or not card_id:
            return None
        try:
            row = self._conn.execute(
                "SELECT result FROM results WHERE card_id = ? AND pipeline = ? AND region = ?",
                (card_id.lower(), pipeline, region),
            ).fetchone()
        except sqlite3.Error as exc:
            self._give_up(exc)
            return None
        if row is None:
            return None
        try:
            data = json.loads(row[0])
            if isinstance(data, dict) and any(key not in data for key in STALE_WITHOUT):
                return None  # from before the key existed: read the photo again
            return result_from_json(data)
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            # Read the photo again; its new reading replaces the row. (RecursionError: a
            # row nested thousands deep, which json.loads recurses into.)
            self._warn(
                f"a stored reading in {self.path} cannot be used ({type(exc).__name__}: "
                f"{exc}): reading that photo again"
            )
            return None

    def put(self, result: CardResult, pipeline: str, region: str) -> None:
        """Commit one reading now; a failed reading is not stored (it is retried)."""
        if self._conn is None or self.read_only or result.status is Status.FAILED:
            return
        if not result.card_id:
            return
        # SQLite takes only valid UTF-8: a photo name that is not (b"caf\xe9.jpg") is kept
        # escaped. The source is only a note of where a reading came from; whoever takes
        # the reading back gives it the path it has now (cli.ingest._plan).
        source = printable(result.source)
        try:
            with self._conn:
                self._conn.execute(
                    "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        result.card_id.lower(),
                        pipeline,
                        region,
                        source,
                        str(result.status),
                        json.dumps(
                            dataclasses.replace(result, source=source).to_json(),
                            ensure_ascii=False,
                        ),
                        _now(),
                    ),
                )
        except sqlite3.Error as exc:
            self._give_up(exc)

    def count(self) -> int:
        if self._conn is None:
            return 0
        return int(self._conn.execute("SELECT count(*) FROM results").fetchone()[0])

    # --- the ingest journal --------------------------------------------------------

    def record_ingest(self, record: IngestRecord) -> bool:
        """Add an ingest to the journal; False (after a warning) when it cannot be."""
        if self._conn is None or self.read_only:
            return False
        try:
            with self._conn:
                self._conn.execute(
                    "INSERT INTO ingests (started_at, saved_at, photos, new_rows, merged, "
                    "backup, book_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        _iso(record.started_at),
                        _iso(record.saved_at),
                        record.photos,
                        record.new_rows,
                        record.merged,
                        record.backup,
                        record.book_sha256,
                    ),
                )
        except sqlite3.Error as exc:
            self._give_up(exc)
            return False
        return True

    def ingests(self) -> list[IngestRecord]:
        """Every recorded ingest, oldest first."""
        if self._conn is None:
            return []
        rows = self._conn.execute(
            "SELECT id, started_at, saved_at, photos, new_rows, merged, backup, book_sha256, "
            "undone_at, undo_backup FROM ingests ORDER BY id"
        ).fetchall()
        return [
            IngestRecord(
                id=r[0],
                started_at=datetime.fromisoformat(r[1]),
                saved_at=datetime.fromisoformat(r[2]),
                photos=r[3],
                new_rows=r[4],
                merged=r[5],
                backup=r[6],
                book_sha256=r[7],
                undone_at=datetime.fromisoformat(r[8]) if r[8] else None,
                undo_backup=r[9],
            )
            for r in rows
        ]

    def last_ingest(self) -> IngestRecord | None:
        """The latest ingest not yet undone."""
        live = [r for r in self.ingests() if r.undone_at is None]
        return live[-1] if live else None

    def needed_backups(self) -> set[Path]:
        """The backups undo needs: those of the last UNDOABLE ingests not undone."""
        if self._conn is None:
            return set()
        return _needed(self._conn, self.path.parent)

    def mark_undone(self, ingest_id: int, at: datetime, undo_backup: str | None) -> None:
        if self._conn is None:
            raise sqlite3.OperationalError("the result store is closed")
        with self._conn:
            self._conn.execute(
                "UPDATE ingests SET undone_at = ?, undo_backup = ? WHERE id = ?",
                (_iso(at), undo_backup, ingest_id),
            )

    # --- internals -----------------------------------------------------------------

    def _give_up(self, exc: Exception) -> None:
        self._warn(
            f"the result store {self.path} stopped working ({_why(exc)}): going on without "
            "it; photos read from now on are not kept for an interrupted run"
        )
        self.close()


def _damaged(exc: BaseException) -> bool:
    """Whether an error says the file itself is bad (not: locked, disk full, no access)."""
    if isinstance(exc, StoreDamaged):
        return True
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


def _create(path: Path) -> None:
    """Make a new store beside `path` and move it into place whole.

    Whoever opens the file (another process reading it) sees a complete store in WAL
    mode, never one half set up.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        with conn:
            conn.executescript(_SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    finally:
        conn.close()
    os.replace(tmp, path)


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create(path)
    conn = sqlite3.connect(path, timeout=10)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a committed reading survives power loss
        version = _check(conn)
        if version == 0:
            with conn:
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.close()
        raise
    return conn


def _check(conn: sqlite3.Connection) -> int:
    """The schema version of a usable store (0: empty, to be created); else StoreDamaged."""
    status = conn.execute("PRAGMA quick_check").fetchone()
    if not status or status[0] != "ok":
        raise StoreDamaged(f"integrity check: {status[0] if status else 'no answer'}")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 and not tables:
        return 0
    if version != SCHEMA_VERSION or not {"results", "ingests"} <= tables:
        raise StoreDamaged(
            f"not a cardscan result store of schema {SCHEMA_VERSION} (found version {version})"
        )
    return version


def _move_aside(path: Path) -> Path | None:
    if not path.exists():
        return None
    moved = path.with_name(f"{path.name}.damaged-{datetime.now().strftime(_STAMP)}")
    try:
        path.replace(moved)
        for suffix in ("-wal", "-shm"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                extra.replace(moved.with_name(moved.name + suffix))
    except OSError:
        return None
    return moved


def _why(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _unwritable(path: Path, exc: BaseException) -> str:
    return (
        f"cannot use the result store {path} ({_why(exc)}): going on without it; an "
        "interrupted run will read its photos again and this ingest cannot be undone with "
        "`cardscan undo` (check that you can write in the book's folder)"
    )


def _now() -> str:
    return _iso(datetime.now())


def _iso(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def result_from_json(data: dict[str, Any]) -> CardResult:
    """A CardResult back from CardResult.to_json() (the `rescan --json` contract)."""
    back = data.get("back")
    contact = data.get("contact") or {}
    return CardResult(
        source=str(data["source"]),
        card_id=str(data["card_id"]),
        status=Status(data["status"]),
        contact=Contact.from_json(contact),
        confidence={str(k): float(v) for k, v in data.get("confidence", {}).items()},
        issues=[
            Issue(str(i["code"]), str(i["message"]), i.get("field")) for i in data.get("issues", [])
        ],
        text=str(data.get("text", "")),
        region=data.get("region"),
        rotation=int(data.get("rotation", 0)),
        seconds=float(data.get("seconds", 0.0)),
        ocr_seconds=float(data.get("ocr_seconds", 0.0)),
        other_text=[str(t) for t in data.get("other_text") or []],
        card_notes=[str(t) for t in data.get("card_notes") or []],
        back=result_from_json(back) if isinstance(back, dict) else None,
        taken_on=date.fromisoformat(data["taken_on"]) if data.get("taken_on") else None,
        evidence={
            str(key): [Box(*(int(v) for v in box)) for box in boxes]
            for key, boxes in (data.get("evidence") or {}).items()
        },
        position=Position.from_json(data["position"]) if data.get("position") else None,
        cards=[Position.from_json(p) for p in data.get("cards") or []],
        people=[Person.from_json(p) for p in data.get("people") or []],
    )
