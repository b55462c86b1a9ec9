"""Which files a batch reads: the photos named, and those found in the folders named.

Part of planning an ingest (cardscan.ingest), before anything is read; the pairing of
fronts and backs (cardscan.backs) names photos by the same extensions.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Folder walks pick photos by extension (truth JSON, notes and the book itself sit beside
# photos); a file named explicitly is always tried, and decoded by content.
PHOTO_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".webp", ".bmp", ".heic", ".heif", ".gif"}
)
# Not photos, but what a phone's scanner app saves a card as: a walk takes them too, so
# the summary says why they cannot be read instead of skipping them without a word.
_REPORTED_EXTENSIONS = frozenset({".pdf"})


@dataclass
class Collected:
    photos: list[Path] = field(default_factory=list)
    # Paths given that cannot be used: a typo is a slip to fix before anything is read,
    # not a card that failed (an ingest refuses the batch, naming them all).
    missing: list[Path] = field(default_factory=list)  # no such file or folder
    empty: list[Path] = field(default_factory=list)  # a folder holding no photo


def collect_photos(paths: Iterable[Path]) -> Collected:
    """The photos to read: files given, and the photos found in folders given.

    A path that does not exist goes to `missing`, a folder in which the walk finds
    nothing to read to `empty`. A file given that exists is always taken, whatever it
    is: reading it says what is wrong with it (a failed card).
    """
    found = Collected()
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            walked = list(_walk(path))
            for photo in walked:
                _add(found, seen, photo)
            if not walked:
                found.empty.append(path)
        elif path.exists() or path.is_symlink():  # a looping link "does not exist"
            _add(found, seen, path)  # the reader says what is wrong with it
        else:
            found.missing.append(path)
    return found


def _add(found: Collected, seen: set[Path], path: Path) -> None:
    try:
        key = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        key = Path(os.path.abspath(path))  # taken as named: reading it says what is wrong
    if key not in seen:
        seen.add(key)
        found.photos.append(path)


def _walk(folder: Path) -> Iterator[Path]:
    # followlinks=False: a symlink loop cannot make the walk endless.
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            suffix = Path(name).suffix.lower()
            if not name.startswith(".") and (
                suffix in PHOTO_EXTENSIONS or suffix in _REPORTED_EXTENSIONS
            ):
                yield Path(root) / name
