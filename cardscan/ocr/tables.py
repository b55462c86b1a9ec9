"""RapidOCR's YAML tables, parsed once per process and kept parsed between runs.

RapidOCR (3.x) parses its table of models (default_models.yaml, 85 KB, 1,600 lines)
with OmegaConf while it is imported, twice, in two of its modules. Building OmegaConf's
nodes is the slow part, not the YAML: about 0.25-0.45 s a parse on the 2-core VM, paid
by every `rescan` and by every worker of an ingest before its first card. So, while
RapidOCR is imported (`tables_kept`):

- within the process, a table is parsed once; a second load of the same file gets a
  copy (a pickle of the parsed table, made in memory);
- between processes, the parsed table is kept in the user's cache
  ($XDG_CACHE_HOME/cardscan/tables, else ~/.cache/cardscan/tables), named by the
  SHA-256 of the file's bytes, OmegaConf's version and Python's: a changed table or an
  upgraded OmegaConf is parsed afresh. Loading it takes about 0.015 s.

Measured (2-core VM, 2026-12-08, `from rapidocr import RapidOCR`, three runs each): 0.93-
1.03 s parsed in the process, 0.50-0.52 s with the table kept.

A pickle runs code when it is loaded, so a kept table is read only when it is the
user's own and only they can write it and its folder (owner, no group or other write
bit, not a symlink), as ssh treats its files; anything else (a damaged file, another
owner, a folder that cannot be written, no home) is ignored and the YAML parsed as
before. Nothing is ever written outside the cache folder, and a file is written whole
(a temporary file renamed into place) so two workers starting at once never read half
of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def cache_folder() -> Path | None:
    """Where parsed tables are kept: $XDG_CACHE_HOME/cardscan/tables, else
    ~/.cache/cardscan/tables; None when neither can be named (no home)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is to be ignored
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "cardscan" / "tables"


def _safe(path: Path, kind: int) -> bool:
    """`path` exists as a `kind` (stat.S_IFREG or S_IFDIR), not through a symlink, is
    owned by this user and writable by nobody else."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_IFMT(info.st_mode) == kind
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def kept_name(data: bytes, version: str) -> str:
    """The kept file's name for a table of these bytes parsed by this OmegaConf."""
    digest = hashlib.sha256(data).hexdigest()
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    tag = hashlib.sha256(f"{version}\n{python}\n{pickle.HIGHEST_PROTOCOL}".encode()).hexdigest()
    return f"{digest[:32]}-{tag[:16]}.pickle"


def load_kept(
    path: str | os.PathLike[str], parse: Callable[[str], Any], version: str, folder: Path | None
) -> Any:
    """The table in the YAML file `path` as `parse` gives it, from the cache folder when
    a safe kept copy is there; else parsed, and kept for the next process."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return parse(os.fspath(path))  # its own error, as RapidOCR would have met it
    if folder is None:
        return parse(os.fspath(path))
    kept = folder / kept_name(data, version)
    if _safe(folder, stat.S_IFDIR) and _safe(kept, stat.S_IFREG):
        with contextlib.suppress(Exception):  # damaged or from elsewhere: parsed below
            return pickle.loads(kept.read_bytes())
    table = parse(os.fspath(path))
    _keep(table, kept)
    return table


def _keep(table: Any, kept: Path) -> None:
    """Write the parsed table to `kept`, whole or not at all; never fails."""
    try:
        blob = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
        kept.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _safe(kept.parent, stat.S_IFDIR):
            return
        handle, temporary = tempfile.mkstemp(dir=kept.parent, prefix=".table-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:  # mkstemp makes it 0600
                out.write(blob)
            os.replace(temporary, kept)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except Exception:  # no room, a read-only home, a table that cannot be pickled
        return


def omegaconf_version() -> str:
    """The installed OmegaConf's version (part of a kept table's name)."""
    import omegaconf

    return str(getattr(omegaconf, "__version__", "unknown"))


@contextlib.contextmanager
def tables_kept(folder: Path | None = None) -> Iterator[None]:
    """While RapidOCR is imported: each YAML file OmegaConf loads is parsed at most once
    in the process, and kept parsed in `folder` (default: cache_folder()) for the next.

    Only OmegaConf.load(path) with nothing else given is taken over; any other call, or
    an OmegaConf without load as expected, goes on as before.
    """
    try:
        from omegaconf import OmegaConf
    except ImportError:
        yield
        return
    original = OmegaConf.__dict__.get("load")
    if not isinstance(original, staticmethod):
        yield
        return
    parse = original.__func__
    version = omegaconf_version()
    where = folder if folder is not None else cache_folder()
    parsed: dict[str, bytes] = {}

    def load(file_: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(file_, str | os.PathLike):
            return parse(file_, *args, **kwargs)
        key = os.fspath(file_)
        if key in parsed:
            return pickle.loads(parsed[key])  # our own bytes, made below in this process
        table = load_kept(key, parse, version, where)
        with contextlib.suppress(Exception):  # a table that cannot be copied: loaded again
            parsed[key] = pickle.dumps(table)
        return table  # the first caller keeps this table; later ones get copies

    OmegaConf.load = staticmethod(load)  # type: ignore[method-assign]
    try:
        yield
    finally:
        OmegaConf.load = original  # type: ignore[method-assign]
