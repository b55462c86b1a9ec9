"""The top-level help, the lazy command group, shell completion, and what each command
imports at start-up."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import ROOT, run_cli

from cardscan.cli.lazy import CATALOGUE, USER_COMMANDS
from cardscan.cli.main import cli

NIGHT_ORDER = [
    "ingest",
    "review",
    "apply",
    "note",
    "tag",
    "done",
    "followups",
    "find",
    "introduce",
    "export",
    "rescan",
    "undo",
]
# The commands that only read or edit the book: they must start without the card
# reader's weight (OpenCV, the OCR engines and their numpy-heavy stages, pandas).
LIGHT = ["note", "tag", "done", "find", "followups", "undo", "export"]
LIGHT += ["introduce", "review", "apply"]
COMMAND_MODULES = sorted({entry.module for entry in CATALOGUE.values()})
HEAVY = [
    "cv2",
    "onnxruntime",
    "rapidocr",
    "pytesseract",
    "pandas",
    "cardscan.cleanup",
    "cardscan.ocr",
    "cardscan.load",
    "cardscan.pipeline",
]


def _section(help_text: str, title: str) -> list[tuple[str, str]]:
    """The (name, summary) rows of one section of a help page."""
    lines = help_text.splitlines()
    start = lines.index(f"{title}:") + 1
    rows = []
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        name, summary = line.split(maxsplit=1)
        rows.append((name, summary))
    return rows


def _python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter (a clean sys.modules), as the tests' own Python."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_top_level_help_lists_whole_summaries_user_commands_first() -> None:
    # 80 columns, the narrowest common terminal: every summary still fits on its line.
    result = CliRunner().invoke(cli, ["--help"], terminal_width=80)
    assert result.exit_code == 0
    text = result.output
    assert all(len(line) <= 80 for line in text.splitlines())
    user = _section(text, "Commands")
    developer = _section(text, "Developer commands")
    assert not any(summary.endswith("...") for _, summary in user + developer)
    assert [name for name, _ in user] == NIGHT_ORDER
    assert [name for name, _ in developer] == ["bench", "pipelines"]
    assert dict(user + developer) == {name: e.summary for name, e in CATALOGUE.items()}
    # Examples of the daily commands, and how to turn completion on.
    for example in ("cardscan ingest ", "cardscan note ", "cardscan followups --draft"):
        assert example in text
    for shell in ("bash_source", "zsh_source", "fish_source"):
        assert f"_CARDSCAN_COMPLETE={shell} cardscan" in text


def test_the_readme_shows_the_listing_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = "\n".join(line.removeprefix("    ") for line in readme.splitlines())
    user = _section(block, "Commands")
    developer = _section(block, "Developer commands")
    assert user + developer == [(name, e.summary) for name, e in CATALOGUE.items()]
    for shell in ("bash_source", "zsh_source", "fish_source"):
        assert f"_CARDSCAN_COMPLETE={shell} cardscan" in readme


def test_summaries_in_the_catalogue_are_the_commands_own() -> None:
    assert [e.name for e in USER_COMMANDS] == NIGHT_ORDER
    ctx = click.Context(cli)
    for name, entry in CATALOGUE.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.short_help == entry.summary, name
        # One line in an 80-column listing; no comma, because click's fish completion
        # script splits its lines at commas and would show only the first part.
        assert len(entry.summary) <= 64 and "," not in entry.summary, name
        assert not entry.summary.endswith("."), name


def test_every_command_module_has_its_command_in_the_catalogue() -> None:
    listed = {(e.module, e.attribute) for e in CATALOGUE.values()}
    found = set()
    for path in sorted((ROOT / "cardscan" / "cli").glob("*.py")):
        module = importlib.import_module(f"cardscan.cli.{path.stem}")
        for attribute, value in vars(module).items():
            if (
                isinstance(value, click.Command)
                and not isinstance(value, click.Group)
                and getattr(value.callback, "__module__", None) == module.__name__
            ):
                found.add((module.__name__, attribute))  # defined here, not imported
    assert found == listed


def test_a_mistyped_command_suggests_the_right_one() -> None:
    result = CliRunner().invoke(cli, ["folowups"])
    assert result.exit_code == 2
    assert "No such command 'folowups'" in result.output
    assert "Did you mean 'followups'?" in result.output


def test_a_command_is_loaded_for_its_own_help() -> None:
    result = CliRunner().invoke(cli, ["note", "--help"], prog_name="cardscan")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: cardscan note [OPTIONS] PERSON TEXT...")
    assert "--book FILE" in result.output


def test_help_and_light_commands_start_without_the_card_reader() -> None:
    """`cardscan --help` imports no command; the light commands' --help none of the
    heavy modules. Checked in a fresh interpreter, after each invocation in turn."""
    argsets = [["--help"]] + [[name, "--help"] for name in LIGHT] + [["rescan", "--help"]]
    probe = f"""
