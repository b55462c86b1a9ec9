"""Job title and company."""

from __future__ import annotations

import pytest

from cardscan.extract import extract
from cardscan.extract.lexicon import legal_suffix_end, title_score
from cardscan.extract.synth import make_ocr
from cardscan.model import Extraction


def _ex(lines: list, region: str = "US") -> Extraction:
    return extract(make_ocr(lines), region)


# --- titles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Chief Technology Officer",
        "CEO & Founder",
        "Head of Engineering",
        "VP Sales",
        "Senior Software Engineer",
        "Managing Partner",
        "Attorney at Law",
        "Geschäftsführer",
        "Leiterin Vertrieb",
        "Projektleiter",
        "Directeur Général",
        "Chef de projet",
        "Responsable Commercial",
        "Gerente de Ventas",
        "Directora de Marketing",
        "Diretor Financeiro",
        "Sócia-Gerente",
        "Direttore Tecnico",
        "Amministratore Delegato",
        "Adviseur",
        "Eigenaar",
        "Licensed Master Plumber",
        "Giám đốc Kinh doanh",
        "Direktur Utama",
        "Dyrektor Handlowy",
        "Owner / Groomer",
        "Proprietor",
    ],
)
def test_title_lexicon_many_languages(title: str) -> None:
    ex = _ex([("Jane Doe", 36), (title, 20), "jane@acme.com"])
    assert ex.contact.title == title
    assert ex.confidence["title"] > 0.5


def test_title_may_sit_above_the_name() -> None:
    ex = _ex([("Marketing Director", 16), ("Jane Doe", 36), "jane@acme.com"])
    assert ex.contact.title == "Marketing Director"


def test_two_title_lines_are_joined() -> None:
    ex = _ex([("Jane Doe", 36), ("Senior Vice President", 20), ("Global Sales Operations", 20)])
    assert ex.contact.title == "Senior Vice President Global Sales Operations"


def test_title_near_name_wins_over_far_one() -> None:
    lines = [("Jane Doe", 36), ("Product Designer", 20), "", "", "", ("Sales Office", 14)]
    assert _ex(lines).contact.title == "Product Designer"


def test_title_words_and_weak_words() -> None:
    assert title_score("Chief Executive Officer") == 1.0
    assert title_score("Sales") == 0.5
    assert title_score("Fresh Flowers") == 0.0


def test_no_title_on_shop_card() -> None:
    ex = _ex([("ROSE & THORN", 44), "Flowers for every occasion", "roseandthorn@gmail.com"])
    assert ex.contact.title is None


# --- companies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "company",
    [
        "Acme, Inc.",
        "Acme Inc",
        "Acme LLC",
        "Acme Ltd.",
        "Acme Limited",
        "Acme PLC",
        "Acme Robotics GmbH",
        "ACME ROBOTICS GMBH",
        "Müller GmbH & Co. KG",
        "Acme AG",
        "Acme UG",
        "Acme S.A.",
        "Acme SA",
        "Acme S.L.",
        "Acme SAS",
        "Acme SARL",
        "Acme S.p.A.",
        "Acme S.r.l.",
        "Acme Ltda.",
        "Acme Lda",
        "Acme B.V.",
        "Acme BV",
        "Acme N.V.",
        "Acme Pty Ltd",
        "Acme Corp",
        "Acme Corporation",
        "Acme LLP",
    ],
)
def test_legal_suffix_company(company: str) -> None:
    ex = _ex([("Jane Doe", 36), ("Sales Manager", 20), (company, 18), "jane@other.com"])
    assert ex.contact.company == company
    assert ex.confidence["company"] > 0.8


def test_company_cut_after_suffix_on_a_busy_line() -> None:
    ex = _ex([("Jane Doe", 36), "Acme Robotics GmbH, Hauptstraße 5"])
    assert ex.contact.company == "Acme Robotics GmbH"


def test_lowercase_legal_words_inside_text_are_not_suffixes() -> None:
    assert legal_suffix_end("Agile coaching as a service") is None
    assert legal_suffix_end("Samba school") is None
    assert legal_suffix_end("Acme Sa") is None


