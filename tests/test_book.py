"""Book merging into real .xlsx files on disk."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from cardscan.book import COLUMNS, Action, Book
from cardscan.errors import BookError
from cardscan.model import CardResult, Contact, Issue, Phone, PhoneKind, Status

SCANNED = datetime(2024, 5, 1, 22, 15)
MET = date(2024, 5, 1)


def card(
    card_id: str,
    *,
    source: str | None = None,
    status: Status = Status.OK,
    issues: list[Issue] | None = None,
    **contact: object,
) -> CardResult:
    fields: dict[str, object] = {
        "name": "Jane Doe",
        "given_name": "Jane",
        "family_name": "Doe",
        "title": "CTO",
        "company": "Acme Ltd",
        "emails": ["jane@acme.example"],
        "phones": [Phone("+447911123456", PhoneKind.MOBILE, "07911 123456")],
    }
    fields.update(contact)
    return CardResult(
        source=source or f"photos/{card_id}.jpg",
        card_id=card_id * 64 if len(card_id) == 1 else card_id,
        status=status,
        contact=Contact(**fields),  # type: ignore[arg-type]
        issues=issues or [],
        region="GB",
    )


def add_and_save(path: Path, *results: CardResult, event: str | None = "Summit") -> list[Action]:
    with Book.open(path) as book:
        actions = [
            book.add_card(r, event=event, met_on=MET, scanned_at=SCANNED).action for r in results
        ]
        book.save()
    return actions


def rows(path: Path) -> list[dict[str, str]]:
    with Book.open(path) as book:
        return book.rows()


def test_new_book_has_headers_frozen_filter_and_real_dates(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    assert add_and_save(path, card("a")) == [Action.NEW]

    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.title == "Contacts"
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(COLUMNS))}2"
    assert ws.column_dimensions["A"].width == 24
    header = {c.value: c.column for c in ws[1]}
    met = ws.cell(2, header["Met on"])
    assert isinstance(met.value, datetime) and met.value.date() == MET
    assert met.number_format == "yyyy-mm-dd"
    follow = ws.cell(2, header["Follow up by"]).value
    assert follow.date() == date(2024, 5, 2)
    scanned = ws.cell(2, header["Scanned at"])
    assert scanned.value == SCANNED and scanned.number_format == "yyyy-mm-dd hh:mm"
    row = rows(path)[0]
    assert row["Mobile"] == "+44 7911 123456"
    assert row["Notes"] == row["Tags"] == row["Followed up on"] == ""
    assert row["Needs review"] == ""


def test_phone_written_international_with_extension_and_invalid_as_printed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.xlsx"
    phones = [
        Phone("+442079460958", PhoneKind.WORK, "020 7946 0958 x240", extension="240"),
        Phone("12345", PhoneKind.FAX, "Fax 123-45", valid=False),
    ]
    add_and_save(path, card("a", phones=phones))
    row = rows(path)[0]
    assert row["Work phone"] == "+44 20 7946 0958 ext. 240"
    assert row["Fax"] == "Fax 123-45"


def test_same_email_merges_into_one_row(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add_and_save(path, card("a", websites=["acme.example"]))
    second = card(
        "b",
        emails=["JANE@acme.example", "jd@home.example"],
        phones=[Phone("+442079460958", PhoneKind.WORK)],
        websites=["https://www.acme.example/"],
        social={"twitter": "@jane"},
    )
    assert add_and_save(path, second) == [Action.MERGED]

    (row,) = rows(path)
    assert row["Emails"] == "jane@acme.example; jd@home.example"
    assert row["Work phone"] == "+44 20 7946 0958"
    assert row["Mobile"] == "+44 7911 123456"
    assert row["Website"] == "acme.example"
    assert row["Social"] == "twitter: @jane"
    assert row["Source photos"] == "photos/a.jpg; photos/b.jpg"
    assert row["Card IDs"] == f"{'a' * 64}; {'b' * 64}"
    # A second email is kept and flagged (is it a new address or an old one?); a work
    # phone where the row had none just fills the empty cell.
    assert row["Needs review"] == "yes"
    assert row["Review reasons"] == "new email on card b.jpg: jd@home.example"


def test_same_mobile_in_another_format_merges(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add_and_save(path, card("a"))
    other = card(
        "b", emails=[], phones=[Phone("+447911123456", PhoneKind.MOBILE, "+44 7911-123-456")]
    )
    assert add_and_save(path, other) == [Action.MERGED]
    assert len(rows(path)) == 1


def test_colleagues_sharing_switchboard_and_info_address_stay_apart(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    emails = ["info@acme.example"]
    phones = [Phone("+442079460958", PhoneKind.WORK)]
    add_and_save(path, card("a", emails=emails, phones=phones))
    other = card(
        "b", name="Raj Patel", given_name="Raj", family_name="Patel", emails=emails, phones=phones
    )
    assert add_and_save(path, other) == [Action.NEW]
    assert [r["Name"] for r in rows(path)] == ["Jane Doe", "Raj Patel"]


def test_same_card_id_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add_and_save(path, card("a"))
    before = path.read_bytes()
    with Book.open(path) as book:
        out = book.add_card(
            card("a", title="CEO"),
            event="Other",
            met_on=date(2025, 1, 1),
            scanned_at=datetime.now(),
        )
        book.save()
    assert (out.action, out.row, out.name, out.reasons) == (Action.UNCHANGED, 1, "Jane Doe", [])
    assert path.read_bytes() == before


def test_new_title_is_flagged_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add_and_save(path, card("a"))
    with Book.open(path) as book:
        out = book.add_card(card("b", title="Chief Executive"), scanned_at=SCANNED)
        book.save()
    assert out.action == Action.MERGED
    assert out.reasons == ["new title on card b.jpg: Chief Executive"]
    (row,) = rows(path)
    assert row["Title"] == "CTO"
    assert row["Needs review"] == "yes"
    assert row["Review reasons"] == "new title on card b.jpg: Chief Executive"


def test_same_title_in_other_case_is_not_a_conflict(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add_and_save(path, card("a"), card("b", title="cto ", company="ACME  Ltd"))
    assert rows(path)[0]["Needs review"] == ""


def test_events_accumulate_and_first_meeting_date_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add_and_save(path, card("a"), event="Summit")
    with Book.open(path) as book:
        book.add_card(card("b"), event="Expo", met_on=date(2024, 9, 9), scanned_at=SCANNED)
        book.add_card(card("c"), event="summit", met_on=date(2024, 10, 1), scanned_at=SCANNED)
        book.save()
    (row,) = rows(path)
    assert row["Event"] == "Summit; Expo"
    assert row["Met on"] == "2024-05-01"
    assert row["Follow up by"] == "2024-05-02"


def test_needs_review_card_sets_flag_and_reasons(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    issues = [Issue("phone_invalid", "phone number has too few digits", "phones")]
    with Book.open(path) as book:
        out = book.add_card(
            card("a", status=Status.NEEDS_REVIEW, issues=issues), scanned_at=SCANNED
        )
        book.save()
    assert out.reasons == []  # the caller has the issues already
    row = rows(path)[0]
    assert row["Needs review"] == "yes"
    assert row["Review reasons"] == "phone number has too few digits (card a.jpg)"


def test_failed_card_is_refused(tmp_path: Path) -> None:
    with Book.open(tmp_path / "c.xlsx") as book, pytest.raises(ValueError, match="failed"):
        book.add_card(card("a", status=Status.FAILED), scanned_at=SCANNED)


def test_card_text_is_never_written_as_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    add_and_save(path, card("a", company='=HYPERLINK("http://x")'))
    ws = openpyxl.load_workbook(path).worksheets[0]
    cell = ws.cell(2, list(COLUMNS).index("Company") + 1)
    assert cell.data_type == "s"
    assert rows(path)[0]["Company"] == '=HYPERLINK("http://x")'


def test_user_edits_survive_add_and_save(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add_and_save(path, card("a"))

    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = {c.value: c.column for c in ws[1]}
    ws.cell(1, 30, "Priority")
    ws.cell(2, 30, "high")
    ws.cell(2, header["Notes"], "met at the bar, likes sailing")
    ws.cell(2, header["Tags"], "investor")
    ws.cell(2, 31, "=LEN(A2)")
    ws.cell(1, 31, "Name length")
    red = PatternFill("solid", start_color="FFFF0000", end_color="FFFF0000")
    for c in range(1, 25):
        ws.cell(2, c).fill = red
    ws.column_dimensions["L"].width = 55
    ws.freeze_panes = "C2"
    other = wb.create_sheet("Budget")
    other["A1"] = "Stand"
    other["B1"] = 1200
    wb.save(path)

    more = card("b", title="CEO", emails=["jane@acme.example", "jane@new.example"])
    new = card("c", name="Raj Patel", emails=["raj@other.example"], phones=[])
    assert add_and_save(path, more, new) == [Action.MERGED, Action.NEW]

    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.cell(1, 30).value == "Priority" and ws.cell(2, 30).value == "high"
    assert ws.cell(2, 31).value == "=LEN(A2)" and ws.cell(1, 31).value == "Name length"
    assert ws.cell(2, header["Notes"]).value == (
        "met at the bar, likes sailing\n"
        "2024-05-01, Summit: card b.jpg has a new title: CEO (the Title column still says CTO)"
    )
    assert ws.cell(2, header["Tags"]).value == "investor"
    assert ws.cell(2, header["Title"]).value == "CTO"
    assert ws.cell(2, header["Emails"]).value == "jane@acme.example; jane@new.example"
    assert ws.cell(2, 1).fill.start_color.rgb == "FFFF0000"
    assert ws.cell(3, 1).value == "Raj Patel"
    assert ws.cell(3, 1).fill.fill_type is None  # a colour marks a row, it is not copied
    assert ws.column_dimensions["L"].width == 55
    assert ws.freeze_panes == "C2"
    assert wb.sheetnames == ["Contacts", "Budget"]
    assert wb["Budget"]["B1"].value == 1200
    assert ws.auto_filter.ref == "A1:AE3"  # grown over the new row and user columns

    book_rows = rows(path)
    assert book_rows[0]["Priority"] == "high"
    assert book_rows[0]["Name length"] == "=LEN(A2)"
    assert book_rows[1]["Priority"] == ""


def test_moved_renamed_case_and_missing_columns(tmp_path: Path) -> None:
    """Our columns are found by header text wherever the user put them."""
    path = tmp_path / "contacts.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["My ref", "  EMAILS ", "notes", "name", "Card IDs", "mobile"])
    ws.append(["R-1", "jane@acme.example", "keep me", "Jane D.", "", ""])
    wb.save(path)

    with Book.open(path) as book:
        out = book.add_card(card("a"), event="Summit", met_on=MET, scanned_at=SCANNED)
        book.save()
    assert (out.action, out.row) == (Action.MERGED, 1)

    ws = openpyxl.load_workbook(path).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["My ref", "  EMAILS ", "notes", "name", "Card IDs", "mobile"]
    missing = [
        c for c in COLUMNS if c.lower() not in {"emails", "notes", "name", "card ids", "mobile"}
    ]
    assert headers[6:] == missing  # appended at the right, in our order
    assert ws["A2"].value == "R-1" and ws["C2"].value == "keep me"
    assert ws["D2"].value == "Jane D."  # a different name is flagged, not overwritten
    assert ws["E2"].value == "a" * 64
    assert ws["F2"].value == "+44 7911 123456"
    row = rows(path)[0]
    assert row["Event"] == "Summit" and row["My ref"] == "R-1" and row["Notes"] == "keep me"


def test_first_sheet_without_our_headers_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Item", "Cost"])
    ws.append(["Stand", 1200])
    wb.save(path)
    before = path.read_bytes()
    with pytest.raises(BookError, match="none of cardscan's column headers"):
        Book.open(path)
    assert path.read_bytes() == before


def test_update_card_replaces_machine_fields_and_keeps_the_users(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add_and_save(path, card("a", title="CT0", emails=["jane@acme.exarnple"]))
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = {c.value: c.column for c in ws[1]}
    ws.cell(2, header["Notes"], "call in June")
    ws.cell(2, header["Follow up by"], date(2024, 6, 1))
    wb.save(path)

    reread = card("a", source="photos/again/a.jpg", title="CTO", emails=["jane@acme.example"])
    with Book.open(path) as book:
        out = book.update_card(reread, scanned_at=datetime(2024, 5, 3, 9, 30))
        book.save()
    assert (out.action, out.row) == (Action.UPDATED, 1)
    (row,) = rows(path)
    assert row["Title"] == "CTO"
    assert row["Emails"] == "jane@acme.example"
    assert row["Notes"] == "call in June"
    assert row["Event"] == "Summit" and row["Met on"] == "2024-05-01"
    assert row["Follow up by"] == "2024-06-01"
    assert row["Scanned at"] == "2024-05-03 09:30"
    assert row["Source photos"] == "photos/again/a.jpg"


def test_update_card_of_a_merged_row_keeps_the_other_cards_details(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add_and_save(path, card("a"), card("b", emails=["jane@acme.example", "jd@home.example"]))
    with Book.open(path) as book:
        out = book.update_card(card("a", emails=["jane@acme.example"]), scanned_at=SCANNED)
        book.save()
    assert out.action == Action.UPDATED
    assert rows(path)[0]["Emails"] == "jane@acme.example; jd@home.example"


def test_update_card_without_a_row_adds_one(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    with Book.open(path) as book:
        out = book.update_card(card("a"), scanned_at=SCANNED)
        assert (out.action, out.row, out.name) == (Action.NEW, 1, "Jane Doe")
        assert len(book) == 1
