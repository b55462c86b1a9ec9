"""Keeping the user's book safe: refusals and all-or-nothing writes.

The book is the user's only copy of their contacts and notes. A crash, a full disk,
a second cardscan run or a spreadsheet program holding the file must never leave it
half-written or silently overwrite someone else's edits.

Who may read it stays as the user set it:
- A book the user made read-only is refused before any work (refuse_if_read_only):
  the swap of atomic_write would otherwise replace it, read-only or not.
- A rewrite keeps the book's mode, and its owner and group where the system lets us
  (atomic_write).
- Nothing cardscan keeps about the book is readable by more people than the book:
  the state folder `.cardscan/` is narrowed to the book's permissions (a 600 book gets
  a 700 folder, whatever its files' own modes), backups are copies with the book's
  mode, and a file made beside the book (the review page) takes the book's mode.

The lock and the backups live in the state folder: cardscan.state.folder and
cardscan.state.backups.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from cardscan.errors import BookError
from cardscan.state.folder import BookLock, state_dir


def spreadsheet_lock_files(book: Path) -> list[Path]:
    """Owner files LibreOffice and Excel leave beside a book they have open."""
    names = [f".~lock.{book.name}#", f"~${book.name}"]
    if len(book.name) > 2:  # Office shortens long names: "~$ntacts.xlsx"
        names.append(f"~${book.name[2:]}")
    return [book.parent / n for n in names if (book.parent / n).exists()]


def refuse_if_read_only(book: Path) -> None:
    """Refuse to write a book the user made read-only, or one we cannot write.

    Checked before any work, by every command that writes the book: its file, its
    folder (the temp file of each save goes there) and `.cardscan/` (lock, backups).

    What read-only means: os.access says we may not write (permissions, a read-only
    file system, an immutable file) -- or the file (or folder) has no write permission
    for its owner. The second matters for root, whom os.access lets write anything:
    `chmod a-w contacts.xlsx` is a clear wish that the book not change, so it is
    honoured whoever runs cardscan. --dry-run only reads and is not checked.
    """
    target = book.resolve()
    if target.is_file():
        why = _not_writable(target)
        if why:
            raise BookError(
                f"the book {book} is read-only ({why})",
                f"make it writable with `chmod u+w {book}`, or choose another book with "
                "--book; nothing was changed",
            )
    for folder in (target.parent, state_dir(target)):
        if not folder.is_dir():
            continue  # the book's folder is checked by whoever opens it; .cardscan/ is made
        why = _not_writable(folder, os.X_OK)
        if why:
            raise BookError(
                f"cannot write in the folder {folder} of the book {book} ({why}; each save "
                "writes a temporary file there, and .cardscan/ keeps the lock and backups)",
                f"make the folder writable with `chmod u+w {folder}`, or choose a book in "
                "another folder with --book; nothing was changed",
            )


def lock_for_writing(path: Path, target: Path, timeout: float) -> BookLock:
    """Refuse a book cardscan must not write (read-only, open in a spreadsheet program,
    by its path as given or resolved), then take its lock: every command that will
    change a book starts here. The caller releases the lock it is given."""
    refuse_if_read_only(path)
    refuse_if_open_elsewhere(path)
    refuse_if_open_elsewhere(target)
    lock = BookLock(target, timeout)
    lock.acquire()
    return lock


def _not_writable(path: Path, extra: int = 0) -> str | None:
    """Why we may not write `path` (see refuse_if_read_only), or None."""
    mode = path.stat().st_mode
    if not mode & stat.S_IWUSR:
        return f"its permissions, {stat.filemode(mode)}, do not let even its owner write it"
    effective = os.access in os.supports_effective_ids
    if os.access(path, os.W_OK | extra, effective_ids=effective):
        return None
    if hasattr(os, "statvfs") and os.statvfs(path).f_flag & os.ST_RDONLY:
        return "it is on a read-only file system"
    return f"you may not write it: it belongs to uid {path.stat().st_uid}, {stat.filemode(mode)}"


def refuse_if_open_elsewhere(book: Path) -> None:
    """Refuse to touch a book open in Excel/LibreOffice: its next save would undo ours."""
    found = spreadsheet_lock_files(book)
    if found:
        raise BookError(
            f"{book} is open in a spreadsheet program",
            f"close it and run again (if nothing has it open, delete the leftover "
            f"lock file {found[0]})",
        )


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


def atomic_write(
    target: Path, write: Callable[[Path], object], *, like: Path | None = None
) -> None:
    """Have `write` fill a temp file beside `target`, then swap it in with os.replace.

    Readers see either the old file or the complete new one. The new file keeps the
    old one's mode, owner and group (keep_owner); a new file gets the umask's mode.
    `like`: a file whose owner the new file takes, and whose permissions it never
    exceeds, instead of the old file's (the review page follows the book: a page
    showing a private book's contacts is private too, even if it was not before).
    """
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        _take_over(tmp, target, like)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _take_over(tmp: Path, target: Path, like: Path | None) -> None:
    """Give `tmp` the mode, owner and group it should have as `target`."""
    model = like if like is not None and like.exists() else None
    if model is None and target.exists():
        old = target.stat()
        os.chmod(tmp, keep_owner(tmp, old, stat.S_IMODE(old.st_mode)))
        return
    mode = 0o666 & ~_umask()
    if model is not None:
        model_stat = model.stat()
        mode &= stat.S_IMODE(model_stat.st_mode) | 0o600  # ours to rewrite, no wider
        mode = keep_owner(tmp, model_stat, mode)
    os.chmod(tmp, mode)


def keep_owner(path: Path, model: os.stat_result, mode: int) -> int:
    """Give `path` (a file we just made) the owner and group of `model` where allowed.

    Root may give both. Anyone else keeps the group when they belong to it (a book
    shared through a group stays shared); the owner is then whoever runs cardscan,
    which only differs when the book belonged to someone else and its permissions let
    us write it. When the group cannot be kept, the new file's group is not the one
    the user gave access to, so it gets no access: the group bits of `mode` are
    dropped (a private book never becomes readable to another group). Returns the mode
    to set (after chown, which clears set-id bits).
    """
    if not hasattr(os, "chown"):
        return mode
    mine = os.stat(path)
    try:
        if os.geteuid() == 0:
            if (mine.st_uid, mine.st_gid) != (model.st_uid, model.st_gid):
                os.chown(path, model.st_uid, model.st_gid)
        elif mine.st_gid != model.st_gid and model.st_gid in {os.getegid(), *os.getgroups()}:
            os.chown(path, -1, model.st_gid)
    except OSError:
        pass  # not allowed here (a file system without owners): keep what we have
    if os.stat(path).st_gid != model.st_gid:
        mode &= ~0o070
    return mode