def test_largest_free_text_is_company() -> None:
    ex = _ex([("ACME", 48), ("Jane Doe", 28), ("Engineer", 16), "jane@gmail.com"])
    assert ex.contact.company == "ACME"


def test_company_matching_domain_preferred() -> None:
    lines = [("Jane Doe", 36), ("Designer", 18), ("Bright Path", 16), ("Open Studio", 16)]
    ex = _ex([*lines, "jane@brightpath.io"])
    assert ex.contact.company == "Bright Path"


def test_company_from_domain_when_no_line_fits() -> None:
    ex = _ex([("Jane Doe", 36), ("Engineer", 18), "jane.doe@acme-robotics.co.uk"])
    assert ex.contact.company == "Acme Robotics"
    assert ex.confidence["company"] < 0.5


def test_website_domain_preferred_for_company_fallback() -> None:
    ex = _ex([("Jane Doe", 36), ("Engineer", 18), "jane@acme.com", "www.acme-labs.com"])
    assert ex.contact.company == "Acme Labs"


@pytest.mark.parametrize("domain", ["gmail.com", "outlook.com", "hotmail.com", "web.de", "gmx.de"])
def test_webmail_never_company(domain: str) -> None:
    ex = _ex([("Jane Doe", 36), ("Engineer", 18), f"jane.doe@{domain}"])
    assert ex.contact.company is None


def test_company_is_not_the_name_or_title() -> None:
    ex = _ex([("Jane Doe", 36), ("Consultant", 20), "jane@gmail.com"])
    assert ex.contact.company is None


# --- chained legal forms, brand domains, logo noise ---------------------------------


@pytest.mark.parametrize(
    "company",
    [
        "Hänel Krebs AG & Co. OHG",
        "Junck Stiftung & Co. KG",
        "Meyer Wulff Stiftung & Co. KGaA",
        "Distribuciones Carrasco S.Coop.",
        "Consultoría EGK S.Com.",
        "Montserrat y asociados S.C.P.",
        "Striebitz e.G.",
        "Loureiro Lda.",
    ],
)
def test_legal_forms_whole(company: str) -> None:
    assert _ex([("Jane Doe", 36), "Projektleiter", company]).contact.company == company


@pytest.mark.parametrize(
    ("company", "domain"),
    [
        ("Storey, Lloyd and Clarke", "storeylloyd.co.uk"),
        ("Hernandez-Anderson", "hernandezanderson.com.au"),
        ("Perez and Sons", "perezsons.com.au"),
    ],
)
def test_company_line_matching_domain_beats_domain_guess(company: str, domain: str) -> None:
    lines = [
        ("Gary Roberts", 40),
        ("Managing Director", 20),
        (company, 20),
        ("Tel 0121 244 9478", 20),
        (f"g.roberts@{domain}", 26),
        (f"www.{domain}", 26),
    ]
    assert _ex(lines, "GB").contact.company == company


@pytest.mark.parametrize("noise", ["A", "es", "ete"])
def test_short_logo_noise_is_not_the_company(noise: str) -> None:
    ex = _ex([(noise, 60), ("Jane Doe", 36), "jane@laurentmorin.fr"], "FR")
    assert ex.contact.company == "Laurentmorin"


def test_short_company_confirmed_by_domain() -> None:
    assert _ex([("Jane Doe", 36), ("IBM", 40), "jane@ibm.com"]).contact.company == "IBM"


@pytest.mark.parametrize("line", ["Lake Karen, SA 2613", "LSO6 SLU", "East Judith, AB M6S 8C1"])
def test_postcode_line_with_legal_lookalike_is_not_a_company(line: str) -> None:
    assert _ex([("Jane Doe", 36), "Account Manager", line]).contact.company is None


@pytest.mark.parametrize("title", ["Gestora de Projeto", "Administrador"])
def test_more_iberian_titles(title: str) -> None:
    assert _ex([("Jane Doe", 36), title]).contact.title == title


# --- CJK and bilingual cards, fragments -------------------------------------------------


