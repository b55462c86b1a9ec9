"""Whole cards end to end through extract(): every field together, confidence, evidence."""

from __future__ import annotations

from cardscan.extract import extract
from cardscan.extract.synth import LineSpec, make_ocr
from cardscan.model import FIELDS, Box, OcrLine, OcrResult, OcrWord, Phone, PhoneKind


def test_us_card_with_ocr_noise() -> None:
    ex = extract(
        make_ocr(
            [
                ("JANE DOE", 40),
                ("Chief Technology Officer", 22),
                ("Acme Robotics, Inc.", 26),
                "E: jane.doe@acme-robotics.com",
                "T +1 (415) 555-0132",
                "M +1 415 555 2671 ext. 240",
                "www.acme-robotics.com",
                "123 Market Street, Suite 400",
                "San Francisco, CA 94105",
                "in/janedoe",
            ]
        )
    )
    c = ex.contact
    assert (c.name, c.given_name, c.family_name) == ("Jane Doe", "Jane", "Doe")
    assert c.title == "Chief Technology Officer"
    assert c.company == "Acme Robotics, Inc."
    assert c.emails == ["jane.doe@acme-robotics.com"]
    assert c.phones == [
        Phone("+14155550132", PhoneKind.WORK, "+1 (415) 555-0132", True, None),
        Phone("+14155552671", PhoneKind.MOBILE, "+1 415 555 2671", True, "240"),
    ]
    assert c.websites == ["www.acme-robotics.com"]
    assert c.address == "123 Market Street, Suite 400, San Francisco, CA 94105"
    assert c.social == {"linkedin": "linkedin.com/in/janedoe"}
    assert ex.region == "US"
    assert ex.issues == []
    assert set(ex.confidence) == set(FIELDS)
    assert all(0.0 <= v <= 1.0 for v in ex.confidence.values())
    assert set(ex.evidence) == set(FIELDS)
    assert ex.confidence["name"] >= 0.9  # confirmed by the email


def test_german_card_local_numbers_and_region_from_domain() -> None:
    ex = extract(
        make_ocr(
            [
                ("Dr. Hans Müller", 36),
                ("Geschäftsführer", 20),
                ("Müller Maschinenbau GmbH", 24),
                "Hauptstraße 5",
                "10115 Berlin",
                "Tel. 030 1234567",
                "Fax 030 1234568",
                "Mobil 0171 1234567",
                "h.mueller@mueller-maschinenbau.de",
            ]
        ),
        default_region="US",
    )
    c = ex.contact
    assert ex.region == "DE"
    assert (c.name, c.given_name, c.family_name) == ("Dr. Hans Müller", "Hans", "Müller")
    assert c.title == "Geschäftsführer"
    assert c.company == "Müller Maschinenbau GmbH"
    assert [(p.number, p.kind) for p in c.phones] == [
        ("+49301234567", PhoneKind.WORK),
        ("+49301234568", PhoneKind.FAX),
        ("+491711234567", PhoneKind.MOBILE),
    ]
    assert c.address == "Hauptstraße 5, 10115 Berlin"


def test_two_columns_merged_into_one_ocr_line() -> None:
    ex = extract(
        make_ocr(
            [
                ("JANE DOE   T +1 (415) 555-0132", 30),
                ("Chief Technology Officer   jane.doe@acme.io", 20),
                ("Acme Robotics   www.acme.io", 20),
            ]
        )
    )
    c = ex.contact
    assert c.name == "Jane Doe"
    assert c.title == "Chief Technology Officer"
    assert c.company == "Acme Robotics"
    assert c.emails == ["jane.doe@acme.io"]
    assert c.websites == ["www.acme.io"]
    assert [(p.number, p.kind) for p in c.phones] == [("+14155550132", PhoneKind.WORK)]


