"""Google Contacts CSV: the columns Google Contacts exports and imports by name.

Google's help for importing a CSV says to build the file on a template made by
exporting a contact from Google Contacts ("Google CSV"), and that export's header
is what this writes: since Google's 2020 Contacts export, numbered fields are
"<Field> N - Label" / "<Field> N - Value" (the older Gmail format's "- Type" and
"Given Name"/"Family Name"/"Group Membership" columns are gone). The fixed columns
come first, in Google's order, then as many numbered E-mail, Phone, Website and
Custom Field columns as the most-filled contact needs (at least one of each of the
first three, so the header is the same shape for an empty export):

    First Name, Middle Name, Last Name, Phonetic First Name, Phonetic Middle Name,
    Phonetic Last Name, Name Prefix, Name Suffix, Nickname, File As,
    Organization Name, Organization Title, Organization Department, Birthday,
    Notes, Photo, Labels, E-mail 1 - Label, E-mail 1 - Value, ...,
    Phone 1 - Label, Phone 1 - Value, ..., Address 1 - Label, Address 1 - Formatted,
    Address 1 - Street, Address 1 - City, Address 1 - PO Box, Address 1 - Region,
    Address 1 - Postal Code, Address 1 - Country, Address 1 - Extended Address,
    Website 1 - Label, Website 1 - Value, ..., Custom Field 1 - Label,
    Custom Field 1 - Value, ...

The name goes into Google's five name columns, as Google's own export fills them:
Name Prefix ("Dr."), First Name, Middle Name, Last Name, Name Suffix ("PhD"), from
common.name_parts (consistent with the book's Given and Family name columns). A card
without a person (a shop's: a company and no name) leaves every name column empty and
has only Organization Name, which is how Google stores and shows a company contact.
The department goes in Organization Department.

Labels (Google's contact groups) are the contact's events, then its tags, joined
with " ::: " as Google writes several values in one cell. Phone labels are Google's
own: Mobile, Work, Work Fax, Other; emails, websites and the address are Work (these
are business cards). Social handles, which Google has no field for, become custom
fields labelled with the network; where the person was met (the Where column: booth,
table, city) becomes custom fields labelled "Where met". The address goes in whole as
"Formatted" and also split into parts where its shape is recognised.

UTF-8 without a byte-order mark, as Google's own export: a BOM would risk the first
header being read as "\\ufeffFirst Name". Values are defused like the plain CSV export
(a leading apostrophe before "=", "@", ...), since the file may be opened in a
spreadsheet on the way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cardscan import fields as contact_fields
from cardscan.book import columns as col
from cardscan.export.address import split_address
from cardscan.export.common import (
    is_organisation,
    labels,
    name_parts,
    phones,
    places,
    social,
    text,
    values,
)
from cardscan.export.csv import write_table
from cardscan.fields import Shape

FIXED = (
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
)
ADDRESS = (
    "Address 1 - Label",
    "Address 1 - Formatted",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - PO Box",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    "Address 1 - Extended Address",
)
PHONE_LABELS = {"mobile": "Mobile", "work": "Work", "fax": "Work Fax", "other": "Other"}
WORK = "Work"
WHERE_MET = "Where met"
SEP = " ::: "


@dataclass
class _Contact:
    fields: dict[str, str]
    groups: dict[str, list[tuple[str, str]]]  # "Phone" -> [(label, value), ...]


# The one-line fields with a Google column of their own (cardscan.fields): Organization
# Name, Title and Department.
TEXT_COLUMNS = tuple(f for f in contact_fields.with_shape(Shape.TEXT) if f.google)
assert {f.google for f in TEXT_COLUMNS} <= set(FIXED)

GROUPS = (("E-mail", 1), ("Phone", 1), ("Website", 1), ("Custom Field", 0))  # minimum columns


def write_google(
    rows: list[dict[str, str]], path: Path, *, columns: Sequence[str] | None = None
) -> None:
    contacts = [_contact(row) for row in rows]
    count = {
        group: max([minimum, *(len(c.groups[group]) for c in contacts)])
        for group, minimum in GROUPS
    }
    header = [
        *FIXED,
        *_numbered("E-mail", count["E-mail"]),
        *_numbered("Phone", count["Phone"]),
        *ADDRESS,
        *_numbered("Website", count["Website"]),
        *_numbered("Custom Field", count["Custom Field"]),
    ]
    table = []
    for contact in contacts:
        cells = dict(contact.fields)
        for group, pairs in contact.groups.items():
            for n, (label, value) in enumerate(pairs, start=1):
                cells[f"{group} {n} - Label"] = label
                cells[f"{group} {n} - Value"] = value
        table.append([cells.get(key, "") for key in header])
    write_table(path, header, table, bom=False)


def _numbered(group: str, count: int) -> list[str]:
    return [f"{group} {n} - {part}" for n in range(1, count + 1) for part in ("Label", "Value")]


def _contact(row: dict[str, str]) -> _Contact:
    fields: dict[str, str] = {}
    if not is_organisation(row):  # a shop's card: the company is all its name
        name = name_parts(row)
        fields |= {
            "Name Prefix": name.prefix,
            "First Name": name.given,
            "Middle Name": name.middle,
            "Last Name": name.family,
            "Name Suffix": name.suffix,
        }
    fields |= {f.google: text(row, f.columns[0]) for f in TEXT_COLUMNS}
    fields |= {
        "Notes": text(row, col.NOTES),
        "Labels": SEP.join(labels(row)),
    }
    address = text(row, col.ADDRESS)
    if address:
        parts = split_address(address)
        fields.update(
            {
                "Address 1 - Label": WORK,
                "Address 1 - Formatted": address,
                "Address 1 - Street": parts.street,
                "Address 1 - City": parts.city,
                "Address 1 - Region": parts.region,
                "Address 1 - Postal Code": parts.postcode,
                "Address 1 - Country": parts.country,
            }
        )
    groups = {
        "E-mail": [(WORK, email) for email in values(row, col.EMAILS)],
        "Phone": [(PHONE_LABELS[kind], number) for kind, number in phones(row)],
        "Website": [(WORK, site) for site in values(row, col.WEBSITE)],
        "Custom Field": [
            *((network or "Social", handle) for network, handle in social(row)),
            *((WHERE_MET, place) for place in places(row)),
        ],
    }
    return _Contact(fields, groups)
