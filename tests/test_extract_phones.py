"""Phones: parsing under the inferred region, kinds from labels, extensions, OCR noise.

Every number expected valid=True was checked with phonenumbers.is_valid_number.
"""

from __future__ import annotations

import pytest

from cardscan.extract import extract
from cardscan.extract.synth import make_ocr
from cardscan.model import Extraction, Phone, PhoneKind


def _ex(*lines: str, region: str = "US") -> Extraction:
    return extract(make_ocr(list(lines)), region)


def _phones(*lines: str, region: str = "US") -> list[Phone]:
    return _ex(*lines, region=region).contact.phones


def _one(*lines: str, region: str = "US") -> Phone:
    phones = _phones(*lines, region=region)
    assert len(phones) == 1, phones
    return phones[0]


# --- labels in many languages -------------------------------------------------------

MOBILE = "M Mob Mobile Cell Cel Cellular Celular Móvil Movil Mobil Handy Portable Port. Tlm "
MOBILE += "Telemóvel Telemovel Cellulare Cell. GSM Mobiel Kom. Komórka"
FAX = "F Fax Telefax Télécopie"
WORK = "T Tel Tel. Tél Phone Ph P O Office Work Direct D DD Telefon Telefone Teléfono "
WORK += "Telefono Fon Bureau Ufficio Kantoor Fixo"


@pytest.mark.parametrize(
    ("label", "kind"),
    [(w, PhoneKind.MOBILE) for w in MOBILE.split()]
    + [(w, PhoneKind.FAX) for w in FAX.split()]
    + [(w, PhoneKind.WORK) for w in WORK.split()],
)
@pytest.mark.parametrize("sep", [" ", ": ", ". "])
def test_label_gives_kind(label: str, kind: PhoneKind, sep: str) -> None:
    phone = _one(f"{label}{sep}+49 30 1234567")
    assert phone.kind == kind
    assert phone.number == "+49301234567"
    assert phone.raw == "+49 30 1234567"  # the label is not part of raw


def test_labels_are_case_insensitive() -> None:
    assert _one("MOBILE +49 171 1234567").kind == PhoneKind.MOBILE
    assert _one("fax +49 30 1234568").kind == PhoneKind.FAX


# --- kinds from the numbering plan when no label says otherwise -----------------------


def test_unlabelled_number_that_could_be_either_is_other() -> None:
    # Every US number is FIXED_LINE_OR_MOBILE: no guess.
    assert _one("+1 415 555 2671").kind == PhoneKind.OTHER


@pytest.mark.parametrize(
    ("line", "region", "number", "kind"),
    [
        ("+49 171 1234567", "US", "+491711234567", PhoneKind.MOBILE),
        ("+91 98240 12345", "US", "+919824012345", PhoneKind.MOBILE),
        ("0912-345-678", "TW", "+886912345678", PhoneKind.MOBILE),
        ("+49 30 1234567", "US", "+49301234567", PhoneKind.WORK),  # fixed line
        ("03-1234-5678", "JP", "+81312345678", PhoneKind.WORK),
        ("+1 800 234 5678", "US", "+18002345678", PhoneKind.WORK),  # toll-free: a business's
    ],
)
def test_unlabelled_number_takes_its_numbering_plans_kind(
    line: str, region: str, number: str, kind: PhoneKind
) -> None:
    phone = _one(line, region=region)
    assert (phone.number, phone.kind) == (number, kind)


@pytest.mark.parametrize(
    ("label", "kind"),
    [("Home", PhoneKind.OTHER), ("Fax", PhoneKind.FAX), ("Tel", PhoneKind.WORK)],
)
def test_a_printed_label_wins_over_the_numbering_plan(label: str, kind: PhoneKind) -> None:
    assert _one(f"{label}: +49 171 1234567").kind == kind  # a mobile range


def test_a_number_printed_twice_keeps_the_kind_of_its_labelled_printing() -> None:
    phones = _phones("+49 30 1234567", "Fax +49 30 1234567", "info@acme.de")
    assert [(p.number, p.kind) for p in phones] == [("+49301234567", PhoneKind.FAX)]


