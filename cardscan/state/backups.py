"""Backups of the book in `.cardscan/backups/`: a copy before every save, the last few kept.

A backup is the user's way back from any save (`cardscan undo` restores one; a person
can copy one over the book by hand), so the copy keeps the book's mode and the ones
undo still needs are never pruned (`held`, from the ingest journal in state.readings).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from cardscan.state.folder import state_dir

KEEP_BACKUPS = 10
_STAMP = "%Y%m%d-%H%M%S"


def backup(book: Path, now: datetime | None = None, *, held: Collection[Path] = ()) -> Path:
    """Copy the book to .cardscan/backups/<stem>.<YYYYmmdd-HHMMSS><ext>, then prune.

    The copy has the book's mode (a private book has private backups). `held`: backups
    that must stay whatever their age (those `cardscan undo` still needs); see
    prune_backups.
    """
    folder = state_dir(book) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime(_STAMP)
    target = folder / f"{book.stem}.{stamp}{book.suffix}"
    counter = 1
    while target.exists():  # two saves within one second
        counter += 1
        target = folder / f"{book.stem}.{stamp}-{counter}{book.suffix}"
    shutil.copy2(book, target)
    prune_backups(book, held=held)
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


def prune_backups(book: Path, keep: int = KEEP_BACKUPS, *, held: Collection[Path] = ()) -> None:
    """Delete the oldest backups but the last `keep`, never one in `held`.

    Held backups (those undo needs) do not count towards `keep` either: however many
    notes, tags and follow-ups are saved after an ingest, the ingest stays undoable and
    the last `keep` other versions are kept besides.
    """
    needed = {_key(p) for p in held}
    other = [p for p in backups(book) if _key(p) not in needed]
    for path in other[: max(0, len(other) - keep)]:
        path.unlink(missing_ok=True)


def _key(path: Path) -> str:
    return os.path.normpath(os.path.abspath(path))
