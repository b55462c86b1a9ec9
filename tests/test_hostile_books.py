"""Hostile books and corrections files, each built here, through the real CLI.

A book anyone could send: an .xlsx that declares or holds far more than a contacts book
(one value in XFD1048576, a zip bomb, millions of cells, a merged range over the whole
sheet, XML entities), a picture openpyxl would re-encode, a CSV whose quote is never
closed, a corrections file nested 200,000 deep. Each is refused with exit 7 (a book)
or 4 (a corrections file), one line naming the file, and nothing is changed.

Cases that would take gigabytes if a guard failed run either with openpyxl's loader
replaced by one that fails the test (they must be refused before it), or in a
subprocess with a memory limit.
"""

from __future__ import annotations

import io
import json
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES, capped_env, fake_ghostscript, run_cli
from PIL import Image

from cardscan.book import COLUMNS, Book
from cardscan.book.limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, check_xlsx
from cardscan.book.store import load_store
from cardscan.cli.main import cli
from cardscan.errors import BookError, ExitCode
from cardscan.model import CardResult, Contact, Status
from cardscan.state.corrections import store_path

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Emails</t></is></c></row>'
)
JANE = b'<row r="2"><c r="A2" t="inlineStr"><is><t>Jane Roe</t></is></c></row>'
CARD_ID = "a" * 64


def parts_of_a_book() -> dict[str, bytes]:
    """The parts of a small real workbook (Name, Emails; Jane Roe), by name."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Contacts"
    sheet.append(["Name", "Emails"])
    sheet.append(["Jane Roe", "jane@example.org"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_book(path: Path, sheet: Iterable[bytes], level: int = 6) -> bytes:
    """A workbook whose first sheet's XML is `sheet` (streamed); returns the file's bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts_of_a_book().items():
            if name != SHEET:
                archive.writestr(name, data)
                continue
            with archive.open(SHEET, "w") as part:
                for piece in sheet:
                    part.write(piece)
    return path.read_bytes()


def sheet_xml(*inner: bytes) -> list[bytes]:
    return [HEAD, *inner, b"</worksheet>"]


def zip_bomb(path: Path, unpacked_mb: int = 1024) -> bytes:
    """A workbook whose sheet unpacks to `unpacked_mb` MB of cells from a few MB.

    The same megabyte of rows is deflated once and repeated: after a full flush a
    deflate stream starts afresh, so the packed block is valid at every position.
    """
    row = b'<row r="2">' + b'<c r="A2" t="inlineStr"><is><t>x</t></is></c>' * 40 + b"</row>"
    block = row * ((1 << 20) // len(row))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = HEAD + b"<sheetData>" + HEADER_ROW
    tail = b"</sheetData></worksheet>"
    packed_head = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    packed_block = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH) == packed_block
    packed = packed_head + packed_block * unpacked_mb + packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(unpacked_mb):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * unpacked_mb + len(tail)
    entries = []
    for name, data in parts_of_a_book().items():
        if name == SHEET:
            entries.append((name, packed, crc, size))
        else:
            squeezer = zlib.compressobj(6, zlib.DEFLATED, -15)
            small = squeezer.compress(data) + squeezer.flush()
            entries.append((name, small, zlib.crc32(data), len(data)))
    write_raw_zip(path, entries)
    return path.read_bytes()


def write_raw_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of deflated entries (name, packed bytes, crc32, unpacked size), written by hand."""
    out = io.BytesIO()
    directory = io.BytesIO()
    for name, packed, crc, size in entries:
        raw = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), size, len(raw), 0
            )
        )
        out.write(raw + packed)
        directory.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(packed),
                size,
                len(raw),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw
        )
    start = out.tell()
    out.write(directory.getvalue())
    count = len(entries)
    out.write(
        struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory.getvalue()), start, 0
        )
    )
    path.write_bytes(out.getvalue())


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_refused(result: Result, book: Path, why: str) -> None:
    assert result.exit_code == ExitCode.BOOK, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"cardscan: error: cannot read the book {book}"), result.stderr
    assert why in result.stderr, result.stderr
    assert "cardscan has not changed it" in result.stderr
    assert "Traceback" not in result.output


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl's loader, replaced: a book refused before parsing never reaches it."""

    def reached(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was let at a book that should have been refused")

    monkeypatch.setattr("cardscan.book.xlsx_store.load_workbook", reached)


# --- .xlsx refused before openpyxl parses anything -----------------------------------


def test_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path, no_openpyxl: None) -> None:
    book = tmp_path / "contacts.xlsx"
    data = zip_bomb(book)
    assert len(data) < 4 * 1024 * 1024  # 1 GB of cells in under 4 MB
    done = invoke("note", "jane", "met at the expo", "--book", str(book))
    unpacked = zipfile.ZipFile(book).getinfo(SHEET).file_size // (1024 * 1024)
    assert unpacked > 1000
    assert_refused(done, book, f"its part {SHEET} unpacks to {unpacked:,} MB, over the 256 MB")
    assert book.read_bytes() == data


