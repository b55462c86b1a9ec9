"""QR codes printed on cards: a website URL or the contact as a vCard.

Symbols come from `segno` (pure Python) and are drawn module by module with
PIL, in the card's text colour on its background, inside a quiet zone of
QUIET modules that the layout keeps free of text.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from PIL import ImageDraw

QUIET = 4  # modules of blank margin on each side, as the QR standard asks
MODULE = 4.2  # module size in design units (300 dpi): 0.36 mm, a common print size
MIN_SIDE = 170.0  # short URLs still print at about 11 mm (quiet zone not counted)
MAX_SIDE = 260.0  # the largest QR (quiet zone included) a layout makes room for


@lru_cache(maxsize=64)
def qr_matrix(text: str) -> tuple[bytes, ...]:
    """The symbol's dark modules as rows of 0/1 bytes (no quiet zone).

    Error correction L, raised by segno as far as the version allows; text is
    encoded as UTF-8 bytes without an ECI header, which phone readers assume.
    """
    import segno

    code = segno.make(text, error="l", micro=False, encoding="utf-8")
    return tuple(bytes(row) for row in code.matrix)


def qr_size(text: str) -> tuple[float, float]:
    """(side of the square with its quiet zone, width of the quiet zone) in design units."""
    n = len(qr_matrix(text)) + 2 * QUIET
    side = min(MAX_SIDE, max(MIN_SIDE, n * MODULE))
    return side, side * QUIET / n


def draw_qr(
    draw: ImageDraw.ImageDraw,
    text: str,
    box: tuple[float, float, float],
    color: str,
    background: str,
) -> None:
    """Draw the QR for `text` into the square `box` = (left, top, side) in pixels."""
    x, y, side = box
    rows = qr_matrix(text)
    n = len(rows) + 2 * QUIET
    step = side / n
    draw.rectangle((x, y, x + side, y + side), fill=background)

    def edge(origin: float, i: int) -> int:
        return round(origin + (QUIET + i) * step)

    for r, row in enumerate(rows):
        top, bottom = edge(y, r), edge(y, r + 1) - 1
        for c0, c1 in _runs(row):
            draw.rectangle((edge(x, c0), top, edge(x, c1) - 1, bottom), fill=color)


def _runs(row: bytes) -> Iterable[tuple[int, int]]:
    """(start, end) column spans of consecutive dark modules in one row."""
    start = None
    for i, v in enumerate(row):
        if v and start is None:
            start = i
        elif not v and start is not None:
            yield start, i
            start = None
    if start is not None:
        yield start, len(row)


def _escape(value: str) -> str:
    """Escape a vCard 3.0 text value (RFC 2426 section 4)."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def vcard(
    name: str,
    given: str | None,
    family: str | None,
    org: str | None,
    title: str | None,
    phones: Iterable[tuple[str, str]],
    emails: Iterable[str],
) -> str:
    """A short vCard 3.0 (CRLF line ends) for a contact; phones as (kind, E.164)."""
    types = {"work": "WORK,VOICE", "mobile": "CELL", "fax": "WORK,FAX", "other": "VOICE"}
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_escape(family or '')};{_escape(given or '')};;;",
        f"FN:{_escape(name)}",
    ]
    if org:
        lines.append(f"ORG:{_escape(org)}")
    if title:
        lines.append(f"TITLE:{_escape(title)}")
    lines += [f"TEL;TYPE={types[kind]}:{number}" for kind, number in phones]
    lines += [f"EMAIL;TYPE=INTERNET:{e}" for e in emails]
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"
