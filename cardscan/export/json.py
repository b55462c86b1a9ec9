"""JSON export: a list of contact objects with every field of the book.

The contact keys match the `rescan --json` contract where they overlap (name,
given_name, family_name, title, company, department, emails, phones, websites,
address, social: cardscan.fields); the book's own columns follow in snake case.
Multi-value cells are lists, an empty cell is null (text) or [] (list), phones carry their kind
(mobile/work/fax/other) and the number as the book writes it, and needs_review is a
boolean. Dates stay the book's ISO text ("2024-05-01", "2024-05-01 22:15"). The
user's own columns are under "extra", header -> text (null when empty), so every
object has the same keys.

    [{"name": "Zoë Müller", "given_name": "Zoë", "family_name": "Müller",
      "title": "CEO", "company": "Firma GmbH", "department": "Vertrieb",
      "emails": ["zoe@firma.example"], "phones": [{"number": "+49 1511 2345678", "kind": "mobile"}],
      "websites": ["www.firma.example"], "address": "Friedrichstraße 112, 10117 Berlin",
      "social": {"linkedin": "linkedin.com/in/zoe"}, "events": ["Expo"],
      "where": ["booth 12"], "met_on": "2024-05-01", "notes": null, "tags": [],
      "follow_up_by": "2024-05-02", "followed_up_on": null, "source_photos": ["a.jpg"],
      "card_ids": ["…"], "scanned_at": "2024-05-01 22:15", "needs_review": false,
      "review_reasons": [], "extra": {"Priority": "high"}}]

UTF-8, not ASCII-escaped, indented, one trailing newline; [] when nobody is exported.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cardscan import fields as contact_fields
from cardscan.book import COLUMNS
from cardscan.book import columns as col
from cardscan.book.safety import atomic_write
from cardscan.export.common import (
    column_order,
    events,
    flagged,
    phones,
    places,
    social,
    tags,
    text,
    values,
)
from cardscan.fields import Shape


def write_json(
    rows: list[dict[str, str]], path: Path, *, columns: Sequence[str] | None = None
) -> None:
    user_columns = [c for c in column_order(rows, columns) if c not in COLUMNS]
    contacts = [to_json(row, user_columns) for row in rows]
    data = (json.dumps(contacts, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))


def to_json(row: dict[str, str], user_columns: Sequence[str] = ()) -> dict[str, Any]:
    def one(key: str) -> str | None:
        return text(row, key) or None

    out: dict[str, Any] = {}
    for f in contact_fields.FIELDS:  # the rescan --json keys, in its order
        if f.shape is Shape.PHONES:
            out[f.name] = [{"number": number, "kind": kind} for kind, number in phones(row)]
        elif f.shape is Shape.LIST:
            out[f.name] = values(row, f.columns[0])
        elif f.shape is Shape.SOCIAL:
            profiles: dict[str, str] = {}
            for network, handle in social(row):  # a handle written without network: ""
                profiles[network] = "; ".join(v for v in (profiles.get(network), handle) if v)
            out[f.name] = profiles
        else:
            for key, column in zip((f.name, *f.parts), f.columns, strict=True):
                out[key] = one(column)
    return {
        **out,
        "events": events(row),
        "where": places(row),
        "met_on": one(col.MET_ON),
        "notes": one(col.NOTES),
        "card_notes": values(row, col.CARD_NOTES),
        "tags": tags(row),
        "follow_up_by": one(col.FOLLOW_UP_BY),
        "followed_up_on": one(col.FOLLOWED_UP_ON),
        "source_photos": values(row, col.SOURCE_PHOTOS),
        "card_ids": values(row, col.CARD_IDS),
        "scanned_at": one(col.SCANNED_AT),
        "needs_review": flagged(row),
        "review_reasons": values(row, col.REVIEW_REASONS),
        "extra": {key: one(key) for key in user_columns},
    }