@pytest.mark.parametrize(
    ("name", "sheet", "why"),
    [
        (
            "a range merged over the whole sheet",
            sheet_xml(
                b"<sheetData>",
                HEADER_ROW,
                JANE,
                b"</sheetData>",
                b'<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>',
            ),
            f"more than {MAX_CELLS:,} cells",
        ),
        (
            "the same, its colon written as a character reference",
            sheet_xml(
                b"<sheetData>",
                HEADER_ROW,
                b"</sheetData>",
                b"<mergeCells><x:mergeCell xmlns:x='http://schemas.openxmlformats.org/"
                b"spreadsheetml/2006/main' ref='A3&#58;XFD1048576'/></mergeCells>",
            ),
            f"more than {MAX_CELLS:,} cells",
        ),
        (
            "a hyperlink over whole columns",
            sheet_xml(
                b"<sheetData>",
                HEADER_ROW,
                b"</sheetData>",
                b'<hyperlinks><hyperlink ref="A:Z" display="x"/></hyperlinks>',
            ),
            f"more than {MAX_CELLS:,} cells",
        ),
        (
            "XML entities",
            [
                b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY c "<c/><c/><c/><c/>">]>',
                HEAD.split(b"\n", 1)[1],
                b'<sheetData><row r="1">&c;</row></sheetData>',
                b"</worksheet>",
            ],
            "declares XML entities",
        ),
        (
            "a sheet stored as UTF-16",
            [
                b"".join(sheet_xml(b"<sheetData>", HEADER_ROW, b"</sheetData>"))
                .decode()
                .replace('encoding="UTF-8"', 'encoding="UTF-16"')
                .encode("utf-16")
            ],
            "stored as UTF-16",
        ),
        (
            "cells packed a few hundred times over",
            sheet_xml(
                b"<sheetData>",
                HEADER_ROW,
                b'<row r="2">',
                b'<c r="A2"/>' * 2_000_000,
                b"</row></sheetData>",
            ),
            "which no spreadsheet program writes (a zip bomb?)",
        ),
    ],
    ids=["merged", "merged-escaped", "hyperlinks", "entities", "utf-16", "packed"],
)
def test_workbook_past_the_limits_is_refused_before_parsing(
    tmp_path: Path, no_openpyxl: None, name: str, sheet: list[bytes], why: str
) -> None:
    book = tmp_path / "contacts.xlsx"
    data = write_book(book, sheet)
    done = invoke("find", "jane", "--book", str(book))
    assert_refused(done, book, why)
    assert book.read_bytes() == data


def test_a_sheet_that_declares_one_cell_but_holds_millions(
    tmp_path: Path, no_openpyxl: None
) -> None:
    """<dimension ref="A1:A1"/> and then more cells than any contacts book has."""
    rows = MAX_CELLS // 28 + 1000

    def cells() -> Iterable[bytes]:
        yield HEAD + b'<dimension ref="A1:A1"/><sheetData>' + HEADER_ROW
        letters = [openpyxl.utils.get_column_letter(c).encode() for c in range(1, 29)]
        for r in range(2, rows + 2):
            number = str(r).encode()
            yield b"<row>" + b"".join(b'<c r="' + x + number + b'"/>' for x in letters) + b"</row>"
        yield b"</sheetData></worksheet>"

    book = tmp_path / "contacts.xlsx"
    data = write_book(book, cells(), level=1)
    with zipfile.ZipFile(book) as archive:  # not the packing ratio: the count refuses it
        info = archive.getinfo(SHEET)
        assert info.file_size / info.compress_size < 100
    done = invoke("tag", "jane", "vip", "--book", str(book))
    assert_refused(done, book, f"it holds more than {MAX_CELLS:,} cells")
    assert book.read_bytes() == data


