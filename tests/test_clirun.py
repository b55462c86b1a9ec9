"""run_cli's in-process mode answers as the installed script does (tests/clirun.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from clirun import run_cli

from cardscan.errors import ExitCode


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["pipelines"],
        ["export", "--to", "out.csv"],  # no book: an error line and its exit code
        ["ingest", "x.jpg", "--jobs", "0"],  # a usage error, from click
    ],
)
def test_in_process_gives_what_the_script_gives(args: list[str], tmp_path: Path) -> None:
    inside = run_cli(*args, cwd=tmp_path)
    script = run_cli(*args, cwd=tmp_path, subprocess=True)
    assert (inside.returncode, inside.stdout, inside.stderr) == (
        script.returncode,
        script.stdout,
        script.stderr,
    )


def test_cwd_and_env_are_the_calls_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARDSCAN_BOOK", str(tmp_path / "users-own.xlsx"))
    here = os.getcwd()
    done = run_cli("export", "--to", "out.csv", cwd=tmp_path)
    # $CARDSCAN_BOOK is left out: the book is ./contacts.xlsx of the call's folder.
    assert done.returncode == ExitCode.INPUT, done.stderr
    assert "contacts.xlsx" in done.stderr and "users-own" not in done.stderr
    done = run_cli("export", "--to", "out.csv", cwd=tmp_path, env={"CARDSCAN_BOOK": "mine.csv"})
    assert "mine.csv" in done.stderr
    assert os.getcwd() == here and os.environ["CARDSCAN_BOOK"].endswith("users-own.xlsx")