def test_an_invalid_unlabelled_number_is_other() -> None:
    phone = _one("+49 (0) 1234 56")
    assert not phone.valid and phone.kind == PhoneKind.OTHER


# --- labels as OCR and print bring them ----------------------------------------------


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("T E L:", PhoneKind.WORK),  # letter-spaced print
        ("F A X:", PhoneKind.FAX),
        ("Tele Fax:", PhoneKind.FAX),
        ("H.P.", PhoneKind.MOBILE),  # hand phone
        ("HP:", PhoneKind.MOBILE),
        ("C.P.", PhoneKind.MOBILE),
        ("Resi:", PhoneKind.OTHER),
        ("ITel:", PhoneKind.WORK),  # a bar before the label read as I
        ("lFax", PhoneKind.FAX),
    ],
)
def test_spaced_split_and_abbreviated_labels(label: str, kind: PhoneKind) -> None:
    assert _one(f"{label} +49 30 1234567").kind == kind  # a fixed line: the plan says work


@pytest.mark.parametrize(
    ("line", "region", "kind"),
    [
        ("傳真：(02)2345-6789", "TW", PhoneKind.FAX),
        ("電話: (02)2345-6789", "TW", PhoneKind.WORK),
        ("行動: 0912-345-678", "TW", PhoneKind.MOBILE),
        ("公司传真 (02)2345-6789", "TW", PhoneKind.FAX),  # run into the words before it
        ("携帯電話 090-1234-5678", "JP", PhoneKind.MOBILE),  # mobile before phone
        ("ファックス 03-1234-5678", "JP", PhoneKind.FAX),
        ("휴대폰 010-1234-5678", "KR", PhoneKind.MOBILE),
        ("팩스 02-123-4567", "KR", PhoneKind.FAX),
        ("전화 010-1234-5678", "KR", PhoneKind.WORK),  # the label, not the plan
    ],
)
def test_labels_in_chinese_japanese_and_korean(line: str, region: str, kind: PhoneKind) -> None:
    assert _one(line, region=region).kind == kind


def test_opening_hours_are_no_labelled_number() -> None:
    assert _phones("Mo - Fr 0800 - 1800", region="DE") == []


def test_a_label_covers_the_numbers_listed_after_it() -> None:
    phones = _phones("Tel: 030 1234567 / 0171 1234567 | 030 1234568", region="DE")
    assert [(p.number, p.kind) for p in phones] == [
        ("+49301234567", PhoneKind.WORK),
        ("+491711234567", PhoneKind.WORK),  # printed under "Tel", though a mobile range
        ("+49301234568", PhoneKind.WORK),
    ]


def test_a_new_label_or_a_word_between_numbers_ends_the_list() -> None:
    phones = _phones("Tel 030 1234567, Fax 030 1234568", region="DE")
    assert [p.kind for p in phones] == [PhoneKind.WORK, PhoneKind.FAX]
    phones = _phones("Mobil 0171 1234567 Zentrale 030 1234568", region="DE")
    assert [p.kind for p in phones] == [PhoneKind.MOBILE, PhoneKind.WORK]


def test_an_unlabelled_number_after_an_unlabelled_one_takes_its_own_plan_kind() -> None:
    phones = _phones("030 1234567 / 0171 1234567", region="DE")
    assert [p.kind for p in phones] == [PhoneKind.WORK, PhoneKind.MOBILE]


def test_a_middle_dot_between_digits_is_a_separator() -> None:
    assert _one("Office +91 79·2555 1234").number == "+917925551234"
    assert _one("TEL 03・1234・5678", region="JP").number == "+81312345678"


def test_a_bar_run_into_the_next_number_is_not_a_one() -> None:
    phones = _phones("T: 030 1234567 |+49 171 1234567", region="DE")
    assert [p.number for p in phones] == ["+49301234567", "+491711234567"]


def test_fax_mobile_work_on_one_line() -> None:
    phones = _phones("T 030 1234567 F 030 1234568 M 0171 1234567", "info@acme.de")
    assert [(p.number, p.kind) for p in phones] == [
        ("+49301234567", PhoneKind.WORK),
        ("+49301234568", PhoneKind.FAX),
        ("+491711234567", PhoneKind.MOBILE),
    ]


def test_mobile_phone_is_mobile_and_tel_fax_is_work() -> None:
    assert _one("Mobile phone +49 171 1234567").kind == PhoneKind.MOBILE
    assert _one("Tel/Fax +49 30 1234567").kind == PhoneKind.WORK


def test_label_on_the_line_above() -> None:
    assert _one("Mobile", "+1 415 555 2671").kind == PhoneKind.MOBILE


def test_label_printed_after_the_number() -> None:
    assert _one("+34 612 39 80 29 Móvil").kind == PhoneKind.MOBILE
    assert _one("+49 30 1234567 Fax").kind == PhoneKind.FAX
    # A word after the number that is not a label says nothing about its kind.
    assert _one("+1 415 555 2671 Main Street").kind == PhoneKind.OTHER


def test_label_in_the_column_to_the_left() -> None:
    assert _one("Fax:   +1 415 555 2671").kind == PhoneKind.FAX


def test_label_in_parentheses_after_number() -> None:
    assert _one("+1 415 555 2671 (mobile)").kind == PhoneKind.MOBILE


# --- regions ------------------------------------------------------------------------


def test_german_local_number_read_under_de_from_domain() -> None:
    ex = _ex("Tel. 030 1234567", "jane@acme.de")
    assert ex.region == "DE"
    assert [(p.number, p.kind, p.valid) for p in ex.contact.phones] == [
        ("+49301234567", PhoneKind.WORK, True)
    ]


def test_local_numbers_follow_country_code_of_another_number() -> None:
    phones = _phones("T +44 20 7946 0958", "M 07911 123456")
    assert [p.number for p in phones] == ["+442079460958", "+447911123456"]
    assert all(p.valid for p in phones)


def test_uk_international_number_with_trunk_zero() -> None:
    assert _one("Tel: +44 (0)20 7946 0958").number == "+442079460958"


@pytest.mark.parametrize(
    ("lines", "region", "number"),
    [
        (["Tél. 01 42 68 53 00", "contact@acme.fr"], "FR", "+33142685300"),
        (["Móvil 612 34 56 78", "www.acme.es"], "ES", "+34612345678"),
        (["Celular (11) 91234-5678", "maria@acme.com.br"], "BR", "+5511912345678"),
        (["Mobiel 06 12345678", "Amsterdam, Nederland"], "NL", "+31612345678"),
        (["Cellulare 347 123 4567", "info@acme.it"], "IT", "+393471234567"),
        (["Tlm 912 345 678", "Lisboa, Portugal"], "PT", "+351912345678"),
        (["Mob 0412 345 678", "jo@acme.com.au"], "AU", "+61412345678"),
    ],
)
def test_local_numbers_under_inferred_region(lines: list[str], region: str, number: str) -> None:
    ex = _ex(*lines, region="US")
    assert ex.region == region
    assert [(p.number, p.valid) for p in ex.contact.phones] == [(number, True)]


def test_default_region_used_without_evidence() -> None:
    ex = _ex("Tel 030 1234567", region="DE")
    assert ex.region == "DE"
    assert ex.contact.phones[0].number == "+49301234567"


# --- extensions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Tel +1 415 555 2671 ext. 240",
        "Tel +1 415 555 2671 x240",
        "Tel +1 415 555 2671 Ramal 240",
        "Tel +1 415 555 2671, Durchwahl 240",
        "Tel +1 415 555 2671 poste 240",
        "Tel +1 415 555 2671 Int. 240",
    ],
)
def test_extension(line: str) -> None:
    phone = _one(line)
    assert (phone.number, phone.extension, phone.raw) == ("+14155552671", "240", "+1 415 555 2671")


# --- OCR noise ----------------------------------------------------------------------


def test_letter_o_and_l_inside_digits_are_repaired() -> None:
    phone = _one("T: (O30) l234567", "www.acme.de")
    assert (phone.number, phone.valid) == ("+49301234567", True)


def test_spaced_plus_country_code() -> None:
    assert _one("M + 44 7911 123456").number == "+447911123456"


@pytest.mark.parametrize("icon", ["e", "&", "©", "®", "@", "|", "»"])
def test_icon_garbage_before_number(icon: str) -> None:
    phone = _one(f"{icon} +1 (415) 555-0132")
    assert (phone.number, phone.raw, phone.valid) == ("+14155550132", "+1 (415) 555-0132", True)


def test_label_glued_to_number() -> None:
    phone = _one("Tel:+14155552671")
    assert (phone.number, phone.kind) == ("+14155552671", PhoneKind.WORK)


# --- kept though invalid, and things that are not phones ---------------------------


def test_labelled_unparseable_run_is_kept_invalid() -> None:
    phone = _one("Fax: 12345678")
    assert (phone.number, phone.valid, phone.kind) == ("12345678", False, PhoneKind.FAX)


def test_labelled_invalid_number_is_kept() -> None:
    phone = _one("Mob: 07700 900123", "www.acme.co.uk")  # Ofcom drama range: invalid
    assert (phone.number, phone.valid, phone.kind) == ("+447700900123", False, PhoneKind.MOBILE)


@pytest.mark.parametrize(
    "line",
    [
        "10115 Berlin",
        "Hauptstraße 5",
        "123 Main Street, Suite 400",
        "San Francisco, CA 94105-1234",
        "Since 12.03.2024",
        "IBAN DE89 3704 0044 0532 0130 00",
        "USt-IdNr. DE123456789",
        "P.O. Box 12345",
        "jane1234567@acme.com",
        "www.acme1234567.com",
    ],
)
def test_not_phones(line: str) -> None:
    assert _phones(line, region="DE") == []


@pytest.mark.parametrize(
    ("line", "region"),
    [
        ("統一編號：24536806", "TW"),  # Taiwan's Unified Business Number, eight digits
        ("統編 24536806", "TW"),
        ("UBN: 24536806", "TW"),
        ("사업자등록번호 214-86-12345", "KR"),
        ("MST: 0101234567", "VN"),  # mã số thuế, Vietnam's tax code
        ("NPWP: 01.234.567.8-901.000", "ID"),
        ("DRE# 01234567", "US"),  # a California estate agent's licence
        ("NMLS 1234567", "US"),
        ("NPI 1234567893", "US"),
        ("EIN 12-3456789", "US"),
        ("USDOT 1234567", "US"),
        ("FSSAI Lic. No. 10012345678901", "IN"),
        ("IEC: 0512345678", "IN"),
    ],
)
def test_tax_and_licence_numbers_of_more_countries_are_no_phones(line: str, region: str) -> None:
    assert _phones(line, region=region) == []


def test_a_phone_after_a_tax_number_on_its_line_is_still_read() -> None:
    phones = _phones("統一編號：24536806  電話：02-2345-6789", region="TW")
    assert [p.number for p in phones] == ["+886223456789"]


def test_the_polish_tel_kom_is_a_mobile() -> None:
    phones = _phones("tel. 22 123 45 67", "tel. kom. 601 234 567", region="PL")
    assert [(p.number, p.kind) for p in phones] == [
        ("+48221234567", PhoneKind.WORK),
        ("+48601234567", PhoneKind.MOBILE),
    ]


def test_duplicates_removed_keeping_specific_kind() -> None:
    phones = _phones("+49 30 1234567", "Tel. 030 1234567", "info@acme.de")
    assert [(p.number, p.kind) for p in phones] == [("+49301234567", PhoneKind.WORK)]