def test_cjk_company_and_title() -> None:
    ex = _ex(
        [("株式会社山田製作所", 30), ("営業部長", 22), ("山田太郎", 44), "+81 3 1234 5678"], "JP"
    )
    c = ex.contact
    assert (c.name, c.title, c.company) == ("山田太郎", "営業部長", "株式会社山田製作所")
    ex = _ex([("王小明", 44), ("项目经理", 22), ("华光科技有限公司", 30), "+86 10 1234 5678"], "CN")
    assert (ex.contact.title, ex.contact.company) == ("项目经理", "华光科技有限公司")


def test_a_cjk_company_without_legal_form_is_known_by_its_organisation_word() -> None:
    """ "中華電信" (Chunghwa Telecom) under the logo: four Han characters like a name, but
    電信 (telecom) is no part of a person's name; the company is printed, not guessed
    from the domain."""
    lines = [
        ("吳欣曄", 44),
        ("高級工程師", 24),
        "106097台北市信義路四段88號11樓",
        "E-mail:hyw@cht.com.tw",
        ("中華電信", 36),
    ]
    c = _ex(lines, "TW").contact
    assert (c.name, c.company) == ("吳欣曄", "中華電信")


def test_bilingual_card_keeps_latin_company_and_title() -> None:
    lines = [
        ("王小明 Wang Xiaoming", 40),
        ("项目经理", 22),
        ("Project Manager", 22),
        ("华光科技有限公司", 30),
        ("Huaguang Technology Co., Ltd.", 26),
        "+86 10 1234 5678",
    ]
    c = _ex(lines, "CN").contact
    assert (c.name, c.title) == ("Wang Xiaoming", "Project Manager")
    assert c.company == "Huaguang Technology Co., Ltd."


def test_bilingual_card_keeps_the_latin_title_under_the_cjk_ones() -> None:
    lines = [
        ("吳允賢 Antony Wu", 44),
        ("資深協理|顯示運算事業處", 22),
        ("工業顯示事業中心", 22),
        ("Sr. Director", 20),
        ("ADLINK Technology, Inc.", 24),
        "+886-3-216-5088",
    ]
    assert _ex(lines, "TW").contact.title == "Sr. Director"


def test_bilingual_card_takes_the_latin_company_its_domain_spells() -> None:
    """The legal form printed in Hangul only; the Latin line without one is the company
    when the card's domain spells it (here by its initials), and the Hangul form is kept
    in the card's other text."""
    lines = [
        ("(주)한국플랫폼서비스기술", 30),
        ("KOREA PLATFORM SERVICE TECHNOLOGY", 22),
        ("김민준", 40),
        "E-mail kim.minjun@kpst.co.kr",
        "TEL 042-489-1722",
    ]
    ex = _ex(lines, "KR")
    assert ex.contact.company == "KOREA PLATFORM SERVICE TECHNOLOGY"
    assert "(주)한국플랫폼서비스기술" in ex.other_text


def test_cjk_legal_company_stays_without_a_latin_form_the_domain_spells() -> None:
    lines = [
        ("(주)한국플랫폼서비스기술", 30),
        ("Deep into the brainy solutions", 22),
        ("김민준", 40),
        "E-mail kim.minjun@kpst.co.kr",
    ]
    assert _ex(lines, "KR").contact.company == "(주)한국플랫폼서비스기술"


def test_logo_initials_give_way_to_the_name_they_stand_for() -> None:
    lines = [
        ("NPSD", 60),
        ("Northwind Parcel Service and Delivery", 24),
        ("Jane Doe", 32),
        "jane@example.org",
        "+1 415 555 2671",
    ]
    assert _ex(lines).contact.company == "Northwind Parcel Service and Delivery"
    # No line the initials stand for: the logo's letters are the company.
    assert _ex([lines[0], *lines[2:]]).contact.company == "NPSD"


def test_a_company_run_together_is_parted_where_its_domain_ends() -> None:
    lines = [("MUNHWAILBO", 40), ("Roh Sung-yeal", 30), "E nosr@munhwa.com", "T 82 2 3701 5191"]
    assert _ex(lines, "KR").contact.company == "MUNHWA ILBO"
    # A name the domain spells whole, or one the domain is not the start of, stays.
    lines = [("ACMECO", 40), ("Jane Doe", 30), "jane@zeta.com", "+1 415 555 2671"]
    assert _ex(lines).contact.company == "ACMECO"