def test_uk_card_with_plus_44_and_invalid_mobile_kept() -> None:
    ex = extract(
        make_ocr(
            [
                ("Sarah O'BRIEN", 30),
                "Senior Consultant",
                "Tel: +44 20 7946 0958   sarah@brightpath.co.uk",
                "Mob: 07700 900123   www.brightpath.co.uk",
                "221B Baker Street",
                "London",
                "NW1 6XE",
            ]
        )
    )
    c = ex.contact
    assert ex.region == "GB"
    assert c.name == "Sarah O'Brien"
    assert c.company == "Brightpath"  # from the domain, low confidence
    assert ex.confidence["company"] < 0.5
    assert [(p.number, p.kind, p.valid) for p in c.phones] == [
        ("+442079460958", PhoneKind.WORK, True),
        ("+447700900123", PhoneKind.MOBILE, False),
    ]
    assert c.address == "221B Baker Street, London, NW1 6XE"


def test_shop_card_without_person() -> None:
    ex = extract(
        make_ocr(
            [
                ("ROSE & THORN", 44),
                ("Florist", 24),
                "Flowers for every occasion",
                "12 High Street, Bath BA1 1AA",
                "01225 123456",
                "roseandthorn@gmail.com",
                "IG: @roseandthorn",
            ]
        )
    )
    c = ex.contact
    assert c.name is None and c.title is None
    assert c.company == "ROSE & THORN"
    assert ex.region == "GB"  # from the UK postcode
    assert [(p.number, p.valid) for p in c.phones] == [("+441225123456", True)]
    assert c.social == {"instagram": "@roseandthorn"}
    assert [i.code for i in ex.issues] == ["no_name"]


def test_logo_glyph_left_of_company_is_ignored() -> None:
    big = OcrWord("%", 85, Box(10, 10, 90, 140))
    words = [big] + [
        OcrWord(t, 96, Box(130 + i * 200, 60, 180, 50))
        for i, t in enumerate(["Southern", "Cross", "Pty", "Ltd"])
    ]
    name = [
        OcrWord("Chloe", 96, Box(40, 200, 200, 90)),
        OcrWord("Nguyen", 96, Box(260, 200, 250, 90)),
    ]
    ex = extract(OcrResult([OcrLine(words), OcrLine(name)], 1000, 600))
    assert ex.contact.company == "Southern Cross Pty Ltd"
    assert ex.contact.name == "Chloe Nguyen"


def test_low_ocr_confidence_lowers_field_confidence() -> None:
    lines: list[LineSpec] = [("Jane Doe", 36), ("Engineer", 20), "jane@acme.com", "+1 415 555 2671"]
    sure = extract(make_ocr(lines, conf=95)).confidence
    unsure = extract(make_ocr(lines, conf=30)).confidence
    for key in ("name", "title", "emails", "phones"):
        assert unsure[key] < sure[key]


def test_evidence_boxes_are_the_words_used() -> None:
    ocr = make_ocr([("Jane Doe", 36), "Tel +1 415 555 2671"])
    ex = extract(ocr)
    phone_words = ocr.lines[1].words[1:]  # not the "Tel" label
    assert ex.evidence["phones"] == [w.box for w in phone_words]


def test_empty_ocr() -> None:
    ex = extract(OcrResult([], 100, 100), "DE")
    assert ex.contact.to_json()["name"] is None
    assert ex.region == "DE"
    assert ex.confidence == {} and ex.evidence == {}


def _line(text: str, x: int, y: int, size: int) -> OcrLine:
    words = []
    for t in text.split():
        w = int(0.55 * size * len(t))
        words.append(OcrWord(t, 90, Box(x, y, w, size)))
        x += w + int(0.35 * size)
    return OcrLine(words)


def test_columns_emitted_as_separate_ocr_blocks() -> None:
    # Tesseract often reads the whole left column, then jumps back up to the right one.
    left = [("Jane Doe", 40, 36), ("Head of Product", 90, 20), ("Acme Labs", 130, 20)]
    right = [
        ("T +1 415 555 2671", 40, 18),
        ("jane@acmelabs.com", 70, 18),
        ("500 Howard Street", 100, 18),
        ("San Francisco, CA 94105", 130, 18),
    ]
    lines = [_line(t, 40, y, s) for t, y, s in left] + [_line(t, 600, y, s) for t, y, s in right]
    c = extract(OcrResult(lines, 1050, 600)).contact
    assert (c.name, c.title, c.company) == ("Jane Doe", "Head of Product", "Acme Labs")
    assert c.address == "500 Howard Street, San Francisco, CA 94105"
    assert [(p.number, p.kind) for p in c.phones] == [("+14155552671", PhoneKind.WORK)]
