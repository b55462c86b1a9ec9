"""Department: a free line that clearly names one, never the company or the title."""

from __future__ import annotations

import pytest

from cardscan.extract import extract
from cardscan.extract.department import department_rule
from cardscan.extract.synth import make_ocr
from cardscan.model import Extraction


def _ex(lines: list, region: str = "US") -> Extraction:
    return extract(make_ocr(lines), region)


@pytest.mark.parametrize(
    "department",
    [
        "Department of Radiology",
        "Dept. of Surgery",
        "R&D Division",
        "Faculty of Engineering",
        "School of Medicine",
        "Office of the President",
        "Intensive Care Unit",
        "Marketing Team",
        "Abteilung Vertrieb",
        "Vertriebsabteilung",
        "Departamento de Ventas",
        "Sales & Marketing",
        "Research and Development",
    ],
)
def test_a_department_line_fills_department(department: str) -> None:
    ex = _ex(
        [
            ("Jane Doe", 36),
            ("Senior Engineer", 20),
            ("Northwind Medical Inc.", 22),
            (department, 16),
            "jane@northwind.example",
            "+1 415 555 0134",
        ]
    )
    assert ex.contact.department == department
    assert ex.contact.company == "Northwind Medical Inc."
    assert ex.contact.title == "Senior Engineer"
    assert 0.0 < ex.confidence["department"] <= 1.0
    assert ex.evidence["department"]
    assert department not in ex.other_text  # the line is used: no card note
    assert department in ex.unused  # the verdict's features count it as before


@pytest.mark.parametrize("line", ["営業部", "放射線科", "영업부"])
def test_cjk_department_endings(line: str) -> None:
    assert department_rule(line) > 0


@pytest.mark.parametrize(
    "line",
    [
        "Sales",  # one function word far from the name: a slogan as likely
        "Department",  # names no department
        "Sales & Service",  # a dealer's slogan
        "Unit 5",  # an address
        "Our team is here for you",  # a sentence
        "Acme Division GmbH",  # a company
        "Dept. 42",  # digits: not a label
        "株式会社山田商事",  # a company, not ending in a department mark
        "",
    ],
)
def test_no_clear_evidence_is_no_department(line: str) -> None:
    assert department_rule(line) == 0.0


def test_title_next_to_the_name_stays_the_title() -> None:
    ex = _ex([("Jane Doe", 36), ("Sales", 20), ("Acme Corp", 22), "jane@acme.example"])
    assert ex.contact.title == "Sales"
    assert ex.contact.department is None


def test_a_slogan_stays_in_other_text() -> None:
    ex = _ex([("Jane Doe", 36), ("Acme Corp", 22), "jane@acme.example", ("Sales & Service", 12)])
    assert ex.contact.department is None
    assert "Sales & Service" in ex.other_text


def test_no_department_line_leaves_it_empty() -> None:
    ex = _ex([("Jane Doe", 36), ("CEO", 20), ("Acme Corp", 22), "jane@acme.example"])
    assert ex.contact.department is None
    assert "department" not in ex.confidence
    assert ex.unused == ex.other_text


@pytest.mark.parametrize("line", ["Marketing Division", "Sales Department"])
def test_a_department_line_under_the_title_is_no_part_of_it(line: str) -> None:
    lines = [("Rahul Mehta", 36), ("Senior Manager", 20), (line, 16),
             ("Bharat Heavy Electricals Limited", 20), ("Mob: +91 98100 12345", 16),
             ("rahul@bhel.in", 16)]  # fmt: skip
    contact = extract(make_ocr(lines), "IN").contact
    assert (contact.title, contact.department) == ("Senior Manager", line)


def test_a_title_that_goes_on_keeps_its_department_words() -> None:
    lines = [("Jane Doe", 36), ("Head of", 20), ("Sales Department", 20), ("Acme Corp", 20),
             ("jane@acme.com", 16)]  # fmt: skip
    assert extract(make_ocr(lines), "US").contact.title == "Head of Sales Department"
