"""The book is never damaged: corrupt files, locks, backups, atomic saves; a book the
user made read-only is refused; owner, group and mode survive a save."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLES

from cardscan.book import Action, Book
from cardscan.book.safety import atomic_write, refuse_if_read_only
from cardscan.cli.main import cli
from cardscan.errors import BookError, ExitCode, InputError
from cardscan.model import CardResult, Contact, Status
from cardscan.state.backups import backup, backups

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
    with pytest.raises(InputError, match="does not exist"):  # a slip in --book: exit 4
        Book.open(tmp_path / "nope" / "contacts.xlsx")


def test_unchanged_book_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    make_book(path, card("a"))
    mtime = path.stat().st_mtime_ns
    make_book(path, card("a"))
    assert path.stat().st_mtime_ns == mtime
    assert backups(path) == []


# --- read-only books, owners and modes (through the real CLI) -------------------------

ROOT_ONLY = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="only root can give files to another user",
)
PHOTO = SAMPLES / "us-classic-wood.jpg"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def corrections_file(folder: Path) -> Path:
    """A valid corrections file, with no card: applying it only needs the book."""
    path = folder / "contacts.corrections-x.json"
    path.write_text(json.dumps({"format": "cardscan-corrections", "version": 1, "cards": []}))
    return path


def snapshot(folder: Path) -> dict[str, tuple[int, int, int, int, int]]:
    """Every file and folder below `folder`: mode, owner, group, size, mtime."""
    out = {}
    for path in [folder, *folder.rglob("*")]:
        st = path.lstat()
        out[str(path.relative_to(folder))] = (
            st.st_mode,
            st.st_uid,
            st.st_gid,
            st.st_size if path.is_file() else 0,
            st.st_mtime_ns if path.is_file() else 0,
        )
    return out


def refuse_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any photo read from here on fails the test: refusals come before any work."""

    def read(*args: object, **kwargs: object) -> None:
        raise AssertionError("a photo was read")

    for target in (
        "cardscan.ingest_plan.read_bytes",
        "cardscan.reading.run_batch",  # ingest, rescan and bench
    ):
        monkeypatch.setattr(target, read)


def test_a_read_only_book_is_refused_by_every_command_that_writes_it(
    samples_book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chmod a-w is the user's wish that the book not change: honoured even as root
    (whom the permissions would let write), before any photo is read."""
    folder = samples_book.parent
    fix = corrections_file(folder)
    os.chmod(samples_book, 0o444)
    before = snapshot(folder)
    refuse_reading(monkeypatch)
    book = str(samples_book)
    writers = {
        "ingest": [str(PHOTO)],
        "note": ["priya", "met", "her", "again"],
        "tag": ["priya", "vip"],
        "done": ["priya"],
        "undo": ["--force"],
        "rescan": [str(PHOTO)],
        "apply": [str(fix)],
    }
    for command, args in writers.items():
        done = invoke(command, *args, "--book", book)
        assert done.exit_code == ExitCode.BOOK, (command, done.output)
        assert done.stderr == (
            f"cardscan: error: the book {book} is read-only (its permissions, -r--r--r--, do "
            f"not let even its owner write it): make it writable with `chmod u+w {book}`, or "
            "choose another book with --book; nothing was changed\n"
        ), command
        assert done.stdout == "", command
    assert snapshot(folder) == before  # nothing written, not even a lock or a backup
    monkeypatch.undo()
    # Reading it is fine: --dry-run, find, followups, export.
    dry = invoke("ingest", str(PHOTO), "--dry-run", "--book", book)
    assert dry.exit_code == 0, dry.output
    assert "1 already in the book" in dry.stdout
    assert invoke("find", "priya", "--book", book).exit_code == 0
    assert invoke("followups", "--all", "--book", book).exit_code == 0
    out = folder.parent / "out.vcf"
    assert invoke("export", "--book", book, "--to", str(out)).exit_code == 0
    assert snapshot(folder) == before


def test_a_book_in_a_read_only_folder_is_refused_before_any_work(
    samples_book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each save writes a temporary file beside the book: a folder the user made
    read-only (even to root) is refused with the reason, the book left as it was."""
    folder = samples_book.parent
    refuse_reading(monkeypatch)
    os.chmod(folder, 0o555)
    try:
        before = snapshot(folder)
        for command, args in (("note", ["priya", "hi"]), ("ingest", [str(PHOTO)])):
            done = invoke(command, *args, "--book", str(samples_book))
            assert done.exit_code == ExitCode.BOOK, done.output
            assert done.stderr.startswith(
                f"cardscan: error: cannot write in the folder {folder} of the book "
                f"{samples_book} (its permissions, dr-xr-xr-x, do not let even its owner "
                "write it; each save writes a temporary file there"
            )
            assert done.stderr.endswith(
                f"make the folder writable with `chmod u+w {folder}`, or choose a book in "
                "another folder with --book; nothing was changed\n"
            )
        assert snapshot(folder) == before
    finally:
        os.chmod(folder, 0o755)


def _drop_row(book: Path, photo: str) -> bytes:
    """Delete by hand the row that came from `photo`; returns the book as left."""
    workbook = openpyxl.load_workbook(book)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("Source photos") + 1
    [row] = [r for r in range(2, sheet.max_row + 1) if photo in str(sheet.cell(r, column).value)]
    sheet.delete_rows(row)
    workbook.save(book)
    return book.read_bytes()


@ROOT_ONLY
def test_owner_group_and_mode_survive_an_ingest_and_a_note(samples_book: Path) -> None:
    """As root on someone else's private book (600, 1234:1234): every save keeps the
    owner, group and mode, and nothing cardscan keeps about it is readable by more."""
    folder = samples_book.parent
    _drop_row(samples_book, PHOTO.name)  # so that ingesting it again adds the row back
    os.chmod(samples_book, 0o600)
    os.chown(samples_book, 1234, 1234)

    def owner_and_mode(path: Path) -> tuple[int, int, int]:
        st = path.stat()
        return st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)

    # From the stored reading (the samples ingest read it): not read again.
    done = invoke("ingest", str(PHOTO), "--book", str(samples_book))
    assert done.exit_code == 0, done.output
    assert "1 new" in done.stdout
    assert owner_and_mode(samples_book) == (1234, 1234, 0o600)
    done = invoke("note", "priya", "two kids", "--book", str(samples_book))
    assert done.exit_code == 0, done.output
    assert owner_and_mode(samples_book) == (1234, 1234, 0o600)

    # The page shows the book's contacts: the book's owner and no wider mode.
    assert owner_and_mode(folder / "contacts.review.html") == (1234, 1234, 0o600)
    # .cardscan/ was made 755 by the samples ingest; a private book narrows it to 700.
    assert stat.S_IMODE((folder / ".cardscan").stat().st_mode) == 0o700
    kept = backups(samples_book)
    assert len(kept) == 2  # one per save
    assert {stat.S_IMODE(p.stat().st_mode) for p in kept} == {0o600}