def test_a_monogram_before_the_company_is_no_title() -> None:
    """ "GM" is a General Manager, but before the words it is the initials of, it is the
    logo's monogram: the line is the company, and the title is the person's own."""
    lines = [
        ("GM Guerreiro Martins e Filhos", 28),
        ("MELISSA MACEDO", 40),
        ("Administrador", 24),
        "mmacedo@guerreiromartins.pt",
        "M +351 912 716 802",
    ]
    c = _ex(lines, "PT").contact
    assert (c.title, c.company) == ("Administrador", "Guerreiro Martins e Filhos")


def test_footnote_and_address_lines_are_no_company() -> None:
    lines = [
        ("5, Rose Garden Society", 44),
        ("Jane Doe", 36),
        "+1 415 555 2671",
        ("of Acme Holdings Limited", 12),  # "... a division" wrapped onto a second line
    ]
    assert _ex(lines).contact.company is None


def test_logo_mark_read_as_a_letter_is_trimmed() -> None:
    c = _ex([("c Northwind Securities", 40), ("Jane Doe", 30), "+1 415 555 2671"]).contact
    assert c.company == "Northwind Securities"


def test_company_name_stacked_over_its_legal_form() -> None:
    lines = [
        ("NORTHWIND", 40),
        ("TRADERS", 40),
        ("co., ltd.", 30),
        ("Jane Doe", 30),
        ("Sales Manager", 20),
        "+1 415 555 2671",
    ]
    assert _ex(lines).contact.company == "NORTHWIND TRADERS co., ltd."
    lines = [
        ("Jane Doe", 30),
        ("Project Engineer", 20),
        ("Blue Wave", 60),
        ("AGENCY PVT. LTD.", 30),
        "+1 415 555 2671",
    ]
    assert _ex(lines).contact.company == "Blue Wave AGENCY PVT. LTD."


def test_logo_second_line_of_organisation_words_joins() -> None:
    lines = [("KESTREL", 50), ("SOLUTIONS", 30), ("Jane Doe", 30), "+1 415 555 2671"]
    assert _ex(lines).contact.company == "KESTREL SOLUTIONS"


def test_company_mended_by_the_domain() -> None:
    lines = [("data Loom Technology Pvt. Ltd.", 30), ("Jane Doe", 30), "www.dataloom.com"]
    assert _ex(lines).contact.company == "dataLoom Technology Pvt. Ltd."
    lines = [("Jane Doe", 30), ("ooks and Beams", 44), "www.hooksandbeams.co.uk"]
    assert _ex(lines).contact.company == "Hooks and Beams"
    # Two words the domain runs together stay two words.
    lines = [("Bright Harbor", 44), ("Jane Doe", 30), "www.brightharbor.com"]
    assert _ex(lines).contact.company == "Bright Harbor"
    lines = [("de Vos BV", 44), ("Jan de Vries", 30), "www.devos.nl"]
    assert _ex(lines, "NL").contact.company == "de Vos BV"


def test_two_full_titles_on_two_lines_are_two_roles() -> None:
    lines = [("Jane Doe", 36), ("Professor of Physics", 20), ("Editor-in-Chief", 20)]
    assert _ex(lines).contact.title == "Professor of Physics"
    lines = [("Jane Doe", 36), ("Chief Executive Officer &", 20), ("Co-Founder", 20)]
    assert _ex(lines).contact.title == "Chief Executive Officer & Co-Founder"
    assert _ex([("Jane Doe", 36), ("Team Leader", 20)]).contact.title == "Team Leader"


def test_short_logo_that_starts_the_domain_is_the_company() -> None:
    lines = [("vq", 80), ("Jane Doe", 30), ("Director", 20), "jane@vquant.co.jp"]
    assert _ex(lines, "JP").contact.company == "vq"
    # Not when the domain does not start with it: the domain's brand is the guess.
    lines = [("vq", 80), ("Jane Doe", 30), ("Director", 20), "jane@acmetools.co.jp"]
    assert _ex(lines, "JP").contact.company == "Acmetools"


