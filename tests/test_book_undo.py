"""`cardscan undo`: one ingest back at a time, never over the user's later edits."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SAMPLES, run_cli

from cardscan.book import Book
from cardscan.cli.main import cli
from cardscan.errors import BookError, ExitCode, InputError
from cardscan.model import CardResult, Contact, Status
from cardscan.state.backups import KEEP_BACKUPS, backups
from cardscan.state.folder import BookLock
from cardscan.state.readings import ResultStore, store_path
from cardscan.state.undo import save_ingest, undo_last_ingest


def card(card_id: str, name: str, email: str, title: str = "CTO") -> CardResult:
    return CardResult(
        source=f"photos/{card_id}.jpg",
        card_id=card_id * 64,
        status=Status.OK,
        contact=Contact(name=name, title=title, emails=[email]),
    )


JANE = card("a", "Jane Doe", "jane@acme.example")
RAJ = card("b", "Raj Patel", "raj@x.example")
JANE_CEO = card("c", "Jane Doe", "jane@acme.example", title="CEO")
ANA = card("d", "Ana Lima", "ana@y.example")


def ingest(path: Path, *results: CardResult, when: datetime) -> None:
    """What `cardscan ingest` does with a batch, minus the reading."""
    warnings: list[str] = []
    with Book.open(path) as book:
        store = ResultStore.open(book.file, warn=warnings.append)
        assert store is not None
        with store:
            outcomes = [book.add_card(r, scanned_at=when) for r in results]
            record = save_ingest(
                book,
                store,
                started=when,
                photos=len(results),
                new_rows=sum(o.action == "new" for o in outcomes),
                merged=sum(o.action == "merged" for o in outcomes),
            )
    assert record is not None and warnings == []


def undo(path: Path, force: bool = False) -> str:
    warnings: list[str] = []
    report = undo_last_ingest(path, force=force, warn=warnings.append, lock_timeout=0.2)
    assert warnings == []
    return report.message()


def names(path: Path) -> list[str]:
    with Book.open(path, read_only=True) as book:
        return [r["Name"] for r in book.rows()]


@pytest.fixture
def two_ingests(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    """A book made by one ingest, edited by the user, then a second ingest."""
    path = tmp_path / "contacts.xlsx"
    ingest(path, JANE, RAJ, when=datetime(2026, 11, 21, 22, 0))
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0]["AB1"] = "Priority"
    wb.worksheets[0]["AB2"] = "high"
    wb.save(path)
    edited = path.read_bytes()
    ingest(path, JANE_CEO, ANA, when=datetime(2026, 11, 22, 14, 3))
    return path, edited, path.read_bytes()


def test_undo_restores_the_book_from_before_the_ingest(
    two_ingests: tuple[Path, bytes, bytes],
) -> None:
    path, edited, latest = two_ingests
    message = undo(path)
    assert path.read_bytes() == edited  # the user's Priority column included
    first, second = message.splitlines()
    assert first == (
        "Restored contacts.xlsx to its state before the ingest of 2026-11-22 14:03 "
        "(2 card photos): 1 row removed, 1 row changed back."
    )
    assert second.startswith("The undone version is kept as ")
    kept = Path(second.removeprefix("The undone version is kept as ").split(" (copy")[0])
    assert kept.is_absolute() and kept.read_bytes() == latest
    assert kept in backups(path)


def test_second_undo_refuses_to_step_back_over_the_users_edits(
    two_ingests: tuple[Path, bytes, bytes],
) -> None:
    path, edited, _ = two_ingests
    undo(path)
    with pytest.raises(BookError) as err:
        undo(path)
    assert "has changed since the ingest of 2026-11-21 22:00" in err.value.message
    assert err.value.fix and "cardscan undo --force" in err.value.fix
    assert path.read_bytes() == edited
    message = undo(path, force=True)  # the user insists: the book goes, kept as a backup
    assert message.startswith(
        "Removed contacts.xlsx: it did not exist before the ingest of 2026-11-21 22:00 "
        "(2 card photos): 2 rows removed."
    )
    assert "those changes are undone too" in message
    assert not path.exists()
    assert any(b.read_bytes() == edited for b in backups(path))
    with pytest.raises(InputError, match="every recorded ingest has been undone"):
        undo(path)  # nothing to undo: exit 4, as `review` with no batch


def test_undo_steps_back_one_ingest_at_a_time_when_nothing_was_edited(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    ingest(path, JANE, when=datetime(2026, 11, 20, 9, 0))
    one = path.read_bytes()
    ingest(path, RAJ, when=datetime(2026, 11, 21, 9, 0))
    ingest(path, ANA, when=datetime(2026, 11, 22, 9, 0))
    assert names(path) == ["Jane Doe", "Raj Patel", "Ana Lima"]
    assert "ingest of 2026-11-22 09:00" in undo(path)
    assert "ingest of 2026-11-21 09:00" in undo(path)
    assert path.read_bytes() == one
    ingest(path, ANA, when=datetime(2026, 11, 23, 9, 0))  # a new ingest after undos
    assert "ingest of 2026-11-23 09:00" in undo(path)
    assert names(path) == ["Jane Doe"]


def test_book_edited_after_the_ingest_is_not_undone_without_force(
    two_ingests: tuple[Path, bytes, bytes],
) -> None:
    path, edited, _ = two_ingests
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0]["AB3"] = "low"
    wb.save(path)
    typed = path.read_bytes()
    with pytest.raises(BookError, match="has changed since the ingest of 2026-11-22 14:03"):
        undo(path)
    assert path.read_bytes() == typed
    undo(path, force=True)
    assert path.read_bytes() == edited
    assert any(b.read_bytes() == typed for b in backups(path))


def test_undo_respects_the_lock_and_an_open_spreadsheet(
    two_ingests: tuple[Path, bytes, bytes],
) -> None:
    path, _, latest = two_ingests
    lock = BookLock(path.resolve(), 1)
    lock.acquire()
    try:
        with pytest.raises(BookError, match="in use by another cardscan run"):
            undo(path)
    finally:
        lock.release()
    (path.parent / ".~lock.contacts.xlsx#").write_text("someone")
    with pytest.raises(BookError, match="is open in a spreadsheet program"):
        undo(path)
    assert path.read_bytes() == latest


def test_missing_backup_changes_nothing(two_ingests: tuple[Path, bytes, bytes]) -> None:
    path, _, latest = two_ingests
    for old in backups(path):
        old.unlink()
    with pytest.raises(BookError, match="from before the ingest of 2026-11-22 14:03 cannot be"):
        undo(path)
    assert path.read_bytes() == latest


def test_undo_cli_says_what_it_did_and_fails_in_one_line(
    two_ingests: tuple[Path, bytes, bytes],
) -> None:
    path, edited, _ = two_ingests
    done = run_cli("undo", "--book", path.name, cwd=path.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Restored contacts.xlsx to its state before the ingest of")
    assert "kept as .cardscan/backups/contacts." in done.stdout  # relative to the folder
    assert path.read_bytes() == edited
    done = run_cli("undo", cwd=path.parent)  # default book: ./contacts.xlsx
    assert done.returncode == ExitCode.BOOK
    assert done.stderr.startswith("cardscan: error: contacts.xlsx has changed since")
    assert len(done.stderr.strip().splitlines()) == 1


def test_undo_without_any_recorded_ingest(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    with Book.open(path) as book:  # a book written without `ingest` (no journal)
        book.add_card(JANE, scanned_at=datetime(2026, 11, 22))
        book.save()
    done = run_cli("undo", "--book", str(path), cwd=tmp_path)
    assert done.returncode == ExitCode.INPUT  # nothing to undo; the book is fine
    assert done.stderr.strip() == (
        f"cardscan: error: no ingest of {path} is recorded ({store_path(path)} does not "
        "exist): undo knows the ingests recorded in it; earlier versions of the book are in "
        f"{tmp_path / '.cardscan' / 'backups'}: copy one over the book by hand"
    )


def test_backups_undo_needs_are_never_pruned(tmp_path: Path) -> None:
    """Only the other backups are pruned, to the last KEEP_BACKUPS."""
    path = tmp_path / "contacts.xlsx"
    ingest(path, JANE, when=datetime(2026, 11, 20, 9, 0))
    before_second = path.read_bytes()
    ingest(path, RAJ, when=datetime(2026, 11, 21, 9, 0))
    [held] = backups(path)
    for n in range(KEEP_BACKUPS + 3):  # small edits, each saved after a backup
        with Book.open(path) as book:
            book.edit(0, note=f"2026-11-22: note {n}")
            book.save()
    kept = backups(path)
    assert held in kept and len(kept) == KEEP_BACKUPS + 1
    assert held.read_bytes() == before_second
    undo(path, force=True)
    assert path.read_bytes() == before_second


def test_undo_of_the_last_ingest_works_after_many_small_edits(
    samples_book: Path, tmp_path: Path
) -> None:
    """One ingest, then more notes, tags and follow-ups than backups are kept: undo
    --force of the ingest still finds the book it started from."""
    book = str(samples_book)
    workbook = openpyxl.load_workbook(samples_book)
    sheet = workbook.worksheets[0]
    source = [c.value for c in sheet[1]].index("Source photos") + 1
    [row] = [
        r
        for r in range(2, sheet.max_row + 1)
        if "us-classic-wood.jpg" in str(sheet.cell(r, source).value)
    ]
    sheet.delete_rows(row)  # the user deleted the row: its photo goes in again
    workbook.save(samples_book)
    edited = samples_book.read_bytes()
    runner = CliRunner()
    done = runner.invoke(cli, ["ingest", str(SAMPLES / "us-classic-wood.jpg"), "--book", book])
    assert done.exit_code == 0 and "1 new" in done.stdout, done.output  # the stored reading
    edits = [
        *(["note", "priya", f"note {n}"] for n in range(6)),
        *(["tag", "priya", f"tag{n}"] for n in range(4)),
        ["done", "priya", "--on", "2026-11-24"],
        ["done", "priya", "--on", "2026-11-25"],
    ]
    for args in edits:
        done = runner.invoke(cli, [*args, "--book", book])
        assert done.exit_code == 0, done.output
    assert len(edits) > KEEP_BACKUPS
    done = runner.invoke(cli, ["undo", "--book", book])
    assert done.exit_code == ExitCode.BOOK  # the edits would be lost: --force says so
    done = runner.invoke(cli, ["undo", "--force", "--book", book])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("Restored contacts.xlsx to its state before the ingest of")
    assert samples_book.read_bytes() == edited
