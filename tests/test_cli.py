"""The real CLI end to end (in-process; a few runs in a subprocess): exit codes, summaries,
the book, the JSON."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ALL_SAMPLES, BACK_SAMPLES, CONTACT_KEYS, ROOT, SAMPLES, Ingested, run_cli

from cardscan.book import COLUMNS
from cardscan.cli.main import cli
from cardscan.errors import ExitCode


@pytest.fixture(scope="session")
def ingested(samples_ingest: Ingested) -> tuple[Path, str, int]:
    """samples/ ingested once into a fresh book: (folder, stdout, exit code)."""
    assert "Traceback" not in samples_ingest.stderr, samples_ingest.stderr
    return samples_ingest.folder, samples_ingest.stdout, samples_ingest.returncode


def _rows(book: Path) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(book).worksheets[0]
    header = [c.value for c in sheet[1]]
    return [
        dict(zip(header, (c.value for c in row), strict=False))
        for row in sheet.iter_rows(min_row=2)
    ]


def test_ingest_samples_makes_one_row_per_card(ingested: tuple[Path, str, int]) -> None:
    folder, stdout, code = ingested
    assert code == 0, stdout
    book = folder / "contacts.xlsx"
    rows = _rows(book)
    assert len(rows) == len(ALL_SAMPLES)
    header = [c.value for c in openpyxl.load_workbook(book).worksheets[0][1]]
    assert header == list(COLUMNS)
    # The backs of two-sided cards are photos, but no contacts of their own.
    photos, pairs = len(ALL_SAMPLES) + len(BACK_SAMPLES), len(BACK_SAMPLES)
    assert (
        f"Read {photos} card photos ({pairs} cards with front and back): {len(ALL_SAMPLES)} new"
        in stdout
    )
    assert all(row["Event"] == "Chicago Tech Mixer" for row in rows)
    emails = {str(row["Emails"]).lower() for row in rows}
    assert "marcus.whitfield@northwindlogistics.com" in emails
    uk = next(r for r in rows if "fenwickhale" in str(r["Emails"]).lower())
    assert uk["Work phone"] == "+44 20 7946 0958"


def test_ingest_samples_joins_each_card_with_its_back(ingested: tuple[Path, str, int]) -> None:
    """samples/ holds cards photographed on both sides: one row each, with both photos,
    the back's details and its other text in Card notes, the user's Notes untouched."""
    folder, _, _ = ingested
    rows = _rows(folder / "contacts.xlsx")
    for back in BACK_SAMPLES:
        front = back.truth["back_of"]
        [row] = [r for r in rows if f"{front}.jpg" in str(r["Source photos"])]
        assert str(row["Source photos"]).endswith(f"{front}-back.jpg"), row["Source photos"]
        assert len(str(row["Card IDs"]).split("; ")) == 2
        merged = back.truth["merged"]
        assert str(row["Emails"]).lower().split("; ") == merged["emails"]
        assert row["Card notes"] and row["Notes"] is None


def test_ingest_again_changes_nothing(ingested: tuple[Path, str, int], tmp_path: Path) -> None:
    folder, _, _ = ingested
    shutil.copy(folder / "contacts.xlsx", tmp_path / "contacts.xlsx")
    before = (tmp_path / "contacts.xlsx").read_bytes()
    done = run_cli("ingest", str(SAMPLES / "us-classic-wood.jpg"), cwd=tmp_path)
    assert done.returncode == 0
    assert "1 already in the book" in done.stdout
    assert (tmp_path / "contacts.xlsx").read_bytes() == before


def test_bad_files_fail_alone_with_their_reason(tmp_path: Path) -> None:
    photos = tmp_path / "stack"
    photos.mkdir()
    shutil.copy(SAMPLES / "us-classic-wood.jpg", photos / "good.jpg")
    (photos / "empty.jpg").write_bytes(b"")
    (photos / "notes.jpg").write_text("not a photo")
    done = run_cli("ingest", str(photos), "--book", "people.xlsx", "--jobs", "2", cwd=tmp_path)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "1 new" in done.stdout and "2 failed" in done.stdout
    assert re.search(r"empty\.jpg: file is empty \(0 bytes\): copy the photo again", done.stdout)
    assert re.search(r"notes\.jpg: not an image cardscan can read: use a JPEG", done.stdout)
    assert len(_rows(tmp_path / "people.xlsx")) == 1


def test_empty_folder_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    done = run_cli("ingest", "nothing", cwd=tmp_path)
    assert done.returncode == 4
    assert done.stderr.startswith("cardscan: error: no photos found in nothing: give photo files")
    assert not (tmp_path / "contacts.xlsx").exists()


def test_csv_book_and_env_default(tmp_path: Path) -> None:
    env = {"CARDSCAN_BOOK": str(tmp_path / "list.csv")}
    done = run_cli("ingest", str(SAMPLES / "uk-london-band-left.jpg"), cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "list.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("Name,Given name,Family name")
    assert "oliver.pembroke@fenwickhale.co.uk" in text.lower()


def test_rescan_json_is_the_contract(tmp_path: Path) -> None:
    done = run_cli("rescan", str(SAMPLES / "us-mobile-work-fax-ext.jpg"), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)  # exactly one JSON object: nothing else on stdout
    assert {"source", "card_id", "status", "contact", "confidence", "issues", "text"} <= set(data)
    assert set(data["contact"]) >= CONTACT_KEYS
    assert data["status"] in ("ok", "needs_review")
    kinds = {p["number"]: p["kind"] for p in data["contact"]["phones"]}
    assert kinds == {"+12065550121": "work", "+12065550193": "mobile", "+12065550150": "fax"}
    for phone in data["contact"]["phones"]:
        assert set(phone) >= {"number", "kind", "raw"} and phone["raw"]
    assert all(0.0 <= v <= 1.0 for v in data["confidence"].values())
    assert isinstance(data["contact"]["social"], dict)


def test_rescan_json_of_an_unreadable_photo(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes((SAMPLES / "us-classic-wood.jpg").read_bytes()[:500])
    done = run_cli("rescan", str(broken), "--json", cwd=tmp_path)
    assert done.returncode == 3
    data = json.loads(done.stdout)
    assert data["status"] == "failed"
    assert data["contact"]["emails"] == [] and data["contact"]["name"] is None
    assert "corrupt or truncated" in data["issues"][0]["message"]


def test_rescan_table(tmp_path: Path) -> None:
    done = run_cli("rescan", str(SAMPLES / "fr-lyon-serif-fabric.jpg"), cwd=tmp_path)
    assert done.returncode == 0
    assert "s.marchand@atelier-lumiere.fr" in done.stdout
    assert "+33465712233" in done.stdout


def test_rescan_with_book_updates_the_row_in_place(
    ingested: tuple[Path, str, int], tmp_path: Path
) -> None:
    folder, _, _ = ingested
    book = tmp_path / "contacts.xlsx"
    shutil.copy(folder / "contacts.xlsx", book)
    workbook = openpyxl.load_workbook(book)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    target = next(
        r
        for r in range(2, sheet.max_row + 1)
        if "foxglove" in str(sheet.cell(r, header.index("Emails") + 1).value)
    )
    sheet.cell(target, header.index("Notes") + 1).value = "two kids, loves fishing"
    sheet.cell(target, header.index("Name") + 1).value = None  # as if the name were missed
    workbook.save(book)
    done = run_cli(
        "rescan", str(SAMPLES / "us-held-in-hand.jpg"), "--book", str(book), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    rows = _rows(book)
    assert len(rows) == len(ALL_SAMPLES)
    row = rows[target - 2]
    assert row["Notes"] == "two kids, loves fishing"
    assert row["Name"] == "Grace Liu"


def test_export_csv_and_xlsx(ingested: tuple[Path, str, int], tmp_path: Path) -> None:
    folder, _, _ = ingested
    book = folder / "contacts.xlsx"
    done = run_cli("export", "--book", str(book), "--to", "out.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"Wrote {len(ALL_SAMPLES)} contacts" in done.stdout
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    done = run_cli(
        "export", "--book", str(book), "--to", "phone.xlsx", "--format", "xlsx", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert len(_rows(tmp_path / "phone.xlsx")) == len(ALL_SAMPLES)


def test_export_needs_a_format_it_can_tell(ingested: tuple[Path, str, int], tmp_path: Path) -> None:
    folder, _, _ = ingested
    done = run_cli(
        "export", "--book", str(folder / "contacts.xlsx"), "--to", "out.txt", cwd=tmp_path
    )
    assert done.returncode == 4
    assert "cannot tell the export format from 'out.txt': add --format" in done.stderr


def test_tesseract_missing_has_its_own_exit_code(tmp_path: Path) -> None:
    env = {"PATH": str(Path(sys.executable).parent)}  # the venv only: no tesseract
    # A fresh process: this one has found tesseract already (its version is looked up
    # once per process), as a user's process without it never has.
    done = run_cli(
        "rescan", str(SAMPLES / "us-classic-wood.jpg"), cwd=tmp_path, env=env, subprocess=True
    )
    assert done.returncode == 5
    assert done.stderr.strip() == (
        "cardscan: error: tesseract not found: install it: "
        "sudo apt-get install tesseract-ocr (then run cardscan again)"
    )


def test_language_pack_missing_has_its_own_exit_code(tmp_path: Path) -> None:
    pipeline = tmp_path / "klingon.toml"
    pipeline.write_text('[ocr]\nlanguages = ["eng", "tlh"]\n')
    done = run_cli("ingest", str(SAMPLES), "--pipeline", str(pipeline), cwd=tmp_path)
    assert done.returncode == 6
    assert "sudo apt-get install tesseract-ocr-tlh" in done.stderr
    assert not (tmp_path / "contacts.xlsx").exists()


def test_bad_pipeline_key_says_what_was_meant(tmp_path: Path) -> None:
    pipeline = tmp_path / "typo.toml"
    pipeline.write_text("[cleanup]\ninvert_drak = true\n")
    done = run_cli(
        "rescan", str(SAMPLES / "us-classic-wood.jpg"), "--pipeline", str(pipeline), cwd=tmp_path
    )
    assert done.returncode == 8
    assert "did you mean 'invert_dark'?" in done.stderr


def test_corrupt_book_is_refused_and_untouched(tmp_path: Path) -> None:
    book = tmp_path / "contacts.xlsx"
    book.write_text("Name,Emails\nJane,jane@example.org\n")
    before = book.read_bytes()
    done = run_cli("ingest", str(SAMPLES / "us-classic-wood.jpg"), cwd=tmp_path)
    assert done.returncode == 7
    assert done.stderr.startswith("cardscan: error: ") and "contacts.xlsx" in done.stderr
    assert book.read_bytes() == before


@pytest.mark.parametrize(
    "args,message",
    [
        (["ingest", "x.jpg", "--region", "Narnia"], "'Narnia' is not a country code"),
        (
            ["ingest", "x.jpg", "--met-on", "21/11/2026"],
            "'21/11/2026' is not a date: use YYYY-MM-DD",
        ),
        (["ingest", "x.jpg", "--jobs", "0"], "--jobs"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ctx = click.Context(cli)
    names = cli.list_commands(ctx)  # the commands load lazily: cli.commands starts empty
    assert "ingest" in names and "bench" in names
    for name in names:
        command = cli.get_command(ctx, name)
        assert command is not None, name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert (command.help or "").strip(), name
        assert f"cardscan {name}" in readme, f"README does not document `cardscan {name}`"


def test_installed_copy_finds_its_pipelines_outside_the_repo(tmp_path: Path) -> None:
    done = run_cli("pipelines", cwd=tmp_path, env={"HOME": str(tmp_path), "PWD": str(tmp_path)})
    assert done.returncode == 0
    assert done.stdout.startswith("default: ")
    assert os.getcwd() != str(tmp_path)


def test_timeout_fails_a_slow_card_with_its_reason(tmp_path: Path) -> None:
    done = run_cli(
        "ingest", str(SAMPLES / "us-classic-wood.jpg"), "--timeout", "0.05", cwd=tmp_path
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert "us-classic-wood.jpg: reading the card took longer than 0.05 s" in done.stdout
    assert "--timeout" in done.stdout
    assert not (tmp_path / "contacts.xlsx").exists()  # nothing to add: the book is not made


# --- one exit code per condition, across commands ---------------------------------------


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """A photo read from here on fails the test: refusals come before any work."""

    def read(*args: object, **kwargs: object) -> None:
        raise AssertionError("a photo was read")

    monkeypatch.setattr("cardscan.ingest_plan.read_bytes", read)
    monkeypatch.setattr("cardscan.reading.run_batch", read)  # ingest, rescan and bench


def _every_command(folder: Path) -> dict[str, list[str]]:
    """Every command that reads the book, with arguments it would run with."""
    fixes = folder / "fixes.json"
    fixes.write_text('{"format": "cardscan-corrections", "version": 1, "cards": []}')
    photo = str(SAMPLES / "us-classic-wood.jpg")
    return {
        "ingest": ["ingest", photo],
        "rescan": ["rescan", photo],  # with --book
        "note": ["note", "priya", "two kids"],
        "tag": ["tag", "priya", "ml"],
        "done": ["done", "priya"],
        "undo": ["undo"],
        "apply": ["apply", str(fixes)],
        "review": ["review"],
        "find": ["find", "priya"],
        "followups": ["followups"],
        "introduce": ["introduce"],
        "export": ["export", "--to", str(folder / "out.csv")],
    }


def test_a_missing_or_corrupt_book_has_one_exit_code_in_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Missing book: 4, "no usable input", with the ingest command that makes it (ingest
    and rescan --book make it). Corrupt book: 7, before any photo is read, the file left
    as it was. undo and review do not parse the book when nothing is recorded for it:
    nothing to undo or review is 4 whatever the book."""
    _no_reading(monkeypatch)
    commands = _every_command(tmp_path)
    book = tmp_path / "contacts.xlsx"
    for name, args in commands.items():
        if name in ("ingest", "rescan"):
            continue
        done = CliRunner().invoke(cli, [*args, "--book", str(book)])
        assert done.exit_code == ExitCode.INPUT, (name, done.output)
        assert len(done.stderr.splitlines()) == 1, name
        assert f"{book}" in done.stderr, name
        if name not in ("undo", "review"):  # they say there is nothing recorded
            assert done.stderr == (
                f"cardscan: error: the book {book} does not exist: make it from card photos "
                f"with `cardscan ingest PHOTOS --book {book}`, or pass --book (or set "
                "$CARDSCAN_BOOK) to name your book\n"
            ), name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixes.json"]

    book.write_text("Name,Emails\nJane,jane@example.org\n")  # a CSV named .xlsx
    before = book.read_bytes()
    for name, args in commands.items():
        done = CliRunner().invoke(cli, [*args, "--book", str(book)])
        want = ExitCode.INPUT if name in ("undo", "review") else ExitCode.BOOK
        assert done.exit_code == want, (name, done.output)
        assert len(done.stderr.splitlines()) == 1, name
        if want == ExitCode.BOOK:
            assert done.stderr.startswith(f"cardscan: error: cannot read the book {book}: ")
        assert book.read_bytes() == before