def test_zip_of_ten_thousand_parts_is_refused_before_its_directory_is_read(
    tmp_path: Path, no_openpyxl: None
) -> None:
    book = tmp_path / "contacts.xlsx"
    with zipfile.ZipFile(book, "w") as archive:
        for name, part in parts_of_a_book().items():
            archive.writestr(name, part)
        for number in range(10_001):
            archive.writestr(f"xl/media/n{number}.bin", b"")
    data = book.read_bytes()
    done = invoke("followups", "--book", str(book))
    assert_refused(done, book, "its zip lists 10,010 parts")
    assert book.read_bytes() == data


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_book_file_over_100_mb_is_refused_unread(
    tmp_path: Path, no_openpyxl: None, suffix: str
) -> None:
    book = tmp_path / f"contacts{suffix}"
    with open(book, "wb") as fh:
        fh.truncate(101 * 1024 * 1024)  # sparse: no disk used, and nothing to read
    done = invoke("find", "jane", "--book", str(book))
    assert_refused(done, book, "it is 101 MB, over the 100 MB cardscan reads")
    assert book.stat().st_size == 101 * 1024 * 1024


# --- one value far out: refused by every command, within a memory limit ---------------

# Each command of the CLI, in-process, inside a child process whose address space is
# capped, so that a guard that fails raises MemoryError instead of taking the machine.
_EVERY_COMMAND = """
import json, sys
from click.testing import CliRunner
from cardscan.cli.main import cli
book, fixes, photo = sys.argv[1:4]
commands = [
    ["ingest", photo, "--book", book],
    ["note", "jane", "met at the expo", "--book", book],
    ["tag", "jane", "vip", "--book", book],
    ["done", "jane", "--book", book],
    ["find", "jane", "--book", book],
    ["followups", "--book", book],
    ["introduce", "jane", "--book", book],
    ["export", "--book", book, "--to", "out.csv"],
    ["apply", fixes, "--book", book],
]
out = []
for args in commands:
    result = CliRunner().invoke(cli, args)
    out.append([args[0], result.exit_code, result.stderr])
import resource
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"results": out, "peak_mb": peak_mb}))
"""