@pytest.mark.parametrize(
    ("printed", "company"),
    [
        ("MG Mendoza Group", "Mendoza Group"),
        ("R Robertson LLC", "Robertson LLC"),
        ("Tebaldi, Salieri e Borromini Group TS", "Tebaldi, Salieri e Borromini Group"),
        ("Moreira M", "Moreira"),
        ("AB Volvo Trucks", "AB Volvo Trucks"),  # not the initials of the rest
        ("Vega SA", "Vega SA"),  # a legal form, not a monogram
    ],
)
def test_logo_monogram_read_into_the_company_line_is_dropped(printed: str, company: str) -> None:
    lines = [(printed, 44), ("Jane Doe", 30), ("Sales Manager", 20), "+1 415 555 2671"]
    assert _ex(lines).contact.company == company


def test_a_second_person_is_no_company() -> None:
    lines = [("Peter Kowalski", 50), ("Jane Doe", 36), ("Sales Manager", 20), "jane@acme.com"]
    assert _ex(lines).contact.company == "Acme"  # the domain's brand, not the other person


def test_legal_form_misread_with_a_capital_i() -> None:
    lines = [
        ("Tasca e Figli s.r.I.", 44),
        ("Jane Doe", 30),
        ("Sales Manager", 20),
        "+39 02 1234 5678",
    ]
    assert _ex(lines, "IT").contact.company == "Tasca e Figli s.r.l."


def test_a_line_the_domain_spells_is_the_company_though_it_reads_like_a_name() -> None:
    """ "Royal de Hoog" reads like a person's name, but royaldehoog.nl spells it whole:
    the printed line is the company, not the domain's brand "Royaldehoog"."""
    lines = [
        ("Zakaria van der Laar", 36),
        ("Accountmanager", 20),
        ("Royal de Hoog", 24),
        "zakaria@royaldehoog.nl",
        "Mob. 06 50671212",
    ]
    ex = extract(make_ocr(lines), "NL")
    assert (ex.contact.name, ex.contact.company) == ("Zakaria van der Laar", "Royal de Hoog")
    # Without the domain spelling it, such a line is still no company.
    other = extract(make_ocr([*lines[:3], "zakaria@example-mail.nl"]), "NL")
    assert other.contact.company != "Royal de Hoog"


def test_a_line_the_domain_spells_whole_is_the_company_though_it_holds_a_title_word() -> None:
    # "Marketing" is a title word; over brightpathmarketing.com the line is the firm,
    # not a slogan above it.
    lines = [
        ("Creative Solutions for Modern Business", 20),
        ("BRIGHTPATH MARKETING", 40),
        ("Sarah Johnson", 30),
        ("Account Executive", 20),
        "sarah@brightpathmarketing.com",
    ]
    assert _ex(lines).contact.company == "BRIGHTPATH MARKETING"
    # Without the domain, a title line stays no company.
    assert (
        _ex([("Jane Doe", 30), ("Marketing Manager", 20), "jane@gmail.com"]).contact.company is None
    )


def test_logo_second_line_joins_when_it_spells_the_rest_of_the_domain() -> None:
    lines = [
        ("GREENLEAF", 44),
        ("LANDSCAPE DESIGN", 24),
        ("Mike Torres", 30),
        ("Founder", 20),
        "mike@greenleafdesign.com",
    ]
    assert _ex(lines).contact.company == "GREENLEAF LANDSCAPE DESIGN"
    # A line that spells none of it stays apart.
    lines[1] = ("EST 1998 AUSTIN", 24)
    assert _ex(lines).contact.company == "GREENLEAF"


def test_a_shop_name_with_a_trade_word_is_no_person() -> None:
    # "Traders" makes the line the shop's, though its gmail address spells it and
    # "Sharma" is a family name; the person is the name under it.
    lines = [
        ("SHARMA TRADERS", 40),
        ("Rajesh Sharma", 28),
        ("Proprietor", 20),
        "Mob: 98220 12345",
        "sharmatraders@gmail.com",
    ]
    ex = _ex(lines, "IN")
    assert (ex.contact.name, ex.contact.title, ex.contact.company) == (
        "Rajesh Sharma",
        "Proprietor",
        "SHARMA TRADERS",
    )


