"""The tables `find`, `followups` and `rescan` print: fitted to a terminal, plain when piped.

On a terminal, a table fits the terminal's width ($COLUMNS when set): an email, a phone
number, a web address or a date is a `Whole` value, shown whole on one line or not at
all, because an address broken across lines cannot be copied or read back. The other
text (names, companies, notes) wraps at spaces, and is shortened with "…" when a word
is wider than its column or a cell is longer than its column allows. The columns that
always stay get their full width first (a name on one line); a droppable column (a
note, the event) is shown only while it still fits beside them at a readable width,
the least important going first, and a line under the table says which went. When the
columns that stay do not fit even wrapped, each row becomes a block of its own, one
labelled line per value.

When stdout is not a terminal (a pipe, a file), the table is plain: tab-separated
values with a header line, one line per row, nothing padded, no box drawing. Tabs are
what `cut` and `awk -F'\\t'` split on and what a spreadsheet pastes into columns, and
no value can hold one: every value goes through `cardscan.terminal.visible()`, which
writes tabs, line breaks and other control characters as escapes (so a hostile cell
can neither split a row nor drive the terminal). Several values in one cell (two
emails) are joined with "; ", as the book writes them.

Nothing is read as markup: a company called "[bold]Acme" prints as typed.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import click

from cardscan.terminal import visible

GAP = "  "  # between columns
RULE = "─"
ELLIPSIS = "…"
NARROWEST_TEXT = 10  # a text column is not squeezed below this (Column.min_width)
LONGEST_WORD = 24  # ... up to this width ("Kaltenbach-Systemtechnik"): a longer one is shortened
BLOCK_INDENT = "  "


@dataclass(frozen=True)
class Whole:
    """A value never broken across lines nor shortened: an email, phone, web address, date."""

    text: str


Line = str | Whole
Cell = Sequence[Line]  # the values of one cell, one per line
Row = Mapping[str, Cell]  # by the plain output's column name


@dataclass(frozen=True)
class Column:
    """One column on a terminal; it shows the cells of `keys` one under the other.

    `drop`: 0 for a column that always stays; the others are dropped when the terminal
    is too narrow, 1 first, then 2, and so on. `max_lines`: a text value longer than
    this many lines ends with "…". `min_width`: the narrowest its text may wrap to (so
    do a whole value and the header, and in a column that stays its longest word, up
    to LONGEST_WORD).

    In a block (the narrowest layout) the `heading` columns start the block, side by
    side (the first column when none is marked); the others follow, one per line,
    named by their header unless `label` is False.
    """

    header: str
    keys: tuple[str, ...] = ()
    drop: int = 0
    max_lines: int | None = None
    min_width: int = NARROWEST_TEXT
    right: bool = False
    heading: bool = False
    label: bool = True

    @property
    def cell_keys(self) -> tuple[str, ...]:
        return self.keys or (self.header,)


def on_terminal() -> bool:
    """Whether stdout is a terminal (else a pipe or a file: plain output)."""
    return sys.stdout.isatty()


def terminal_width() -> int:
    """$COLUMNS when set, else the terminal's width, else 80."""
    return shutil.get_terminal_size((80, 24)).columns


def print_table(
    columns: Sequence[Column],
    rows: Sequence[Row],
    *,
    plain: Sequence[str] | None = None,
    spaced: bool = True,
) -> None:
    """Print the table for stdout: fitted on a terminal, tab-separated otherwise.

    `plain` orders the columns of the plain output (default: every column's keys).
    `spaced`: on a terminal, a blank line between rows when a row takes several lines
    (so a person's lines read as one), for tables whose rows are people.
    """
    if on_terminal():
        lines = fitted(columns, rows, terminal_width(), spaced=spaced)
    else:
        lines = tab_separated(plain or [k for c in columns for k in c.cell_keys], rows)
    click.echo("\n".join(lines))


def tab_separated(keys: Sequence[str], rows: Sequence[Row]) -> list[str]:
    """A header line, then one line per row; several values in a cell joined by "; "."""
    lines = ["\t".join(visible(k) for k in keys)]
    for row in rows:
        lines.append("\t".join(_joined(row.get(k, ())) for k in keys))
    return lines


