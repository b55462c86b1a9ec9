"""`find`, `followups` and `rescan` tables: fitted to the terminal, never breaking an
address, plain tab-separated text when piped; outside text printed as it is, harmlessly.

The book is built in the test with long addresses (a 39-character email) and hostile
cells (rich markup, an escape sequence, a tab and a line break). Commands run through
click's runner: there stdout is not a terminal, so the plain format is what they print;
`terminal` makes the table helper see a terminal of $COLUMNS width, as `sys.stdout.isatty()`
would on a real one (one test runs the installed script under a real pseudo-terminal).
"""

from __future__ import annotations

import csv
import os
import pty
import select
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cardscan.book import Book
from cardscan.cli import tables
from cardscan.cli.main import cli
from cardscan.model import CardResult, Contact, Phone, PhoneKind, Status
from tests.conftest import SAMPLES

LONG_EMAIL = "rafael.santos@valeverdealimentos.com.br"  # 39 characters
PEOPLE = [
    Contact(
        name="Rafael Albuquerque Santos",
        given_name="Rafael",
        family_name="Albuquerque Santos",
        company="Vale Verde Alimentos Ltda.",
        title="Diretor Comercial",
        emails=[LONG_EMAIL],
        phones=[Phone("+5511985550123", PhoneKind.MOBILE)],
        websites=["www.valeverdealimentos.com.br"],
    ),
    Contact(
        name="Marcus J. Whitfield",
        given_name="Marcus",
        family_name="Whitfield",
        company="[bold]Northwind[/bold] Logistics",  # rich markup: must print as typed
        emails=["marcus.whitfield@northwindlogistics.com"],
        phones=[Phone("+14155550187", PhoneKind.MOBILE)],
    ),
    Contact(name="Eve Mallory", company="Mallory Ltd", emails=["eve@example.org"]),
]
# Typed into the CSV book by someone else: an escape sequence that would clear the
# screen, a tab and a line break (a card's text cannot carry them: ingest cleans it).
HOSTILE = {"Name": "Eve \x1b[2JMallory", "Company": "Tab\tand\nbreak Ltd"}
NOTE = "two kids, loves fishing and sailing on the lake every summer with her family"
EMAILS = [LONG_EMAIL, "marcus.whitfield@northwindlogistics.com", "eve@example.org"]
PHONES = ["+55 11 98555-0123", "+1 415-555-0187"]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    with Book.open(path) as contacts:
        for n, contact in enumerate(PEOPLE):
            contacts.add_card(
                CardResult(
                    source=f"{n}.jpg", card_id=str(n) * 64, status=Status.OK, contact=contact
                ),
                event="Chicago Tech Mixer",
                met_on=date(2026, 11, 21),
                scanned_at=datetime(2026, 11, 22, 9, 0),
                follow_up_days=1,
            )
        contacts.edit(0, {"Notes": f"2026-11-22: {NOTE}"})
        contacts.save()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[2].update(HOSTILE)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stdout seen as a terminal (its width comes from $COLUMNS, as on a real one)."""
    monkeypatch.setattr(tables, "on_terminal", lambda: True)


def run(*args: str, columns: int | None = None) -> Result:
    env = {"COLUMNS": str(columns)} if columns else {}
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def assert_fits(out: str, width: int, addresses: list[str]) -> None:
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width, out
    assert all(line == line.rstrip() for line in lines), "trailing spaces"
    for address in addresses:  # each whole, on one line
        assert any(address in line for line in lines), (address, out)


def assert_harmless(out: str) -> None:
    assert "\x1b" not in out and "\\x1b[2J" in out  # the escape shown, not run
    assert "[bold]Northwind[/bold]" in out  # markup printed literally


# --- on a terminal ---------------------------------------------------------------------


@pytest.mark.parametrize("width", [60, 80, 100, 120, 140, 160])
def test_followups_fits_the_terminal_without_breaking_an_address(
    book: Path, terminal: None, width: int
) -> None:
    out = run("followups", "--book", str(book), "--today", "2026-11-24", columns=width).stdout
    assert_fits(out, width, EMAILS)
    assert_harmless(out)
    assert "Follow-ups due by 2026-11-24" in out and "2 days late" in out
    if width >= 140:  # room for every column
        assert "Latest note" in out and "two kids" in out
    if width == 140:  # the note at most two lines: shortened
        assert "two kids," in out and "…" in out and "her family" not in out
    if width == 120:  # the note's column goes first; the event stays on one line
        assert "(Latest note not shown: the terminal is 120 columns wide.)" in out
        assert "Chicago Tech Mixer" in out
    if width in (80, 100):  # then the meeting's; the table says so
        assert f"(Met, Latest note not shown: the terminal is {width} columns wide.)" in out
    if width == 60:  # too narrow for the columns: one block per person
        assert "Person" not in out
        assert f"  Email:       {LONG_EMAIL}" in out


@pytest.mark.parametrize("width", [60, 80, 120])
def test_find_fits_the_terminal_without_breaking_an_address(
    book: Path, terminal: None, width: int
) -> None:
    out = run("find", "chicago", "--book", str(book), columns=width).stdout
    *table, summary = out.splitlines()
    assert summary == f"3 people match 'chicago' in {book}, best match first."
    assert_fits("\n".join(table), width, EMAILS + PHONES)
    assert_harmless(out)
    if width == 120:
        assert table[0].split() == ["Row", "Person", "Contact", "Matched"]
        assert "Event: Chicago Tech Mixer" in out
    elif width == 80:  # names and addresses whole first: no room left for what matched
        assert table[0].split() == ["Row", "Person", "Contact"]
        assert table[-1] == "(Matched not shown: the terminal is 80 columns wide.)"
    else:  # too narrow for the row, the person and an email side by side: blocks
        assert "Row" not in out
        assert f"  Contact: {LONG_EMAIL}" in table


def test_a_terminal_narrower_than_an_address_shows_blocks_with_addresses_whole(
    book: Path, terminal: None
) -> None:
    out = run("followups", "--book", str(book), "--today", "2026-11-24", columns=30).stdout
    for address in ("rafael.santos@valeverdealimentos.com.br", "eve@example.org"):
        assert any(line.split()[-1:] == [address] for line in out.splitlines()), out
    assert max(len(line) for line in out.splitlines() if "@" not in line) <= 30


@pytest.fixture(scope="module")
def rescan_plain() -> str:
    """`rescan` of a sample card, piped: what was read, as the plain table."""
    result = CliRunner().invoke(cli, ["rescan", str(SAMPLES / "us-classic-wood.jpg")])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_rescan_piped_is_tab_separated(rescan_plain: str) -> None:
    header, *lines = rescan_plain.splitlines()
    assert header == "field\tvalue\tsure"
    fields = [line.split("\t")[0] for line in lines]
    assert fields[:10] == ["name", "given / family", "title", "company", "department",
                           "emails", "phones", "websites", "address", "social"]  # fmt: skip
    assert all(line.count("\t") == 2 for line in lines)


def test_rescan_fits_the_terminal_without_breaking_what_it_read(
    rescan_plain: str, terminal: None
) -> None:
    read = {line.split("\t")[0]: line.split("\t")[1] for line in rescan_plain.splitlines()[1:]}
    # Whatever the reading, each email, phone and website is shown whole on one line.
    values = [v for key in ("emails", "phones", "websites") for v in read[key].split("; ") if v]
    assert values
    out = run("rescan", str(SAMPLES / "us-classic-wood.jpg"), columns=60).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines[1:]) <= 60  # the photo's path line aside
    for value in values:
        assert any(value in line for line in lines), (value, out)


# --- piped ---------------------------------------------------------------------------


def check_plain(out: str, header: list[str], rows: int) -> list[list[str]]:
    lines = out.splitlines()
    assert lines[0].split("\t") == header
    assert len(lines) == 1 + rows  # one line per person
    cells = [line.split("\t") for line in lines[1:]]
    assert all(len(c) == len(header) for c in cells)  # no cell holds a tab or a line break
    assert not any(ch in out for ch in "─│┃━"), "box drawing"
    assert all(line == line.rstrip(" ") and "  " not in line for line in lines), "padding"
    assert_harmless(out)
    return cells


def test_followups_piped_is_one_tab_separated_line_per_person(book: Path) -> None:
    result = run("followups", "--book", str(book), "--today", "2026-11-24", "--all")
    cells = check_plain(
        result.stdout,
        ["Row", "Name", "Company", "Email", "Event", "Last met", "Follow up by",
         "Days overdue", "Latest note"],
        3,
    )  # fmt: skip
    assert cells[0] == [
        "2", "Rafael Albuquerque Santos", "Vale Verde Alimentos Ltda.", LONG_EMAIL,
        "Chicago Tech Mixer", "2026-11-21", "2026-11-22", "2", NOTE,
    ]  # fmt: skip
    assert cells[2][1:3] == ["Eve \\x1b[2JMallory", "Tab\\tand\\nbreak Ltd"]  # escaped
    # The title and the summary are not data: they go to stderr.
    assert result.stderr.splitlines()[0] == "Not yet followed up (as of 2026-11-24)"


def test_find_piped_is_one_tab_separated_line_per_person(book: Path) -> None:
    result = run("find", "chicago", "--book", str(book))
    cells = check_plain(result.stdout, ["Row", "Name", "Company", "Email", "Phone", "Matched"], 3)
    assert cells[0][3:5] == [LONG_EMAIL, "+55 11 98555-0123"]
    assert cells[0][5] == "Event: Chicago Tech Mixer"
    assert result.stderr == f"3 people match 'chicago' in {book}, best match first.\n"


# --- a real terminal -------------------------------------------------------------------


def test_on_a_real_terminal_the_table_fits_its_columns(book: Path) -> None:
    """The installed script under a pseudo-terminal: detection and width are its own."""
    main, child = pty.openpty()
    script = Path(sys.executable).with_name("cardscan")
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("CARDSCAN_BOOK", None)
    proc = subprocess.Popen(
        [str(script), "followups", "--book", str(book), "--today", "2026-11-24"],
        stdout=child,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(child)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=60) == 0
    os.close(main)
    out = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert "Follow-ups due by 2026-11-24" in out  # on a terminal: no tabs, a table
    assert "\t" not in out and "Person" in out
    assert_fits(out, 100, EMAILS)