def test_south_african_legal_form_in_brackets_whole() -> None:
    for company in ("Acme (Pty) Ltd", "Acme (Pty.) Limited"):
        ex = _ex([(company, 30), ("Thabo Mbeki", 28), ("Director", 20), "thabo@acme.co.za"], "ZA")
        assert ex.contact.company == company


def test_mexican_legal_forms_whole() -> None:
    for company in (
        "Grupo Industrial Norte S.A. de C.V.",
        "Acme S. de R.L. de C.V.",
        "Bar SA de CV",
    ):
        ex = _ex(
            [(company, 30), ("José Luis García", 28), ("Gerente", 20), "Tel. 81 8123 4567"], "MX"
        )
        assert ex.contact.company == company


def test_a_line_of_degrees_under_the_name_is_no_title() -> None:
    lines = [
        ("Sunrise Hospital", 40),
        ("Dr. Anil Kumar", 30),
        ("MBBS, MD (Medicine)", 20),
        ("Consultant Physician", 20),
        "anil.kumar@sunrisehospital.in",
    ]
    assert _ex(lines, "IN").contact.title == "Consultant Physician"
    # "MD" alone under a name is a Managing Director.
    assert _ex([("ACME", 40), ("John Roe", 30), ("MD", 20), "jroe@acme.com"]).contact.title == "MD"


def test_generic_second_line_joins_a_logo_the_domain_spells_in_any_casing() -> None:
    lines = [
        ("BELTIS", 44),
        ("IT Solutions", 22),
        ("Ricardo Nogueira", 30),
        ("Diretor Comercial", 20),
        "r.nogueira@beltis.com.br",
    ]
    assert _ex(lines, "BR").contact.company == "BELTIS IT Solutions"
    # A trade under a shop's name stays a descriptor.
    assert (
        _ex([("ROSE", 44), ("Florist", 22), ("Jane Doe", 30), "jane@rose.com"]).contact.company
        == "ROSE"
    )


def test_a_slogan_speaking_to_the_reader_is_no_title() -> None:
    assert title_score("Your Trusted Partner in Real Estate") == 0
    assert title_score("Ihr Partner für Bau") == 0
    assert title_score("VP Sales, US & Canada") == 1.0
    lines = [
        ("Your Trusted Partner in Real Estate", 18),
        ("KELLER REALTY", 36),
        ("Michael Brown", 30),
        ("REALTOR®", 18),
        "mbrown@kellerrealty.com",
    ]
    assert _ex(lines).contact.title == "REALTOR"  # the mark trimmed


def test_a_company_whose_initials_begin_its_domain() -> None:
    lines = [("Jane Doe", 36), ("Senior Consultant", 20), ("Blue Ocean", 24), "jane@bo-consult.com"]
    assert _ex(lines).contact.company == "Blue Ocean"


def test_a_trade_under_the_persons_name_is_the_business_with_the_name() -> None:
    lines = [("Emily Rose", 40), ("Photography", 20), "emily@emilyrose.com"]
    assert _ex(lines).contact.company == "Emily Rose Photography"
    # A company printed elsewhere stays the company.
    lines = [("ACME", 40), ("Emily Rose", 30), ("Photography", 20), "emily@acme.com"]
    assert _ex(lines).contact.company == "ACME"


def test_a_weak_title_word_in_a_line_with_an_organisation_word_is_the_company() -> None:
    lines = [
        ("Kenya Commercial Bank", 30),
        ("Jane Wanjiru", 28),
        ("Relationship Manager", 18),
        "jwanjiru@kcbgroup.com",
    ]
    assert _ex(lines, "KE").contact.company == "Kenya Commercial Bank"


def test_a_trade_as_a_logos_second_line_joins_it() -> None:
    lines = [
        ("NORTHWIND", 40),
        ("TRADERS", 20),
        ("Jane Doe", 28),
        ("Manager", 16),
        "jane@northwind.com",
    ]
    assert _ex(lines).contact.company == "NORTHWIND TRADERS"