import json, sys
from click.testing import CliRunner
from cardscan.cli.main import cli
found = {{}}
for args in {argsets!r}:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, (args, result.output)
    found[" ".join(args)] = {{
        "heavy": sorted(m for m in {HEAVY!r} if m in sys.modules),
        "commands": sorted(m for m in {COMMAND_MODULES!r} if m in sys.modules),
    }}
print(json.dumps(found))
"""
    done = _python(probe)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["--help"] == {"heavy": [], "commands": []}
    for name in LIGHT:
        assert found[f"{name} --help"]["heavy"] == [], name
    # The probe sees a heavy import when there is one: rescan reads cards.
    assert {"cv2", "cardscan.ocr", "cardscan.pipeline"} <= set(found["rescan --help"]["heavy"])
    assert "pandas" not in found["rescan --help"]["heavy"]


def test_reading_cards_does_not_import_pandas_or_openpyxl() -> None:
    """pandas is for `bench --by` only: the OCR stack (pytesseract would import it) and
    bench itself without --by leave it out. openpyxl is for the book: `rescan` without
    --book leaves it out (0.15 s of its start)."""
    done = _python(
        "import sys\n"
        "import cardscan.ocr.tesseract, cardscan.pipeline, cardscan.cli.rescan\n"
        "print('openpyxl' in sys.modules)\n"
        "import cardscan.cli.ingest, cardscan.cli.bench\n"
        "import pytesseract\n"
        "print('pandas' in sys.modules, pytesseract.pytesseract.pandas_installed)\n"
        "import pandas\n"
        "print('pandas' in sys.modules)\n"
    )
    assert done.returncode == 0, done.stderr
    # Not imported, pytesseract's DataFrame output off, and pandas still importable after.
    assert done.stdout.split() == ["False", "False", "False", "True"]


def test_the_installed_script_prints_the_help(tmp_path: Path) -> None:
    done = run_cli("--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Developer commands:" in done.stdout
    assert "followups" in done.stdout


# Shell completion: click's protocol, driven the way each shell's script drives it.


def _complete(shell: str, words: str, cword: str) -> subprocess.CompletedProcess[str]:
    """One completion request as the shell's script makes it, to the installed script,
    reporting on stderr which command modules the request imported."""
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print(sorted(m for m in {COMMAND_MODULES!r} "
        "if m in sys.modules), file=sys.stderr))\n"
        "from cardscan.cli.main import main\n"
        "main()\n"
    )
    return _python(
        code, {"_CARDSCAN_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    )


def test_completing_command_names_imports_no_command() -> None:
    done = _complete("bash", "cardscan ", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [f"plain,{name}" for name in CATALOGUE]
    assert done.stderr.strip() == "[]"


def test_zsh_and_fish_get_the_summaries() -> None:
    zsh = _complete("zsh", "cardscan fo", "1")
    assert zsh.stdout.splitlines() == ["plain", "followups", CATALOGUE["followups"].summary]
    fish = _complete("fish", "cardscan fo", "fo")
    assert fish.stdout.splitlines() == [f"plain,followups\t{CATALOGUE['followups'].summary}"]


def _cardscan_on_path() -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)  # the venv's `cardscan` script
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


BASH_PROBE = """
source <(_CARDSCAN_COMPLETE=bash_source cardscan)
complete -p cardscan >/dev/null || exit 9
for line in "cardscan " "cardscan fo" "cardscan ingest --ev" "cardscan note --bo" \
            "cardscan export --format "; do
  read -ra COMP_WORDS <<< "$line"
  [[ "$line" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  _cardscan_completion cardscan
  echo "${COMPREPLY[*]}"
done
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_options_and_choices() -> None:
    done = subprocess.run(
        ["bash", "-c", BASH_PROBE],
        capture_output=True,
        text=True,
        timeout=300,
        env=_cardscan_on_path(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        " ".join(CATALOGUE),
        "followups",
        "--event",
        "--book",
        "csv google json outlook vcard xlsx",
    ]


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish")
def test_fish_completes_commands_with_whole_summaries_and_options() -> None:
    script = (
        "_CARDSCAN_COMPLETE=fish_source cardscan | source\n"
        'complete -C"cardscan fo"\n'
        'complete -C"cardscan ingest --ev"\n'
    )
    done = subprocess.run(
        ["fish", "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env=_cardscan_on_path(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"followups\t{CATALOGUE['followups'].summary}"
    assert lines[1].startswith("--event\t")


@pytest.mark.skipif(shutil.which("zsh") is None, reason="needs zsh")
def test_zsh_registers_the_completion() -> None:
    script = (
        "autoload -U compinit && compinit -u -D\n"
        'eval "$(_CARDSCAN_COMPLETE=zsh_source cardscan)"\n'
        "print -r -- $_comps[cardscan]\n"
    )
    done = subprocess.run(
        ["zsh", "-f", "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env=_cardscan_on_path(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "_cardscan_completion"