def _joined(cell: Cell) -> str:
    return "; ".join(shown for line in cell if (shown := _text(line)))


def _text(line: Line) -> str:
    return visible(line.text if isinstance(line, Whole) else line).strip()


# --- on a terminal -------------------------------------------------------------------


@dataclass(frozen=True)
class _Shown:
    column: Column
    cells: list[list[Line]]  # per row: the visible lines of the column's keys
    natural: int  # the width that shows every value on its own line
    narrowest: int  # the width below which a whole value or the header would not fit


def fitted(
    columns: Sequence[Column], rows: Sequence[Row], width: int, *, spaced: bool = True
) -> list[str]:
    """The table laid out to `width` columns (see the module's docstring)."""
    measured = [_measure(c, rows) for c in columns]
    # A droppable column nobody has a value in (no notes yet) takes no room.
    shown = [s for s in measured if s.column.drop == 0 or any(s.cells)]
    dropped: list[Column] = []
    # The columns that stay come first, at their full width if they can have it (a
    # name on one line); a droppable one stays only while that leaves it room.
    while _span([s.natural if s.column.drop == 0 else s.narrowest for s in shown]) > width:
        droppable = [s for s in shown if s.column.drop > 0]
        if not droppable:
            break
        # The lowest drop number goes first; among equals, the rightmost.
        gone = min(reversed(droppable), key=lambda s: s.column.drop)
        shown.remove(gone)
        dropped.append(gone.column)
    if _span([s.narrowest for s in shown]) > width:
        return _blocks(measured, len(rows), width)
    placed = list(zip(shown, _widths(shown, width), strict=True))
    lines = [
        _joined_line([_pad(s.column.header, w, s.column.right) for s, w in placed]),
        _joined_line([RULE * w for _, w in placed]),
    ]
    rendered = [
        [(_lines(s.cells[r], w, s.column.max_lines), w, s.column.right) for s, w in placed]
        for r in range(len(rows))
    ]
    heights = [max((len(cell) for cell, _, _ in row), default=0) for row in rendered]
    for number, (row, height) in enumerate(zip(rendered, heights, strict=True)):
        if number and spaced and max(heights) > 1:
            lines.append("")
        for i in range(height):
            lines.append(
                _joined_line([_pad(c[i] if i < len(c) else "", w, right) for c, w, right in row])
            )
    if dropped:
        names = ", ".join(c.header for c in columns if c in dropped)
        lines.append(f"({names} not shown: the terminal is {width} columns wide.)")
    return lines


def _measure(column: Column, rows: Sequence[Row]) -> _Shown:
    cells = [
        [
            Whole(_text(line)) if isinstance(line, Whole) else _text(line)
            for key in column.cell_keys
            for line in row.get(key, ())
            if _text(line)
        ]
        for row in rows
    ]
    lines = [line for cell in cells for line in cell]
    header = cell_width(column.header)
    wholes = [cell_width(line.text) for line in lines if isinstance(line, Whole)]
    texts = [line for line in lines if isinstance(line, str)]
    # Text may wrap down to the column's min_width, but never below the header or a
    # whole value; in a column that always stays (names), nor below its longest word
    # (within reason): a name is not cut, a note or a snippet may be.
    words = [
        min(cell_width(w), LONGEST_WORD) for line in texts for w in line.split() if column.drop == 0
    ]
    text = min(max([0, *map(cell_width, texts)]), max([column.min_width, *words]))
    natural = max([header, *wholes, *map(cell_width, texts)])
    return _Shown(column, cells, natural, max([header, text, *wholes]))


def _span(widths: Sequence[int]) -> int:
    return sum(widths) + len(GAP) * max(len(widths) - 1, 0)


