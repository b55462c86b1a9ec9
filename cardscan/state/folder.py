"""The state folder `.cardscan/` beside a book, and the lock kept in it.

Everything cardscan keeps about a book that is not the book itself lives in one folder
beside it (readings and the ingest journal, backups, batch records, crops, corrections,
the lock), so that the user's folder holds only their spreadsheet, and deleting
`.cardscan/` costs nothing but caches, history and undo. The folder is never readable
by more people than the book (narrow_like): it holds the same contacts.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from filelock import FileLock, Timeout

from cardscan.errors import BookError

STATE_DIR = ".cardscan"


def state_dir(book: Path) -> Path:
    return book.parent / STATE_DIR


class BookLock:
    """An inter-process lock so two cardscan runs never interleave read-modify-write."""

    def __init__(self, book: Path, timeout: float) -> None:
        self.book = book
        self.path = state_dir(book) / f"{book.name}.lock"
        self.timeout = timeout
        self._lock: FileLock | None = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            narrow_like(self.path.parent, self.book)
            lock = FileLock(str(self.path), timeout=self.timeout)
            lock.acquire()
        except Timeout:
            raise BookError(
                f"book {self.book} is in use by another cardscan run",
                "wait for it to finish",
            ) from None
        except OSError as exc:
            raise BookError(
                f"cannot create the lock file {self.path} for book {self.book} ({exc})",
                "make sure you can write in the book's folder",
            ) from exc
        self._lock = lock

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def narrow_like(folder: Path, book: Path) -> None:
    """Take from `folder` (the state folder) every permission the book does not give.

    Only ever narrows: a 600 book makes .cardscan/ 700 (x where r, as a folder needs);
    a 644 book leaves a 755 folder as it is. A folder shared by several books ends up
    as private as the most private of them. Nothing happens before the book exists, or
    when the folder is not ours to change.
    """
    try:
        allowed = stat.S_IMODE(book.stat().st_mode) | 0o700
        current = stat.S_IMODE(folder.stat().st_mode)
        allowed |= (allowed & 0o444) >> 2  # a folder one may read must be searchable
        if current & ~allowed:
            os.chmod(folder, current & allowed)
    except OSError:
        pass
