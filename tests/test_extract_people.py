"""A card naming several people: one contact per person (cardscan.extract.people).

Hand-built readings for the layouts, and one generated two-person card read by the real
pipeline (PP-OCR), whose print is large and plain, so its reading is not borderline.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from cardscan.bench import score_people
from cardscan.config import load_pipeline
from cardscan.extract import extract
from cardscan.extract.synth import make_ocr
from cardscan.model import CardResult, Contact, Extraction, OcrLine, OcrResult, Status
from cardscan.model import Person as ReadPerson
from cardscan.pipeline import CardJob, process_card
from tools.cardgen.render import render_card
from tools.cardgen.spec import CardSpec, Person, Phone, Style
from tools.cardgen.truth import contact_truth, other_truth


def _side_by_side(
    left: list, right: list, shared: list, merged: bool, offset: int = 540
) -> OcrResult:
    """Two people's blocks in two columns (`merged`: each row one OCR line, as Tesseract
    gives it; else a line per column, as PP-OCR does), the shared lines under them."""
    a, b = make_ocr(left), make_ocr(right)
    under = make_ocr([("", 20)] * (len(left) + 1) + shared)
    lines: list[OcrLine] = []
    for la, lb in zip(a.lines, b.lines, strict=True):
        moved = [replace(w, box=replace(w.box, left=w.box.left + offset)) for w in lb.words]
        lines += [OcrLine(la.words + moved)] if merged else [la, OcrLine(moved)]
    return OcrResult(lines + under.lines, width=1050, height=under.height)


def _people(ex: Extraction) -> list[tuple[str | None, str | None, list[str], list[str]]]:
    contacts = [p.contact for p in ex.people] or [ex.contact]
    return [(c.name, c.title, c.emails, [p.number for p in c.phones]) for c in contacts]


def _codes(ex: Extraction) -> list[str]:
    return [i.code for i in ex.issues]


@pytest.mark.parametrize("merged", [True, False])
def test_side_by_side_people_each_get_their_block(merged: bool) -> None:
    ocr = _side_by_side(
        [("Jane Doe", 36), ("Sales Manager", 20), "jane.doe@acme.com", "M 415 555 2671"],
        [("John Roe", 36), ("Engineer", 20), "john.roe@acme.com", "M 415 555 2672"],
        [("Acme Widgets Inc", 24), "Tel 415 555 0000", "www.acme.com", "12 Main Street"],
        merged,
    )
    ex = extract(ocr, "US")
    assert _people(ex) == [
        ("Jane Doe", "Sales Manager", ["jane.doe@acme.com"], ["+14155552671", "+14155550000"]),
        ("John Roe", "Engineer", ["john.roe@acme.com"], ["+14155552672"]),
    ]
    # The card's own contact keeps every email and phone (one row for the card, until the
    # book writes a row per person): nothing printed is lost.
    assert ex.contact.name == "Jane Doe"
    assert sorted(ex.contact.emails) == ["jane.doe@acme.com", "john.roe@acme.com"]
    assert len(ex.contact.phones) == 3
    second = ex.people[1].contact
    assert (second.company, second.websites) == ("Acme Widgets Inc", ["www.acme.com"])
    assert second.address == ex.contact.address and second.address is not None
    assert "people_unsure" not in _codes(ex) and "several_people" in _codes(ex)
    assert not any(p.issues for p in ex.people)
    assert "John Roe" in " ".join(ex.other_text)  # the card's row shows the second name


def test_stacked_people_and_the_shared_office_line_goes_to_the_first() -> None:
    lines = [
        ("Jane Doe", 36),
        ("Sales Manager", 20),
        "jdoe@acme.com",
        "Mobile 415 555 2671",
        ("", 30),
        ("John Roe", 36),
        ("Engineer", 20),
        "jroe@acme.com",
        ("", 30),
        ("Acme Widgets Inc", 24),
        "Office 415 555 0000",
        "info@acme.com",
    ]
    ex = extract(make_ocr(lines), "US")
    assert _people(ex) == [
        (
            "Jane Doe",
            "Sales Manager",
            ["jdoe@acme.com", "info@acme.com"],
            ["+14155552671", "+14155550000"],
        ),
        ("John Roe", "Engineer", ["jroe@acme.com"], []),
    ]
    assert "people_unsure" not in _codes(ex)


def test_a_stacked_partner_whose_email_spells_no_name() -> None:
    # Only Jane's email spells her name, so the name finder reads her alone; John's name,
    # in her print and column, heads a block with a mobile of his own.
    lines = [
        ("Jane Doe", 36),
        ("Sales Manager", 20),
        "jane.doe@acme.com",
        "Mobile 415 555 2671",
        ("", 30),
        ("John Roe", 36),
        ("Engineer", 20),
        "workshop@acme.com",
        "Mobile 415 555 2672",
        ("", 30),
        "Office 415 555 0000",
    ]
    ex = extract(make_ocr(lines), "US")
    assert _people(ex) == [
        ("Jane Doe", "Sales Manager", ["jane.doe@acme.com"], ["+14155552671", "+14155550000"]),
        ("John Roe", "Engineer", ["workshop@acme.com"], ["+14155552672"]),
    ]
    assert "people_unsure" not in _codes(ex)


def test_a_name_like_line_under_the_name_in_its_print_is_no_partner() -> None:
    # The firm's name under the person's, in the same print, over her lines: her email
    # spells her name, but nothing of hers is in her block, so it is not two people.
    lines = [
        ("Jane Doe", 36),
        ("Baker Mills", 36),
        "jane.doe@bakermills.com",
        "Mobile 415 555 2671",
    ]
    ex = extract(make_ocr(lines), "US")
    assert ex.people == [] and ex.contact.name == "Jane Doe"


def test_an_email_spelling_a_name_is_theirs_wherever_it_is_printed() -> None:
    # Both emails printed together at the bottom, away from either block.
    lines = [
        ("Ricardo Nogueira", 36),
        ("Director", 20),
        ("", 30),
        ("Helena Tavares", 36),
        ("Architect", 20),
        ("", 40),
        "helena.tavares@nogueira-arq.pt",
        "r.nogueira@nogueira-arq.pt",
    ]
    ex = extract(make_ocr(lines), "PT")
    got = {c.name: c.emails for c in (p.contact for p in ex.people)}
    assert got == {
        "Ricardo Nogueira": ["r.nogueira@nogueira-arq.pt"],
        "Helena Tavares": ["helena.tavares@nogueira-arq.pt"],
    }


def test_given_names_on_one_line_with_a_phone_each() -> None:
    lines = [
        ("Jon / Kaylen", 36),
        ("Harbor Coffee Roasters", 24),
        "Jon 415 555 2671",
        "Kaylen 415 555 2672",
        "www.harborcoffee.com",
    ]
    ex = extract(make_ocr(lines), "US")
    assert _people(ex) == [
        ("Jon", None, [], ["+14155552671"]),
        ("Kaylen", None, [], ["+14155552672"]),
    ]
    assert ex.people[0].contact.name == "Jon" and "several_people" in _codes(ex)
    assert ex.people[1].contact.company == "Harbor Coffee Roasters"
    assert ex.people[1].contact.websites == ["www.harborcoffee.com"]


def test_a_couple_sharing_a_family_name() -> None:
    lines = [("Ana & Rui Costa", 36), "ana@costa-imoveis.pt", "rui@costa-imoveis.pt"]
    ex = extract(make_ocr(lines), "PT")
    assert [(n, e) for n, _, e, _ in _people(ex)] == [
        ("Ana Costa", ["ana@costa-imoveis.pt"]),
        ("Rui Costa", ["rui@costa-imoveis.pt"]),
    ]


def test_two_names_without_lines_of_their_own_are_split_and_flagged() -> None:
    ex = extract(make_ocr([("Jane Doe", 30), ("John Smith", 30), "+1 415 555 2671"]), "US")
    assert [n for n, *_ in _people(ex)] == ["Jane Doe", "John Smith"]
    assert "people_unsure" in _codes(ex)
    for person in ex.people:
        (issue,) = person.issues
        assert issue.code == "people_unsure" and "has no email or phone of their own" in (
            issue.message
        )


def test_a_mobile_in_no_ones_block_is_flagged() -> None:
    lines = [
        ("Jane Doe", 36),
        "jdoe@acme.com",
        ("", 30),
        ("John Roe", 36),
        "jroe@acme.com",
        ("", 40),
        "Mobile 415 555 2679",
    ]
    ex = extract(make_ocr(lines), "US")
    assert [len(p.contact.phones) for p in ex.people] == [1, 0]
    assert any("mobile" in i.message for i in ex.people[1].issues)


def test_a_partner_beside_the_name_in_smaller_print_without_a_spelling_email() -> None:
    # The name finder reads Jane (biggest print, an email spelling her name) alone: John's
    # name is 20% smaller and his email spells no name. Beside hers, with a mobile of his
    # own, he is a partner.
    ocr = _side_by_side(
        [("Jane Doe", 36), ("Sales Manager", 20), "jane.doe@acme.com", "M 415 555 2671"],
        [("John Roe", 29), ("Engineer", 20), "workshop@acme.com", "M 415 555 2672"],
        [("Acme Widgets Inc", 24), "Tel 415 555 0000"],
        merged=False,
    )
    ex = extract(ocr, "US")
    assert _people(ex) == [
        ("Jane Doe", "Sales Manager", ["jane.doe@acme.com"], ["+14155552671", "+14155550000"]),
        ("John Roe", "Engineer", ["workshop@acme.com"], ["+14155552672"]),
    ]
    assert "several_people" in _codes(ex) and "people_unsure" not in _codes(ex)
    assert ex.contact.name == "Jane Doe" and len(ex.contact.phones) == 3  # the card's, as read


def test_a_partner_left_of_the_name_is_the_first_person() -> None:
    # The name finder reads the right-hand name (the bigger print); the left column is
    # read first, as the generated cards' truth and a reader do, and keeps its own title.
    ocr = _side_by_side(
        [("John Roe", 29), ("Engineer", 20), "workshop@acme.com", "M 415 555 2672"],
        [("Jane Doe", 36), ("Sales Manager", 20), "jane.doe@acme.com", "M 415 555 2671"],
        [("Acme Widgets Inc", 24), "Tel 415 555 0000"],
        merged=False,
    )
    ex = extract(ocr, "US")
    assert _people(ex) == [
        ("John Roe", "Engineer", ["workshop@acme.com"], ["+14155552672", "+14155550000"]),
        ("Jane Doe", "Sales Manager", ["jane.doe@acme.com"], ["+14155552671"]),
    ]


def test_side_by_side_people_on_a_slanted_photo_read_left_first() -> None:
    # The right column's lines are a line and a bit higher (a card photographed
    # turned): the names are still a row, the left one first, and the office line hers.
    ocr = _side_by_side(
        [("Jane Doe", 36), ("Sales Manager", 20), "jane.doe@acme.com", "M 415 555 2671"],
        [("John Roe", 36), ("Engineer", 20), "john.roe@acme.com", "M 415 555 2672"],
        [("Acme Widgets Inc", 24), "Tel 415 555 0000"],
        merged=False,
    )
    lines = [
        OcrLine([replace(w, box=replace(w.box, top=w.box.top - 45)) for w in line.words])
        if line.words[0].box.left > 500
        else line
        for line in ocr.lines
    ]
    ex = extract(replace(ocr, lines=lines), "US")
    assert [(n, p) for n, _, _, p in _people(ex)] == [
        ("Jane Doe", ["+14155552671", "+14155550000"]),
        ("John Roe", ["+14155552672"]),
    ]


def test_two_names_read_as_one_line_are_cut_at_the_column_gap() -> None:
    # Columns so close that the OCR line "Jane Doe  John Roe" is one segment (the gap is
    # under the segmenter's 2.5 heights, but far over a space between a name's words).
    ocr = _side_by_side(
        [("Jane Doe", 36), ("Sales Manager", 20), "M 415 555 2671", "jane@acme.com"],
        [("John Roe", 36), ("Engineer", 20), "M 415 555 2672", "jroe@acme.com"],
        [("Acme Widgets Inc", 24), "Tel 415 555 0000"],
        merged=True,
        offset=205,
    )
    assert "Jane Doe John Roe" in [line.text for line in ocr.lines]
    ex = extract(ocr, "US")
    assert _people(ex) == [
        ("Jane Doe", "Sales Manager", ["jane@acme.com"], ["+14155552671", "+14155550000"]),
        ("John Roe", "Engineer", ["jroe@acme.com"], ["+14155552672"]),
    ]


@pytest.mark.parametrize(
    "left, right",
    [
        # A firm's name-like line beside the name, over the office's line only.
        (
            [("Jane Doe", 36), "Sales Manager", "jane@acme.com", "M 415 555 2671"],
            [("Baker Mills", 32), "Tel 415 555 0000", "info@bakermills.com", "12 Main Street"],
        ),
        # A shop's name and its fax, no one's mobile or own email under it.
        (
            [("Jane Doe", 36), "Sales Manager", "jane@acme.com", "M 415 555 2671"],
            [("Harbor View", 34), "Open Daily", "Since 1982", "Fax 415 555 0001"],
        ),
    ],
)
def test_a_name_like_line_beside_the_name_without_personal_lines_is_no_partner(
    left: list, right: list
) -> None:
    ex = extract(_side_by_side(left, right, ["www.acme.com"], merged=False), "US")
    assert ex.people == [] and ex.contact.name == "Jane Doe"
    assert not {"several_people", "people_unsure"} & set(_codes(ex))


@pytest.mark.parametrize(
    "lines",
    [
        # A slogan in the name's font, a shop's name, a practice named after its head.
        [("Jane Doe", 36), ("Fresh Every Day", 36), "jane@bakery.com", "+1 415 555 2671"],
        [("Marks & Spencer", 36), ("Jane Doe", 24), "Store Manager", "+1 415 555 2671"],
        [("Dr. Alan Grant and Partners", 30), ("Alan Grant", 36), "+1 415 555 2671"],
        [("Jane Doe", 36), ("Sales Manager", 20), "Harbor Gate Mall", "+1 415 555 2671"],
        [("Jon & Kaylen", 36), "+1 415 555 2671", "hello@jonandkaylen.com"],
    ],
)
def test_one_person_cards_are_not_split(lines: list) -> None:
    ex = extract(make_ocr(lines), "US")
    assert ex.people == []
    assert not {"several_people", "people_unsure"} & set(_codes(ex))


def test_score_people_wants_every_person_and_no_more() -> None:
    first = Contact(name="Jane Doe", emails=["jane@acme.com"])
    record = {
        "contact": first.to_json(),
        "others": [{"name": "John Roe", "title": None, "emails": ["john@acme.com"], "phones": []}],
    }
    one = CardResult("x.jpg", "id", Status.OK, contact=first)
    got = score_people(record, one)
    assert (got.wanted, got.read, got.first_right, got.all_right) == (2, 1, True, False)
    second = Contact(name="John Roe", emails=["john@acme.com"])
    both = replace(one, people=[ReadPerson(first), ReadPerson(second)])
    assert score_people(record, both).all_right
    wrong = replace(one, people=[ReadPerson(first), ReadPerson(replace(second, emails=[]))])
    assert not score_people(record, wrong).all_right
    single = {"contact": first.to_json()}
    assert score_people(single, one).all_right and not score_people(single, both).all_right


def test_a_generated_two_person_card_read_by_the_real_pipeline(tmp_path: Path) -> None:
    # Big plain print on white, two columns (the generator's classic layout for two).
    spec = CardSpec(
        region="US",
        name="Laura Bennett",
        given_name="Laura",
        family_name="Bennett",
        title="Managing Partner",
        company="Bennett Walsh Design",
        phones=(
            Phone("(415) 555-0142", "mobile", "M"),
            Phone("(415) 555-0100", "work", "T"),
        ),
        emails=("laura.bennett@bennettwalsh.com",),
        websites=("www.bennettwalsh.com",),
        layout="classic",
        style=Style(body_size=27, title_size=28, name_size=52),
        others=(
            Person(
                "Daniel Walsh",
                "Creative Director",
                ("daniel.walsh@bennettwalsh.com",),
                (Phone("(415) 555-0187", "mobile", "M"),),
            ),
        ),
    )
    photo = tmp_path / "card.png"
    card = render_card(spec, 1.0).image
    # On a dark table, as photographed: the cleanup finds the card by its outline.
    table = Image.new("RGB", (card.width + 200, card.height + 200), "#303030")
    table.paste(card, (100, 100))
    table.save(photo)
    result = process_card(CardJob(str(photo), load_pipeline("default"), "US"))
    record = {
        "contact": contact_truth(spec),
        "others": [other_truth(p, spec.region) for p in spec.others],
    }
    got = score_people(record, result)
    assert (got.read, got.all_right, got.flagged) == (2, True, False), result.to_json()
    assert result.to_json()["people"][1]["contact"]["title"] == "Creative Director"


def test_the_bench_report_counts_cards_with_every_person_right() -> None:
    from cardscan.bench import Truth, format_report, score

    first = Contact(name="Jane Doe", emails=["jane@acme.com"])
    second = Contact(name="John Roe", emails=["john@acme.com"])
    others = [{"name": "John Roe", "title": None, "emails": ["john@acme.com"], "phones": []}]
    record = {"contact": first.to_json(), "others": others}
    card = CardResult("a.jpg", "a", Status.NEEDS_REVIEW, contact=first)
    both = replace(card, source="b.jpg", people=[ReadPerson(first), ReadPerson(second)])
    truths = [Truth(Path(f"{n}.jpg"), record["contact"], record=record) for n in "ab"]
    figures = score(zip(truths, [card, both], strict=True)).to_json(0.0)
    assert figures["several_people"] == {
        "cards": 2,
        "flagged": 2,
        "every_person_known": 2,
        "every_person_right": 1,
    }
    assert "every person read right (rescan --json's people) on 1 of the 2" in format_report(
        figures
    )


@pytest.mark.parametrize(
    "name,read,want",
    [
        ("Luisa da Costa", "i.dacosta@pastor.com.br", "l.dacosta@pastor.com.br"),
        ("Lucy Williams", "Iwilliams@hartley.co.uk", "lwilliams@hartley.co.uk"),
        ("Ines Costa", "i.costa@pastor.com.br", "i.costa@pastor.com.br"),  # spells her
        ("Ivan Petrov", "ivan.petrov@orbita.ru", "ivan.petrov@orbita.ru"),
        ("Sales Team", "iwilliams@hartley.co.uk", "iwilliams@hartley.co.uk"),  # no name
    ],
)
def test_an_l_read_as_i_at_an_emails_start_is_mended_only_where_a_name_says_so(
    name: str, read: str, want: str
) -> None:
    ex = extract(make_ocr([(name, 36), ("Director", 20), read, "T +44 20 7946 0321"]), "GB")
    assert [e.lower() for e in ex.contact.emails] == [want.lower()]


@pytest.mark.parametrize("right_name,split", [("Ángeles Tomas", True), ("Renate Holm", False)])
def test_a_partner_is_compared_in_print_without_descenders_and_accents(
    right_name: str, split: bool
) -> None:
    # "Ángeles Tomas" has an accented capital and a descender: PP-OCR's box for it is half
    # as tall again as for "Paula Mata" in the same print (80 and 55 px on a generated
    # card). Without them, a name that much taller is other print: no partner.
    ocr = _side_by_side(
        [("Paula Mata", 28), ("Gerente", 20), "paula@arceasociados.es", "Móvil 612 12 38 86"],
        [
            (right_name, 42),
            ("Jefa de Proyecto", 20),
            "atomas@arceasociados.es",
            "Móvil 612 92 62 01",
        ],
        [("Arce Asociados", 24), "T 810 19 02 93"],
        merged=False,
    )
    ex = extract(ocr, "ES")
    names = [p[0] for p in _people(ex)]
    assert names == (["Paula Mata", right_name] if split else ["Paula Mata"])


@pytest.mark.parametrize("site,mended", [("www.acmewidgets.com", True), (None, False)])
def test_a_letter_misread_in_a_persons_email_domain_is_mended_from_the_card(
    site: str | None, mended: bool
) -> None:
    # Jane's domain is read with a "t" as "l"; the card's domain is read on its website and
    # in John's email. Without the website, one reading against another: left as read.
    ocr = _side_by_side(
        [("Jane Doe", 36), ("Sales Manager", 20), "jane.doe@acmewidgels.com", "M 415 555 2671"],
        [("John Roe", 36), ("Engineer", 20), "john.roe@acmewidgets.com", "M 415 555 2672"],
        [("Acme Widgets Inc", 24), "Tel 415 555 0000", *([site] if site else [])],
        merged=False,
    )
    ex = extract(ocr, "US")
    jane = ex.people[0].contact
    domain = "acmewidgets.com" if mended else "acmewidgels.com"
    assert jane.emails == [f"jane.doe@{domain}"]
    assert ex.people[1].contact.emails == ["john.roe@acmewidgets.com"]


def test_a_one_read_for_an_l_at_an_emails_start_is_mended_by_its_owners_name() -> None:
    ocr = _side_by_side(
        [("Elisa Pires", 36), ("Diretora", 20), "e.pires@borges.com.br", "Celular (11) 96130-6834"],
        [("Levi Rocha", 36), ("Gerente", 20), "1.rocha@borges.com.br", "Celular (11) 96140-7777"],
        [("Borges Ltda", 24), "Fone (11) 2316-5449"],
        merged=False,
    )
    ex = extract(ocr, "BR")
    assert [p[2] for p in _people(ex)] == [["e.pires@borges.com.br"], ["l.rocha@borges.com.br"]]
