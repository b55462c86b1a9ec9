"""`cardscan bench --by COLUMN`: the benchmark's scores broken down by a column.

The benchmark (cardscan.bench) records one row per card and one per field it scores;
pandas groups them. Columns of the card, from its truth record (samples/*.json, written
by tools/cardgen/truth.py): country (the truth's `region`), layout (`card.layout`),
background (`photo.background`) and rotation (`rotation`, how the photo was turned).
Columns of a scored field: field (name, title, ... social) and confidence (the
reading's own confidence in bands, beside how often the field was right in each band:
the calibration a confidence has to earn to mean "the chance it is right").

pandas is imported inside `breakdown` and nowhere else: it takes some 0.2 s and 40 MB
to import, which only `bench` (and the developer tools) should pay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cardscan.fields import NAMES
from cardscan.terminal import visible

CARD_COLUMNS = ("country", "layout", "background", "rotation")
BY_COLUMNS = (*CARD_COLUMNS, "field", "confidence")
UNKNOWN = "unknown"  # a truth without the column (e.g. `bench --corrections`)

# Confidence bands, lowest first, as [low, high) intervals; a field the card has but
# the reading left empty has no confidence of its own and makes the band "not read".
BAND_EDGES = (0.5, 0.8, 0.95)
BANDS = ("<0.5", "0.5-0.8", "0.8-0.95", ">=0.95")
NOT_READ = "not read"
NO_CONFIDENCE = "no confidence"  # read, but the reading gave the field no confidence


def card_columns(record: Mapping[str, Any], region: str | None) -> dict[str, str]:
    """A card's CARD_COLUMNS from its truth record. Without a `region` in the truth (a
    card you corrected), its country is the one the card was read as."""
    card = record.get("card")
    photo = record.get("photo")
    layout = card.get("layout") if isinstance(card, dict) else None
    background = photo.get("background") if isinstance(photo, dict) else None
    rotation = record.get("rotation")
    return {
        "country": str(record.get("region") or region or UNKNOWN),
        "layout": str(layout or UNKNOWN),
        "background": str(background or UNKNOWN),
        "rotation": UNKNOWN if rotation is None else str(rotation),
    }


def confidence_band(confidence: float | None, read: bool) -> str:
    if not read:
        return NOT_READ
    if confidence is None:
        return NO_CONFIDENCE
    return BANDS[sum(confidence >= edge for edge in BAND_EDGES)]


def breakdown(
    cards: Sequence[Mapping[str, Any]], fields: Sequence[Mapping[str, Any]], by: str
) -> list[dict[str, Any]]:
    """The scores grouped by the column `by` (one of BY_COLUMNS), a dict per group.

    `cards`: a row per card with CARD_COLUMNS, failed and all_right. `fields`: a row per
    scored field (one the card has, or the reading filled) with CARD_COLUMNS, field,
    right, expected (the card has it), read (the reading filled it), confidence, band.
    """
    import pandas as pd

    card_frame = pd.DataFrame(list(cards), columns=[*CARD_COLUMNS, "failed", "all_right"])
    field_frame = pd.DataFrame(
        list(fields),
        columns=[*CARD_COLUMNS, "field", "right", "expected", "read", "confidence", "band"],
    )
    for name in ("right", "expected", "read"):
        field_frame[name] = field_frame[name].astype(bool)
    if by == "field":
        table = _by_field(field_frame)
    elif by == "confidence":
        table = _by_confidence(field_frame)
    elif by in CARD_COLUMNS:
        table = _by_card_column(card_frame, field_frame, by)
    else:
        raise ValueError(f"no column {by!r}: one of {', '.join(BY_COLUMNS)}")
    records: list[dict[str, Any]] = table.to_dict("records")
    return [{key: _plain(value) for key, value in row.items()} for row in records]


def _by_card_column(card_frame: Any, field_frame: Any, by: str) -> Any:
    cards = card_frame.groupby(by).agg(
        cards=("failed", "size"), failed=("failed", "sum"), all_fields_right=("all_right", "mean")
    )
    fields = field_frame.groupby(by).agg(fields=("right", "size"), fields_right=("right", "mean"))
    table = cards.join(fields).fillna({"fields": 0})  # no field scored: no share either
    table["fields"] = table["fields"].astype(int)
    table = table.reset_index()
    table = table.sort_values(by, key=lambda column: column.map(_natural), ignore_index=True)
    return table[[by, "cards", "failed", "fields", "fields_right", "all_fields_right"]]


def _by_field(field_frame: Any) -> Any:
    frame = field_frame.assign(
        missed=field_frame["expected"] & ~field_frame["read"],
        invented=field_frame["read"] & ~field_frame["expected"],
        wrong=field_frame["read"] & field_frame["expected"] & ~field_frame["right"],
    )
    import pandas as pd

    frame["field"] = pd.Categorical(frame["field"], categories=NAMES, ordered=True)
    table = frame.groupby("field", observed=True).agg(
        fields=("right", "size"),
        right=("right", "sum"),
        right_share=("right", "mean"),
        wrong=("wrong", "sum"),
        missed=("missed", "sum"),
        invented=("invented", "sum"),
    )
    table = table.reset_index()
    table["field"] = table["field"].astype(str)
    return table


def _by_confidence(field_frame: Any) -> Any:
    import pandas as pd

    order = [NOT_READ, NO_CONFIDENCE, *BANDS]
    band = pd.Categorical(field_frame["band"], categories=order, ordered=True)
    table = (
        field_frame.assign(band=band)
        .groupby("band", observed=True)
        .agg(
            fields=("right", "size"),
            right=("right", "sum"),
            right_share=("right", "mean"),
            mean_confidence=("confidence", "mean"),
        )
        .reset_index()
    )
    table["band"] = table["band"].astype(str)
    return table


def _natural(value: str) -> tuple[int, float, str]:
    """Sort key: numbers (rotations) by value, then words; "unknown" last."""
    try:
        return (0, float(value), "")
    except ValueError:
        return (2 if value == UNKNOWN else 1, 0.0, value)


def _plain(value: Any) -> Any:
    """A pandas/numpy scalar as the plain Python value json.dumps takes (NaN: None)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


# Column headings of the printed tables, and which columns are shares (printed as %).
HEADINGS = {
    "cards": "cards",
    "failed": "failed",
    "fields": "fields",
    "fields_right": "fields right %",
    "all_fields_right": "cards all right %",
    "right": "right",
    "right_share": "right %",
    "wrong": "wrong",
    "missed": "missed",
    "invented": "invented",
    "mean_confidence": "mean confidence",
}
SHARES = {"fields_right", "all_fields_right", "right_share"}


def format_breakdown(by: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """One breakdown as a text table, its title first; outside text made visible()."""
    title = f"by {by}:" if rows else f"by {by}: nothing scored"
    if not rows:
        return title
    keys = list(rows[0])
    cells = [[HEADINGS.get(key, key) for key in keys]]
    cells += [[_cell(key, row[key]) for key in keys] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(keys))]
    lines = [title]
    for line in cells:
        # The group's name to the left, the figures to the right.
        first = line[0].ljust(widths[0])
        rest = [text.rjust(width) for text, width in zip(line[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]).rstrip())
    return "\n".join(lines)


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key in SHARES:
        return f"{value:.1%}"
    if key == "mean_confidence":
        return f"{value:.2f}"
    # A group's name comes from a truth file (outside text): shown, never run.
    return visible(value)
