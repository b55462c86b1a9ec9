"""Finding people: PERSON resolution (book.people) and `find`'s search (book.search).

Hand-built rows, as Book.rows() gives them (header -> text), so each rule is shown
on its own; the CLI tests (test_people_cli.py) run them on the real samples book.
"""

from __future__ import annotations

import pytest

from cardscan.book import columns as col
from cardscan.book.people import candidates, fold, resolve
from cardscan.book.search import (
    ALL_WORDS,
    EXACT,
    INSIDE,
    SPREAD,
    WORD_START,
    cell_score,
    column_named,
    search,
)
from cardscan.cli.find import snippet
from cardscan.errors import ExitCode, PersonError


def person(name: str, company: str = "", email: str = "", **more: str) -> dict[str, str]:
    given, _, family = name.rpartition(" ")
    row = {c: "" for c in col.COLUMNS}
    row.update(
        {
            col.NAME: name,
            col.GIVEN_NAME: given.split(" ")[0] if given else "",
            col.FAMILY_NAME: family,
            col.COMPANY: company,
            col.EMAILS: email,
        }
    )
    row.update({key.replace("_", " ").capitalize(): value for key, value in more.items()})
    return row


ROWS = [
    person(
        "Marcus J. Whitfield",
        "Northwind Logistics",
        "marcus.whitfield@northwind.example",
        mobile="+1 415-555-0187",
    ),
    person("Eleanor Whitaker-Hayes", "Whitaker Hayes LLP", "ewhitaker@whlaw.example"),
    person("Inês Carvalho Ferreira", "Atlântico Digital, Lda.", "ines@atlantico.example"),
    person(
        "Priya Raman",
        "Brightloop Labs",
        "pr@bl.example",
        notes="2026-11-22: introduce to Marcus at Northwind",
    ),
    {c: "" for c in col.COLUMNS},  # a blank spacer row the user left
    person("Grace Liu", "Foxglove Studio", "grace@foxglove.example"),
    person("Marisol Vega", "Vega Studio", "hello@vega.example"),
    {**person("", "Harrow & Finch Coffee Roasters", "info@harrow.example"), "Hobby": ""},
]


