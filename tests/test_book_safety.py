"""The book is never damaged: corrupt files, locks, backups, atomic saves."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from cardscan.book import Action, Book
from cardscan.book.safety import backup, backups
from cardscan.errors import BookError, ExitCode
from cardscan.model import CardResult, Contact, Status

NOW = datetime(2024, 5, 1, 22, 15)


def card(card_id: str, name: str = "Jane Doe", email: str = "jane@acme.example") -> CardResult:
    return CardResult(
        source=f"{card_id}.jpg",
        card_id=card_id * 64,
        status=Status.OK,
        contact=Contact(name=name, emails=[email]),
    )


def make_book(path: Path, *results: CardResult) -> None:
    with Book.open(path) as book:
        for result in results:
            book.add_card(result, scanned_at=NOW)
        book.save()


def names(path: Path) -> list[str]:
    with Book.open(path) as book:
        return [row["Name"] for row in book.rows()]


def test_text_file_renamed_xlsx_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    data = b"Name,Emails\nJane,jane@acme.example\n"
    path.write_bytes(data)
    with pytest.raises(BookError) as err:
        Book.open(path)
    assert str(path) in err.value.message
    assert "text file" in err.value.message
    assert err.value.fix and "has not changed it" in err.value.fix
    assert err.value.exit_code == ExitCode.BOOK
    assert path.read_bytes() == data
    assert not list((tmp_path / ".cardscan").glob("backups/*"))


def test_zip_that_is_not_a_workbook_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(BookError, match="damaged or not an Excel workbook"):
        Book.open(path)
    assert path.read_bytes() == buffer.getvalue()


def test_unsupported_extension(tmp_path: Path) -> None:
    with pytest.raises(BookError, match=r"unsupported book type '\.ods'") as err:
        Book.open(tmp_path / "contacts.ods")
    assert str(err.value).startswith("unsupported book type '.ods': use a .xlsx or .csv file")


@pytest.mark.parametrize("lock_name", [".~lock.contacts.xlsx#", "~$contacts.xlsx"])
def test_book_open_in_a_spreadsheet_program_is_refused(tmp_path: Path, lock_name: str) -> None:
    path = tmp_path / "contacts.xlsx"
    make_book(path, card("a"))
    before = path.read_bytes()
    (tmp_path / lock_name).write_text("owner")
    with pytest.raises(BookError, match="is open in a spreadsheet program") as err:
        Book.open(path)
    assert err.value.fix and err.value.fix.startswith("close it and run again")
    assert path.read_bytes() == before


def test_spreadsheet_opened_during_the_run_blocks_save(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    make_book(path, card("a"))
    before = path.read_bytes()
    with Book.open(path) as book:
        book.add_card(card("b", "Raj Patel", "raj@x.example"), scanned_at=NOW)
        (tmp_path / ".~lock.contacts.xlsx#").write_text("owner")
        with pytest.raises(BookError, match="spreadsheet program"):
            book.save()
    assert path.read_bytes() == before


def test_second_run_waits_then_gives_up(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    with Book.open(path):
        with pytest.raises(BookError, match="in use by another cardscan run") as err:
            Book.open(path, lock_timeout=0.2)
        assert err.value.fix == "wait for it to finish"
    with Book.open(path, lock_timeout=0.2):  # released on close
        pass


def test_save_keeps_a_backup_of_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    make_book(path, card("a"))
    assert backups(path) == []  # nothing to back up when the book is created
    first = path.read_bytes()
    make_book(path, card("b", "Raj Patel", "raj@x.example"))
    (saved,) = backups(path)
    assert saved.parent == tmp_path / ".cardscan" / "backups"
    assert saved.name.startswith("contacts.") and saved.suffix == ".xlsx"
    assert saved.read_bytes() == first
    assert names(path) == ["Jane Doe", "Raj Patel"]


def test_only_the_last_ten_backups_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("Name\nx\n")
    for second in range(12):
        backup(path, datetime(2024, 5, 1, 12, 0, second))
    backup(path, datetime(2024, 5, 1, 12, 0, 11))  # same second: a -2 suffix
    kept = [p.name for p in backups(path)]
    assert len(kept) == 10
    assert kept[0] == "contacts.20240501-120003.csv"
    assert kept[-2:] == ["contacts.20240501-120011.csv", "contacts.20240501-120011-2.csv"]


def test_failed_write_leaves_the_book_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "contacts.xlsx"
    make_book(path, card("a"))
    before = path.read_bytes()

    def half_write(self: object, target: Path) -> None:
        target.write_bytes(b"PK half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("cardscan.book.xlsx_store.XlsxStore.write", half_write)
    with Book.open(path) as book:
        book.add_card(card("b", "Raj Patel", "raj@x.example"), scanned_at=NOW)
        with pytest.raises(BookError, match="No space left on device"):
            book.save()
    assert path.read_bytes() == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in {"contacts.xlsx", ".cardscan"}]
    assert leftovers == []


def test_save_keeps_file_permissions(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    make_book(path, card("a"))
    os.chmod(path, 0o640)
    make_book(path, card("b", "Raj Patel", "raj@x.example"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_edits_saved_by_another_program_during_the_run_survive(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    make_book(path, card("a"))
    with Book.open(path) as book:
        assert book.add_card(card("b", "Raj Patel", "raj@x.example"), scanned_at=NOW).action == (
            Action.NEW
        )
        wb = openpyxl.load_workbook(path)  # the user edits the book meanwhile
        ws = wb.worksheets[0]
        notes = next(c.column for c in ws[1] if c.value == "Notes")
        ws.cell(2, notes).value = "typed while cardscan ran"
        wb.save(path)
        os.utime(path, ns=(0, 1))  # make sure the change is visible even on coarse clocks
        book.save()
    with Book.open(path) as book:
        rows = book.rows()
    assert [r["Name"] for r in rows] == ["Jane Doe", "Raj Patel"]
    assert rows[0]["Notes"] == "typed while cardscan ran"


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BookError, match="does not exist"):
        Book.open(tmp_path / "nope" / "contacts.xlsx")


def test_unchanged_book_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    make_book(path, card("a"))
    mtime = path.stat().st_mtime_ns
    make_book(path, card("a"))
    assert path.stat().st_mtime_ns == mtime
    assert backups(path) == []
