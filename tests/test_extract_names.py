"""The person's name: candidates, casing, given/family split, email agreement."""

from __future__ import annotations

import pytest

from cardscan.extract import extract
from cardscan.extract.names import email_match, split_name
from cardscan.extract.synth import make_ocr
from cardscan.model import Extraction


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


def test_two_equal_candidates_flag_ambiguous() -> None:
    ex = _ex([("Jane Doe", 30), ("John Smith", 30), "+1 415 555 2671"])
    assert ex.contact.name == "Jane Doe"
    assert "ambiguous_name" in [i.code for i in ex.issues]


def test_no_text_no_issue() -> None:
    ex = _ex([])
    assert ex.contact.name is None
    assert ex.issues == []


def test_name_evidence_is_its_word_boxes() -> None:
    ex = _ex([("Jane Doe", 36), "jane@acme.com"])
    assert len(ex.evidence["name"]) == 2
    assert all(b.height == 36 for b in ex.evidence["name"])
