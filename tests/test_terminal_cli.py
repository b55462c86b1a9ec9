"""Nothing from outside runs on the user's terminal: the real commands on hostile input.

Anyone can print a card or a QR code, name a file, or hand over a spreadsheet. Each test
builds such input (a CSV book whose cells hold escape sequences and rich markup, photo
file names holding a terminal-title sequence and a line break, a corrections file, a
template, a pipeline file, a scheduler address), runs the real CLI on it, and checks the
whole output: no raw control character reaches stdout or stderr, the escaped form is
shown instead, and machine output (JSON, CSV into a pipe) still gives the exact text back.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from cardscan.book import columns as col
from cardscan.cli.main import cli
from cardscan.config import load_pipeline
from cardscan.model import CardResult, Contact, Issue, Status
from cardscan.state.readings import ResultStore, pipeline_key
from tests.conftest import run_cli

# Every character a terminal may act on, but the line break: C0 (tab and CR included),
# DEL, C1 (\x9b is an 8-bit CSI), the line/paragraph separators, bidi controls, and
# lone surrogates (a file name that is not UTF-8).
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e"
    "\u2066-\u2069\ud800-\udfff]"
)

# The hostile cells of the book, and what each looks like when shown.
EVE = "Eve Mallory\x1b]0;pwned\x07\x1b[2J"  # retitles the terminal, clears the screen
EVE_SHOWN = "Eve Mallory\\x1b]0;pwned\\x07\\x1b[2J"
EVIL_CORP = "Evil Corp\nFailed: everything"  # a line break starting a fake line
EVIL_CORP_SHOWN = "Evil Corp\\nFailed: everything"
TITLE = "[bold red]CEO[/bold red]\x9b31m"  # rich markup, and an 8-bit CSI
EVE2 = "Eve Mallory\u202e\x1b[1A"  # right-to-left override, cursor up
EVE2_SHOWN = "Eve Mallory\\u202e\\x1b[1A"
OTHER_INC = "Other\rInc"  # a carriage return: the rest overwrites the line's start
HOBBY = "Hobby\x1b]0;pwned\x07"  # a column of the user's own, hostile header
RED_TAG = "\x1b[31mred"
NOTE = "2026-11-20: loves \x1b[5mfishing [link=file:///etc/passwd]here[/link]"
EVE_ID = "a" * 64


def assert_shown_not_run(*outputs: str) -> None:
    """No output holds a raw control character: each is shown as an escape instead."""
    for output in outputs:
        found = sorted({f"U+{ord(c):04X}" for c in RAW.findall(output)})
        assert not found, f"raw control characters {found} in:\n{output!r}"


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def hostile_book(path: Path) -> Path:
    """A CSV book as someone else could hand it over: three people, hostile cells."""
    header = [
        col.NAME,
        col.GIVEN_NAME,
        col.FAMILY_NAME,
        col.TITLE,
        col.COMPANY,
        col.EMAILS,
        col.EVENT,
        col.MET_ON,
        col.NOTES,
        col.TAGS,
        col.FOLLOW_UP_BY,
        col.FOLLOWED_UP_ON,
        col.SOURCE_PHOTOS,
        col.CARD_IDS,
        HOBBY,
    ]
    rows = [
        [EVE, "Eve", "Mallory", TITLE, EVIL_CORP, "eve@evil.example", "Expo\u202egnp.",
         "2026-11-20", NOTE, f"ml; {RED_TAG}", "2026-11-21", "", "eve\x1b[2J.jpg", EVE_ID,
         "\x1b[8mhidden"],
        [EVE2, "Eve", "Mallory", "", OTHER_INC, "", "Expo", "2026-11-20",
         "2026-11-20: fishing trips", "ml", "2026-11-21", "", "", "b" * 64, ""],
        ["Bob Plain", "Bob", "Plain", "Engineer", "Plain Co", "bob@plain.example", "Expo",
         "2026-11-20", "2026-11-20: fishing on weekends", "ml", "2026-11-21", "", "", "c" * 64,
         ""],
    ]  # fmt: skip
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return hostile_book(tmp_path / "contacts.csv")


def test_person_commands_show_hostile_cells_escaped(book: Path) -> None:
    noted = invoke(
        "note", "eve@evil.example", "met", "again", "--on", "2026-11-22", "--book", str(book)
    )
    tagged = invoke("tag", "eve@evil.example", "vip", "--book", str(book))
    done = invoke("done", "eve@evil.example", "--on", "2026-11-23", "--book", str(book))
    for result in (noted, tagged, done):
        assert result.exit_code == 0, result.output
        assert_shown_not_run(result.output)
        assert f"{EVE_SHOWN} ({EVIL_CORP_SHOWN}), row 2" in result.output
        assert len(result.output.splitlines()) == 1  # the line break in the company is shown
    assert "\\x1b[31mred; vip (added vip)" in tagged.output
    # The book keeps the user's text: showing it escaped changed nothing in the file.
    with open(book, encoding="utf-8", newline="") as fh:
        [eve] = [row for row in csv.DictReader(fh) if row[col.EMAILS] == "eve@evil.example"]
    assert eve[col.NAME] == EVE and eve[col.COMPANY] == EVIL_CORP and eve[HOBBY] == "\x1b[8mhidden"


def test_a_person_matching_several_hostile_rows_is_one_escaped_error_line(book: Path) -> None:
    before = book.read_bytes()
    result = invoke("note", "mallory", "hello", "--book", str(book))
    assert result.exit_code == 10, result.output
    assert_shown_not_run(result.output)
    [line] = result.output.splitlines()
    assert line.startswith("cardscan: error: 'mallory' matches 2 people")
    assert f"{EVE_SHOWN} ({EVIL_CORP_SHOWN}), eve@evil.example, row 2" in line
    assert f"{EVE2_SHOWN} (Other\\rInc), row 3" in line
    assert book.read_bytes() == before


def test_introduce_lines_are_escaped_and_its_json_exact(book: Path) -> None:
    shown = invoke("introduce", "--book", str(book))
    assert shown.exit_code == 0, shown.output
    assert_shown_not_run(shown.output)
    pair = f"{EVE_SHOWN} ({EVIL_CORP_SHOWN}) + Bob Plain (Plain Co): both tagged ml"
    assert any(line.startswith(pair) for line in shown.output.splitlines())
    assert not any(line.startswith("Failed:") for line in shown.output.splitlines())

    as_json = invoke("introduce", "--json", "--book", str(book))
    assert as_json.exit_code == 0, as_json.output
    assert_shown_not_run(as_json.output)
    names = {p[side]["name"] for p in json.loads(as_json.stdout) for side in ("a", "b")}
    assert {EVE, "Bob Plain"} <= names  # a program gets the exact text back


def test_followups_json_and_draft_messages(book: Path, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts\x1b]0;pwned\x07"
    result = invoke(
        "followups", "--json", "--today", "2026-11-25", "--draft", str(drafts), "--book", str(book)
    )
    assert result.exit_code == 0, result.output
    assert_shown_not_run(result.stdout, result.stderr)
    listed = json.loads(result.stdout)
    assert {item["name"] for item in listed} == {EVE, EVE2, "Bob Plain"}
    assert {item["company"] for item in listed} >= {EVIL_CORP, OTHER_INC}
    assert "drafts\\x1b]0;pwned\\x07" in result.stderr  # "Wrote 3 drafts to …"
    # Eve (the second) has no email: the warning names her, escaped, on one line.
    [warning] = [line for line in result.stderr.splitlines() if "no usable email" in line]
    assert warning.startswith(f"cardscan: warning: {EVE2_SHOWN}")


def test_find_json_csv_and_messages(book: Path) -> None:
    as_json = invoke("find", "evil", "--json", "--book", str(book))
    assert as_json.exit_code == 0, as_json.output
    assert_shown_not_run(as_json.output)
    [eve] = json.loads(as_json.stdout)
    assert (eve["name"], eve["company"], eve["title"]) == (EVE, EVIL_CORP, TITLE)
    assert eve["extra"][HOBBY] == "\x1b[8mhidden"

    # CSV into a pipe or a file is data: every cell comes back exactly.
    as_csv = invoke("find", "evil", "--csv", "--book", str(book))
    assert as_csv.exit_code == 0, as_csv.output
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r[col.NAME], r[col.COMPANY], r[HOBBY]) for r in table] == [
        (EVE, EVIL_CORP, "\x1b[8mhidden")
    ]

    nobody = invoke("find", "\x1b[2Jzzz", "--book", str(book))
    assert nobody.exit_code == 0, nobody.output
    assert_shown_not_run(nobody.output)
    assert "matches '\\x1b[2Jzzz'" in nobody.output

    # A usage error listing the book's columns shows a hostile header escaped.
    unknown = invoke("find", "x", "--field", "nope", "--book", str(book))
    assert unknown.exit_code == 2, unknown.output
    assert_shown_not_run(unknown.output)
    assert "Hobby\\x1b]0;pwned\\x07" in unknown.output


def test_find_csv_on_a_terminal_shows_escapes(book: Path, tmp_path: Path) -> None:
    """On a terminal a person reads the CSV: control characters are shown, not run."""
    primary, secondary = pty.openpty()
    script = Path(sys.executable).with_name("cardscan")
    env = {k: v for k, v in os.environ.items() if k != "CARDSCAN_BOOK"}
    with subprocess.Popen(
        [str(script), "find", "evil", "--csv", "--book", str(book)],
        stdout=secondary,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    ) as proc:
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # EIO: the program closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.stderr is not None
        errors = proc.stderr.read().decode()
    os.close(primary)
    assert proc.returncode == 0, errors
    # The terminal turns each line break into CR LF; any other CR came from a cell.
    shown = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert_shown_not_run(shown, errors)
    assert EVE_SHOWN in shown and "\\x1b[8mhidden" in shown
    assert '"Evil Corp\nFailed: everything"' in shown  # a quoted cell keeps its lines


def test_export_messages_quote_hostile_names_escaped(book: Path, tmp_path: Path) -> None:
    target = tmp_path / "out\x1b]0;pwned\x07.csv"
    result = invoke("export", "--to", str(target), "--event", "\x1b[2J", "--book", str(book))
    assert result.exit_code == 0, result.output
    assert_shown_not_run(result.output)
    assert "out\\x1b]0;pwned\\x07.csv" in result.stdout
    assert "\\x1b[2J" in result.stderr  # the warning: no contacts match --event …
    assert target.is_file()


def test_apply_shows_the_corrections_file_sources_escaped(book: Path, tmp_path: Path) -> None:
    source = "IMG\x1b]0;pwned\x07\nFailed: everything.jpg"
    corrections = tmp_path / "contacts.corrections.json"
    corrections.write_text(
        json.dumps(
            {
                "format": "cardscan-corrections",
                "version": 1,
                "cards": [
                    {"card_id": EVE_ID, "source": source,
                     "fields": {col.TITLE: {"read": TITLE, "value": "CTO"}}},
                    {"card_id": "d" * 64, "source": f"gone {source}",
                     "fields": {col.TITLE: {"read": "x", "value": "y"}}},
                ],
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    result = invoke("apply", str(corrections), "--book", str(book))
    assert result.exit_code == 0, result.output
    assert_shown_not_run(result.output)
    shown = "IMG\\x1b]0;pwned\\x07\\nFailed: everything.jpg"
    assert f"  {shown}: row 2 ({EVE_SHOWN}): Title" in result.stdout.splitlines()
    assert f"  gone {shown}" in result.stdout.splitlines()
    assert not any(line.startswith("Failed:") for line in result.output.splitlines())


def test_errors_quoting_outside_files_are_escaped(book: Path, tmp_path: Path) -> None:
    template = tmp_path / "t\x1b[2J.txt"
    template.write_text("Subject: Hi\n\nHello $\x1b]0;pwned\x07name\n", encoding="utf-8")
    bad_template = invoke(
        "followups", "--draft", str(tmp_path / "d"), "--template", str(template),
        "--book", str(book),
    )  # fmt: skip
    (tmp_path / "card.jpg").write_bytes(b"not read: the run stops before")  # a photo to ingest
    pipeline = tmp_path / "p.toml"
    # TOML's own escapes: the key holds a real ESC and BEL once parsed.
    pipeline.write_text('name = "x"\n[ocr]\n"engine\\u001b]0;pwned\\u0007" = "rapidocr"\n')
    bad_pipeline = invoke("ingest", str(tmp_path), "--pipeline", str(pipeline), "--book", str(book))
    dask = invoke(
        "ingest", str(tmp_path), "--executor", "dask", "--book", str(book),
        env={"DASK_SCHEDULER_ADDRESS": "\x1b]0;pwned\x07\x1b[2J"},
    )  # fmt: skip
    for result, code in ((bad_template, 4), (bad_pipeline, 8), (dask, 9)):
        assert result.exit_code == code, result.output
        assert_shown_not_run(result.output)
        [line] = result.output.splitlines()
        assert line.startswith("cardscan: error: ")
        assert "\\x1b]0;pwned\\x07" in line


def test_click_usage_errors_show_the_argument_escaped(book: Path) -> None:
    for args in (
        ["\x1b[2Jingest"],  # no such command
        ["--\x1b]0;pwned\x07"],  # no such option, before the command
        ["export", "--to", "x.csv", "--format", "\x1b]0;pwned\x07"],  # not a choice
        ["ingest", "x.jpg", "--met-on", "\x1b]0;pwned\x07"],  # not a date
    ):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert_shown_not_run(result.output)
        assert "\\x1b" in result.output


def test_an_internal_error_quoting_outside_text_is_shown_escaped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> list[str]:
        raise RuntimeError("cannot use \x1b]0;pwned\x07\x1b[2J")

    monkeypatch.setattr("cardscan.cli.pipelines.available_pipelines", broken)
    result = invoke("pipelines")
    assert result.exit_code == 1
    assert_shown_not_run(result.output)
    assert "RuntimeError: cannot use \\x1b]0;pwned\\x07\\x1b[2J" in result.output
    assert "cardscan: internal error" in result.output


def test_rescan_json_of_a_hostile_file_name_is_exact_and_escaped(tmp_path: Path) -> None:
    photo = tmp_path / "card \x1b]0;pwned\x07\x9b2J\u202egpj.jpg"
    photo.write_bytes(b"this is not a photo")
    result = invoke("rescan", str(photo), "--json")
    assert result.exit_code == 3, result.output
    assert_shown_not_run(result.output)
    assert "\\u009b2J\\u202egpj.jpg" in result.stdout  # JSON's own escapes
    assert json.loads(result.stdout)["source"] == str(photo)


def _hostile_reading(card_id: str) -> CardResult:
    """What a card (or its QR code) could say: escape sequences, markup, a line break."""
    return CardResult(
        source="card.png",
        card_id=card_id,
        status=Status.NEEDS_REVIEW,
        contact=Contact(name=EVE, company=EVIL_CORP, title=TITLE, emails=["eve@evil.example"]),
        issues=[Issue("name_doubtful", f"the name {EVE} looks doubtful", "name")],
        other_text=["\x1b]0;pwned\x07"],
        region="US",
    )


def test_ingest_shows_hostile_file_names_and_card_text_escaped(tmp_path: Path) -> None:
    """The installed script, on photos whose names and readings are hostile."""
    folder = tmp_path / "photos"
    folder.mkdir()
    # A photo name may hold any byte but "/" and NUL: here an OSC sequence and a line
    # break starting a fake summary line.
    named = folder / "Eve \x1b]0;pwned\x07\nRead 9 card photos: 0 failed.png"
    Image.new("RGB", (640, 400), "white").save(named, format="PNG")
    broken = folder / "x \x1b[2J\x9b31m\u202e.jpg"
    broken.write_bytes(b"not a photo at all")
    book = tmp_path / "contacts.csv"
    # What the card reads as is put in the result store, as an earlier ingest leaves
    # it, so the ingest takes it from there (no OCR engine's reading to depend on).
    card_id = hashlib.sha256(named.read_bytes()).hexdigest()
    with ResultStore.open(book.resolve(), warn=pytest.fail) as store:
        assert store is not None
        store.put(_hostile_reading(card_id), pipeline_key(load_pipeline("default")), "US")

    done = run_cli(
        "ingest", str(folder), "--book", str(book), "--region", "US", "--met-on", "2026-11-21",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr  # the broken photo failed
    assert_shown_not_run(done.stdout, done.stderr)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Read 2 card photos: 1 new")
    assert not any(line.startswith("Read 9") for line in lines)  # no fake summary line
    shown = "Eve \\x1b]0;pwned\\x07\\nRead 9 card photos: 0 failed.png"
    [review] = [line for line in lines if shown in line]
    assert f": {EVE_SHOWN}: the name {EVE_SHOWN} looks doubtful" in review
    assert any("x \\x1b[2J\\x9b31m\\u202e.jpg" in line for line in lines)  # under Failed:
