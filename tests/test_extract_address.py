"""Postal addresses: street, postcode/city and country lines in many national shapes."""

from __future__ import annotations

import pytest

from cardscan.extract import extract
from cardscan.extract.address import is_postcode, is_street, japanese_marks, korean_spacing
from cardscan.extract.synth import make_ocr
from cardscan.model import Extraction, OcrLine, OcrResult


def _ex(lines: list, region: str = "US") -> Extraction:
    return extract(make_ocr([("Jane Doe", 36), *lines]), region)


@pytest.mark.parametrize(
    ("lines", "address"),
    [
        (
            ["123 Market Street, Suite 400", "San Francisco, CA 94105"],
            "123 Market Street, Suite 400, San Francisco, CA 94105",
        ),
        (["1600 Amphitheatre Pkwy", "Mountain View, CA 94043"], None),
        (["Hauptstraße 5", "10115 Berlin", "Germany"], "Hauptstraße 5, 10115 Berlin, Germany"),
        (["Bahnhofstr. 12a", "D-80335 München"], "Bahnhofstr. 12a, D-80335 München"),
        (["221B Baker Street", "London", "NW1 6XE", "United Kingdom"], None),
        (["12 rue de la Paix", "75002 Paris", "France"], None),
        (["Calle Mayor 12, 3º", "28013 Madrid"], "Calle Mayor 12, 3º, 28013 Madrid"),
        (["Av. Paulista, 1000 - Sala 12", "São Paulo - SP", "CEP 01310-100"], None),
        (["Rua Augusta 100", "1100-053 Lisboa"], None),
        (["Via Roma 10", "00184 Roma (RM)"], None),
        (["Keizersgracht 123", "1015 CJ Amsterdam"], None),
        (["Level 12, 530 Collins Street", "Melbourne VIC 3000"], None),
        (["1188 Homer Street", "Vancouver, BC V6B 2X6"], None),
        (["Address: 5 Main Road, Springfield"], "5 Main Road, Springfield"),
    ],
)
def test_addresses(lines: list[str], address: str | None) -> None:
    ex = _ex(lines)
    assert ex.contact.address == (address or ", ".join(lines))
    assert ex.confidence["address"] > 0.5


def test_street_without_known_word_right_above_postcode() -> None:
    assert _ex(["Friedrichstrabe 112", "10117 Berlin"]).contact.address == (
        "Friedrichstrabe 112, 10117 Berlin"
    )


def test_one_line_address_with_separators() -> None:
    ex = _ex(["Hauptstraße 5 · 10115 Berlin · Germany"])
    assert ex.contact.address == "Hauptstraße 5, 10115 Berlin, Germany"


def test_contact_lines_are_not_address() -> None:
    lines = ["Tel 030 1234567", "Hauptstraße 5", "10115 Berlin", "jane@acme.de"]
    assert _ex(lines).contact.address == "Hauptstraße 5, 10115 Berlin"


def test_address_in_right_column_of_merged_lines() -> None:
    lines = ["Tel 030 1234567   Hauptstraße 5", "Fax 030 1234568   10115 Berlin", "jane@acme.de"]
    ex = _ex(lines)
    assert ex.contact.address == "Hauptstraße 5, 10115 Berlin"
    assert [p.kind.value for p in ex.contact.phones] == ["work", "fax"]


def test_country_alone_is_not_an_address() -> None:
    assert _ex(["Germany"]).contact.address is None


def test_ordinals_and_years_are_not_streets() -> None:
    assert not is_street("21st Century Media")
    assert not is_street("Since 1985")
    assert is_street("1st Floor, 10 Downing St")


@pytest.mark.parametrize(
    "text",
    ["CA 94105", "NW1 6XE", "M5V 2T6", "01310-100", "1100-053", "1015 CJ Amsterdam", "75002 Paris"],
)
def test_postcode_shapes(text: str) -> None:
    assert is_postcode(text)


@pytest.mark.parametrize("text", ["+49 30 1234567", "Jane Doe", "2024"])
def test_not_postcodes(text: str) -> None:
    assert not is_postcode(text)


# --- multi-line national shapes, icons, flats ---------------------------------------


@pytest.mark.parametrize(
    ("lines", "address"),
    [
        (  # UK: flat, building, town, postcode on four lines
            ["Flat 24", "Khan Manors", "Wardhaven", "EX8E 4HQ"],
            "Flat 24, Khan Manors, Wardhaven, EX8E 4HQ",
        ),
        (["Studio 78G", "David Park", "HP6 6TB"], "Studio 78G, David Park, HP6 6TB"),
        (  # Australia with commas around the state
            ["53 Stephens Corso", "Bakerbury, NT, 2643"],
            "53 Stephens Corso, Bakerbury, NT, 2643",
        ),
        (  # Spain, city before the postcode
            ["Calle de Rafa Rosado 6 Piso 4", "Huesca, 19500"],
            "Calle de Rafa Rosado 6 Piso 4, Huesca, 19500",
        ),
        (["Vial Ovidio Amat 82", "León, 13571"], "Vial Ovidio Amat 82, León, 13571"),
        (  # Brazil: street, district, CEP without dash and "/ UF"
            ["Passarela da Rosa, 37", "Barroca", "58699752 Cassiano do Sul / BA"],
            "Passarela da Rosa, 37, Barroca, 58699752 Cassiano do Sul / BA",
        ),
        (["Rua Monteiro, S/N", "9064-468 Sintra"], "Rua Monteiro, S/N, 9064-468 Sintra"),
        (["boulevard Raymond", "71665 Pascal-sur-Normand"], None),
        (["Wulfring 2-6", "93972 Mellrichstadt"], "Wulfring 2-6, 93972 Mellrichstadt"),
        (  # icons read as text in front of the lines
            ["* 6025 Chris Cliffs", "¢ Joneshaven, NC 00868"],
            "6025 Chris Cliffs, Joneshaven, NC 00868",
        ),
        (  # Canada: apartment in the street line
            ["006 Robbins Extension Apt. 817", "Georgeberg, NL M1B7T1"],
            "006 Robbins Extension Apt. 817, Georgeberg, NL M1B7T1",
        ),
    ],
)
def test_more_address_shapes(lines: list[str], address: str | None) -> None:
    want = address if address is not None else ", ".join(lines)
    assert _ex(lines).contact.address == want


def test_bridge_lines_are_limited() -> None:
    lines = ["Flat 24", "Khan Manors", "Wardhaven", "Old Town", "EX8E 4HQ"]
    assert _ex(lines, "GB").contact.address in ("Flat 24", "EX8E 4HQ")  # not one chain


def test_plain_words_above_postcode_are_not_a_street() -> None:
    ex = _ex(["Account Manager", "Acme Widgets", "Joneshaven, NC 00868"])
    assert ex.contact.address == "Joneshaven, NC 00868"


@pytest.mark.parametrize(
    "text", ["Foxglove Studio, since 2024", "grace@foxglove.studio 8", "Level up 3x"]
)
def test_flat_words_need_their_number(text: str) -> None:
    assert not is_street(text)


@pytest.mark.parametrize("text", ["Flat 24", "Studio 78G", "Apt. 817", "Level 9 7 Swanson Parade"])
def test_numbered_flats_are_streets(text: str) -> None:
    assert is_street(text)


@pytest.mark.parametrize("text", ["Stationsbaan 881", "Begijnhof 12", "Am Gutshof 3a"])
def test_dutch_and_german_compound_streets_are_streets(text: str) -> None:
    assert is_street(text)


def test_a_dutch_street_is_found_above_a_misread_postcode() -> None:
    """A postcode misread ("6369 JJ" as "6369J") is lost; the street line still starts the
    address (its town line below it)."""
    address = _ex(["Maud Hehl", "Directeur", "Joelbaan 881", "6369J Graft"], "NL").contact.address
    assert address is not None and address.startswith("Joelbaan 881")


# Shapes of Asia, India and the rest of the world (made-up places and numbers).
@pytest.mark.parametrize(
    ("lines", "address", "region"),
    [
        (  # Japan: building line, district suffixes, postcode after the city
            ["Hoshino Tower Bldg.", "3-4-5 Kanda, Chiyoda-ku,", "Tokyo 101-0047, Japan"],
            "Hoshino Tower Bldg., 3-4-5 Kanda, Chiyoda-ku, Tokyo 101-0047, Japan",
            "JP",
        ),
        (  # Japan in its own script, with the postal mark and a label
            ["〒101-0047", "東京都千代田区内神田3-4-5"],
            "〒101-0047, 東京都千代田区内神田3-4-5",
            "JP",
        ),
        (["住所：台北市中山區民生路12號3樓"], "台北市中山區民生路12號3樓", "TW"),
        (  # India: number then building, landmark, city with its PIN
            ["404, Lotus Chambers,", "Near City Mall,", "Ring Road, Pune-411 001."],
            "404, Lotus Chambers, Near City Mall, Ring Road, Pune-411 001.",
            "IN",
        ),
        (["Plot No. 77, Sector 9,", "Noida 201301"], "Plot No. 77, Sector 9, Noida 201301", "IN"),
        (  # Korea: romanised road and district, postcode after the country
            ["45 Hanbit-ro, Mapo-gu,", "Seoul, Korea 04001"],
            "45 Hanbit-ro, Mapo-gu, Seoul, Korea 04001",
            "KR",
        ),
        (  # Taiwan: postcode after the city, country on its own line
            ["No. 12, Zhongshan Rd., Xinyi Dist.,", "Taipei City 110001,", "Taiwan"],
            "No. 12, Zhongshan Rd., Xinyi Dist., Taipei City 110001, Taiwan",
            "TW",
        ),
        (["Head Office: 12 Harbour Road,", "Kowloon, Hong Kong"], None, "HK"),
    ],
)
def test_addresses_of_many_countries(lines: list[str], address: str | None, region: str) -> None:
    ex = _ex(lines, region)
    want = address or ", ".join(lines).removeprefix("Head Office: ").replace(",,", ",")
    assert ex.contact.address == want


def test_a_place_and_its_country_alone_is_a_weak_address() -> None:
    ex = _ex(["Acme Trading Ltd.", "Pokhara, Nepal", "jane@acme.example"], "NP")
    assert ex.contact.address == "Pokhara, Nepal"
    assert ex.confidence["address"] < 0.6


@pytest.mark.parametrize(
    "text",
    [
        "Fax 555-1234",
        "Tel 101-0047",
        "Mobile 98765 43210",
        "Ph. 2669629",
        "Room 12 at noon",
        "Since 1965, England",
    ],
)
def test_phone_lines_are_no_postcode(text: str) -> None:
    assert not is_postcode(text)


def test_a_country_word_alone_or_in_a_name_is_no_address() -> None:
    assert _ex(["Since 1965", "ENGLAND", "Korea Platform Services"]).contact.address is None


def test_a_company_over_the_address_stays_the_company() -> None:
    ex = _ex(["Harbour House Ltd", "12 Quay Street", "Bristol BS1 4DJ"], "GB")
    assert ex.contact.address == "12 Quay Street, Bristol BS1 4DJ"
    assert ex.contact.company == "Harbour House Ltd"


def test_house_numbers_and_dutch_dreef_streets_start_an_address() -> None:
    """India's "H.No. 107" / "House No. 5" and a Dutch "-dreef" street are address lines;
    a bare letter or a place name before a number is not."""
    for street in ("H.No. 107", "H No 12", "House No. 5", "Madsdreef 13", "Oranjedreef 4a"):
        assert is_street(street), street
    for other in ("h 12", "Holland 12", "Dreef Consulting"):
        assert not is_street(other), other
    ex = _ex(["H.No. 107", "Atwal Road, Uluberia-712330"], "IN")
    assert ex.contact.address == "H.No. 107, Atwal Road, Uluberia-712330"


def test_an_address_ending_on_a_phone_line_keeps_its_last_line() -> None:
    lines = [
        "Unit 2211, 22nd Fl., Saigon Trade Center, 37 Ton Duc Thang St.,",
        "Ho Chi Minh City, VIETNAM. Tel: +84 8 3910 5103",
    ]
    ex = _ex(lines, "VN")
    assert ex.contact.address == (
        "Unit 2211, 22nd Fl., Saigon Trade Center, 37 Ton Duc Thang St., Ho Chi Minh City, VIETNAM."
    )
    assert [p.number for p in ex.contact.phones] == ["+84839105103"]


def test_a_bilingual_card_keeps_the_latin_address_and_the_other_form() -> None:
    lines = [
        "325207桃園市龍潭區佳安里文化路1000號",
        "No. 1000, Wenhua Rd., Jiaan Village,",
        "Longtan District, Taoyuan City 325207,",
        "Taiwan (R.O.C.)",
        "jane@example.org.tw",
    ]
    ex = _ex(lines, "TW")
    assert ex.contact.address == (
        "No. 1000, Wenhua Rd., Jiaan Village, Longtan District, Taoyuan City 325207, "
        "Taiwan (R.O.C.)"
    )
    assert "325207桃園市龍潭區佳安里文化路1000號" in ex.other_text
    # The CJK address alone is the address.
    assert _ex([lines[0], lines[4]], "TW").contact.address == lines[0]


@pytest.mark.parametrize(
    ("line", "address"),
    [
        # bars between the parts read as capital I
        (
            "G-1 I Plot A-27 I Road No.10 I Wagle Estate, Thane 400604",
            "G-1 | Plot A-27 | Road No.10 | Wagle Estate, Thane 400604",
        ),
        # a British postcode whose space the OCR dropped
        ("5 Stevenson Square, Manchester M11DN", "5 Stevenson Square, Manchester M1 1DN"),
        # an ordinal's º read as a degree sign
        (
            "Rua Augusta, 148, 2.° Esq., 1100-053 Lisboa",
            "Rua Augusta, 148, 2.º Esq., 1100-053 Lisboa",
        ),
        # "H.O." (head office) with its O read as a zero is a label
        ("H.0.: 1st Floor, Athwa Gate, Surat 395001", "1st Floor, Athwa Gate, Surat 395001"),
        # the article "Al"/"El" with its small l read as a capital I
        (
            "Via Nanni 9, 24126 Colognola AI Piano (BG)",
            "Via Nanni 9, 24126 Colognola Al Piano (BG)",
        ),
        ("Villa 12, AI-Ain Road, Dubai, UAE", "Villa 12, Al-Ain Road, Dubai, UAE"),
    ],
)
def test_ocr_slips_in_address_lines_are_mended(line: str, address: str) -> None:
    assert _ex([line]).contact.address == address


def test_a_capital_i_in_an_address_stays_unless_it_parts_it_twice() -> None:
    line = "Phase I Industrial Area, Chandigarh 160002"
    assert _ex([line], "IN").contact.address == line


def test_an_address_column_beside_another_keeps_its_lines() -> None:
    """Two columns: the OCR's lines alternate between them, and the lines of the other
    column between an address's lines do not part them."""
    lines = [
        "260 Patricia Passage   www.johnsongreen.co.uk",
        ("Lake Emma", 22, 60),
        "N4 1BZ   info@johnsongreen.co.uk",
    ]
    ocr = make_ocr([("Jane Doe", 36), *lines])
    # make_ocr puts each column on one line: part them as the OCR does, one line each.
    split = []
    for line in ocr.lines:
        columns: list[list] = [[]]
        for w in line.words:
            if columns[-1] and w.box.left - columns[-1][-1].box.right > 100:
                columns.append([])
            columns[-1].append(w)
        split += [OcrLine(c) for c in columns]
    ex = extract(OcrResult(split, ocr.width, ocr.height), "GB")
    assert ex.contact.address == "260 Patricia Passage, Lake Emma, N4 1BZ"


@pytest.mark.parametrize(
    ("lines", "address"),
    [
        # the street left of the postcode on the same line, a column apart
        (["Canale Cassandra, 95   43011 Busseto (PR)"], "Canale Cassandra, 95, 43011 Busseto (PR)"),
        # a flat after the house number
        (
            ["Stretto Dulbecco, 69 Appartamento 7", "01034 Fabrica Di Roma (VT)"],
            "Stretto Dulbecco, 69 Appartamento 7, 01034 Fabrica Di Roma (VT)",
        ),
        # the house number alone over its street
        (["88/401", "Dar Road", "Berhampore-109004"], "88/401, Dar Road, Berhampore-109004"),
    ],
)
def test_street_lines_that_name_no_street_word(lines: list, address: str) -> None:
    assert _ex(lines, "IT").contact.address == address


def test_an_english_word_ending_in_ring_is_no_street() -> None:
    """German ring roads ("Kaiserring 5") end in -ring; "Engineering" over the street is
    a department, not the address's first line."""
    lines = [("Electrical Engineering", 22), "17 Comstock Circle", "Stanford, CA 94305"]
    assert _ex(lines).contact.address == "17 Comstock Circle, Stanford, CA 94305"
    assert _ex(["Kaiserring 5", "68161 Mannheim"], "DE").contact.address == (
        "Kaiserring 5, 68161 Mannheim"
    )


def test_bars_read_as_i_across_the_lines_of_an_address() -> None:
    lines = ["G-1 I Road No.10 I Wagle Estate", "Thane, Maharashtra I India - 400604"]
    assert _ex(lines, "IN").contact.address == (
        "G-1 | Road No.10 | Wagle Estate, Thane, Maharashtra | India - 400604"
    )


def test_a_landmark_between_street_and_city_keeps_the_address_whole() -> None:
    lines = [
        "1st Floor, Shivpuja Shopping Centre,",
        "Above Bank of Baroda,",
        "Citylight, Surat-395 007.",
    ]
    assert _ex(lines, "IN").contact.address == (
        "1st Floor, Shivpuja Shopping Centre, Above Bank of Baroda, Citylight, Surat-395 007."
    )


def test_a_japanese_address_keeps_its_building_line_and_drops_the_office_name() -> None:
    lines = ["107-0052 東京都港区赤坂2-9-11", "オリックス赤坂2丁目ビル2階", "TEL.03-5545-3801"]
    assert _ex(lines, "JP").contact.address == (  # the postal mark the OCR lost, back
        "〒107-0052 東京都港区赤坂2-9-11, オリックス赤坂2丁目ビル2階"
    )
    office = ["東京〒110-0005東京都台東区上野2-7-7", "TEL(03)6860-8606"]
    assert _ex(office, "JP").contact.address == "〒110-0005東京都台東区上野2-7-7"
    # A second office's address under the first is not joined to it.
    two = ["〒110-0005 東京都台東区上野2-7-7", "〒541-0054 大阪市中央区南本町4-1-8"]
    assert _ex(two, "JP").contact.address == "〒110-0005 東京都台東区上野2-7-7"


def test_a_street_without_a_number_and_its_country_on_one_line() -> None:
    line = "Oud Al Touba Street, Al Ain, United Arab Emirates"
    assert _ex([line, "Tel: +971 3 764 8421"], "AE").contact.address == line


def test_a_post_office_line_over_the_district_belongs_to_the_address() -> None:
    lines = ["HAZIRA, P.O.: O.N.G.C.L.,", "Dist.: SURAT (Guj.) 394 518"]
    assert _ex(lines, "IN").contact.address == (
        "HAZIRA, P.O.: O.N.G.C.L., Dist.: SURAT (Guj.) 394 518"
    )


def test_a_doctor_is_no_drive() -> None:
    lines = [("Dr. Coat", 22), "SHOP NO. 1, YUSUF SARAI, NEW DELHI-110029"]
    assert _ex(lines, "IN").contact.address == "SHOP NO. 1, YUSUF SARAI, NEW DELHI-110029"
    assert _ex(["1200 Ocean Dr.", "Miami, FL 33139"]).contact.address == (
        "1200 Ocean Dr., Miami, FL 33139"
    )


def test_a_building_before_the_country_and_its_postcode_ends_the_address() -> None:
    lines = [
        ("OCBC Bank", 36),
        ("Lim Wei Ming", 28),
        "65 Chulia Street #10-00",
        "OCBC Centre Singapore 049513",
        "weiming.lim@ocbc.com",
    ]
    assert _ex(lines, "SG").contact.address == (
        "65 Chulia Street #10-00, OCBC Centre Singapore 049513"
    )


def test_a_mexican_postcode_after_its_label_ends_the_address() -> None:
    lines = [
        ("Grupo Norte", 36),
        ("José Luis García", 28),
        "Av. Constitución 123 Pte., Col. Centro",
        "Monterrey, N.L. C.P. 64000",
        "jl@gin.com.mx",
    ]
    assert _ex(lines, "MX").contact.address == (
        "Av. Constitución 123 Pte., Col. Centro, Monterrey, N.L. C.P. 64000"
    )


def test_a_spanish_calle_abbreviated_and_a_country_of_two_words() -> None:
    lines = [
        ("Garcia S.L.", 36),
        ("Luis Garcia", 28),
        "C/ Mayor, 12, 3º B",
        "28013 Madrid",
        "luis@garcia.es",
    ]
    assert _ex(lines, "ES").contact.address == "C/ Mayor, 12, 3º B, 28013 Madrid"
    lines = [("Acme", 36), ("Thabo Mbeki", 28), "12 Long Street", "Cape Town, 8001", "South Africa"]
    assert _ex(lines, "ZA").contact.address == "12 Long Street, Cape Town, 8001, South Africa"


def test_a_turkish_card_street_and_title() -> None:
    lines = [
        ("Koç Holding A.Ş.", 36),
        ("Mehmet Yılmaz", 28),
        ("Genel Müdür", 20),
        "Nakkaştepe, Azizbey Sokak No:1",
        "34674 Kuzguncuk, İstanbul",
        "mehmet.yilmaz@koc.com.tr",
    ]
    contact = _ex(lines, "TR").contact
    assert contact.address == "Nakkaştepe, Azizbey Sokak No:1, 34674 Kuzguncuk, İstanbul"
    assert contact.title == "Genel Müdür"


@pytest.mark.parametrize(
    ("line", "region"),
    [
        ("FPT Tower, 10 Pham Van Bach, Cau Giay, Ha Noi, Viet Nam", "VN"),
        ("Jl. Japati No. 1, Bandung 40133", "ID"),
        ("99/1 Soi Sukhumvit 21, Bangkok 10110", "TH"),
    ],
)
def test_one_line_addresses_of_south_east_asia(line: str, region: str) -> None:
    lines = [("ACME", 36), ("Jane Doe", 28), ("Manager", 20), line, "jane@acme.com"]
    assert _ex(lines, region).contact.address == line


def test_a_polish_card_street_postcode_and_title() -> None:
    lines = [
        ("Kowalski Sp. z o.o.", 36),
        ("Anna Kowalska", 28),
        ("Dyrektor Handlowy", 20),
        "ul. Marszałkowska 10/12",
        "00-590 Warszawa",
        "anna.kowalska@kowalski.pl",
    ]
    contact = _ex(lines, "PL").contact
    assert contact.address == "ul. Marszałkowska 10/12, 00-590 Warszawa"
    assert contact.title == "Dyrektor Handlowy"
    assert not is_postcode("12-345 ext")


def test_a_japanese_building_line_under_a_whole_address_joins_it() -> None:
    lines = [
        ("株式会社サンプル", 30),
        ("山田太郎", 36),
        "〒100-0005 東京都千代田区丸の内1-2-3",
        "丸の内ビル5F",
        "TEL 03-1234-5678",
    ]
    assert _ex(lines, "JP").contact.address == "〒100-0005 東京都千代田区丸の内1-2-3, 丸の内ビル5F"


@pytest.mark.parametrize(
    ("region", "lines", "address"),
    [
        (
            "IN",
            ["B-204, Sunrise Apartments,", "Near City Mall, Andheri (W),", "Mumbai - 400 053."],
            "B-204, Sunrise Apartments, Near City Mall, Andheri (W), Mumbai - 400 053.",
        ),
        (
            "US",
            ["1600 Amphitheatre Pkwy", "Mountain View, California 94043"],
            "1600 Amphitheatre Pkwy, Mountain View, California 94043",
        ),
        (
            "AR",
            ["Av. Corrientes 1234, Piso 5", "C1043AAZ CABA"],
            "Av. Corrientes 1234, Piso 5, C1043AAZ CABA",
        ),
        (
            "SE",
            ["Drottninggatan 12", "111 51 Stockholm"],
            "Drottninggatan 12, 111 51 Stockholm",
        ),
        (
            "IE",
            ["Unit 5, Sandyford Business Park", "Dublin 18, D18 X5K7", "Ireland"],
            "Unit 5, Sandyford Business Park, Dublin 18, D18 X5K7, Ireland",
        ),
        (
            "GB",
            ["The Old Rectory", "Church Lane", "Little Wittenham", "Oxfordshire OX14 4RA"],
            "The Old Rectory, Church Lane, Little Wittenham, Oxfordshire OX14 4RA",
        ),
    ],
)
def test_addresses_whose_street_or_postcode_line_had_no_rule(
    region: str, lines: list[str], address: str
) -> None:
    card = [("ACME", 36), ("John Smith", 28), ("Manager", 18), *lines, "john@acme.com"]
    assert _ex(card, region).contact.address == address


def test_a_bilingual_address_keeps_the_latin_form_and_the_other_apart() -> None:
    lines = [
        ("香港科技有限公司", 30),
        ("Chan Tai Man", 22),
        ("Sales Manager", 16),
        "Tel: (852) 2123 4567",
        "香港中環皇后大道中100號",
        "100 Queen's Road Central, Hong Kong",
    ]
    ex = _ex(lines, "HK")
    assert ex.contact.address == "100 Queen's Road Central, Hong Kong"
    assert "香港中環皇后大道中100號" in ex.other_text
    # A postal mark's line has no script: the Japanese address under it joins it.
    lines = [("山田太郎", 36), "〒435-0015", "静岡県浜松市東区子安町311-3", "TEL 053-123-4567"]
    assert _ex(lines, "JP").contact.address == "〒435-0015, 静岡県浜松市東区子安町311-3"


@pytest.mark.parametrize(
    ("read", "written"),
    [
        ("06627서 울 특별시 서초구 강닝 대로 327", "06627 서울특별시 서초구 강닝대로 327"),
        ("대전광 역시 서구 청사로 148", "대전광역시 서구 청사로 148"),
        ("구로구 디지털로 300, 5층", "구로구 디지털로 300, 5층"),  # written so: kept
        ("매그놀리아 507초, 508초", "매그놀리아 507호, 508호"),  # 호 misread as 초
        ("역삼동 123번지", "역삼동 123번지"),  # a lot number's unit stays on it
        ("12 Main Street", "12 Main Street"),
    ],
)
def test_a_korean_address_is_spaced_as_it_is_written(read: str, written: str) -> None:
    assert korean_spacing(read) == written


def test_a_korean_office_label_before_the_address_is_no_part_of_it() -> None:
    lines = [("김민준", 36), ("이사", 18), "본사 대전광역시 서구 청사로 148", "010-1234-5678"]
    assert _ex(lines, "KR").contact.address == "대전광역시 서구 청사로 148"


@pytest.mark.parametrize(
    ("read", "written"),
    [
        ("107-0052 東京都港区赤坂2-9-11", "〒107-0052 東京都港区赤坂2-9-11"),
        (
            "〒110-0005東京都台東区上野2-7-7（上野HSビル9F）",
            "〒110-0005東京都台東区上野2-7-7 (上野HSビル9F)",
        ),
        ("Road 12, 107-0052", "Road 12, 107-0052"),  # no Japanese after it: left alone
    ],
)
def test_a_japanese_address_gets_its_postal_mark_and_latin_brackets(
    read: str, written: str
) -> None:
    assert japanese_marks(read) == written


def test_the_head_offices_address_before_a_branchs_and_a_postal_mark_read_as_te() -> None:
    lines = [
        ("生田真也", 36),
        "本社:テ690-0826 島根県松江市学園南2丁目10-14(タイムプラザビル)",
        "TEL 0852-32-1140",
        "東京支社:105-0013 東京都港区浜松町2丁目11-16(ユーワビル4F)",
    ]
    assert (
        _ex(lines, "JP").contact.address
        == "〒690-0826 島根県松江市学園南2丁目10-14(タイムプラザビル)"
    )
    lines = [
        "Branch Office: 12 Park Road, London NW1 6XE",
        "Head Office: 5 High Street, Leeds LS1 4AB",
    ]
    assert _ex(lines, "GB").contact.address == "5 High Street, Leeds LS1 4AB"


def test_another_offices_address_in_another_script_is_not_joined() -> None:
    lines = [
        ("김민준", 36),
        "대전광역시 서구 청사로 148 매그놀리아 507호",
        "II 12A, 169 Nguyen Ngoc Vu, Trung Hoa, Cau Giay, Hanoi, Vietnam",
    ]
    assert _ex(lines, "KR").contact.address == "대전광역시 서구 청사로 148 매그놀리아 507호"


def _whole_card(region: str, lines: list[tuple[str, int]]) -> str | None:
    """A card's lines as the recogniser gives them, extracted as the pipeline does."""
    return _ex_card(lines, region).contact.address


def _ex_card(lines: list[tuple[str, int]], region: str) -> Extraction:
    return extract(make_ocr(lines), region)


@pytest.mark.parametrize(
    ("region", "lines", "address"),
    [
        (  # Bengaluru's numbered crosses and mains, the house number written "No. 12,"
            "IN",
            [
                ("Priya Nair", 40),
                ("Architect", 22),
                ("Nair & Associates", 22),
                ("No. 12, 3rd Cross, 2nd Main,", 17),
                ("Indiranagar, Bengaluru - 560038", 17),
                ("Ph: 080 2521 4455", 17),
                ("priya@nairassociates.in", 17),
            ],
            "No. 12, 3rd Cross, 2nd Main, Indiranagar, Bengaluru - 560038",
        ),
        (  # a building's name and a plot number with its block letter
            "IN",
            [
                ("Suresh Patil", 40),
                ("Chief Engineer", 22),
                ("Maharashtra State Electricity Board", 22),
                ("Prakashgad, Plot No. G-9,", 17),
                ("Bandra (East), Mumbai 400 051", 17),
                ("Tel: 022 2647 4211", 17),
                ("ce@mahadiscom.in", 17),
            ],
            "Prakashgad, Plot No. G-9, Bandra (East), Mumbai 400 051",
        ),
        (  # a lot in an industrial park over the district and city
            "VN",
            [
                ("Pham Minh Duc", 40),
                ("Project Manager", 22),
                ("VinaTech Co., Ltd", 22),
                ("Add: Lot A2, Thang Long Industrial Park,", 17),
                ("Dong Anh District, Hanoi, Vietnam", 17),
                ("Tel: (+84) 24 3881 2345", 17),
                ("duc.pham@vinatech.vn", 17),
            ],
            "Lot A2, Thang Long Industrial Park, Dong Anh District, Hanoi, Vietnam",
        ),
        (  # Vietnamese: its label, P. (ward), Q. (district), TP. (city)
            "VN",
            [
                ("Nguyễn Văn An", 40),
                ("Giám đốc", 22),
                ("Công ty TNHH Minh Phát", 22),
                ("Địa chỉ: 123 Nguyễn Huệ, P. Bến Nghé, Q.1, TP.HCM", 17),
                ("ĐT: 028 3822 1234", 17),
                ("an.nguyen@minhphat.vn", 17),
            ],
            "123 Nguyễn Huệ, P. Bến Nghé, Q.1, TP.HCM",
        ),
        (  # Số (number), then the ward, district and city on one line
            "VN",
            [
                ("Lê Hoàng Nam", 40),
                ("Trưởng phòng Kinh doanh", 22),
                ("Công ty Cổ phần Thép Việt", 22),
                ("Số 8 Phạm Hùng, Mễ Trì, Nam Từ Liêm, Hà Nội", 17),
                ("Tel: 024 3768 5555", 17),
                ("Email: nam.le@thepviet.com.vn", 17),
            ],
            "Số 8 Phạm Hùng, Mễ Trì, Nam Từ Liêm, Hà Nội",
        ),
        (  # Tầng (floor) and Tòa nhà (building), the district and city under it
            "VN",
            [
                ("Hoàng Thu Hà", 40),
                ("Kế toán trưởng", 22),
                ("Công ty TNHH Sao Mai", 22),
                ("Tầng 5, Tòa nhà Sông Đà, 165 Cầu Giấy,", 17),
                ("Quận Cầu Giấy, Hà Nội", 17),
                ("Hotline: 0912 345 678", 17),
                ("ha.hoang@saomai.vn", 17),
            ],
            "Tầng 5, Tòa nhà Sông Đà, 165 Cầu Giấy, Quận Cầu Giấy, Hà Nội",
        ),
        (  # a Korean building and floor line under the road address
            "KR",
            [
                ("박서준", 40),
                ("대표이사", 22),
                ("(주)미래소프트", 22),
                ("경기도 성남시 분당구 판교역로 235", 17),
                ("H스퀘어 N동 7층", 17),
                ("T. 031-789-1234", 17),
                ("sj.park@miraesoft.kr", 17),
            ],
            "경기도 성남시 분당구 판교역로 235, H스퀘어 N동 7층",
        ),
        (  # a line ending in a comma over the address goes on into it
            "IN",
            [
                ("Rohit Jain", 40),
                ("Partner", 22),
                ("Jain Textiles", 22),
                ("Gala No. 5, Shah Industrial Estate,", 17),
                ("Off Link Road, Andheri (W),", 17),
                ("Mumbai - 400 053", 17),
                ("Mob: 98200 12345", 17),
            ],
            "Gala No. 5, Shah Industrial Estate, Off Link Road, Andheri (W), Mumbai - 400 053",
        ),
    ],
)
def test_addresses_of_india_vietnam_and_korea_whole(
    region: str, lines: list[tuple[str, int]], address: str
) -> None:
    assert _whole_card(region, lines) == address


