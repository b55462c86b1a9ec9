"""What a card puts into the book: one row per person it names.

A card naming several people (cardscan.extract.people: CardResult.people) becomes one
reading per person, each with that person's own contact (their name, title, emails and
phones; the company, department, address, websites and social profiles the card's), so
the book matches and merges each person on their own: a partner met before by their own
card joins their own row. A card naming one person is its reading, unchanged.

Card ids: the first person's row keeps the card's id, so everything that knows a photo by
its id (an ingest finding the photo in the book, `rescan --book` finding its row) finds
it as before; each further person's is the card's id and their place, "<card id>@2".
A card photographed on both sides gives its back's id to the first person's row only:
the same id in two rows would make the book take the second person for the first.

The split's doubts travel with each row: the card's issues ("several_people", always,
so a split is never silent, and "people_unsure" when nothing says who owns a line) and
the person's own, so each row is flagged for review as the card was.
"""

from __future__ import annotations

import dataclasses

from cardscan.model import CardResult

# Fields every person of a card shares: their evidence boxes stay on each person's row
# (the others point at the first person's lines, so they are kept on the first row only).
SHARED = ("company", "department", "address", "websites", "social")


def person_id(card_id: str, person: int) -> str:
    """The card id of the row of the card's `person` (1-based)."""
    return card_id if person == 1 else f"{card_id}@{person}"


def card_of_row(card_id: str) -> str:
    """The card a row's card id came from ("<card id>@2" -> "<card id>")."""
    return card_id.partition("@")[0]


def rows_of(result: CardResult) -> list[CardResult]:
    """The readings the book takes for this card: one per person it names."""
    if len(result.people) < 2:
        return [result]
    rows = []
    for number, person in enumerate(result.people, start=1):
        first = number == 1
        issues = list(result.issues) + [i for i in person.issues if i not in result.issues]
        rows.append(
            dataclasses.replace(
                result,
                card_id=person_id(result.card_id, number),
                contact=person.contact,
                issues=issues,
                evidence=(
                    result.evidence
                    if first
                    else {k: v for k, v in result.evidence.items() if k in SHARED}
                ),
                back=result.back if first else None,
                people=[],
                crop=result.crop if first else None,
            )
        )
    return rows