def _widths(shown: Sequence[_Shown], width: int) -> list[int]:
    """Each column's width: its natural width when all fit, else the room shared out.

    Every column starts at its narrowest; the room left goes to the columns that always
    stay first, then to the droppable ones, the last to be dropped first, each up to
    its natural width: a name on one line matters more than a longer note.
    """
    if _span([s.natural for s in shown]) <= width:
        return [s.natural for s in shown]
    widths = [s.narrowest for s in shown]
    spare = width - _span(widths)
    # Among columns of the same rank, the one lacking least goes first: "12 days late"
    # one column short of fitting is served before a long company name.
    order = sorted(
        range(len(shown)),
        key=lambda i: (
            shown[i].column.drop != 0,
            -shown[i].column.drop,
            shown[i].natural - widths[i],
        ),
    )
    for i in order:
        more = min(spare, shown[i].natural - widths[i])
        widths[i] += more
        spare -= more
    return widths


def _lines(cell: Sequence[Line], width: int, max_lines: int | None) -> list[str]:
    """A cell's lines at `width`: whole values as they are, text wrapped and shortened."""
    out: list[str] = []
    for line in cell:
        if isinstance(line, Whole):
            out.append(line.text)
            continue
        wrapped = wrap(line, width)
        if max_lines is not None and len(wrapped) > max_lines:
            wrapped = [*wrapped[: max_lines - 1], cut(wrapped[max_lines - 1], width)]
        out += wrapped
    return out


def _pad(text: str, width: int, right: bool) -> str:
    room = " " * max(width - cell_width(text), 0)
    return room + text if right else text + room


def _joined_line(parts: Sequence[str]) -> str:
    return GAP.join(parts).rstrip()


def _blocks(shown: Sequence[_Shown], count: int, width: int) -> list[str]:
    """One block per row: its heading columns, then a line per other value.

    The layout for a terminal too narrow for the columns that must stay. A whole value
    wider than the terminal is still printed whole (the terminal shows it on two
    lines, but it copies as one).
    """
    heads = [s for s in shown if s.column.heading] or list(shown[:1])
    rest = [s for s in shown if s not in heads]
    label_width = max((cell_width(s.column.header) for s in rest if s.column.label), default=0)
    lines: list[str] = []
    for row in range(count):
        if row:
            lines.append("")
        # The heading columns' first lines side by side; the lines under each are
        # indented to where its first line starts.
        firsts = [x for s in heads if (x := _lines(s.cells[row], width, s.column.max_lines))]
        lines.append(GAP.join(x[0] for x in firsts))
        start = 0
        for x in firsts:
            lines += [" " * start + more for more in x[1:]]
            start += cell_width(x[0]) + len(GAP)
        for s in rest:
            cell = s.cells[row]
            if not cell:
                continue
            label = ""
            if s.column.label:
                label = _pad(f"{s.column.header}:", label_width + 1, False) + " "
            label = BLOCK_INDENT + label
            values = _lines(cell, width - cell_width(label), s.column.max_lines)
            if all(cell_width(label + v) <= width for v in values) or not s.column.label:
                lines += [(label if i == 0 else " " * len(label)) + v for i, v in enumerate(values)]
            else:  # too wide beside its label: under it
                indent = BLOCK_INDENT * 2
                lines.append(label.rstrip())
                lines += [indent + v for v in _lines(cell, width - len(indent), s.column.max_lines)]
    return [line.rstrip() for line in lines]


# --- text at a width -----------------------------------------------------------------


def cell_width(text: str) -> int:
    """How many terminal columns `text` takes: wide (CJK) letters two, accents none."""
    return sum(_char_width(c) for c in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, width: int) -> list[str]:
    """`text` broken at spaces into lines of at most `width`; a longer word is shortened."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if cell_width(word) > width:
            word = shorten(word, width)
        candidate = f"{current} {word}" if current else word
        if cell_width(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def shorten(text: str, width: int) -> str:
    """`text` cut to `width` columns, ending with "…" when something was cut."""
    return text if cell_width(text) <= width else cut(text, width)


def cut(text: str, width: int) -> str:
    """`text` ending with "…" (something follows it), within `width` columns."""
    kept = ""
    for char in text:
        if cell_width(kept + char) + 1 > width:
            break
        kept += char
    return kept.rstrip() + ELLIPSIS