@pytest.mark.parametrize("line", ["Senior Partner,", "Hello,"])
def test_a_title_or_a_greeting_ending_in_a_comma_is_no_part_of_the_address(line: str) -> None:
    card = [("Acme Law LLP", 26), ("Jane Doe", 36), (line, 18), ("12 Park Road,", 15),
            ("London NW1 6XE", 15), ("jane@acmelaw.co.uk", 15)]  # fmt: skip
    contact = _ex_card(card, "GB").contact
    assert contact.address == "12 Park Road, London NW1 6XE"


def test_what_the_new_address_rules_leave_alone() -> None:
    # "Quan" and "So" in other languages are no Vietnamese address words.
    assert not is_street("So 8 reasons to call")
    assert not is_street("Quan 12 Restaurant")
    # An ordinal without a road after it, "No. 1" without a comma after the number.
    assert not is_street("2nd generation family business")
    assert not is_street("No. 1 in customer service")
    # A line ending in a comma over an address, but a company's or a phone's: not joined.
    card = [("Rohit Jain", 40), ("Jain Textiles Pvt. Ltd.,", 22), ("Shop No. 7, Main Bazaar,", 17),
            ("Tirupati, Andhra Pradesh 517501", 17)]  # fmt: skip
    assert _whole_card("IN", card) == "Shop No. 7, Main Bazaar, Tirupati, Andhra Pradesh 517501"
    card = [("Rohit Jain", 40), ("Tel: 0877 222 3344,", 17), ("Shop No. 7, Main Bazaar,", 17),
            ("Tirupati, Andhra Pradesh 517501", 17)]  # fmt: skip
    assert _whole_card("IN", card) == "Shop No. 7, Main Bazaar, Tirupati, Andhra Pradesh 517501"


@pytest.mark.parametrize(
    ("region", "lines", "address"),
    [
        (  # a city and its five-digit postcode alone on a line
            "ID",
            ["Gedung Graha, Lt. 8, Jl. Sudirman Kav. 52", "Jakarta Selatan 12190"],
            "Gedung Graha, Lt. 8, Jl. Sudirman Kav. 52, Jakarta Selatan 12190",
        ),
        (  # a city whose name begins with a phone label, and a seven-digit postcode
            "IL",
            ["12 Rothschild Blvd.,", "Tel Aviv 6688112, Israel"],
            "12 Rothschild Blvd., Tel Aviv 6688112, Israel",
        ),
        (  # Denmark's floor after the house number
            "DK",
            ["Strøget 12, 2. sal", "1160 København K"],
            "Strøget 12, 2. sal, 1160 København K",
        ),
    ],
)
def test_addresses_of_more_countries(region: str, lines: list[str], address: str) -> None:
    card = [("Jane Doe", 36), ("Manager", 20), ("Acme Global", 22), *[(a, 15) for a in lines],
            ("+1 415 555 0100", 15), ("jane@acmeglobal.com", 15)]  # fmt: skip
    contact = _ex_card(card, region).contact
    assert contact.address == address
    assert [p.number for p in contact.phones] == ["+14155550100"]


def test_a_label_right_before_an_invalid_number_on_an_address_line_still_labels_it() -> None:
    card = [("Jane Doe", 36), ("Manager", 20), ("Acme Global", 22),
            ("Tel: 555-1234 · 12 Main St, Springfield, IL 62701", 15)]  # fmt: skip
    contact = _ex_card(card, "US").contact
    assert [(p.raw, p.valid) for p in contact.phones] == [("555-1234", False)]
    assert contact.address == "12 Main St, Springfield, IL 62701"
