"""Which country's numbering plan the card's local phone numbers are written in.

A number without "+CC" means nothing until we know the country: "030 1234567" is
Berlin only if the card is German. Evidence, strongest first: (a) numbers printed
with a country code, (b) the country TLD of the email/website domains, (c) an
explicit country name on an address-like line, (d) a postcode of a distinctive
national shape (US state + ZIP, UK, Canada, Brazil CEP). Without any: the default.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import phonenumbers

from cardscan.extract.domains import region_for_host
from cardscan.extract.layout import Segment
from cardscan.words import COUNTRY_NAMES, fold, wordset

INTL_RE = re.compile(r"\+\s?\d[\d\s().\-/]{5,}\d")
US_STATES = wordset(
    """AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT
    NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"""
)
# Postcode shapes distinctive enough to name a country (weakest evidence).
POSTCODE_REGIONS = (
    (re.compile(r"\b(?P<st>[A-Z]{2})\.?\s+\d{5}(?:-\d{4})?$"), "US"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2}$"), "GB"),
    (re.compile(r"\b[A-CEGHJ-NPR-TVXY]\d[A-CEGHJ-NPR-TV-Z]\s\d[A-CEGHJ-NPR-TV-Z]\d$"), "CA"),
    (re.compile(r"\b(?:CEP:?\s*)?\d{5}-\d{3}\b"), "BR"),
    # India's PIN after its city with a dash ("NEW DELHI-110029") or split in three and
    # three ("Mumbai - 400 053"): China's and others' six digits come without either.
    (
        re.compile(
            r"[A-Za-z]{3,}\.?\s?[-–]\s?[1-9]\d{5}\.?$|[A-Za-z]{3,}\W{0,3}[1-9]\d{2}\s\d{3}\.?$"
        ),
        "IN",
    ),
    (re.compile(r"〒\s?\d{3}-\d{4}"), "JP"),
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text).replace(".", "")).strip(" ,;:-")


def country_in(text: str) -> str | None:
    """Region of a country name that ends an address-like text, else None.

    Only a whole segment ("Germany"), a name after a comma/dash ("Berlin, Germany")
    or after a postcode line ("10115 Berlin Germany") counts, so a company called
    "Air France" or a person called "India" does not change the region.
    """
    t = _norm(text)
    if t in COUNTRY_NAMES:
        return COUNTRY_NAMES[t]
    for name, region in COUNTRY_NAMES.items():
        if not t.endswith(name) or len(t) == len(name):
            continue
        head = t[: -len(name)]
        if head.endswith((", ", ",", " - ", "-")) or (
            head.endswith(" ") and re.search(r"\d{4}", head) and len(name) > 2
        ):
            return region
    return None


def postcode_region(text: str) -> str | None:
    """Region of a postcode that ends a line in a distinctive national shape."""
    t = text.strip(" ,.;")
    for pattern, region in POSTCODE_REGIONS:
        m = pattern.search(t)
        if m and (region != "US" or m.group("st") in US_STATES):
            return region
    return None


def _majority(regions: Iterable[str]) -> str | None:
    counts = Counter(regions)
    return counts.most_common(1)[0][0] if counts else None


def regions_from_numbers(segs: Sequence[Segment]) -> list[str]:
    out: list[str] = []
    for seg in segs:
        for m in INTL_RE.finditer(seg.text):
            try:
                num = phonenumbers.parse(re.sub(r"(?<=\+)\s", "", m.group(0)), None)
            except phonenumbers.NumberParseException:
                continue
            # The main region of the code (+44 -> GB even for a Guernsey mobile);
            # infer_region refines it with other evidence (+1 and ".ca" -> CA).
            region = phonenumbers.region_code_for_country_code(num.country_code or 0)
            if region not in ("ZZ", "001"):
                out.append(region)
    return out


# Country TLDs one OCR confusion apart (an "l" read "i", or back): ".nl" printed, ".ni"
# read, which made a Dutch card's numbers Nicaraguan. Which one the card means is for
# its local numbers to say (extract: _checked_region).
TLD_TWINS = {"ni": "nl", "nl": "ni", "ci": "cl", "cl": "ci", "it": "lt", "lt": "it"}


def twin_region(host: str) -> str | None:
    """The region of the TLD one misread away from the host's country TLD, or None."""
    tld = host.lower().rstrip(".").rsplit(".", 1)[-1]
    twin = TLD_TWINS.get(tld)
    return region_for_host(f"x.{twin}") if twin else None


def other_regions(segs: Sequence[Segment], hosts: Sequence[str], region: str) -> list[str]:
    """Regions the card's other evidence points to besides `region`, strongest first:
    the twin of a host's country TLD (TLD_TWINS), a country named on an address line,
    a postcode of a national shape. Not the default region: a card whose domain names
    a country is from there unless the card itself says otherwise."""
    found = [twin_region(h) for h in hosts]
    found += [country_in(s.text) for s in segs] + [postcode_region(s.text) for s in segs]
    out: list[str] = []
    for other in found:
        if other and other != region and other not in out:
            out.append(other)
    return out


def infer_region(
    segs: Sequence[Segment], hosts: Sequence[str], default_region: str = "US"
) -> tuple[str, str]:
    """Return (region, why): why is "phone", "domain", "country", "postcode" or "default"."""
    evidence = [
        ("domain", _majority(r for h in hosts if (r := region_for_host(h)))),
        ("country", _majority(r for s in segs if (r := country_in(s.text)))),
        ("postcode", _majority(r for s in segs if (r := postcode_region(s.text)))),
    ]
    by_phone = _majority(regions_from_numbers(segs))
    if by_phone:
        code = phonenumbers.country_code_for_region(by_phone)
        for _why, other in evidence:
            if other and phonenumbers.country_code_for_region(other) == code:
                return other, "phone"
        return by_phone, "phone"
    for why, found in evidence:
        if found:
            return found, why
    region = (default_region or "US").upper()
    return (region if region in phonenumbers.SUPPORTED_REGIONS else "US"), "default"
