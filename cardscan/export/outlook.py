"""Outlook CSV: the column names Outlook's "Import from another program or file" maps.

Outlook matches columns by their English header text (the names of its own CSV
export), so only the columns cardscan can fill are written, with Outlook's spelling
and in the order of its export:

    Title, First Name, Middle Name, Last Name, Suffix, E-mail Address,
    E-mail 2 Address, E-mail 3 Address, Business Phone, Business Phone 2,
    Mobile Phone, Other Phone, Business Fax, Other Fax, Job Title, Company,
    Department, Business Street, Business City, Business State, Business Postal Code,
    Business Country/Region, Web Page, Notes, Categories

(Outlook's "Title" is the courtesy title, Mr./Dr., and "Suffix" Jr./PhD, as in
Microsoft's "Create or edit .csv files to import into Outlook" sample, whose header
starts Title, First Name, Middle Name, Last Name, Suffix, Company, Department, Job
Title: the job goes in "Job Title"; the country column is "Business Country/Region",
as Outlook names it.) The five name columns come from common.name_parts, consistent
with the book's Given and Family name columns. A card without a person (a shop's: a
company and no name) has only Company, so Outlook files and shows it as the company.

Outlook has fixed slots: three emails, two business phones, one mobile, one other
phone, two faxes, one web page. What does not fit (a second mobile, a fourth email, a
second website, social handles) is added at the end of Notes under a line saying so,
after the user's own notes, so nothing on a card is lost on the way. Where the person
was met (the Where column: booth, table, city), which Outlook has no field for either,
is a "Where met: ..." line in Notes, after the user's notes and before that list.
Categories are the events then the tags, separated by ";" as Outlook writes them.

UTF-8 with a byte-order mark: Outlook (and Excel) read the file as UTF-8 only with it,
and otherwise mangle accented names into the Windows code page. Values are defused
like the plain CSV export.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cardscan import fields as contact_fields
from cardscan.book import columns as col
from cardscan.export.address import split_address
from cardscan.export.common import (
    is_organisation,
    labels,
    name_parts,
    phones,
    social,
    text,
    values,
    web_page,
    where_line,
)
from cardscan.export.csv import write_table
from cardscan.fields import Shape

HEADER = (
    "Title",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "E-mail Address",
    "E-mail 2 Address",
    "E-mail 3 Address",
    "Business Phone",
    "Business Phone 2",
    "Mobile Phone",
    "Other Phone",
    "Business Fax",
    "Other Fax",
    "Job Title",
    "Company",
    "Department",
    "Business Street",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Web Page",
    "Notes",
    "Categories",
)
EMAIL_SLOTS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
PHONE_SLOTS = {
    "mobile": ("Mobile Phone",),
    "work": ("Business Phone", "Business Phone 2"),
    "fax": ("Business Fax", "Other Fax"),
    "other": ("Other Phone",),
}
# The one-line fields with an Outlook column of their own (cardscan.fields): Job
# Title, Company, Department.
TEXT_COLUMNS = tuple(f for f in contact_fields.with_shape(Shape.TEXT) if f.outlook)
assert {f.outlook for f in TEXT_COLUMNS} <= set(HEADER)

MORE = "More from the card (no Outlook field for these):"


def write_outlook(
    rows: list[dict[str, str]], path: Path, *, columns: Sequence[str] | None = None
) -> None:
    table = []
    for row in rows:
        cells = outlook_cells(row)
        table.append([cells.get(key, "") for key in HEADER])
    write_table(path, HEADER, table, bom=True)


def outlook_cells(row: dict[str, str]) -> dict[str, str]:
    """One book row as Outlook column -> value."""
    cells: dict[str, str] = {}
    if not is_organisation(row):  # a shop's card: the company is all its name
        name = name_parts(row)
        cells |= {
            "Title": name.prefix,
            "First Name": name.given,
            "Middle Name": name.middle,
            "Last Name": name.family,
            "Suffix": name.suffix,
        }
    cells |= {f.outlook: text(row, f.columns[0]) for f in TEXT_COLUMNS}
    cells |= {
        "Categories": ";".join(labels(row)),
    }
    extra: list[str] = []

    emails = values(row, col.EMAILS)
    cells.update(zip(EMAIL_SLOTS, emails, strict=False))
    extra += [f"Email: {e}" for e in emails[len(EMAIL_SLOTS) :]]

    free = {kind: list(slots) for kind, slots in PHONE_SLOTS.items()}
    for kind, number in phones(row):
        if free[kind]:
            cells[free[kind].pop(0)] = number
        elif free["other"]:
            cells[free["other"].pop(0)] = number
        else:
            extra.append(f"{kind.capitalize()} phone: {number}")

    # Web Page only for a web page (web_page); any other address goes under the notes.
    pages = [page for page in map(web_page, values(row, col.WEBSITE)) if page]
    if pages:
        cells["Web Page"] = pages[0]
    extra += [f"Website: {s}" for s in pages[1:]]
    extra += [f"Website: {s}" for s in values(row, col.WEBSITE) if web_page(s) is None]
    extra += [f"{network or 'Social'}: {handle}" for network, handle in social(row)]

    address = text(row, col.ADDRESS)
    if address:
        parts = split_address(address)
        cells.update(
            {
                "Business Street": parts.street,
                "Business City": parts.city,
                "Business State": parts.region,
                "Business Postal Code": parts.postcode,
                "Business Country/Region": parts.country,
            }
        )

    more = "\n".join([MORE, *extra]) if extra else ""
    cells["Notes"] = "\n\n".join(p for p in (text(row, col.NOTES), where_line(row), more) if p)
    return cells
