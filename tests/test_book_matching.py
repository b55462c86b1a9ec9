"""Which row a card goes to, and what a merge may and may not change, on real books."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import card_result
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from cardscan.book import Action, Book, MergeOutcome
from cardscan.book.matching import SAME_NAME_AT, company_key, name_score, names_agree
from cardscan.model import CardResult, Phone, PhoneKind, Status

SCANNED = datetime(2026, 11, 22, 23, 5)
MET = date(2026, 11, 21)


JANE = {
    "name": "Jane Doe",
    "title": "CTO",
    "company": "Acme Ltd",
    "emails": ["jane@acme.example"],
    "phones": [Phone("+447911123456", PhoneKind.MOBILE, "07911 123456")],
}


def card(card_id: str, **contact: object) -> CardResult:
    return card_result(card_id, JANE, contact, source=f"photos/{card_id}.jpg", region="GB")


def add(
    path: Path, *results: CardResult, met_on: date | None = MET, event: str | None = "Summit"
) -> list[MergeOutcome]:
    with Book.open(path) as book:
        out = [book.add_card(r, event=event, met_on=met_on, scanned_at=SCANNED) for r in results]
        book.save()
    return out


def rows(path: Path) -> list[dict[str, str]]:
    with Book.open(path, read_only=True) as book:
        return book.rows()


def set_cell(path: Path, row: int, column: str, value: object) -> None:
    wb = openpyxl.load_workbook(path, rich_text=True)
    ws = wb.worksheets[0]
    header = {c.value: c.column for c in ws[1]}
    ws.cell(row + 1, header[column]).value = value
    wb.save(path)


# --- matching ------------------------------------------------------------------------


def test_name_thresholds_as_documented() -> None:
    assert SAME_NAME_AT == 90
    assert names_agree("Marcus J. Whitfield", "marcus whitfield")  # middle initial
    assert names_agree("Doe, Jane", "Jane Doe")  # word order
    assert not names_agree("Jane Doe", "John Doe")
    assert name_score("Jane Doe", "") is None
    assert company_key("Fenwick & Hale Associates Ltd.") == company_key(
        "FENWICK AND HALE ASSOCIATES"
    )


def test_same_name_and_company_merges_without_email_or_phone(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a", name="Marcus J. Whitfield", company="Northwind Logistics Inc."))
    (out,) = add(
        path,
        card(
            "b",
            name="Marcus Whitfield",
            company="Northwind Logistics",
            emails=["marcus@home.example"],
            phones=[],
        ),
    )
    assert (out.action, out.row) == (Action.MERGED, 1)
    assert out.why == "same name and same company"
    (row,) = rows(path)
    assert row["Emails"] == "jane@acme.example; marcus@home.example"
    assert row["Name"] == "Marcus J. Whitfield"


def test_same_name_and_email_domain_merges(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a", company=None))
    (out,) = add(path, card("b", company=None, emails=["j.doe@acme.example"], phones=[]))
    assert out.action == Action.MERGED
    assert out.why == "same name and same domain acme.example"


def test_same_name_at_a_free_mail_domain_is_only_flagged(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a", company=None, emails=["jane.doe@gmail.com"], phones=[]))
    (out,) = add(path, card("b", company=None, emails=["janedoe77@gmail.com"], phones=[]))
    assert (out.action, out.row) == (Action.NEW, 2)
    assert out.reasons == [
        "possibly the same person as Jane Doe (row 2): same name, nothing else in common"
    ]


def test_same_name_with_nothing_in_common_is_a_new_row_flagged(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a"))
    moved_on = card(
        "b",
        name="Jane  Doe",
        company="Globex",
        emails=["jane@globex.example"],
        phones=[Phone("+447700900123", PhoneKind.MOBILE)],
    )
    (out,) = add(path, moved_on)
    assert (out.action, out.row) == (Action.NEW, 2)
    reason = "possibly the same person as Jane Doe (row 2): same name, nothing else in common"
    assert out.reasons == [reason]
    first, second = rows(path)
    assert first["Needs review"] == ""
    assert second["Needs review"] == "yes" and second["Review reasons"] == reason
    assert second["Company"] == "Globex"


def test_different_names_at_the_same_company_stay_apart_unflagged(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a"))
    (out,) = add(path, card("b", name="John Doe", emails=["john@acme.example"], phones=[]))
    assert out.action == Action.NEW and out.reasons == []
    assert [r["Needs review"] for r in rows(path)] == ["", ""]


def test_shared_switchboard_merges_only_when_the_names_agree(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    board = [Phone("+442079460958", PhoneKind.WORK)]
    add(path, card("a", emails=["info@acme.example"], phones=board, company=None))
    nameless = card("b", name=None, emails=["info@acme.example"], phones=board, company=None)
    same = card("c", name="JANE DOE", emails=[], phones=board, company=None)
    colleague = card("d", name="Raj Patel", emails=["info@acme.example"], phones=board)
    outs = add(path, nameless, same, colleague)
    assert [o.action for o in outs] == [Action.NEW, Action.MERGED, Action.NEW]
    assert outs[0].reasons == [
        "possibly the same person as Jane Doe (row 2): shares info@acme.example"
    ]
    assert outs[1].why == "same name, shares +442079460958"
    # Clearly not Jane (a colleague, not a maybe); whether the nameless card was Raj's
    # cannot be told, so that is left to a person.
    assert outs[2].reasons == [
        "possibly the same person as (no name) (row 3): shares info@acme.example"
    ]


def test_two_photos_of_a_nameless_shop_card_merge(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    shop = {"name": None, "title": None, "company": "Harrow & Finch", "phones": []}
    outs = add(
        path,
        card("a", emails=["hello@harrowfinch.example"], **shop),
        card("b", emails=["hello@harrowfinch.example"], **shop),
    )
    assert [o.action for o in outs] == [Action.NEW, Action.MERGED]
    assert len(rows(path)) == 1


# --- merge rules -----------------------------------------------------------------------


def test_second_mobile_is_kept_alongside_and_flagged(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a"))
    new_phone = [
        Phone("+447911123456", PhoneKind.MOBILE),
        Phone("+447700900456", PhoneKind.MOBILE, "07700 900456"),
    ]
    (out,) = add(path, card("b", phones=new_phone))
    assert out.reasons == ["new mobile on card b.jpg: +44 7700 900456"]
    (row,) = rows(path)
    assert row["Mobile"] == "+44 7911 123456; +44 7700 900456"
    assert row["Needs review"] == "yes"


def test_new_company_is_flagged_and_noted_but_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a"))
    (out,) = add(path, card("b", company="Globex Corporation"))
    assert out.reasons == ["new company on card b.jpg: Globex Corporation"]
    (row,) = rows(path)
    assert row["Company"] == "Acme Ltd"
    assert row["Notes"] == (
        "2026-11-21, Summit: card b.jpg has a new company: Globex Corporation "
        "(the Company column still says Acme Ltd)"
    )


def test_same_company_written_differently_is_not_a_change(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(
        path,
        card("a", company="Northwind Logistics Ltd"),
        card("b", company="NORTHWIND LOGISTICS LIMITED"),
        card("c", company="mw» Northwind Logistics"),  # a logo read as letters
    )
    (row,) = rows(path)
    assert row["Needs review"] == "" and row["Notes"] == ""


def test_title_that_differs_by_a_character_is_flagged_but_not_noted(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a", title="Director of Operations"))
    (out,) = add(path, card("b", title="Director of 0perations"))
    assert out.reasons == ["new title on card b.jpg: Director of 0perations"]
    assert rows(path)[0]["Notes"] == ""


def test_value_the_user_typed_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a"))
    set_cell(path, 1, "Title", "Chief Technology Officer (since 2025)")
    set_cell(path, 1, "Mobile", "+44 7911 123456 (personal)")
    add(path, card("b", title="CTO", emails=["jane@acme.example"]))
    (row,) = rows(path)
    assert row["Title"] == "Chief Technology Officer (since 2025)"
    assert row["Mobile"] == "+44 7911 123456 (personal)"


def test_notes_keep_line_breaks_and_only_grow(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a"))
    set_cell(path, 1, "Notes", "likes sailing\ncall after 5pm")
    add(path, card("b", title="CEO"))
    add(path, card("c", title="Chair"))
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    notes = next(c for c in ws[2] if ws.cell(1, c.column).value == "Notes")
    assert notes.value == (
        "likes sailing\ncall after 5pm\n"
        "2026-11-21, Summit: card b.jpg has a new title: CEO (the Title column still says CTO)\n"
        "2026-11-21, Summit: card c.jpg has a new title: Chair (the Title column still says CTO)"
    )
    assert notes.alignment.wrap_text


def test_rich_text_notes_keep_their_formatting(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a"))
    bold = TextBlock(InlineFont(b=True), "VIP")
    set_cell(path, 1, "Notes", CellRichText([bold, " - met twice"]))
    add(path, card("b", title="CEO"))
    wb = openpyxl.load_workbook(path, rich_text=True)
    ws = wb.worksheets[0]
    notes = next(c for c in ws[2] if ws.cell(1, c.column).value == "Notes")
    assert isinstance(notes.value, CellRichText)
    assert isinstance(notes.value[0], TextBlock) and notes.value[0].font.b
    assert str(notes.value).startswith("VIP - met twice\n2026-11-21, Summit: card b.jpg has")


def test_a_formula_in_notes_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a"))
    set_cell(path, 1, "Notes", '="call "&A2')
    (out,) = add(path, card("b", title="CEO"))
    assert out.reasons == ["new title on card b.jpg: CEO"]  # still flagged
    ws = openpyxl.load_workbook(path).worksheets[0]
    notes = next(c for c in ws[2] if ws.cell(1, c.column).value == "Notes")
    assert notes.value == '="call "&A2'


def test_csv_notes_are_appended_on_a_new_line(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    add(path, card("a"))
    text = path.read_text(encoding="utf-8-sig")
    header, line = text.splitlines()
    notes_at = header.split(",").index("Notes")
    cells = line.split(",")
    cells[notes_at] = "met at the bar"
    path.write_text(header + "\r\n" + ",".join(cells) + "\r\n", encoding="utf-8-sig")
    add(path, card("b", title="CEO"))
    assert rows(path)[0]["Notes"] == (
        "met at the bar\n"
        "2026-11-21, Summit: card b.jpg has a new title: CEO (the Title column still says CTO)"
    )


def test_meetings_accumulate(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a"), met_on=date(2026, 5, 1), event="Summit")
    add(path, card("b"), met_on=date(2026, 5, 1), event="Summit")  # same evening
    first = rows(path)[0]
    assert (first["Met on"], first["Last met"], first["Times met"]) == (
        "2026-05-01",
        "2026-05-01",
        "1",
    )
    add(path, card("c"), met_on=date(2026, 9, 9), event="Expo")
    add(path, card("d"), met_on=date(2026, 7, 7), event="Summit")  # an older photo, later
    add(path, card("e"), met_on=date(2026, 9, 9), event="Expo")  # a meeting already counted
    (row,) = rows(path)
    assert row["Met on"] == "2026-05-01"  # the first meeting, kept once set
    assert row["Last met"] == "2026-09-09"
    assert row["Times met"] == "3"
    assert row["Event"] == "Summit; Expo"
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = {c.value: c.column for c in ws[1]}
    assert ws.cell(2, header["Times met"]).value == 3  # a number a spreadsheet can sum
    assert isinstance(ws.cell(2, header["Last met"]).value, datetime)


def test_meetings_of_a_row_from_before_the_columns_and_typed_counts(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    add(path, card("a", name="Raj Patel", emails=["raj@x.example"], phones=[]), card("b"))
    set_cell(path, 1, "Times met", None)  # as in a book made before Times met existed
    set_cell(path, 1, "Last met", None)
    set_cell(path, 1, "Event", "Summit; Expo")
    set_cell(path, 2, "Times met", "lots")
    add(
        path,
        card("c", name="Raj Patel", emails=["raj@x.example"], phones=[]),
        card("d"),
        met_on=date(2027, 1, 1),
    )
    raj, jane = rows(path)
    assert (raj["Times met"], raj["Last met"]) == ("3", "2027-01-01")  # two events + this
    assert (jane["Times met"], jane["Last met"]) == ("lots", "2027-01-01")


def test_failed_reading_is_refused_and_review_reading_goes_in(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    with Book.open(path) as book, pytest.raises(ValueError, match="failed"):
        book.add_card(CardResult("x.jpg", "f" * 64, Status.FAILED), scanned_at=SCANNED)


def test_read_only_book_cannot_be_saved_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    with Book.open(path, read_only=True) as book:
        assert book.add_card(card("a"), scanned_at=SCANNED).action == Action.NEW
        with pytest.raises(ValueError, match="read-only"):
            book.save()
    assert list(tmp_path.iterdir()) == []