def test_open_elsewhere_person_and_bad_values_have_one_exit_code_in_every_command(
    samples_book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A book open in a spreadsheet program: 7 for every command that writes it; those
    that only read it work (on the version last saved). A PERSON matching nobody: 10.
    A bad date or number: 2, a usage error, before anything else."""
    folder = samples_book.parent
    _no_reading(monkeypatch)
    commands = _every_command(folder)
    lock = folder / ".~lock.contacts.xlsx#"
    lock.write_text("someone")
    before = samples_book.read_bytes()
    writers = {"ingest", "rescan", "note", "tag", "done", "undo", "apply"}
    for name, args in commands.items():
        done = CliRunner().invoke(cli, [*args, "--book", str(samples_book)])
        if name in writers:
            assert done.exit_code == ExitCode.BOOK, (name, done.output)
            assert "is open in a spreadsheet program" in done.stderr, name
        else:
            assert done.exit_code == 0, (name, done.output)
    assert samples_book.read_bytes() == before
    lock.unlink()

    for args in (["note", "zzyzx", "hi"], ["tag", "zzyzx", "a"], ["done", "zzyzx"]):
        done = CliRunner().invoke(cli, [*args, "--book", str(samples_book)])
        assert done.exit_code == ExitCode.PERSON, args
    done = CliRunner().invoke(cli, ["introduce", "zzyzx", "--book", str(samples_book)])
    assert done.exit_code == ExitCode.PERSON

    bad = [
        ["ingest", "x.jpg", "--met-on", "31/02/2026"],
        ["ingest", "x.jpg", "--follow-up-days", "soon"],
        ["ingest", "x.jpg", "--jobs", "0"],
        ["ingest", "x.jpg", "--timeout", "0"],
        ["note", "priya", "hi", "--on", "31/02/2026"],
        ["done", "priya", "--on", "31/02/2026"],
        ["followups", "--today", "31/02/2026"],
        ["export", "--to", "x.csv", "--since", "31/02/2026"],
        ["introduce", "--limit", "many"],
    ]
    for args in bad:
        done = CliRunner().invoke(cli, [*args, "--book", str(samples_book)])
        assert done.exit_code == ExitCode.USAGE, (args, done.output)
    assert samples_book.read_bytes() == before


def test_a_missing_photo_for_rescan_is_a_slip_not_a_failed_card(tmp_path: Path) -> None:
    """As for ingest: exit 4 before anything is read; a file that exists but cannot be
    read is the failed card of test_rescan_json_of_an_unreadable_photo (exit 3)."""
    done = run_cli("rescan", "IMG_0042.jpg", "--json", "--book", "contacts.xlsx", cwd=tmp_path)
    assert done.returncode == 4
    assert done.stdout == ""
    assert done.stderr == (
        "cardscan: error: no such file or folder: IMG_0042.jpg: check the path (nothing "
        "was read or written)\n"
    )
    assert list(tmp_path.iterdir()) == []
