"""Field extraction: OcrResult -> Extraction (contact + per-field confidence/evidence).

The order matters, because each step claims the segments it used so later, fuzzier
steps cannot reuse them:

1. layout.segment   lines split at big gaps/separators (two merged columns come apart)
2. contacts         emails, websites, social profiles (pure text patterns)
3. region           the country local phone numbers are written in
4. phones           numbers parsed under that region, with kind and extension
5. address          street/postcode/country lines, chained
6. names            the person's name (font size, position, email agreement)
7. org              job title near the name; company (legal suffix, prominence, domain)
8. department       a free line that is clearly a department ("Department of ...")
9. people           a card naming several people: one contact each (Extraction.people)

What no step claimed is kept as other_text (taglines, opening hours, notes written on
the card): the text of a card's back that is no contact detail goes to Card notes.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Sequence
from typing import Any

from cardscan.extract.address import find_address
from cardscan.extract.contacts import ContactFinds, find_contacts, take_lost_at
from cardscan.extract.department import find_department
from cardscan.extract.domains import brand_label, is_webmail, region_for_host
from cardscan.extract.layout import Found, Segment, segment
from cardscan.extract.names import EMAIL_STRONG, email_match, find_name
from cardscan.extract.org import find_company, find_title, with_trade
from cardscan.extract.people import split_people
from cardscan.extract.phones import find_phones
from cardscan.extract.region import TLD_TWINS, infer_region, other_regions, twin_region
from cardscan.model import Contact, Extraction, Issue, OcrResult, Person, Phone
from cardscan.words import fold

__all__ = ["extract"]


def _mean(found: Sequence[Found[Any]]) -> float:
    return round(sum(f.conf for f in found) / len(found), 3)


def _claims(found: Sequence[Found[Any] | None]) -> set[int]:
    return {i for f in found if f is not None for i in f.segments}


# Letters and digits an unused segment needs to count as text (an ideograph counts
# twice): logo monograms ("HF"), badge marks ("in", "X", "IG") and lone labels have fewer.
OTHER_TEXT_MIN = 3
# And the OCR confidence (0-100): what an engine makes of paper grain, a texture or a
# picture comes back far below this; print, even handwriting, well above it.
OTHER_TEXT_MIN_CONF = 70.0


def _weight(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text if ch.isalnum())


def _is_text(seg: Segment) -> bool:
    """Whether a segment is sure and heavy enough to count as text at all."""
    return _weight(seg.text) >= OTHER_TEXT_MIN and seg.conf >= OTHER_TEXT_MIN_CONF


def other_text(segs: Sequence[Segment], claimed: set[int]) -> list[str]:
    """The text of the segments no field took, one item per OCR line, in reading order."""
    lines: dict[int, list[str]] = {}
    for seg in segs:
        if seg.index not in claimed and _is_text(seg):
            lines.setdefault(seg.line_no, []).append(seg.text.strip())
    return [" ".join(parts) for parts in lines.values()]


def _split_said(issue: Issue, people: list[Person]) -> Issue:
    """The "several_people" flag of a card that is split: a row each, to check."""
    if issue.code != "several_people":
        return issue
    shown = ", ".join(f"'{p.contact.name}'" for p in people if p.contact.name)
    return Issue(
        issue.code,
        f"the card names several people ({shown}): a row each; check who has which email and phone",
        issue.field,
    )


def _checked_region(
    segs: Sequence[Segment], hosts: Sequence[str], region: str, phones: list[Found[Phone]]
) -> tuple[str, list[Found[Phone]]]:
    """The region whose numbering plan the card's local numbers are written in: the one
    inferred, unless a number is not valid there and another region the card points to
    (region.other_regions: the twin of a misread country TLD, a country or postcode on
    an address line) makes more of them valid. Read ".ni" for ".nl", a Dutch card's
    "050 101 6036" is no Nicaraguan number."""
    valid = sum(p.value.valid for p in phones)
    if valid == len(phones):
        return region, phones
    best, best_valid = (region, phones), valid
    for other in other_regions(segs, hosts, region):
        tried = find_phones(segs, other)
        count = sum(p.value.valid for p in tried)
        if count > best_valid:
            best, best_valid = (other, tried), count
    return best


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalpha())


def _hosts(contacts: ContactFinds) -> tuple[list[str], list[str]]:
    """The card's web addresses and its emails' domains, as they now are."""
    return (
        [w.value for w in contacts.websites],
        [e.value.rsplit("@", 1)[1] for e in contacts.emails],
    )


def _mend_twin_tld(contacts: ContactFinds, region: str) -> None:
    """Emails and web addresses whose country TLD is one misread away from the card's
    region's (region.TLD_TWINS) take the region's: ".ni" on a card whose numbers are
    Dutch is ".nl"."""
    for found in [*contacts.emails, *contacts.websites]:
        host = found.value.rsplit("@", 1)[-1]
        if twin_region(host) != region or region_for_host(host) == region:
            continue
        head, _dot, tld = found.value.rpartition(".")
        found.value = f"{head}.{TLD_TWINS[tld.lower()]}"


def _mend_initial_l(emails: Sequence[str], names: Sequence[str | None]) -> dict[str, str]:
    """An email whose local part starts with an I or i ("I.dacosta@", "iwilliams@") may hold
    an "l" the recogniser took for one (the letters are one stroke in many fonts): it is
    read with an "l" when that spells one of the card's names better (names.email_match:
    "l.dacosta" for Luisa da Costa), and left alone otherwise ("ivan.petrov@", "i.costa@"
    for Ines Costa, or no name on the card to tell). Returns {as read: mended}."""
    cores = [n.split() for n in names if n]
    mended: dict[str, str] = {}
    for email in emails:
        local, at, domain = email.partition("@")
        if not at:
            continue
        if local[:1] in ("I", "i") and local[1:] == local[1:].lower():
            with_l = "l" + local[1:]
            if any(email_match(core, with_l) > email_match(core, local) for core in cores):
                mended[email] = f"{with_l}@{domain}"
                continue
        inner = _inner_l(local, cores)
        if inner is not None:
            mended[email] = f"{inner}@{domain}"
    return mended


def _inner_l(local: str, cores: Sequence[Sequence[str]]) -> str | None:
    """The local part with one "i" further in read as "l" when that spells a name on the
    card exactly (names.email_match 1.0: "peggy.nohlmans" for Peggy Nohlmans, read
    "peggy.nohimans") and as read it does not come near (under 0.9); else None. Only
    i to l, only to an exact spelling: the name, printed large, is the surer reading."""
    if not cores or max(email_match(core, local) for core in cores) >= EMAIL_STRONG:
        return None
    for k, letter in enumerate(local):
        if k == 0 or letter != "i":
            continue
        tried = local[:k] + "l" + local[k + 1 :]
        if max(email_match(core, tried) for core in cores) >= 1.0:
            return tried
    return None


def extract(ocr: OcrResult, default_region: str = "US") -> Extraction:
    """Read a contact from OCR output; never raises on odd text, returns what it found."""
    segs = segment(ocr)
    contacts = find_contacts(segs)
    websites, email_domains = _hosts(contacts)
    region, why = infer_region(segs, [*websites, *email_domains], default_region)
    phones = find_phones(segs, region)
    if why != "phone":  # a number printed with its country code is not second-guessed
        region, phones = _checked_region(segs, [*websites, *email_domains], region, phones)
        _mend_twin_tld(contacts, region)
        websites, email_domains = _hosts(contacts)

    contact_claims = _claims([*contacts.emails, *contacts.websites, *contacts.social.values()])
    phone_claims = _claims(phones)
    address = find_address(segs, contact_claims | phone_claims)
    claimed = contact_claims | phone_claims | _claims([address])

    locals_ = [e.value.rsplit("@", 1)[0] for e in contacts.emails]
    brands = [brand_label(h) for h in [*websites, *email_domains] if not is_webmail(h)]
    handles = [
        f.value.rstrip("/").rsplit("/", 1)[-1]
        for k, f in contacts.social.items()
        if k == "linkedin"
    ]
    name = find_name(
        segs,
        claimed,
        locals_,
        region,
        brands,
        [e.value for e in contacts.emails],
        handles,
        _claims([*contacts.emails, *contacts.websites, *phones]),
    )
    claimed |= _claims([name.found])
    if name.found is not None and contacts.websites:
        # A bare web address that is the person's email with its "@" misread
        # ("qreinalfangelvalero.es" for Q. Reina): contacts.take_lost_at.
        core = name.found.value.split()
        take_lost_at(contacts, lambda a: a.trusty and email_match(core, a.local) >= EMAIL_STRONG)
        websites, email_domains = _hosts(contacts)
    title = find_title(segs, claimed, name)
    claimed |= _claims([title])
    blocked = contact_claims | phone_claims | _claims([name.found, title])
    company = with_trade(find_company(segs, claimed, blocked, websites, email_domains), segs, name)
    own = f"{name.given or ''}{name.family or ''}" if name.found is not None else ""
    if company is not None and not company.boxes and _letters(company.value) == _letters(own):
        # Guessed from a domain that is the person's own name (janedoe.photo): a
        # freelancer's site, no company.
        company = None
    claimed |= _claims([company])
    # The verdict's features count the lines no field used; they were fitted before
    # the department field, so they go on counting its line as unused.
    unused = other_text(segs, claimed)
    department = find_department(segs, claimed, _is_text)
    claimed |= _claims([department])

    contact = Contact(
        name=name.found.value if name.found else None,
        given_name=name.given,
        family_name=name.family,
        title=title.value if title else None,
        company=company.value if company else None,
        department=department.value if department else None,
        emails=[e.value for e in contacts.emails],
        phones=[p.value for p in phones],
        websites=websites,
        address=address.value if address else None,
        social={k: f.value for k, f in contacts.social.items()},
    )
    # A card naming several people: each person's own contact, in Extraction.people;
    # the book writes a row per person (cardscan.rows). The card's contact stays as
    # read, holding every person's emails and phones: when no split is made, its one
    # row (flagged, as the name finder flags several people) loses nothing. So the split
    # is made on a copy; the people also reach `rescan --json` ("people") and `cardscan
    # bench`. Before the company's claim: a "Jon / Kaylen" line may have been taken for it.
    before_company = claimed - _claims([company, department])
    first = dataclasses.replace(contact, emails=list(contact.emails), phones=list(contact.phones))
    split = split_people(segs, before_company, name, title, contacts.emails, phones, first)
    if split.first_name is not None and company is not None and company.segments & split.claims:
        for person in split.people:  # the "company" was the people's line
            person.contact.company = None
    people = [p.contact.name for p in split.people]
    mended = _mend_initial_l(contact.emails, [contact.name, *people])
    if mended:
        for read in contacts.emails:
            read.value = mended.get(read.value, read.value)
        for mine in [contact, *(p.contact for p in split.people)]:
            mine.emails = [mended.get(e, e) for e in mine.emails]
    out = Extraction(contact=contact, region=region, issues=list(name.issues))
    emails, phones = list(contacts.emails), list(phones)
    if split.people:
        out.people = split.people
        out.issues = [_split_said(i, split.people) for i in out.issues + split.issues]
    out.other_text = other_text(segs, claimed)
    out.unused = unused
    if name.other:  # the name in its other script on a bilingual card
        out.other_text.insert(0, name.other)
        out.unused.insert(0, name.other)
    singles = {
        "name": name.found,
        "title": title,
        "company": company,
        "department": department,
        "address": address,
    }
    for key, found in singles.items():
        if found is not None:
            out.confidence[key] = found.conf
            out.evidence[key] = list(found.boxes)
    lists: dict[str, Sequence[Found[Any]]] = {
        "emails": emails,
        "phones": phones,
        "websites": contacts.websites,
        "social": list(contacts.social.values()),
    }
    for key, items in lists.items():
        if items:
            out.confidence[key] = _mean(items)
            out.evidence[key] = [b for f in items for b in f.boxes]
    return out
