"""The person's name: candidates, casing, given/family split, email agreement."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cardscan.extract import extract
from cardscan.extract.names import email_match, split_name
from cardscan.extract.synth import make_ocr
from cardscan.model import Extraction, OcrLine


def _ex(lines: list, region: str = "US") -> Extraction:
    return extract(make_ocr(lines), region)


def _name(lines: list) -> tuple[str | None, str | None, str | None]:
    c = _ex(lines).contact
    return c.name, c.given_name, c.family_name


@pytest.mark.parametrize(
    ("printed", "name", "given", "family"),
    [
        ("Jane Doe", "Jane Doe", "Jane", "Doe"),
        ("JANE DOE", "Jane Doe", "Jane", "Doe"),
        ("SEAN MCDONALD", "Sean McDonald", "Sean", "McDonald"),
        ("MARY-JANE O'BRIEN", "Mary-Jane O'Brien", "Mary-Jane", "O'Brien"),
        ("Jean DUPONT", "Jean Dupont", "Jean", "Dupont"),
        ("JAN VAN DER BERG", "Jan van der Berg", "Jan", "van der Berg"),
        ("Ludwig von Beethoven", "Ludwig von Beethoven", "Ludwig", "von Beethoven"),
        ("Maria da Silva Santos", "Maria da Silva Santos", "Maria", "da Silva Santos"),
        ("John A. Smith", "John A. Smith", "John", "Smith"),
        ("Dr. Jane Doe, PhD", "Dr. Jane Doe, PhD", "Jane", "Doe"),
        ("DR. HANS MÜLLER", "Dr. Hans Müller", "Hans", "Müller"),
        ("Prof. Dr. Anna Schmidt", "Prof. Dr. Anna Schmidt", "Anna", "Schmidt"),
        ("Jane Doe MBA", "Jane Doe MBA", "Jane", "Doe"),
        ("Jane Doe, Ph.D.", "Jane Doe, Ph.D.", "Jane", "Doe"),
        ("JANE DOE, PHD", "Jane Doe, PhD", "Jane", "Doe"),
        ("A|ice Smith", "Alice Smith", "Alice", "Smith"),
        ("Zoë Ångström", "Zoë Ångström", "Zoë", "Ångström"),
    ],
)
def test_name_forms(printed: str, name: str, given: str, family: str) -> None:
    lines = [(printed, 36), ("Sales Manager", 20), "+1 415 555 2671"]
    assert _name(lines) == (name, given, family)


def test_spanish_two_surnames_in_spanish_speaking_region() -> None:
    lines = [("Carlos García López", 36), ("Gerente de Ventas", 20), "carlos@ventas-iberia.es"]
    assert _name(lines) == ("Carlos García López", "Carlos", "García López")
    assert split_name(["Ana", "de", "la", "Fuente", "Martín"], "ES") == (
        "Ana",
        "de la Fuente Martín",
    )
    assert split_name(["Carlos", "García", "López"], "US") == ("Carlos", "López")


def test_name_with_title_after_comma() -> None:
    c = _ex([("Jane Doe, CEO", 30), "jane@acme.com"]).contact
    assert (c.name, c.title) == ("Jane Doe", "CEO")


def test_largest_text_near_top_preferred() -> None:
    lines = [("Acme Robotics", 22), ("Jane Doe", 40), ("Head of Sales", 18), ("Tom Lee", 12)]
    assert _name(lines)[0] == "Jane Doe"


def test_email_local_part_beats_font_size() -> None:
    # "Rose Garden" is bigger, but the email confirms the smaller name.
    lines = [("Rose Garden", 40), ("Peter Parker", 20), "peter.parker@rosegarden.com"]
    ex = _ex(lines)
    assert ex.contact.name == "Peter Parker"
    assert ex.confidence["name"] >= 0.9
    assert not [i for i in ex.issues if i.code == "ambiguous_name"]


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("jane.doe", 1.0),
        ("doe.jane", 1.0),
        ("janedoe", 1.0),
        ("jane_doe", 1.0),
        ("jdoe", 0.9),
        ("janed", 0.9),
        ("j.doe", 0.9),
        ("jane.do3", 0.8),  # OCR slip
        ("jane", 0.6),
        ("doe", 0.6),
        ("info", 0.0),
        ("sales", 0.0),
    ],
)
def test_email_match_scores(local: str, expected: float) -> None:
    assert email_match(["Jane", "Doe"], local) == expected


@pytest.mark.parametrize(
    ("core", "local", "expected"),
    [
        (["Eleanor", "Whitaker-Hayes"], "ewhitaker", 0.9),  # one part of the family name
        (["Eleanor", "Whitaker-Hayes"], "ehayes", 0.9),
        (["Eleanor", "Whitaker-Hayes"], "eleanor.whitakerhayes", 1.0),  # the whole of it
        (["Jean-Pierre", "Dupont"], "pierre", 0.6),  # one part of the given name
        (["Eleanor", "Whitaker-Hayes"], "ewhite", 0.0),
    ],
)
def test_email_match_with_a_double_barrelled_name(
    core: list[str], local: str, expected: float
) -> None:
    assert email_match(core, local) == expected


def test_email_match_with_particles_run_together() -> None:
    assert email_match(["Jan", "van", "der", "Berg"], "jvanderberg") == 0.9
    assert email_match(["Jan", "van", "der", "Berg"], "jan.vanderberg") == 1.0


def test_lowercase_name_design_needs_email_confirmation() -> None:
    confirmed = _ex([("jane van doe", 36), ("designer", 20), "jane.vandoe@acme.com"])
    assert (confirmed.contact.name, confirmed.contact.family_name) == ("Jane van Doe", "van Doe")
    unconfirmed = _ex([("fresh bread", 36), "hello@bakery.com"])
    assert unconfirmed.contact.name is None


def test_email_match_transliterates_umlauts() -> None:
    assert email_match(["Hans", "Müller"], "h.mueller") == 0.9
    assert email_match(["Hans", "Müller"], "hans.muller") == 1.0


def test_name_confidence_higher_when_email_confirms() -> None:
    plain = _ex([("Jane Doe", 36), "info@acme.com"])
    confirmed = _ex([("Jane Doe", 36), "jane.doe@acme.com"])
    assert confirmed.confidence["name"] > plain.confidence["name"]


@pytest.mark.parametrize(
    "line",
    [
        "Acme Robotics",  # organisation word
        "Acme Robotics GmbH",  # legal suffix
        "Chief Technology Officer",  # title
        "Mobile Phone",  # label
        "Flowers for every occasion",  # slogan
        "jane@acme.com",
        "123 Main Street",
        "ROSE & THORN",
        "Tel 030 1234567",
        "Jane",  # one word
        "Jane Mary Anne Lou Doe Smith",  # too many
    ],
)
def test_non_names(line: str) -> None:
    assert _name([(line, 40)])[0] is None


def test_shop_card_has_no_name_and_says_so() -> None:
    ex = _ex(
        [
            ("ROSE & THORN", 44),
            ("Florist", 24),
            "Flowers for every occasion",
            "12 High Street, Bath BA1 1AA",
            "01225 123456",
            "roseandthorn@gmail.com",
        ]
    )
    assert ex.contact.name is None
    assert ex.contact.given_name is None
    assert [i.code for i in ex.issues] == ["no_name"]


def test_small_text_at_the_bottom_is_not_a_name() -> None:
    lines = [("ACME", 44), ("Quality Tools", 20), "+1 415 555 2671", ("Made Locally", 10)]
    assert _name(lines)[0] is None
    assert _ex(lines).contact.company == "ACME"


def test_two_names_in_one_font_are_several_people_first_read() -> None:
    ex = _ex([("Jane Doe", 30), ("John Smith", 30), "+1 415 555 2671"])
    assert ex.contact.name == "Jane Doe"
    assert "several_people" in [i.code for i in ex.issues]
    # Better known names further down do not overtake the first person.
    ex = _ex([("Aakrit Velunder", 30), ("John Smith", 30), ("Mary Jones", 30), "+1 415 555 2671"])
    assert ex.contact.name == "Aakrit Velunder"
    assert "several_people" in [i.code for i in ex.issues]


def test_a_smaller_second_name_is_ambiguous_not_a_second_person() -> None:
    ex = _ex([("Jane Doe", 36), ("John Smith", 28), "+1 415 555 2671"])
    codes = [i.code for i in ex.issues]
    assert ex.contact.name == "Jane Doe"
    assert "several_people" not in codes


def test_no_text_no_issue() -> None:
    ex = _ex([])
    assert ex.contact.name is None
    assert ex.issues == []


def test_name_evidence_is_its_word_boxes() -> None:
    ex = _ex([("Jane Doe", 36), "jane@acme.com"])
    assert len(ex.evidence["name"]) == 2
    assert all(b.height == 36 for b in ex.evidence["name"])


# --- evidence added for real cards ------------------------------------------------


def test_title_printed_on_the_name_line_is_split_off() -> None:
    c = _ex([("ACME", 44), ("Jane Doe Founder & CEO", 30), "jdoe@acme.com"]).contact
    assert (c.name, c.title) == ("Jane Doe", "Founder & CEO")


def test_capital_i_read_as_l_is_put_back_for_a_known_name() -> None:
    assert _name([("lan Fletcher", 30), ("Sales Engineer", 20), "+1 415 555 2671"]) == (
        "Ian Fletcher",
        "Ian",
        "Fletcher",
    )


def test_initials_run_into_the_family_name() -> None:
    c = _ex([("R.K.SHARMA", 30), ("Accountant", 20), "+1 415 555 2671"]).contact
    assert (c.name, c.family_name) == ("R. K. Sharma", "Sharma")


def test_place_names_are_no_person() -> None:
    lines = [("ACME", 60), "info@acme.co.uk", "260 Station Road", ("Lake Emma", 20), "N4 1BZ"]
    assert _name(lines)[0] is None


def test_shop_name_matching_the_domain_is_not_the_person() -> None:
    lines = [("Bright Harbor", 40), ("Jane Doe", 30), "www.brightharbor.com", "+1 415 555 2671"]
    assert _name(lines)[0] == "Jane Doe"


def test_name_spelled_out_by_the_email_when_none_is_printed() -> None:
    ex = _ex([("ACME TOOLS", 40), "jane.doe@acmetools.com", "+1 415 555 2671"])
    assert (ex.contact.name, ex.contact.given_name, ex.contact.family_name) == (
        "Jane Doe",
        "Jane",
        "Doe",
    )
    assert "name_from_email" in [i.code for i in ex.issues]
    assert ex.confidence["name"] < 0.5
    # A mailbox is no person.
    ex = _ex([("ACME TOOLS", 40), "sales.team@acmetools.com", "+1 415 555 2671"])
    assert ex.contact.name is None


def test_name_in_cjk_script() -> None:
    ex = _ex([("山田太郎", 40), ("営業部長", 20), "+81 3 1234 5678"], "JP")
    assert (ex.contact.name, ex.contact.family_name, ex.contact.given_name) == (
        "山田太郎",
        "山田",
        "太郎",
    )
    ex = _ex([("王小明", 40), ("经理", 20), "+86 10 1234 5678"], "CN")
    assert (ex.contact.name, ex.contact.family_name) == ("王小明", "王")


def test_korean_names_split_family_first_even_across_a_misread_space() -> None:
    # The names lexicon holds Korean family names as syllables: they are found (the
    # folding once took every syllable apart into jamo), and a space the OCR put
    # inside the name ("서영 주") does not make "서영" the family name.
    for printed in ("서영주", "서영 주"):
        ex = _ex([(printed, 40), ("이사", 20), "010-6423-5374"], "KR")
        assert (ex.contact.name, ex.contact.family_name, ex.contact.given_name) == (
            "서영주",
            "서",
            "영주",
        )
    ex = _ex([("남궁민수", 40), ("이사", 20), "010-6423-5374"], "KR")
    assert (ex.contact.family_name, ex.contact.given_name) == ("남궁", "민수")
    ex = _ex([("田中実", 40), ("営業部長", 20), "+81 3 1234 5678"], "JP")
    assert (ex.contact.family_name, ex.contact.given_name) == ("田中", "実")
    # A Japanese name's printed space is the split, whatever the lexicon knows.
    ex = _ex([("安達 晴康", 40), ("営業部長", 20), "+81 3 1234 5678"], "JP")
    assert (ex.contact.family_name, ex.contact.given_name) == ("安達", "晴康")


def test_degrees_in_brackets_after_the_name_are_part_of_it() -> None:
    lines = [
        ("logicwind", 40),
        ("Nachiket Patel (M.Sc. ICT, SCJP)", 30),
        ("Founder", 20),
        "nachiket@logicwind.com",
    ]
    ex = _ex(lines, "IN")
    assert (ex.contact.name, ex.contact.given_name, ex.contact.family_name) == (
        "Nachiket Patel (M.Sc. ICT, SCJP)",
        "Nachiket",
        "Patel",
    )
    assert ex.contact.title == "Founder"
    # A title in brackets is the title, without them.
    ex = _ex([("John Smith (Sales)", 30), ("ACME", 40), "j.smith@acme.com"])
    assert (ex.contact.name, ex.contact.title) == ("John Smith", "Sales")


@pytest.mark.parametrize(
    ("printed", "region", "given", "family"),
    [
        ("Lim Wei Ming", "SG", "Wei Ming", "Lim"),
        ("Nguyen Van An", "VN", "Van An", "Nguyen"),
        ("Kim Min-jun", "KR", "Min-jun", "Kim"),
        ("Jason Lim", "SG", "Jason", "Lim"),  # an English given name first
        ("Lim Wei Ming", "US", "Lim", "Ming"),  # elsewhere, given name first
    ],
)
def test_family_name_first_where_names_are_printed_so(
    printed: str, region: str, given: str, family: str
) -> None:
    ex = _ex([("ACME", 40), (printed, 30), ("Manager", 20), "hello@acme.com"], region)
    assert (ex.contact.given_name, ex.contact.family_name) == (given, family)


def test_a_family_name_in_capitals_printed_first() -> None:
    for printed, given, family in (
        ("DUPONT Jean", "Jean", "Dupont"),
        ("Jean DUPONT", "Jean", "Dupont"),
    ):
        ex = _ex([("ACME", 36), (printed, 28), ("Directeur", 18), "jd@acme.fr"], "FR")
        assert (ex.contact.given_name, ex.contact.family_name) == (given, family)
    ex = _ex([("ACME", 36), ("JOHN SMITH", 28), ("Manager", 18), "js@acme.com"])
    assert (ex.contact.given_name, ex.contact.family_name) == ("John", "Smith")


def test_an_engineers_title_before_the_name_is_no_given_name() -> None:
    ex = _ex([("Alfa Ltda.", 40), ("Eng. Carlos Souza", 30), "carlos.souza@alfa.com.br"], "BR")
    assert (ex.contact.given_name, ex.contact.family_name) == ("Carlos", "Souza")


def test_german_academic_titles_before_the_name() -> None:
    for printed in ("Dipl.-Ing. Hans Müller", "Prof. Dr.-Ing. Hans Müller"):
        ex = _ex(
            [("Schmidt GmbH", 40), (printed, 30), ("Leiter", 20), "h.mueller@schmidt.de"], "DE"
        )
        assert (ex.contact.name, ex.contact.given_name, ex.contact.family_name) == (
            printed,
            "Hans",
            "Müller",
        )


def test_a_name_stacked_one_word_a_line_is_one_name() -> None:
    for given, family, email in (
        ("JOHN", "SMITH", "john@smithdesign.com"),
        ("John", "Smith", "hello@studio.com"),
    ):
        lines = [(given, 40), (family, 40), ("Creative Director", 18), email]
        ex = _ex(lines)
        assert (ex.contact.name, ex.contact.title) == ("John Smith", "Creative Director")
        assert ex.contact.company not in ("SMITH", "John")  # both lines are the name's
    # Two words that are no given name stacked over a name: the name is the person.
    lines = [("Grace", 40), ("Church", 40), ("Jane Doe", 24), ("Reverend", 18), "hello@gc.org"]
    assert _ex(lines).contact.name == "Jane Doe"
    # Lines of different print are no stacked name.
    lines = [("John", 40), ("Smith", 20), ("Director", 18), "hello@studio.com"]
    assert _ex(lines).contact.name is None


def test_a_known_given_name_alone_before_a_phone_label_is_the_name() -> None:
    lines = [("VISSCO", 30), ("Vijay Mob.:9999269543", 20), "SHOP NO. 1, NEW DELHI-110029"]
    ex = _ex(lines, "IN")
    assert (ex.contact.name, ex.contact.given_name, ex.contact.family_name) == (
        "Vijay",
        "Vijay",
        None,
    )
    # A word that is no known given name stays no person ("Showroom Tel: ...").
    assert _ex([("ACME", 30), ("Showroom Tel: 022-2345 6789", 20)], "IN").contact.name is None


def test_a_lowercase_name_beside_its_job_title_needs_no_email() -> None:
    lines = [("maria lopez", 36), ("graphic designer", 20), "hello@studiokite.com"]
    assert _ex(lines).contact.name == "Maria Lopez"
    # Words that are no known given and family name stay no person.
    assert (
        _ex([("creative studio", 36), ("design director", 20), "hello@kite.com"]).contact.name
        is None
    )


def test_a_lowercase_name_whose_domain_it_is_needs_no_email() -> None:
    # A freelancer's own site: a known given and family name spelt by the domain is
    # the person, and the domain is no company.
    ex = _ex([("maria lopez", 36), ("photographer", 20), "hello@marialopez.photo"], "AU")
    assert (ex.contact.name, ex.contact.company) == ("Maria Lopez", None)
    # A shop's name spelt by its domain stays no person ("fresh bread" is no name).
    ex = _ex([("fresh bread", 36), "hello@freshbread.com"])
    assert ex.contact.name is None


def test_bilingual_card_keeps_the_latin_name_and_the_other_form() -> None:
    ex = _ex([("王小明 Wang Xiaoming", 36), ("Manager", 20), "+86 10 1234 5678"], "CN")
    assert ex.contact.name == "Wang Xiaoming"
    assert "王小明" in ex.other_text
    ex = _ex([("山田太郎", 44), ("Taro Yamada", 30), ("Manager", 20), "+81 3 1234 5678"], "JP")
    assert ex.contact.name == "Taro Yamada"
    assert "山田太郎" in ex.other_text


def test_a_list_of_wares_is_no_name() -> None:
    lines = [("ACME", 60), "+1 415 555 2671", ("Yoga Mat, Gym Ball, Foam Roller", 24)]
    assert _name(lines)[0] is None
    assert _name([("Jane Doe, PhD, MBA", 30), "+1 415 555 2671"])[0] == "Jane Doe, PhD, MBA"


def test_a_bullet_or_icon_beside_the_name_is_dropped() -> None:
    assert _name([("• Jane Doe", 30), ("Sales Manager", 20), "+1 415 555 2671"])[0] == "Jane Doe"
    assert _name([("Jane Doe |", 30), ("Sales Manager", 20), "+1 415 555 2671"])[0] == "Jane Doe"


def test_name_run_together_is_cut_where_the_lexicon_says() -> None:
    lines = [("ACME", 50), ("MARIAKOWALSKI", 40), ("Project Manager", 20), "+1 415 555 2671"]
    assert _name(lines) == ("Maria Kowalski", "Maria", "Kowalski")
    # A word that is no given name followed by a family name stays one word: no name.
    lines = [("ACME", 50), ("QWERTYZXCV", 40), "+1 415 555 2671"]
    assert _name(lines)[0] is None


def test_name_glued_to_the_email_on_its_line() -> None:
    lines = [("ACME", 50), ("HELENA TAVARES helena@acme.pt", 30), "+351 21 245 4257"]
    c = _ex(lines, "PT").contact
    assert (c.name, c.emails) == ("Helena Tavares", ["helena@acme.pt"])


def test_name_from_a_profile_handle_when_none_is_read() -> None:
    ex = _ex([("ACME", 50), "linkedin.com/in/mariakowalski", "+1 415 555 2671"])
    assert ex.contact.name == "Maria Kowalski"
    assert "name_from_email" in [i.code for i in ex.issues]
    ex = _ex([("ACME", 50), "linkedin.com/in/acmetools", "+1 415 555 2671"])
    assert ex.contact.name is None


def test_two_people_side_by_side_the_left_one_is_first() -> None:
    # The right-hand name sits a little higher, so the OCR lists it first.
    ocr = make_ocr([("Jane Doe", 36), "+1 415 555 2671"])
    right = make_ocr([("John Roe", 36)]).lines[0]
    moved = [
        replace(w, box=replace(w.box, left=w.box.left + 700, top=w.box.top - 6))
        for w in right.words
    ]
    ocr.lines.insert(0, OcrLine(moved))
    ex = extract(ocr, "US")
    assert ex.contact.name == "Jane Doe"
    assert "several_people" in [i.code for i in ex.issues]


def test_two_people_each_with_an_email_are_several_people() -> None:
    lines = [
        ("Jane Doe", 40),
        ("Sales Manager", 20),
        ("John Roe", 30),
        ("Engineer", 20),
        "jdoe@acme.com",
        "jroe@acme.com",
    ]
    ex = _ex(lines)
    assert ex.contact.name == "Jane Doe"
    assert "several_people" in [i.code for i in ex.issues]


def test_a_family_name_that_is_a_title_word_needs_the_email() -> None:
    lines = [("Enzo Sales", 40), ("Financial Director", 20), "esales@acme.com.br"]
    assert _name(lines)[0] == "Enzo Sales"
    assert _name([("Enzo Sales", 40), ("Financial Director", 20), "info@acme.com.br"])[0] is None


def test_organisation_words_of_many_languages_are_no_name() -> None:
    for printed in ("Stichting de Haas", "Koninklijke Jansen", "Fazenda Boa Vista"):
        assert _name([(printed, 40), "+31 20 123 4567"])[0] is None, printed


def test_short_cjk_office_or_department_lines_are_no_name() -> None:
    for printed in ("東京本社", "営業部", "大阪支店", "研究中心"):
        assert _name([(printed, 44), "+81 3 1234 5678"])[0] is None, printed


@pytest.mark.parametrize(
    ("printed", "given", "family"),
    [
        ("Ravi kumar", "Ravi", "kumar"),  # a family name typed in lower case
        ("Aisha bint Khalid", "Aisha", "bint Khalid"),  # "daughter of"
        ("Siti binti Ahmad", "Siti", "binti Ahmad"),
        ("Omar ibn Said", "Omar", "ibn Said"),
    ],
)
def test_names_with_a_lower_case_word(printed: str, given: str, family: str) -> None:
    card = [(printed, 40), ("Sales Manager", 22), ("Acme Global Trading", 24),
            ("+1 415 555 0100", 17), ("info@acmeglobal.com", 17)]  # fmt: skip
    contact = _ex(card).contact
    assert (contact.name, contact.given_name, contact.family_name) == (printed, given, family)


@pytest.mark.parametrize("line", ["Ravi sales", "Maria consulting group", "Rose garden cafe"])
def test_a_lower_case_word_that_is_no_name_makes_no_name(line: str) -> None:
    card = [(line, 40), ("+1 415 555 0100", 17), ("info@acmeglobal.com", 17)]
    assert _ex(card).contact.name is None


@pytest.mark.parametrize(
    ("printed", "name", "given", "family"),
    [
        ("Dr. med. Anna Schmidt", "Dr. med. Anna Schmidt", "Anna", "Schmidt"),
        ("mgr inż. Piotr Nowak", "mgr inż. Piotr Nowak", "Piotr", "Nowak"),
        ("CA Rajesh Gupta", "CA Rajesh Gupta", "Rajesh", "Gupta"),
        ("Dato' Ahmad Razak", "Dato' Ahmad Razak", "Ahmad", "Razak"),
        ("Budi Santoso, S.T., M.M.", "Budi Santoso, S.T., M.M.", "Budi", "Santoso"),
    ],
)
def test_honorifics_and_degrees_of_more_countries(
    printed: str, name: str, given: str, family: str
) -> None:
    card = [(printed, 36), ("Sales Manager", 20), ("Acme Global Ltd", 22),
            ("+1 415 555 0100", 16), ("contact@acmeglobal.com", 16)]  # fmt: skip
    assert _name(card) == (name, given, family)


def test_a_korean_given_name_is_no_indonesian_degree() -> None:
    # "Se" without its dot is a name, not S.E.
    card = [("Park Ji Se", 36), ("Designer", 20), ("+82 2 555 1234", 16)]
    assert _name(card)[0] == "Park Ji Se"
