"""Keeping the user's book safe: locks, backups and all-or-nothing writes.

The book is the user's only copy of their contacts and notes. A crash, a full disk,
a second cardscan run or a spreadsheet program holding the file must never leave it
half-written or silently overwrite someone else's edits.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from cardscan.errors import BookError

STATE_DIR = ".cardscan"
KEEP_BACKUPS = 10


def state_dir(book: Path) -> Path:
    return book.parent / STATE_DIR


def spreadsheet_lock_files(book: Path) -> list[Path]:
    """Owner files LibreOffice and Excel leave beside a book they have open."""
    names = [f".~lock.{book.name}#", f"~${book.name}"]
    if len(book.name) > 2:  # Office shortens long names: "~$ntacts.xlsx"
        names.append(f"~${book.name[2:]}")
    return [book.parent / n for n in names if (book.parent / n).exists()]


def refuse_if_open_elsewhere(book: Path) -> None:
    """Refuse to touch a book open in Excel/LibreOffice: its next save would undo ours."""
    found = spreadsheet_lock_files(book)
    if found:
        raise BookError(
            f"{book} is open in a spreadsheet program",
            f"close it and run again (if nothing has it open, delete the leftover "
            f"lock file {found[0]})",
        )


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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not supported everywhere (Windows); the replace itself is atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Have `write` fill a temp file beside `target`, then swap it in with os.replace.

    Readers see either the old file or the complete new one. The new file keeps the
    old one's permissions (mkstemp would make it private to us).
    """
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if target.exists():
            shutil.copymode(target, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


_STAMP = "%Y%m%d-%H%M%S"


def backup(book: Path, now: datetime | None = None) -> Path:
    """Copy the book to .cardscan/backups/<stem>.<YYYYmmdd-HHMMSS><ext>; keep the last 10."""
    folder = state_dir(book) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime(_STAMP)
    target = folder / f"{book.stem}.{stamp}{book.suffix}"
    counter = 1
    while target.exists():  # two saves within one second
        counter += 1
        target = folder / f"{book.stem}.{stamp}-{counter}{book.suffix}"
    shutil.copy2(book, target)
    prune_backups(book)
    return target


def backups(book: Path) -> list[Path]:
    """This book's backups, oldest first."""
    folder = state_dir(book) / "backups"
    pattern = re.compile(
        rf"{re.escape(book.stem)}\.(\d{{8}}-\d{{6}})(?:-(\d+))?{re.escape(book.suffix)}"
    )
    found: list[tuple[str, int, Path]] = []
    if folder.is_dir():
        for path in folder.iterdir():
            m = pattern.fullmatch(path.name)
            if m:
                found.append((m.group(1), int(m.group(2) or 1), path))
    return [path for _, _, path in sorted(found)]


def prune_backups(book: Path, keep: int = KEEP_BACKUPS) -> None:
    old = backups(book)
    for path in old[: max(0, len(old) - keep)]:
        path.unlink(missing_ok=True)
