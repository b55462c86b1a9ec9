"""RapidOCR's YAML tables: parsed once per process, kept parsed in the user's cache,
and a kept file that is not safely the user's own never loaded (cardscan.ocr.tables)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from cardscan.ocr import tables
from cardscan.ocr.tables import cache_folder, kept_name, tables_kept

TABLE = "det:\n  small: {file: a.onnx, sha256: '00'}\nlangs: [en, ch]\n"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths OmegaConf really parsed (its load counted, as tables_kept finds it)."""
    seen: list[str] = []
    real = OmegaConf.load

    def counting(file_: object) -> object:
        seen.append(str(file_))
        return real(file_)  # type: ignore[arg-type]

    monkeypatch.setattr(OmegaConf, "load", staticmethod(counting))
    yield seen


def _table(folder: Path, text: str = TABLE) -> Path:
    path = folder / "models.yaml"
    path.write_text(text)
    return path


def _kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.pickle")) if cache.is_dir() else []


def test_a_table_is_parsed_once_in_a_process_and_each_caller_gets_its_own_copy(
    tmp_path: Path, parsed: list[str]
) -> None:
    table = _table(tmp_path)
    with tables_kept(tmp_path / "cache"):
        first, second = OmegaConf.load(table), OmegaConf.load(str(table))
        other = OmegaConf.load(io.StringIO("a: 1\n"))  # not a file path: loaded as asked
    assert first == second and first is not second  # a copy each: one may change its own
    assert second.det.small.file == "a.onnx" and list(second.langs) == ["en", "ch"]
    assert other.a == 1
    assert parsed.count(str(table)) == 1
    assert OmegaConf.load(table) == first  # the usual load again after the import
    assert parsed.count(str(table)) == 2


def test_the_next_process_takes_the_kept_table_without_parsing(
    tmp_path: Path, parsed: list[str]
) -> None:
    table, cache = _table(tmp_path), tmp_path / "cache"
    with tables_kept(cache):
        first = OmegaConf.load(table)
    [kept] = _kept(cache)
    assert kept.name == kept_name(table.read_bytes(), tables.omegaconf_version())
    assert kept.stat().st_mode & 0o777 == 0o600 and cache.stat().st_mode & 0o077 == 0
    with tables_kept(cache):  # a new process: nothing parsed in it yet
        again = OmegaConf.load(table)
    assert again == first and again.det.small.sha256 == "00"
    assert parsed.count(str(table)) == 1

    # A changed table is another file: parsed afresh, never the old one's copy.
    table.write_text("langs: [ko]\n")
    with tables_kept(cache):
        changed = OmegaConf.load(table)
    assert list(changed.langs) == ["ko"] and parsed.count(str(table)) == 2
    assert len(_kept(cache)) == 2


def test_only_a_kept_file_only_the_user_can_write_is_loaded(
    tmp_path: Path, parsed: list[str]
) -> None:
    """A pickle runs code when loaded: a kept file others could have written, or a link
    to one, is never loaded; it is parsed as before and replaced by a safe copy."""
    table, cache = _table(tmp_path), tmp_path / "cache"
    with tables_kept(cache):
        OmegaConf.load(table)
    [kept] = _kept(cache)
    trap = tmp_path / "trap.pickle"
    trap.write_bytes(b"\x80\x05\x95 not a table, never to be loaded")

    kept.chmod(0o664)  # group-writable
    with tables_kept(cache):
        assert OmegaConf.load(table).langs[0] == "en"
    assert kept.stat().st_mode & 0o777 == 0o600  # replaced by the one just parsed

    kept.unlink()
    kept.symlink_to(trap)  # a link, whatever it points at
    with tables_kept(cache):
        assert OmegaConf.load(table).langs[0] == "en"
    assert not kept.is_symlink()

    cache.chmod(0o777)  # a folder others may write into: nothing in it is trusted
    kept.write_bytes(trap.read_bytes())
    kept.chmod(0o600)
    with tables_kept(cache):
        assert OmegaConf.load(table).langs[0] == "en"
    assert kept.read_bytes() == trap.read_bytes()  # and nothing is written into it
    assert parsed.count(str(table)) == 4


def test_a_damaged_kept_file_or_a_cache_that_cannot_be_written_costs_only_a_parse(
    tmp_path: Path, parsed: list[str]
) -> None:
    table, cache = _table(tmp_path), tmp_path / "cache"
    with tables_kept(cache):
        OmegaConf.load(table)
    [kept] = _kept(cache)
    kept.write_bytes(b"\x80\x05 cut short")  # a disk that filled while it was written
    with tables_kept(cache):
        assert OmegaConf.load(table).det.small.file == "a.onnx"
    assert parsed.count(str(table)) == 2

    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would go")
    with tables_kept(blocked / "tables"):
        assert OmegaConf.load(table).det.small.file == "a.onnx"
    with tables_kept(blocked / "tables"):
        assert OmegaConf.load(table).det.small.file == "a.onnx"
    assert parsed.count(str(table)) == 4
    assert not list(tmp_path.glob("**/.table-*"))  # no temporary file left anywhere


def test_a_table_that_cannot_be_copied_is_loaded_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(obj: object, *args: object, **kwargs: object) -> bytes:
        raise TypeError("cannot pickle this")

    monkeypatch.setattr(tables.pickle, "dumps", refuse)
    table = _table(tmp_path, "a: 1\n")
    with tables_kept(tmp_path / "cache"):
        first, second = OmegaConf.load(table), OmegaConf.load(table)
    assert first.a == second.a == 1 and first is not second
    assert not _kept(tmp_path / "cache")


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() == tmp_path / "cardscan" / "tables"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # the spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "cardscan" / "tables"


# The real RapidOCR, in fresh processes: the first keeps its model table, the second
# builds its engine with OmegaConf's parser made to fail on that table, so it can only
# have taken the kept one; both load the same models.
_ENGINE = """
import sys
from omegaconf import OmegaConf
real = OmegaConf.load
def load(file_, *args, **kwargs):
    if sys.argv[1] == "kept" and str(file_).endswith("default_models.yaml"):
        raise AssertionError("parsed although a kept table was there")
    return real(file_, *args, **kwargs)
OmegaConf.load = staticmethod(load)
from cardscan.ocr.ppocr import _rapid
rapid = _rapid(1, 960)
parts = (rapid.text_det, rapid.text_cls, rapid.text_rec)
print([part.session.session._model_path for part in parts])
"""


def test_rapidocr_starts_from_the_kept_table_in_the_next_process(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = subprocess.run(
        [sys.executable, "-c", _ENGINE, "parse"], env=env, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    assert _kept(tmp_path / "cardscan" / "tables")
    second = subprocess.run(
        [sys.executable, "-c", _ENGINE, "kept"], env=env, capture_output=True, text=True
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
