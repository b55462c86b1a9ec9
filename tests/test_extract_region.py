"""Region inference: +CC numbers, then country TLDs, country names, postcodes, default."""

from __future__ import annotations

import pytest

from cardscan.extract import extract
from cardscan.extract.domains import brand_label, is_webmail, region_for_host, registrable
from cardscan.extract.layout import segment
from cardscan.extract.region import country_in, infer_region
from cardscan.extract.synth import make_ocr


def _infer(lines: list[str], hosts: list[str] | None = None, default: str = "US") -> tuple:
    return infer_region(segment(make_ocr(lines)), hosts or [], default)


@pytest.mark.parametrize(
    ("host", "region"),
    [
        ("acme.co.uk", "GB"),
        ("www.acme.de", "DE"),
        ("acme.com.br", "BR"),
        ("acme.fr", "FR"),
        ("acme.es", "ES"),
        ("acme.pt", "PT"),
        ("acme.it", "IT"),
        ("acme.nl", "NL"),
        ("acme.com.au", "AU"),
        ("acme.co.in", "IN"),
        ("acme.in", "IN"),
        ("acme.ca", "CA"),
        ("acme.ie", "IE"),
        ("acme.ch", "CH"),
        ("acme.at", "AT"),
        ("acme.be", "BE"),
        ("acme.mx", "MX"),
        ("https://acme.de/team", "DE"),
    ],
)
def test_cctld_region(host: str, region: str) -> None:
    assert region_for_host(host) == region


@pytest.mark.parametrize(
    "host", ["acme.io", "acme.co", "acme.ai", "acme.me", "acme.tv", "acme.ly", "acme.fm", "a.app"]
)
def test_generic_cctlds_and_gtlds_say_nothing(host: str) -> None:
    assert region_for_host(host) is None
    assert region_for_host("acme.com") is None


def test_registrable_and_brand() -> None:
    assert registrable("mail.acme-robotics.co.uk") == "acme-robotics.co.uk"
    assert brand_label("https://www.acme-robotics.co.uk/x") == "acme-robotics"
    assert is_webmail("gmail.com") and is_webmail("web.de") and not is_webmail("acme.de")


def test_plus_country_code_wins_over_domain() -> None:
    assert _infer(["Tel +44 20 7946 0958"], ["acme.de"]) == ("GB", "phone")


def test_shared_country_code_refined_by_other_evidence() -> None:
    assert _infer(["+1 416 555 0199"], ["acme.ca"]) == ("CA", "phone")
    assert _infer(["+1 416 555 0199"]) == ("US", "phone")


def test_domain_beats_country_name() -> None:
    assert _infer(["Paris, France"], ["acme.de"]) == ("DE", "domain")


@pytest.mark.parametrize(
    ("line", "region"),
    [
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("10115 Berlin, Deutschland", "DE"),
        ("10115 Berlin Germany", "DE"),
        ("London, UK", "GB"),
        ("United Kingdom", "GB"),
        ("São Paulo - Brasil", "BR"),
        ("France", "FR"),
        ("28013 Madrid, España", "ES"),
        ("Österreich", "AT"),
        ("The Netherlands", "NL"),
        ("New York, USA", "US"),
        ("South Africa", "ZA"),
        ("Cape Town, South Africa", "ZA"),
        ("Auckland, New Zealand", "NZ"),
        ("Colombo 03, Sri Lanka", "LK"),
        ("Riyadh 11564, Kingdom of Saudi Arabia", "SA"),
        ("San José, Costa Rica", "CR"),
        ("Muscat, Sultanate of Oman", "OM"),
        ("Lima, Peru", "PE"),
    ],
)
def test_country_names(line: str, region: str) -> None:
    assert country_in(line) == region
    assert _infer([line], default="JP") == (region, "country")


@pytest.mark.parametrize(
    "line",
    [
        "Air France Cargo",
        "India Smith",
        "Contact us",
        "Jordan Lee",
        "South",
        "New",
        "of",
        "Atlanta, Georgia",
    ],
)
def test_country_words_inside_other_text_do_not_count(line: str) -> None:
    assert country_in(line) is None


@pytest.mark.parametrize(
    ("line", "region"),
    [
        ("San Francisco, CA 94105", "US"),
        ("London NW1 6XE", "GB"),
        ("Toronto, ON M5V 2T6", "CA"),
        ("CEP 01310-100", "BR"),
        ("SHOP NO. 1, YUSUF SARAI, NEW DELHI-110029", "IN"),
        ("Andheri (W), Mumbai - 400 053.", "IN"),
        ("〒107-0052 東京都港区赤坂2-9-11", "JP"),
    ],
)
def test_distinctive_postcodes(line: str, region: str) -> None:
    assert _infer([line], default="DE") == (region, "postcode")


def test_default_when_nothing_known_and_bad_default_falls_back_to_us() -> None:
    assert _infer(["Jane Doe"], default="de") == ("DE", "default")
    assert _infer(["Jane Doe"], default="XX") == ("US", "default")


def _extract(lines: list[str], default: str = "US"):  # type: ignore[no-untyped-def]
    from cardscan.extract import extract

    return extract(make_ocr(lines), default)


def test_a_misread_country_tld_gives_way_to_the_numbers() -> None:
    """ ".nl" read ".ni": the domain says Nicaragua, but the card's numbers are only
    valid as Dutch ones, so the card is Dutch and its addresses end in ".nl"."""
    ex = _extract(
        [
            "Lucas Lagerweij",
            "Tel. 050 101 6036",
            "M 06 21975799",
            "lucas@rouwhorstjones.ni",
            "www.rouwhorstjones.ni",
        ]
    )
    assert ex.region == "NL"
    assert [p.number for p in ex.contact.phones] == ["+31501016036", "+31621975799"]
    assert all(p.valid for p in ex.contact.phones)
    assert ex.contact.emails == ["lucas@rouwhorstjones.nl"]
    assert ex.contact.websites == ["www.rouwhorstjones.nl"]


def test_a_real_nicaraguan_card_keeps_its_tld() -> None:
    """Numbers valid where the domain says: nothing is second-guessed."""
    ex = _extract(["Ana Ruiz", "Tel. 2278 4545", "ana@acme.com.ni", "www.acme.com.ni"])
    assert ex.region == "NI"
    assert ex.contact.emails == ["ana@acme.com.ni"]
    assert ex.contact.websites == ["www.acme.com.ni"]


def test_a_number_with_its_country_code_is_not_second_guessed() -> None:
    ex = _extract(["Ana Ruiz", "+505 2278 4545", "ana@acme.ni"])
    assert ex.region == "NI" and ex.contact.emails == ["ana@acme.ni"]


def test_a_pin_code_overrules_a_country_the_numbers_are_not_of() -> None:
    # "SINCE 1965 / ENGLAND" is a brand's origin; the Indian PIN and the numbers say India.
    lines = [("Vijay Mob.:9999269543", 20), "ENGLAND", "Shop: 011-46066047", "NEW DELHI-110029"]
    contact = extract(make_ocr(lines), "US").contact
    assert [p.number for p in contact.phones] == ["+919999269543", "+911146066047"]