def test_a_japanese_legal_form_before_the_name_starts_the_company() -> None:
    ex = _ex([("TPJ株式会社テクノプロジェクト", 30), ("山田太郎", 36), "TEL 03-1234-5678"], "JP")
    assert ex.contact.company == "株式会社テクノプロジェクト"
    # A legal form after the name keeps the letters before it: they are the name.
    ex = _ex([("KDDI株式会社", 30), ("山田太郎", 36), "TEL 03-1234-5678"], "JP")
    assert ex.contact.company == "KDDI株式会社"


def test_a_bilingual_logo_that_begins_the_domain_is_the_latin_company() -> None:
    lines = [
        ("서영주", 57),
        ("이사", 29),
        ("(주)코난 테크놀로지", 92),
        ("KONAN", 48),
        ("TECHNOLOGY", 32),
        "youngjoo.suh@konantech.com",
    ]
    assert _ex(lines, "KR").contact.company == "KONAN TECHNOLOGY"


def test_a_company_and_its_address_on_one_line_are_parted() -> None:
    lines = [("Rahul Mehta", 36), ("Senior Manager", 20), ("Mob: +91 98100 12345", 16),
             ("rahul@acmetech.in", 16),
             ("Acme Technologies Pvt. Ltd., 12 MG Road, Bengaluru 560001", 14)]  # fmt: skip
    contact = extract(make_ocr(lines), "IN").contact
    assert contact.company == "Acme Technologies Pvt. Ltd."
    assert contact.address == "12 MG Road, Bengaluru 560001"
    # A state that is also a legal form ("SA"), then a comma and the postcode: a city line.
    lines = [("Jane Doe", 36), ("Manager", 20), ("Acme Holdings", 24), ("452 Gutierrez Bend", 16),
             ("Annaville, SA, 2675", 16), ("jane@acmeholdings.com.au", 16)]  # fmt: skip
    contact = extract(make_ocr(lines), "AU").contact
    assert contact.address == "452 Gutierrez Bend, Annaville, SA, 2675"
    assert contact.company == "Acme Holdings"


def test_a_slogan_after_a_dash_is_no_part_of_the_company() -> None:
    lines = [("ACME TECHNOLOGIES - Your Partner in Growth", 24), ("Rahul Mehta", 36),
             ("Senior Manager", 20), ("Mob: +91 98100 12345", 16),
             ("rahul@acmetech.in", 16)]  # fmt: skip
    assert extract(make_ocr(lines), "IN").contact.company == "ACME TECHNOLOGIES"


def test_a_russian_card_title_company_and_address() -> None:
    lines = [("Иван Петров", 36), ("Генеральный директор", 20), ("ООО «Альфа Строй»", 22),
             ("125009, Москва,", 14), ("ул. Тверская, д. 12, офис 34", 14),
             ("Тел.: +7 495 123-45-67", 16), ("ivan.petrov@alfastroy.ru", 16)]  # fmt: skip
    contact = extract(make_ocr(lines), "RU").contact
    assert (contact.name, contact.title) == ("Иван Петров", "Генеральный директор")
    assert contact.company == "ООО «Альфа Строй»"  # the legal form before the name
    assert contact.address == "125009, Москва, ул. Тверская, д. 12, офис 34"


@pytest.mark.parametrize("title", ["Superintendent", "Главный бухгалтер", "Руководитель отдела"])
def test_more_title_words(title: str) -> None:
    assert title_score(title) == 1.0


@pytest.mark.parametrize("company", ["CV Sinar Jaya", "PT Maju Bersama", "UD Sumber Rejeki"])
def test_an_indonesian_legal_form_before_the_name_makes_a_company(company: str) -> None:
    lines = [("Jane Doe", 36), ("Manager", 20), (company, 22), ("+62 21 123 4567", 16),
             ("janedoe@gmail.com", 16)]  # fmt: skip
    contact = extract(make_ocr(lines), "ID").contact
    assert (contact.name, contact.company) == ("Jane Doe", company)


def test_a_physiotherapists_pt_after_the_name_is_no_legal_form() -> None:
    lines = [("Jane Doe, PT", 36), ("Physical Therapist", 20), ("+1 415 555 0100", 16)]
    contact = extract(make_ocr(lines), "US").contact
    assert contact.name == "Jane Doe" and contact.company is None
