"""The one table of contact fields (cardscan.fields), walked through every output.

Each test builds a contact with a value in every field of the table and checks that
the value reaches the place under test. A place that keeps its own list of fields and
forgets one (a new field added to the table only) fails here.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import vobject

from cardscan import fields
from cardscan.backs import merge_back
from cardscan.bench import ALL_FIELDS, OPTIONAL_FIELDS, Truth, score
from cardscan.book import COLUMNS, Book
from cardscan.book import columns as col
from cardscan.book.merge import contact_cells, merge_row, new_row
from cardscan.cli.rescan import _print_table
from cardscan.export import export_book
from cardscan.export.google import _contact as google_contact
from cardscan.export.json import to_json as export_json
from cardscan.export.outlook import outlook_cells
from cardscan.export.vcard import to_vcard
from cardscan.fields import Shape
from cardscan.model import FIELDS, CardResult, Contact, Phone, PhoneKind, Status
from cardscan.state.corrections import EDITABLE, FIELD_OF, MULTI, corrected_contact, reading_cells
from cardscan.state.readings import result_from_json
from tests.conftest import CONTACT_KEYS

KINDS = {"mobile": 1, "work": 2, "fax": 3, "other": 4}


def _value(f: fields.Field, variant: str = "") -> Any:
    """A plausible value of the field; `variant` makes a different one."""
    if f.shape is Shape.PHONES:
        numbers = {k: f"+1415555{'02' if variant else '01'}0{n}" for k, n in KINDS.items()}
        return [Phone(numbers[kind], PhoneKind(kind), numbers[kind]) for kind in f.kinds]
    if f.shape is Shape.LIST:
        return {
            "emails": [f"jane{variant}@northwind.example"],
            "websites": [f"www.northwind{variant}.example"],
        }[f.name]
    if f.shape is Shape.SOCIAL:
        return {"linkedin": f"linkedin.com/in/jane{variant}"}
    if f.name == "address":
        return f"7 {variant} Avenue, Shelbyville" if variant else "1 Harbour Street, Springfield"
    return f"{f.name.capitalize()} {variant or 'one'}"


def full_contact(variant: str = "") -> Contact:
    contact = Contact()
    for f in fields.FIELDS:
        setattr(contact, f.name, _value(f, variant))
    contact.name = f"Jane {variant or 'Doe'}"
    contact.given_name, contact.family_name = "Jane", variant or "Doe"
    return contact


def result(contact: Contact, source: str = "a.jpg") -> CardResult:
    return CardResult(source, source * 4, Status.OK, contact=contact)


def test_the_table_is_consistent() -> None:
    names = [f.name for f in fields.FIELDS]
    assert len(set(names)) == len(names)
    assert len(set(fields.CONTACT_COLUMNS)) == len(fields.CONTACT_COLUMNS)
    attributes = {a.name for a in dataclasses.fields(Contact)}
    assert attributes == set(fields.JSON_KEYS)
    for f in fields.FIELDS:
        assert f.columns
        assert (f.shape is Shape.PHONES) == bool(f.kinds)
        assert (f.shape is Shape.NAME) == bool(f.parts)
        assert {PhoneKind(k) for k in f.kinds} <= set(PhoneKind)
    assert set(fields.with_shape(Shape.PHONES)[0].kinds) == {str(k) for k in PhoneKind}
    assert set(FIELDS) == set(fields.CALIBRATED) <= set(fields.NAMES)
    assert "department" in fields.NAMES and "department" not in FIELDS


def test_json_round_trip_and_the_contract_keys() -> None:
    contact = full_contact()
    data = contact.to_json()
    assert list(data) == list(fields.JSON_KEYS)
    assert set(data) == CONTACT_KEYS
    assert all(data[k] for k in data)
    assert Contact.from_json(json.loads(json.dumps(data))) == contact
    card = result(contact)
    assert result_from_json(json.loads(json.dumps(card.to_json()))).contact == contact
    # A reading kept before a field existed reads back with the field empty.
    old = {k: v for k, v in data.items() if k != "department"}
    assert Contact.from_json(old).department is None


def test_book_columns_hold_every_field() -> None:
    assert COLUMNS[: len(fields.CONTACT_COLUMNS)] == fields.CONTACT_COLUMNS
    assert col.CONTACT_COLUMNS == fields.CONTACT_COLUMNS
    assert COLUMNS.index(col.DEPARTMENT) == COLUMNS.index(col.COMPANY) + 1
    cells = contact_cells(result(full_contact()))
    assert set(cells) == set(fields.CONTACT_COLUMNS)
    assert all(cells.values()), [c for c, v in cells.items() if not v]
    assert cells[col.DEPARTMENT] == "Department one"


def test_merge_fills_an_empty_row_and_flags_or_notes_a_different_value() -> None:
    stamp: dict[str, Any] = {"event": None, "met_on": None, "scanned_at": datetime(2026, 1, 2)}
    first = new_row(result(full_contact()), **stamp).changes
    row = {k: str(v) for k, v in first.items()}
    update = merge_row(row, result(full_contact("two"), "b.jpg"), **stamp)
    for f in fields.on_change(fields.OnChange.FLAG, fields.OnChange.NOTE):
        assert f.columns[0] not in update.changes  # never overwritten
        assert any(r.startswith(f"new {f.shown} on card b.jpg") for r in update.reasons), f.name
        noted = any(f"has a new {f.shown}:" in n for n in update.notes)
        assert noted == (f.on_change is fields.OnChange.NOTE), f.name
    for f in fields.on_change(fields.OnChange.GROW):
        # the new value added; a new handle on a network the row has is a reason
        added = any(c in update.changes for c in f.columns)
        assert added or any("jane" + "two" in r for r in update.reasons), f.name
    empty = merge_row({}, result(full_contact()), **stamp).changes
    assert all(empty.get(c) for c in fields.CONTACT_COLUMNS if c in fields.FIELD_OF_COLUMN)


def test_corrections_cover_every_correctable_column() -> None:
    correctable = [c for f in fields.FIELDS if f.correctable for c in f.columns]
    assert list(EDITABLE) == correctable
    assert {FIELD_OF[c] for c in EDITABLE} == {f.name for f in fields.FIELDS if f.correctable}
    assert set(MULTI) == {c for f in fields.FIELDS if f.multi for c in f.columns}
    reading = full_contact().to_json()
    cells = reading_cells(result(full_contact()).to_json())
    assert set(cells) == set(EDITABLE) and all(cells.values())
    for column in EDITABLE:
        f = fields.FIELD_OF_COLUMN[column]
        value = {
            Shape.PHONES: "+1 415 555 0199",
            Shape.LIST: "new@northwind.example" if f.name == "emails" else "new.example",
            Shape.SOCIAL: "twitter: jane_new",
        }.get(f.shape, "Corrected")
        fixed = corrected_contact(reading, {column: value}, "US")
        changed = [k for k in fixed if fixed[k] != reading[k]]
        assert changed and all(k in (f.name, *f.parts) for k in changed), column


def test_a_back_fills_every_field_the_front_lacks() -> None:
    front = result(Contact(name="Jane Doe", given_name="Jane", family_name="Doe"))
    back = result(full_contact("back"), "a-back.jpg")
    whole = merge_back(front, back).contact
    for f in fields.FIELDS:
        if f.name != "name":
            assert getattr(whole, f.name) == _value(f, "back"), f.name
    # A different one-value field on the back goes to Card notes when it says so.
    front = result(full_contact())
    notes = merge_back(front, back).card_notes
    for f in fields.FIELDS:
        if f.back_to_notes:
            assert _value(f, "back") in notes, f.name


def test_rescan_table_has_a_row_per_field(capsys: pytest.CaptureFixture[str]) -> None:
    _print_table(result(full_contact()))
    lines = capsys.readouterr().out.splitlines()
    shown = {line.split("\t")[0]: line.split("\t")[1] for line in lines[1:]}
    for f in fields.FIELDS:
        assert shown.get(f.name), f.name
    assert shown["department"] == "Department one"


def _book_row(tmp_path: Path) -> dict[str, str]:
    stamp: dict[str, Any] = {"event": None, "met_on": None, "scanned_at": datetime(2026, 1, 2)}
    changes = new_row(result(full_contact()), **stamp).changes
    return {k: str(v) if v is not None else "" for k, v in changes.items()}


def test_each_exporter_writes_every_field(tmp_path: Path) -> None:
    row = _book_row(tmp_path)
    data = export_json(row)
    for key in fields.JSON_KEYS:
        assert data[key], key
    assert data["department"] == "Department one"

    card = to_vcard(row)
    assert card.org.value == ["Company one", "Department one"]
    assert "ORG:Company one;Department one" in card.serialize()
    for f in fields.FIELDS:
        if f.vcard and f.vcard != "N":
            assert f.vcard.lower() in card.contents, f.name

    google = google_contact(row)
    outlook = outlook_cells(row)
    for f in fields.with_shape(Shape.TEXT):
        if f.google:
            assert google.fields[f.google] == row[f.columns[0]], f.name
        if f.outlook:
            assert outlook[f.outlook] == row[f.columns[0]], f.name
    assert google.fields["Organization Department"] == "Department one"
    assert outlook["Department"] == "Department one"


def test_the_book_and_csv_and_xlsx_exports_have_every_column(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    with Book.open(path) as book:
        book.add_card(result(full_contact()), scanned_at=datetime(2026, 1, 2))
        book.save()
    with Book.open(path, read_only=True) as book:
        assert book.rows()[0]["Department"] == "Department one"
        out, xlsx = tmp_path / "out.csv", tmp_path / "out.xlsx"
        export_book(book, out, "csv")
        export_book(book, xlsx, "xlsx")
    header, first = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[:2]
    assert header[: len(fields.CONTACT_COLUMNS)] == list(fields.CONTACT_COLUMNS)
    assert first[header.index("Department")] == "Department one"
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert headers[: len(fields.CONTACT_COLUMNS)] == list(fields.CONTACT_COLUMNS)


def test_bench_scores_department_only_where_the_truth_has_it(tmp_path: Path) -> None:
    assert "department" in OPTIONAL_FIELDS and "department" not in ALL_FIELDS
    contact = Contact(name="Jane Doe", company="Acme Corp", department="Sales Department")
    read = result(contact)
    truth = {"name": "Jane Doe", "company": "Acme Corp"}
    old = score([(Truth(tmp_path / "a.jpg", truth), read)]).to_json(peak_mb=1)
    assert "department" not in old["exact_match"] and "department" not in old["invented"]
    assert old["all_fields_right"] == 1.0
    wrong = score([(Truth(tmp_path / "a.jpg", {**truth, "department": "R&D"}), read)])
    figures = wrong.to_json(peak_mb=1)
    assert figures["exact_match"]["department"] == 0.0 and figures["all_fields_right"] == 0.0
    right = score([(Truth(tmp_path / "a.jpg", {**truth, "department": "Sales Department"}), read)])
    assert right.to_json(peak_mb=1)["exact_match"]["department"] == 1.0


def test_vcard_qr_fills_company_and_department() -> None:
    from cardscan.model import Extraction
    from cardscan.qr import apply_qr

    extraction = Extraction(Contact())
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nORG:Acme Corp;Radiology\r\nEND:VCARD"
    assert apply_qr(extraction, text, "US") == ["company", "department", "name"]
    assert extraction.contact.company == "Acme Corp"
    assert extraction.contact.department == "Radiology"
    assert vobject.readOne(text).org.value == ["Acme Corp", "Radiology"]


def test_a_book_from_before_department_gets_the_column_at_its_right(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    old_columns = [c for c in COLUMNS if c != col.DEPARTMENT]
    path.write_text(",".join(old_columns) + "\nAda Byron,,,CTO,Acme Corp\n", encoding="utf-8")
    with Book.open(path) as book:
        book.add_card(result(full_contact()), scanned_at=datetime(2026, 1, 2))
        book.save()
    header, ada, jane = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert header == [*old_columns, col.DEPARTMENT]  # appended, nothing moved
    assert ada[:5] == ["Ada Byron", "", "", "CTO", "Acme Corp"] and ada[-1] == ""
    assert jane[-1] == "Department one" and jane[header.index(col.COMPANY)] == "Company one"


def test_find_searches_the_department_column() -> None:
    from cardscan.book.search import column_named, search

    rows = [
        {col.NAME: "Ada Byron", col.DEPARTMENT: "Department of Radiology"},
        {col.NAME: "Jane Doe", col.DEPARTMENT: "Sales & Marketing", col.NOTES: "radiology"},
    ]
    only = column_named(COLUMNS, "department")
    assert only == col.DEPARTMENT
    assert [hit.index for hit in search(rows, "radiology", field=only)] == [0]