def _as_user(uid: int, groups: list[int], action: Callable[[], object]) -> str:
    """Run `action` in a forked child as `uid` (primary group groups[0]); what it
    returned or raised, as text."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            os.setgroups(groups)
            os.setgid(groups[0])
            os.setuid(uid)
            out = repr(action())
        except BaseException as exc:
            out = f"{type(exc).__name__}: {exc}"
        os.write(write_end, out.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        text = pipe.read().decode()
    os.waitpid(pid, 0)
    return text


@ROOT_ONLY
def test_a_user_keeps_the_group_of_a_shared_book_and_never_widens_a_private_one() -> None:
    """Not root: the owner becomes whoever saves, the group is kept when they are in it;
    when they are not, the group's access is dropped rather than given to theirs. A
    book they may not write (os.access) is refused with the reason."""
    folder = Path(tempfile.mkdtemp())  # not under pytest's root-only folder
    try:
        os.chown(folder, 1234, 1234)
        os.chmod(folder, 0o755)
        books = {"shared": (1235, 0o660), "foreign": (1236, 0o640), "theirs": (0, 0o644)}
        for name, (group, mode) in books.items():
            path = folder / f"{name}.csv"
            path.write_text("Name\nJane Doe\n")
            os.chown(path, 0 if name == "theirs" else 1234, group)
            os.chmod(path, mode)

        def rewrite(name: str) -> Callable[[], object]:
            return lambda: atomic_write(folder / f"{name}.csv", lambda t: t.write_text("x\n"))

        assert _as_user(1234, [1234, 1235], rewrite("shared")) == "None"
        assert _as_user(1234, [1234, 1235], rewrite("foreign")) == "None"
        shared, foreign = (folder / "shared.csv").stat(), (folder / "foreign.csv").stat()
        assert (shared.st_uid, shared.st_gid, stat.S_IMODE(shared.st_mode)) == (1234, 1235, 0o660)
        assert (foreign.st_uid, foreign.st_gid, stat.S_IMODE(foreign.st_mode)) == (
            1234,
            1234,
            0o600,
        )
        theirs = folder / "theirs.csv"
        said = _as_user(1234, [1234], lambda: refuse_if_read_only(theirs))
        assert said == (
            f"BookError: the book {theirs} is read-only (you may not write it: it belongs "
            f"to uid 0, -rw-r--r--): make it writable with `chmod u+w {theirs}`, or choose "
            "another book with --book; nothing was changed"
        )
    finally:
        shutil.rmtree(folder)
