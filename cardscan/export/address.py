"""Splitting the book's one-line address into the parts contact formats ask for.

The book keeps an address as the card printed it, lines joined with ", "
("1200 Harbor Way, Suite 400, San Francisco, CA 94107"). vCard ADR and Outlook's
Business Street/City/State/Postal Code/Country want it in parts. The split is
deliberately conservative: it only recognises the common shapes of the last line
(postcode and city, with a state or a country), and whatever it cannot place stays in
the street, in order, so no part of an address is ever dropped. A label printed before
a postcode ("CEP 01310-200") is the only text left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cardscan.words import COUNTRY_NAMES, fold


@dataclass(frozen=True)
class AddressParts:
    street: str = ""
    city: str = ""
    region: str = ""  # state, province
    postcode: str = ""
    country: str = ""


_ZIP = r"\d{4,5}(?:-\d{4})?"  # US ZIP(+4), Australia
_CA = r"[A-Z]\d[A-Z]\s?\d[A-Z]\d"  # Canada: "V6B 2X6"
_UK = r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}"  # UK: "EC2A 3NH"
_CITY = r"[^\W\d_][^\d]*?"  # a place name: starts with a letter, no digits

# Each pattern matches the whole last part; named groups are the fields it holds.
_LAST_PART = (
    # "CA 94107", "BC V6B 2X6", "VIC 3000": the city is the part before.
    re.compile(rf"(?P<region>[A-Z]{{2,3}})\.?\s+(?P<postcode>{_ZIP}|{_CA})"),
    # "Melbourne VIC 3000", "Toronto ON M5V 2T6".
    re.compile(rf"(?P<city>{_CITY})\s+(?P<region>[A-Z]{{2,3}})\.?\s+(?P<postcode>{_ZIP}|{_CA})"),
    # UK: "London EC2A 3NH", or the postcode alone.
    re.compile(rf"(?:(?P<city>{_CITY})\s+)?(?P<postcode>{_UK})"),
    # Netherlands: "1012 AB Amsterdam".
    re.compile(rf"(?P<postcode>\d{{4}}\s?[A-Z]{{2}})\s+(?P<city>{_CITY})"),
    # Postcode first: "10117 Berlin", "D-10115 Berlin", "1100-053 Lisboa", "01310-200 São Paulo".
    re.compile(rf"(?P<postcode>(?:[A-Z]{{1,2}}-)?\d{{4,5}}(?:-\d{{3,4}})?)\s+(?P<city>{_CITY})"),
    # City, then a postcode of Japan's "100-0005" or a six-digit one (China, India,
    # Singapore): "Tokyo 100-0005", "Mumbai 400001".
    re.compile(rf"(?P<city>{_CITY})\s+(?P<postcode>\d{{3}}-\d{{4}}|\d{{6}})"),
    # Brazil: "CEP 01310-200" (city and state in the part before).
    re.compile(r"(?:CEP:?\s*)(?P<postcode>\d{5}-?\d{3})", re.IGNORECASE),
    # A postcode alone after the city: "Madrid, 28001".
    re.compile(r"(?P<postcode>\d{4,5})"),
)
# The part before a postcode that did not carry its city: "São Paulo - SP", "Vancouver".
_CITY_REGION = re.compile(rf"(?P<city>{_CITY})\s*[-/]\s*(?P<region>[A-Z]{{2}})")
_CITY_ONLY = re.compile(_CITY)


def split_address(address: str) -> AddressParts:
    """The address in parts; an unrecognised shape is all street."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
    if not parts:
        return AddressParts()
    country = ""
    if len(parts) > 1 and _is_country(parts[-1]):
        country = parts.pop()
    fields: dict[str, str] = {}
    if len(parts) > 1:
        for pattern in _LAST_PART:
            m = pattern.fullmatch(parts[-1])
            if m:
                fields = {k: v.strip() for k, v in m.groupdict().items() if v}
                parts.pop()
                break
    if fields and "city" not in fields and len(parts) > 1:
        before = parts[-1]
        m = _CITY_REGION.fullmatch(before)
        if m and "region" not in fields:
            fields.update(city=m["city"].strip(), region=m["region"])
            parts.pop()
        elif _CITY_ONLY.fullmatch(before):
            fields["city"] = before
            parts.pop()
    return AddressParts(street=", ".join(parts), country=country, **fields)


def _is_country(part: str) -> bool:
    return fold(part).replace(".", "").strip() in COUNTRY_NAMES
