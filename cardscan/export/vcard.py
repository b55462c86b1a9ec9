"""vCard export: one .vcf file holding every contact, vCard 3.0 (RFC 2426) or 4.0 (RFC 6350).

3.0 is the default because every phone, mail client and address book imports it;
4.0 is there for tools that ask for it. Written with vobject, which escapes commas,
semicolons, backslashes and line breaks in values, folds lines longer than 75 octets
without splitting a UTF-8 character, and writes CRLF line ends. The file is UTF-8.

Per contact: N with all five parts (family; given; middle; prefix; suffix, from
common.name_parts: "Dr. Ana María López García, PhD" keeps Dr., María and PhD in their
slots) and FN (the name, else the company, else an email or phone, so no card is
nameless), ORG (the company, then the department: ORG:Company;Department), TITLE,
TEL for every phone with its kind (3.0: CELL / WORK,VOICE / WORK,FAX / VOICE; 4.0
the same types in lower case),
EMAIL, URL (as a link: https:// added when the card printed none), ADR (split into
street, city, region, postcode, country where the shape is recognised, else all in
street), NOTE (the user's notes, as typed, then "Where met: booth 12" when the book
says where: vCard has no field for it), CATEGORIES (the events, then the tags), and
X-SOCIALPROFILE for social handles. There is no PHOTO: the book does not keep card
crops. Phone numbers stay text as the book writes them ("+44 20 7946 0958 ext. 240"),
which both versions allow and every importer reads.

A card without a person (a shop's: a company and no name) is an organisation: vCard
4.0 says so with KIND:org (RFC 6350 6.1.4) and leaves out N (optional in 4.0); 3.0 has
no KIND, so it gets Apple's X-ABShowAs:COMPANY, which Apple Contacts and iOS (and the
importers that read Apple's exports) show as a company, and the empty N:;;;; that
3.0 requires (RFC 2426 3.1.2), as Apple's own export writes it. Its FN and ORG are the
company.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import vobject

from cardscan import fields as contact_fields
from cardscan.book import columns as col
from cardscan.book.safety import atomic_write
from cardscan.export.address import split_address
from cardscan.export.common import (
    display_name,
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
from cardscan.fields import Shape

VERSIONS = ("3.0", "4.0")
DEFAULT_VERSION = "3.0"

_SHOW_AS = "X-ABShowAs:COMPANY"  # Apple's mark of a contact shown as a company
_TEL_TYPES = {
    "mobile": ["CELL"],
    "work": ["WORK", "VOICE"],
    "fax": ["WORK", "FAX"],
    "other": ["VOICE"],
}


# From cardscan.fields: ORG's units (the company, then its department), and the
# one-line fields that are a vCard property of their own (TITLE).
ORG_UNITS = tuple(f for f in contact_fields.FIELDS if f.vcard == "ORG")
TEXT_PROPERTIES = tuple(
    f for f in contact_fields.with_shape(Shape.TEXT) if f.vcard and f.vcard not in ("ORG", "ADR")
)


def write_vcard(
    rows: list[dict[str, str]],
    path: Path,
    *,
    columns: Sequence[str] | None = None,
    version: str = DEFAULT_VERSION,
) -> None:
    """Every row as one vCard, all in one file (an empty file for no rows)."""
    if version not in VERSIONS:
        raise ValueError(f"unknown vCard version {version!r}: choose one of {', '.join(VERSIONS)}")
    text = "".join(to_vcard(row, version).serialize() for row in rows)
    # vobject writes property names in capitals, which the standard allows (names are
    # case-insensitive), but some importers look for Apple's own spelling. A folded
    # line's continuation starts with a space, so only the property itself matches.
    text = text.replace(f"\r\n{_SHOW_AS.upper()}\r\n", f"\r\n{_SHOW_AS}\r\n")
    data = text.encode("utf-8")
    atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))


def to_vcard(row: dict[str, str], version: str = DEFAULT_VERSION) -> vobject.base.Component:
    """One book row as a vobject vCard component."""
    v4 = version == "4.0"

    def types(*names: str) -> list[str]:
        return [n.lower() for n in names] if v4 else list(names)

    card = vobject.vCard()
    card.add("version").value = version
    if is_organisation(row):
        if v4:
            card.add("kind").value = "org"
        else:
            card.add("n").value = vobject.vcard.Name()
            card.add("x-abshowas").value = "COMPANY"
    else:
        name = name_parts(row)
        card.add("n").value = vobject.vcard.Name(
            family=name.family,
            given=name.given,
            additional=name.middle,
            prefix=name.prefix,
            suffix=name.suffix,
        )
    card.add("fn").value = display_name(row)
    org = [text(row, f.columns[0]) for f in ORG_UNITS]  # ORG:Company;Department
    while org and not org[-1]:
        org.pop()
    if org:
        card.add("org").value = org
    for f in TEXT_PROPERTIES:
        if text(row, f.columns[0]):
            card.add(f.vcard.lower()).value = text(row, f.columns[0])
    for kind, number in phones(row):
        tel = card.add("tel")
        tel.value = number
        tel.type_paramlist = types(*_TEL_TYPES[kind])
    for address in values(row, col.EMAILS):
        email = card.add("email")
        email.value = address
        if not v4:  # 4.0 dropped the INTERNET type: every EMAIL is one
            email.type_paramlist = ["INTERNET"]
    not_pages = []  # addresses that are not web pages go into NOTE as text (web_page)
    for site in values(row, col.WEBSITE):
        page = web_page(site)
        if page is None:
            not_pages.append(f"Website: {site}")
        else:
            card.add("url").value = page
    if text(row, col.ADDRESS):
        parts = split_address(text(row, col.ADDRESS))
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(
            street=parts.street,
            city=parts.city,
            region=parts.region,
            code=parts.postcode,
            country=parts.country,
        )
        adr.type_paramlist = types("WORK")
    note = "\n\n".join(part for part in (text(row, col.NOTES), where_line(row), *not_pages) if part)
    if note:
        card.add("note").value = note
    if labels(row):
        card.add("categories").value = labels(row)
    for network, handle in social(row):
        profile = card.add("x-socialprofile")
        profile.value = handle
        if network:
            profile.type_paramlist = [network]
    return card