def run_capped(args: list[str], cwd: Path, cap_gb: float = 3.0) -> subprocess.CompletedProcess[str]:
    cap = int(cap_gb * 1024**3)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = capped_env()
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def far_value(book: Path) -> bytes:
    """A 5 KB book: one value in the last cell of the sheet, and a <dimension> to match."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = write_book(
        book,
        sheet_xml(
            b'<dimension ref="A1:XFD1048576"/><sheetData>', HEADER_ROW, JANE, far, b"</sheetData>"
        ),
    )
    assert len(data) < 8 * 1024
    return data


@pytest.mark.parametrize(
    ("build", "why", "fix"),
    [
        (far_value, "values as far as row 1,048,576, beyond the 200,000 rows", "Ctrl+End"),
        (zip_bomb, f"its part {SHEET} unpacks to 1,02", "choose your contacts book"),
    ],
    ids=["value in XFD1048576", "zip bomb"],
)
def test_hostile_book_is_refused_by_every_command_in_little_memory(
    tmp_path: Path, build: Callable[[Path], bytes], why: str, fix: str
) -> None:
    """Every command that reads the book, in one child capped at 3 GB of address space.

    The child's own peak is compared with that of the same commands refusing a book that
    is plainly not one (a few bytes of text): what the commands load to start (OpenCV,
    the PP-OCR models for `ingest`) differs between machines and library versions, so
    only what the hostile book adds is bounded. Unguarded, it adds gigabytes; refused,
    a few megabytes; the bound of 100 MB sits far from both."""
    book = tmp_path / "contacts.xlsx"
    data = build(book)
    fixes = tmp_path / "fixes.json"
    fixes.write_text(json.dumps({"format": "cardscan-corrections", "version": 1, "cards": []}))
    (tmp_path / "card.jpg").write_bytes(b"")
    plain = tmp_path / "plain" / "contacts.xlsx"
    plain.parent.mkdir()
    plain.write_text("not a workbook\n")
    baseline = run_capped(["-c", _EVERY_COMMAND, str(plain), str(fixes), "card.jpg"], tmp_path)
    assert baseline.returncode == 0, baseline.stderr
    done = run_capped(["-c", _EVERY_COMMAND, str(book), str(fixes), "card.jpg"], tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert len(report["results"]) == 9
    for command, code, stderr in report["results"]:
        assert code == ExitCode.BOOK, (command, code, stderr)
        assert stderr.startswith(f"cardscan: error: cannot read the book {book}"), command
        assert why in stderr and fix in stderr and stderr.count("\n") == 1, (command, stderr)
        assert "cardscan has not changed it" in stderr, (command, stderr)
    start_up = json.loads(baseline.stdout)["peak_mb"]
    assert report["peak_mb"] - start_up < 100, (report["peak_mb"], start_up)
    assert book.read_bytes() == data
    assert not (tmp_path / "out.csv").exists()


def test_rescan_into_such_a_book_is_refused(tmp_path: Path) -> None:
    """`rescan --book` opens the book only once the card is read: a real photo, then 7."""
    book = tmp_path / "contacts.xlsx"
    far = b'<row r="5"><c r="ALM5" t="inlineStr"><is><t>x</t></is></c></row>'  # column 1,001
    data = write_book(book, sheet_xml(b"<sheetData>", HEADER_ROW, far, b"</sheetData>"))
    done = run_cli(
        "rescan", str(SAMPLES / "us-classic-wood.jpg"), "--book", str(book), cwd=tmp_path
    )
    assert done.returncode == ExitCode.BOOK, done.stdout + done.stderr
    assert "values as far as column 1,001, beyond the 200,000 rows and 1,000 columns" in (
        done.stderr
    )
    assert book.read_bytes() == data


def test_a_book_as_wide_as_the_limit_opens_and_stays_readable(tmp_path: Path) -> None:
    """Columns count with those cardscan adds: the book it writes opens again."""
    book = tmp_path / "contacts.xlsx"
    ours = len(COLUMNS) - 2  # all of cardscan's columns but Name and Emails
    column = openpyxl.utils.get_column_letter(MAX_COLUMNS - ours)
    edge = f'<row r="3"><c r="{column}3"><v>1</v></c></row>'.encode()
    write_book(book, sheet_xml(b"<sheetData>", HEADER_ROW, JANE, edge, b"</sheetData>"))
    done = invoke("note", "jane", "still here", "--book", str(book))
    assert done.exit_code == 0, done.output
    with Book.open(book, read_only=True) as contacts:
        assert contacts.rows()[0]["Notes"].endswith("still here")
    wider = openpyxl.utils.get_column_letter(MAX_COLUMNS - ours + 1)
    edge = f'<row r="3"><c r="{wider}3"><v>1</v></c></row>'.encode()
    data = write_book(book, sheet_xml(b"<sheetData>", HEADER_ROW, JANE, edge, b"</sheetData>"))
    done = invoke("find", "jane", "--book", str(book))
    assert_refused(done, book, f"as far as column {MAX_COLUMNS - ours + 1:,}, beyond")
    assert book.read_bytes() == data


def test_a_book_as_long_as_the_limit_opens(tmp_path: Path) -> None:
    """The last row cardscan reads, in a sparse sheet (the store alone: a book of
    200,000 rows is a long walk for every command)."""
    book = tmp_path / "contacts.xlsx"
    for last, refused in ((MAX_ROWS + 1, False), (MAX_ROWS + 2, True)):
        edge = f'<row r="{last}"><c r="A{last}"><v>1</v></c></row>'.encode()
        write_book(book, sheet_xml(b"<sheetData>", HEADER_ROW, JANE, edge, b"</sheetData>"))
        if refused:
            with pytest.raises(BookError, match=f"as far as row {last:,}, beyond"):
                load_store(book)
        else:
            assert load_store(book).row_count() == MAX_ROWS


def test_a_hundred_thousand_people_pass_the_checks(tmp_path: Path) -> None:
    """The largest real book (every cardscan column filled) is under every limit."""

    def rows() -> Iterable[bytes]:
        yield HEAD + b"<sheetData>"
        letters = [openpyxl.utils.get_column_letter(c).encode() for c in range(1, 29)]
        for r in range(1, 100_002):
            n = str(r).encode()
            yield (
                b'<row r="'
                + n
                + b'">'
                + b"".join(
                    b'<c r="'
                    + x
                    + n
                    + b'" t="inlineStr"><is><t>someone@example.org '
                    + n
                    + b"</t></is></c>"
                    for x in letters
                )
                + b"</row>"
            )
        yield b"</sheetData></worksheet>"

    book = tmp_path / "contacts.xlsx"
    write_book(book, rows(), level=1)
    check_xlsx(book)  # raises when refused


# --- pictures openpyxl would convert -------------------------------------------------

EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 120 80\n"
    b"/Helvetica findfont 12 scalefont setfont 10 40 moveto (Jane Roe) show showpage\n%%EOF\n"
)


def test_eps_picture_in_the_book_is_refused_and_ghostscript_never_starts(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Emails"])
    sheet.append(["Jane Roe", "jane@example.org"])
    logo = io.BytesIO()
    Image.new("RGB", (120, 80), "white").save(logo, "PNG")
    sheet.add_image(openpyxl.drawing.image.Image(logo), "D2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    book = tmp_path / "contacts.xlsx"
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(book, "w") as target:
        for name in source.namelist():  # the picture's bytes become PostScript
            target.writestr(name, EPS if name.startswith("xl/media/") else source.read(name))
    data = book.read_bytes()
    env, mark = fake_ghostscript(tmp_path)
    # A fresh process: Pillow looks for Ghostscript on PATH once per process.
    done = run_cli(
        "note", "jane", "met at the expo", "--book", str(book), cwd=tmp_path, env=env,
        subprocess=True,
    )  # fmt: skip
    assert done.returncode == ExitCode.BOOK, done.stdout + done.stderr
    assert "holds a picture in EPS format" in done.stderr
    assert done.stderr.count("\n") == 1
    assert not mark.exists()
    assert book.read_bytes() == data


# --- CSV books that do not parse cleanly ----------------------------------------------

CSV_HEADER = "Name,Emails,Notes,Tags\n"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            CSV_HEADER + 'Jane Roe,jane@example.org,,\n"Bob Lee,bob@example.org,met,\n'
            "Carl Poe,carl@example.org,,\nDee Ray,dee@example.org,ok,\n",
            "a quote opened on line 3 is never closed",
        ),
        (
            CSV_HEADER + '"Jane Roe,jane@example.org,hi,\nBob Lee,bob@example.org,,\n'
            'Carl" Poe,carl@example.org,,\nDee Ray,dee@example.org,ok,\n',
            "line 2 and after: a quote ends a cell but the cell goes on",
        ),
        (
            CSV_HEADER + '"Jane Roe,jane@example.org,hi,\nBob Lee,bob@example.org,,\n'
            'Carl",carl@example.org,,\nDee Ray,dee@example.org,ok,\n',
            "line 3 reads as a whole row inside a cell of the row starting on line 2",
        ),
    ],
    ids=["never closed", "closed inside a cell", "closed rows later"],
)
def test_csv_with_a_quote_left_open_is_refused_untouched(
    tmp_path: Path, text: str, why: str
) -> None:
    book = tmp_path / "contacts.csv"
    book.write_text(text, encoding="utf-8")
    data = book.read_bytes()
    done = invoke("note", "dee", "met at the expo", "--book", str(book))
    assert done.exit_code == ExitCode.BOOK, done.output
    assert done.stderr.startswith(f"cardscan: error: cannot read the book {book} as CSV: ")
    assert why in done.stderr and done.stderr.count("\n") == 1
    assert "cardscan has not changed it" in done.stderr
    assert book.read_bytes() == data


def test_legitimate_csv_books_still_read_and_keep_their_rows(tmp_path: Path) -> None:
    """Multi-line quoted notes, ';' in Windows-1252, tabs, a BOM: all read as before."""
    notes = 'first line\nsecond line, with a comma; and a "quote"'
    books = {
        "comma.csv": ("utf-8-sig", ","),
        "semicolon.csv": ("cp1252", ";"),
        "tabs.csv": ("utf-8", "\t"),
    }
    for name, (encoding, delimiter) in books.items():
        buffer = io.StringIO(newline="")
        writer = __import__("csv").writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(["Name", "Emails", "Notes", "Tags"])
        writer.writerow(["Zoë Roe", "zoe@example.org", notes, ""])
        writer.writerow(["Bob Lee", "bob@example.org", "", "vip"])
        book = tmp_path / name
        book.write_bytes(buffer.getvalue().encode(encoding))
        done = invoke("note", "bob", "met at the expo", "--book", str(book))
        assert done.exit_code == 0, (name, done.output)
        with Book.open(book, read_only=True) as contacts:
            zoe, bob = contacts.rows()
        assert zoe["Notes"] == notes and zoe["Name"] == "Zoë Roe", name
        assert bob["Notes"].endswith("met at the expo") and bob["Tags"] == "vip", name


def test_csv_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    book = tmp_path / "contacts.csv"
    book.write_text(CSV_HEADER + "x,,,\n" * (MAX_ROWS + 1), encoding="utf-8")
    done = invoke("find", "x", "--book", str(book))
    assert done.exit_code == ExitCode.BOOK, done.output
    assert f"values as far as row {MAX_ROWS + 2:,}, beyond" in done.stderr


# --- corrections files -----------------------------------------------------------------


def small_book(folder: Path) -> Path:
    book = folder / "contacts.xlsx"
    with Book.open(book) as contacts:
        result = CardResult(
            source="jane.jpg",
            card_id=CARD_ID,
            status=Status.OK,
            contact=Contact(name="Jane Roe", emails=["jane@example.org"]),
        )
        contacts.add_card(result, scanned_at=datetime(2026, 11, 21, 20, 0))
        contacts.save()
    return book


def corrections(**card: object) -> dict[str, object]:
    entry = {"card_id": CARD_ID, "source": "jane.jpg", "fields": {"Title": {"value": "CTO"}}}
    entry.update(card)
    return {
        "format": "cardscan-corrections",
        "version": 1,
        "book": "contacts.xlsx",
        "cards": [entry],
    }


def as_bytes(data: object) -> bytes:
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"[" * 200_000 + b"]" * 200_000, "nested more than 32 levels deep"),
        (
            as_bytes(corrections()).replace(b'"version": 1', b'"version": NaN'),
            "NaN is not a JSON value",
        ),
        (as_bytes(corrections(source=["jane.jpg"])), '"source" is not text'),
        (as_bytes(corrections(checked="yes")), '"checked" is not true or false'),
        (as_bytes({**corrections(), "version": True}), "version True"),
        (as_bytes({**corrections(), "book": {"a": 1}}), '"book" is not text'),
        (
            as_bytes(corrections(fields={"Title": {"value": ["CTO"]}})),
            "Title is not read/was/value text",
        ),
        (
            as_bytes(corrections()).replace(b'"CTO"', b'"\\ud800"'),
            "Title is not read/was/value text",
        ),
        ("Jörg".encode("latin-1") + b"{}", "it is not UTF-8 text"),
    ],
    ids=["nested", "NaN", "source", "checked", "version", "book", "list", "surrogate", "latin-1"],
)
def test_malformed_corrections_file_is_exit_4_and_the_book_untouched(
    tmp_path: Path, content: bytes, why: str
) -> None:
    book = small_book(tmp_path)
    before = book.read_bytes()
    fixes = tmp_path / "fixes.json"
    fixes.write_bytes(content)
    done = invoke("apply", str(fixes), "--book", str(book))
    assert done.exit_code == ExitCode.INPUT, done.output
    assert done.stderr.startswith(f"cardscan: error: {fixes} is not a cardscan corrections file (")
    assert why in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert book.read_bytes() == before
    assert not store_path(book.resolve()).exists()


def test_huge_corrections_file_is_refused_unread(tmp_path: Path) -> None:
    book = small_book(tmp_path)
    fixes = tmp_path / "fixes.json"
    with open(fixes, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    done = invoke("apply", str(fixes), "--book", str(book))
    assert done.exit_code == ExitCode.INPUT and "it is over 20 MB" in done.stderr


@pytest.mark.parametrize(
    ("store", "why"),
    [
        (b'{"format": "cardscan-corrections-store", "cards": ' + b"[" * 100_000, "nested more"),
        (b'{"format": "cardscan-corrections-store", "cards": {"x": {"fields": []}}}', '"fields"'),
        (
            b'{"format": "cardscan-corrections-store", "cards": {"x": {"fields": '
            b'{"Title": {"value": 7}}}}}',
            "'Title' is not read/value text",
        ),
        (
            b'{"format": "cardscan-corrections-store", "cards": {"x": {"source": Infinity}}}',
            "Infinity",
        ),
    ],
    ids=["nested", "fields", "value", "Infinity"],
)
def test_damaged_kept_corrections_are_their_own_error(
    tmp_path: Path, store: bytes, why: str
) -> None:
    book = small_book(tmp_path)
    kept = store_path(book.resolve())
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(store)
    before = book.read_bytes()
    fixes = tmp_path / "fixes.json"
    fixes.write_bytes(as_bytes(corrections()))
    done = invoke("apply", str(fixes), "--book", str(book))
    assert done.exit_code == ExitCode.BOOK, done.output
    assert done.stderr.startswith(
        f"cardscan: error: the corrections kept in {kept} cannot be read ("
    )
    assert why in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert book.read_bytes() == before and kept.read_bytes() == store