def names(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [ROWS[h.index][col.NAME] or ROWS[h.index][col.COMPANY] for h in hits]


def test_fold_drops_case_accents_and_extra_spaces() -> None:
    assert fold("  Inês   CARVALHO ") == "ines carvalho"
    assert fold("Müller Straße") == "muller strasse"
    assert fold("Søren Łukasz") == "soren lukasz"


# --- resolving PERSON --------------------------------------------------------------


def test_a_person_resolves_by_name_without_accents_email_or_company() -> None:
    assert resolve(ROWS, "ines", "book.xlsx") == 2
    assert resolve(ROWS, "INÊS carvalho", "book.xlsx") == 2
    assert resolve(ROWS, "pr@bl.example", "book.xlsx") == 3
    assert resolve(ROWS, "brightloop", "book.xlsx") == 3
    assert resolve(ROWS, "harrow", "book.xlsx") == 7


def test_an_ambiguous_person_raises_with_every_close_candidate() -> None:
    with pytest.raises(PersonError) as caught:
        resolve(ROWS, "studio", "book.xlsx")
    error = caught.value
    assert error.exit_code == ExitCode.PERSON == 10
    assert error.message == (
        "'studio' matches 2 people in book.xlsx: Grace Liu (Foxglove Studio), "
        "grace@foxglove.example, row 7; Marisol Vega (Vega Studio), hello@vega.example, row 8"
    )
    assert [c.index for c in candidates(ROWS, "whit")] == [0, 1]


def test_nobody_matching_raises_and_points_to_find() -> None:
    with pytest.raises(PersonError, match=r"nobody in book\.xlsx matches 'zebra'") as caught:
        resolve(ROWS, "zebra", "book.xlsx")
    assert "cardscan find" in str(caught.value)
    assert candidates(ROWS, "   ") == []


# --- searching ---------------------------------------------------------------------


def test_search_finds_a_name_without_accents_and_a_company_by_a_word() -> None:
    assert names(search(ROWS, "ines")) == ["Inês Carvalho Ferreira"]
    assert names(search(ROWS, "ATLANTICO")) == ["Inês Carvalho Ferreira"]
    assert names(search(ROWS, "logistics")) == ["Marcus J. Whitfield"]


def test_a_typo_in_a_name_still_finds_the_person_but_ranks_below_exact() -> None:
    (hit,) = search(ROWS, "whitfeld")
    assert names([hit]) == ["Marcus J. Whitfield"]
    assert set(hit.matched) == {col.NAME, col.FAMILY_NAME}
    assert INSIDE < hit.score < WORD_START
    assert names(search(ROWS, "elenor whitaker")) == ["Eleanor Whitaker-Hayes"]


def test_typos_are_forgiven_only_in_names_and_only_in_long_enough_words() -> None:
    assert search(ROWS, "northwend") == []  # a company: no typo allowed
    assert search(ROWS, "lu") == []  # "Liu" is one letter away, but "lu" is too short
    assert search(ROWS, "marcos whitfeld") != []
    assert search(ROWS, "marcus zzzzzzz") == []  # every word must be close


def test_best_matches_come_first_then_sheet_order() -> None:
    hits = search(ROWS, "northwind")
    assert names(hits) == ["Marcus J. Whitfield", "Priya Raman"]
    assert hits[0].score == WORD_START and hits[1].matched == {col.NOTES: WORD_START}
    assert [h.index for h in search(ROWS, "studio")] == [5, 6]  # equal: sheet order
    exact_first = search(ROWS, "priya raman")
    assert exact_first[0].score == EXACT and exact_first[0].sheet_row == 5


def test_field_restricts_the_search_to_one_column() -> None:
    assert names(search(ROWS, "northwind", field=col.NOTES)) == ["Priya Raman"]
    assert search(ROWS, "priya", field=col.COMPANY) == []


def test_a_user_column_is_searched_like_any_other() -> None:
    rows = [{**row, "Hobby": ""} for row in ROWS]
    rows[5]["Hobby"] = "Sailing; bouldering"
    (hit,) = search(rows, "bouldering")
    assert hit.index == 5 and hit.matched == {"Hobby": WORD_START}
    assert search(rows, "sailing", field="Hobby")[0].index == 5


def test_several_words_match_in_any_order_or_across_columns() -> None:
    assert cell_score(col.EVENT, "Chicago Tech Mixer", "mixer chicago") == ALL_WORDS
    (hit,) = search(ROWS, "priya brightloop")
    assert hit.index == 3 and hit.score == SPREAD
    assert set(hit.matched) >= {col.NAME, col.COMPANY}
    assert search(ROWS, "priya northwind", field=col.NAME) == []


def test_word_start_beats_inside_a_word() -> None:
    assert cell_score(col.COMPANY, "Brightloop Labs", "bright") == WORD_START
    assert cell_score(col.COMPANY, "Brightloop Labs", "loop") == INSIDE
    assert cell_score(col.EMAILS, "pr@bl.example", "@bl") == WORD_START
    assert cell_score(col.COMPANY, "Brightloop Labs", "zzz") == 0
    # cardscan's own sentences match only where a word starts: "ines" is no hint of Inês
    reasons = "no address read: unused lines of the card hold numbers"
    assert cell_score(col.REVIEW_REASONS, reasons, "ines") == 0
    assert cell_score(col.REVIEW_REASONS, reasons, "lines") == WORD_START


def test_phone_numbers_match_by_their_digits() -> None:
    assert names(search(ROWS, "415 555 0187")) == ["Marcus J. Whitfield"]
    assert names(search(ROWS, "(415) 555-0187")) == ["Marcus J. Whitfield"]
    assert cell_score(col.NOTES, "+1 415-555-0187", "4155550187") == 0  # only phone columns


def test_card_ids_match_from_their_start_only() -> None:
    card = "ab12" + "0" * 60
    assert cell_score(col.CARD_IDS, card, "ab12") == WORD_START
    assert cell_score(col.CARD_IDS, card, "2000") == 0
    assert cell_score(col.SOURCE_PHOTOS, "cab12.jpg", "ab12") == INSIDE


def test_blank_rows_and_blank_queries_find_nothing() -> None:
    assert all(ROWS[h.index][col.NAME] or ROWS[h.index][col.COMPANY] for h in search(ROWS, "e"))
    assert search(ROWS, "  ") == []


def test_column_named_ignores_case_and_spacing() -> None:
    columns = [*col.COLUMNS, "Hobby"]
    assert column_named(columns, "followed  UP on") == col.FOLLOWED_UP_ON
    assert column_named(columns, "hobby") == "Hobby"
    assert column_named(columns, "colour") is None


def test_snippet_shows_the_part_of_a_cell_holding_the_query() -> None:
    notes = "2026-11-21: met at the bar\n2026-11-22: two kids, loves fishing"
    assert snippet(notes, "fishing") == "2026-11-22: two kids, loves fishing"
    long = "x" * 60 + " the fishing trip " + "y" * 60
    cut = snippet(long, "fishing", width=40)
    assert "fishing" in cut and cut.startswith("…") and cut.endswith("…")
    assert len(cut) <= 41
