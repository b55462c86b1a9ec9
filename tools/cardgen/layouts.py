"""Card layouts.  Each draws a CardSpec onto a Canvas and returns extra boxes
that text must avoid.

Layouts only decide positions; sizes come from the style (times the
renderer's shrink factor) and collisions are caught by Canvas.problems(), so a
layout may be optimistic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .qr import qr_size
from .render import GRAPHICS, Box, Canvas, Detail, LayoutFn, details, phone_detail
from .spec import CardSpec, Person

MARGIN = 64
LEAD = 1.42  # detail line pitch as a multiple of the body size


class Flow:
    """A vertical stack of draw operations, centred in a band once measured."""

    def __init__(self) -> None:
        self.ops: list[tuple[float, Callable[[float], object]]] = []
        self.tail = 0.0

    def add(self, adv: float, fn: Callable[[float], object], tail: float = 0.0) -> None:
        """Advance `adv` to the next baseline, then call fn(baseline)."""
        self.ops.append((adv, fn))
        self.tail = tail

    def height(self) -> float:
        return sum(a for a, _ in self.ops) + self.tail

    def run(self, top: float, bottom: float, center: bool = True) -> None:
        y = top + max(0.0, (bottom - top - self.height()) / 2) if center else top
        for adv, fn in self.ops:
            y += adv
            fn(y)


def _name(spec: CardSpec) -> str | None:
    if spec.name is None:
        return None
    return spec.name.upper() if spec.style.name_caps else spec.name


def _label_col(c: Canvas, rows: list[Detail], size: float) -> float:
    """Width that aligns the values of labelled rows in one column."""
    key = c.style.label_font or c.style.body_font
    labels = [lab for r in rows for lab, _ in r.parts if lab and len(r.parts) == 1]
    return max((c.width(lab, key, size) for lab in labels), default=0) + size * 0.5


Width = float | Callable[[float], float]  # a fixed width, or one that depends on the baseline


def _add_rows(
    c: Canvas,
    flow: Flow,
    rows: list[Detail],
    x: float,
    align: str,
    max_w: Width,
    first_gap: float = 0.0,
) -> None:
    size = c.size(c.style.body_size)
    col = _label_col(c, rows, size) if align == "l" else None

    def drawer(row: Detail) -> Callable[[float], object]:
        if callable(max_w):
            return lambda y: c.detail(row, x, y, size, align, col, max_w(y))
        return lambda y: c.detail(row, x, y, size, align, col, max_w)

    for i, row in enumerate(rows):
        adv = size * (LEAD if i else 0.95) + (first_gap if i == 0 else 0)
        flow.add(adv, drawer(row), size * 0.3)


def _add_head(
    c: Canvas, flow: Flow, spec: CardSpec, x: float, align: str, max_w: float, company_first: bool
) -> None:
    """Name, title and company lines (whichever exist) in the usual hierarchy."""
    st = c.style
    anchor = {"l": "ls", "m": "ms", "r": "rs"}[align]
    name = _name(spec)

    def add_text(text: str, key: str, base: int, fill: str, role: str, gap: float) -> None:
        size = c.fit(text, key, c.size(base), max_w)
        adv = size * 0.95 + (gap if flow.ops else 0)
        flow.add(adv, lambda y: c.text(x, y, text, key, size, fill, role, anchor), size * 0.3)

    if spec.company and (company_first or not name):
        if name:
            add_text(spec.company, st.company_font, st.company_size, st.accent, "company", 14)
        else:  # shop card: the company is the headline
            add_text(spec.company, st.name_font, st.name_size, st.text, "company", 14)
        if spec.tagline:
            add_text(spec.tagline, st.title_font, st.title_size, st.muted, "tagline", 16)
    if name:
        add_text(name, st.name_font, st.name_size, st.text, "name", 26 if flow.ops else 0)
    if spec.title:
        add_text(spec.title, st.title_font, st.title_size, st.muted, "title", 12)
    if spec.company and name and not company_first:
        add_text(spec.company, st.company_font, st.company_size, st.accent, "company", 10)
        if spec.tagline:
            add_text(spec.tagline, st.title_font, st.title_size, st.muted, "tagline", 6)


def st_is(c: Canvas, decoration: str) -> bool:
    return c.style.decoration == decoration


def _without_company(spec: CardSpec) -> CardSpec:
    return replace(spec, company=None, tagline=None)


def _qr_bottom_right(c: Canvas, spec: CardSpec, right: float, bottom: float) -> Box | None:
    """Draw the spec's QR code (if any) so its modules end at (right, bottom)."""
    if spec.qr is None:
        return None
    side, quiet = qr_size(spec.qr)
    return c.qr(right + quiet - side, bottom + quiet - side, side)


def _beside(c: Canvas, qr: Box | None, x: float, full: float) -> Width:
    """Row width from x: `full`, or up to the QR's left edge on rows level with it."""
    if qr is None:
        return full
    size = c.size(c.style.body_size)
    narrow = qr[0] - 8 - x

    def width(y: float) -> float:
        return narrow if y + size * 0.35 > qr[1] else full

    return width


def _top(c: Canvas, spec: CardSpec, m: float) -> float:
    """Logo, company and tagline along the top (classic); returns where the rest starts."""
    st = c.style
    tx = m
    if st.logo:
        c.logo(m, MARGIN, 72)
        tx = m + 72 + 22
    if spec.company:
        size = c.fit(spec.company, st.company_font, c.size(st.company_size), c.w - tx - MARGIN)
        c.text(
            tx, MARGIN + 36 + size * 0.36, spec.company, st.company_font, size, st.accent, "company"
        )
    top: float = MARGIN + (72 if st.logo or spec.company else 0) + 18
    if spec.company and spec.tagline:
        tsize = c.size(st.title_size) * 0.85
        c.text(tx, top + tsize * 0.6, spec.tagline, st.title_font, tsize, st.muted, "tagline")
        top += tsize * 1.2
    return top


def classic(c: Canvas, spec: CardSpec) -> list[Box]:
    """Company (and logo) top-left, name and title below, details bottom-left.

    A QR code goes bottom-right, level with the last detail rows; a card with
    further people prints them side by side (see `_classic_people`).
    """
    m = MARGIN + (12 if st_is(c, "band_left") else 0)
    bottom = c.h - MARGIN - (34 if st_is(c, "band_bottom") else 0)
    if spec.others:
        return _classic_people(c, spec, m, bottom)
    top = _top(c, spec, m)
    head = Flow()
    _add_head(c, head, _without_company(spec), m, "l", c.w - m - MARGIN, False)
    rows = details(spec)
    tail = Flow()
    qr = _qr_bottom_right(c, spec, c.w - MARGIN, bottom)
    _add_rows(c, tail, rows, m, "l", _beside(c, qr, m, c.w - m - MARGIN))
    head.run(top, top + head.height(), center=False)
    tail.run(bottom - tail.height(), bottom, center=False)
    return []


def _person_block(
    c: Canvas, name: str, title: str | None, rows: list[Detail], x: float, width: float
) -> Flow:
    """One person's name, title and own detail rows, left-aligned at x."""
    st = c.style
    flow = Flow()
    shown = name.upper() if st.name_caps else name
    nsize = c.fit(shown, st.name_font, c.size(st.name_size) * 0.8, width)
    flow.add(nsize * 0.95, lambda y: c.text(x, y, shown, st.name_font, nsize, st.text, "name"))
    if title:
        tsize = c.fit(title, st.title_font, c.size(st.title_size), width)
        flow.add(
            10 + tsize * 0.95,
            lambda y: c.text(x, y, title, st.title_font, tsize, st.muted, "title"),
            tsize * 0.3,
        )
    _add_rows(c, flow, rows, x, "l", width, c.size(st.body_size) * 0.4)
    return flow


def _own_rows(spec: CardSpec, person: Person | None) -> list[Detail]:
    """A person's own rows: the first person's mobiles and emails, or another's lines."""
    if person is None:
        phones = [p for p in spec.phones if p.kind == "mobile"]
        emails = list(spec.emails)
    else:
        phones, emails = list(person.phones), list(person.emails)
    rows = [phone_detail(p) for p in phones]
    return rows + [Detail("email", ((spec.email_label, e),)) for e in emails]


def _classic_people(c: Canvas, spec: CardSpec, m: float, bottom: float) -> list[Box]:
    """Classic top; one column per person (name, title, own lines); shared lines below.

    The shared office lines (work phone, fax, web, socials) sit bottom-left and the
    address bottom-right, or all bottom-left when a QR code takes the corner.
    """
    top = _top(c, spec, m)
    gap = 30
    if spec.name is None:
        raise ValueError("a card with further people needs a first person's name")
    people: list[tuple[str, str | None, list[Detail]]] = [
        (spec.name, spec.title, _own_rows(spec, None)),
        *((p.name, p.title, _own_rows(spec, p)) for p in spec.others),
    ]
    col_w = (c.w - m - MARGIN - gap * (len(people) - 1)) / len(people)
    for k, (name, title, rows) in enumerate(people):
        x = m + k * (col_w + gap)
        _person_block(c, name, title, rows, x, col_w).run(top, 0, center=False)
    shared = replace(spec, phones=tuple(p for p in spec.phones if p.kind != "mobile"), emails=())
    rows = details(shared)
    qr = _qr_bottom_right(c, spec, c.w - MARGIN, bottom)
    x2 = m + col_w + gap
    if qr is None and any(r.role == "address" for r in rows):
        columns = [
            ([r for r in rows if r.role != "address"], m, col_w),
            ([r for r in rows if r.role == "address"], x2, c.w - x2 - MARGIN),
        ]
    else:
        columns = [(rows, m, c.w - m - MARGIN)]
    for col_rows, x, width in columns:
        f = Flow()
        _add_rows(c, f, col_rows, x, "l", _beside(c, qr, x, width))
        f.run(bottom - f.height(), bottom, center=False)
    return []


def centered(c: Canvas, spec: CardSpec) -> list[Box]:
    """Everything centred; the style may join phones into one row."""
    st = c.style
    cx, max_w = c.w / 2, c.w - 2 * MARGIN
    flow = Flow()
    if st.logo:
        flow.add(82, lambda y: c.logo(cx - 41, y - 82, 82))
    _add_head(c, flow, spec, cx, "m", max_w, True)
    size = c.size(st.body_size)
    flow.add(size * 1.1, lambda y: c.line([(cx - 60, y), (cx + 60, y)], st.accent, 2))
    _add_rows(c, flow, details(spec, st.join_phones), cx, "m", max_w, size * 0.45)
    bottom = c.h - MARGIN + 20 - (34 if st_is(c, "band_bottom") else 0)
    flow.run(MARGIN - 20 + (18 if st_is(c, "top_bar") else 0), bottom)
    return []


def two_column(c: Canvas, spec: CardSpec) -> list[Box]:
    """Name, title and company left of a vertical rule; contact details right.

    A QR code goes bottom-left, under the name block.
    """
    st = c.style
    split = c.w * 0.44
    left = Flow()
    if st.logo:
        left.add(64, lambda y: c.logo(MARGIN, y - 64, 64))
    _add_head(c, left, spec, MARGIN, "l", split - MARGIN - 30, False)
    bottom = c.h - MARGIN - (34 if st_is(c, "band_bottom") else 0)
    head_bottom = bottom
    if spec.qr is not None:
        side, quiet = qr_size(spec.qr)
        box = c.qr(MARGIN - quiet, bottom + quiet - side, side)
        head_bottom = box[1] - 6
    left.run(MARGIN, head_bottom)
    c.line([(split, MARGIN + 10), (split, bottom - 10)], st.accent, 2)
    right = Flow()
    x = split + 34
    _add_rows(c, right, details(spec), x, "l", c.w - MARGIN - x + 20)
    right.run(MARGIN, bottom)
    return []


def logo_left(c: Canvas, spec: CardSpec) -> list[Box]:
    """An accent panel holding logo and company; person and details right."""
    st = c.style
    panel = c.w * 0.33
    c.rect((0, 0, panel, c.h), st.accent)
    side = 140
    ly = c.h / 2 - side / 2 - (26 if spec.company else 0)
    if st.logo:
        c.logo((panel - side) / 2, ly, side, st.logo_colors or (st.background,), st.accent)
    if spec.company:
        size = c.fit(spec.company, st.company_font, c.size(st.company_size) * 0.8, panel - 50)
        y = ly + side + 26 + size if st.logo else c.h / 2
        c.text(panel / 2, y, spec.company, st.company_font, size, st.background, "company", "ms")
    x = panel + 50
    flow = Flow()
    _add_head(c, flow, _without_company(spec), x, "l", c.w - x - MARGIN, False)
    _add_rows(c, flow, details(spec), x, "l", c.w - x - MARGIN + 20, c.size(st.body_size) * 0.9)
    flow.run(MARGIN - 24, c.h - MARGIN + 24)
    return []


def name_top(c: Canvas, spec: CardSpec) -> list[Box]:
    """A large name across the top, a rule, then a two-column grid of details."""
    st = c.style
    if st.logo:
        c.logo(c.w - MARGIN - 72, MARGIN - 10, 72)
    head = Flow()
    _add_head(c, head, spec, MARGIN, "l", c.w - 2 * MARGIN - (96 if st.logo else 0), False)
    head.run(MARGIN - 16, 0, center=False)
    rule_y = max(it.box[3] for it in c.items if it.role not in GRAPHICS) + 22
    c.rect((MARGIN, rule_y, c.w - MARGIN, rule_y + 4), st.accent)
    rows = details(spec)
    col1 = [r for r in rows if r.role in ("phone", "address", "extra")]
    col2 = [r for r in rows if r.role not in ("phone", "address", "extra")]
    x2 = c.w * 0.52
    bottom = c.h - MARGIN + 16
    for rws, x, w in ((col1, MARGIN, x2 - MARGIN - 24), (col2, x2, c.w - x2 - MARGIN + 20)):
        f = Flow()
        _add_rows(c, f, rws, x, "l", w)
        f.run(rule_y + 40, bottom, center=False)
    return []


def vertical(c: Canvas, spec: CardSpec) -> list[Box]:
    """Portrait card: a centred stack from logo to address (then a QR code, if any)."""
    st = c.style
    cx, max_w = c.w / 2, c.w - 2 * MARGIN + 20
    flow = Flow()
    if st.logo:
        flow.add(110, lambda y: c.logo(cx - 55, y - 110, 110))
    _add_head(c, flow, spec, cx, "m", max_w, True)
    size = c.size(st.body_size)
    flow.add(size * 1.4, lambda y: c.line([(cx - 50, y), (cx + 50, y)], st.accent, 2))
    _add_rows(c, flow, details(spec, st.join_phones), cx, "m", max_w, size * 0.6)
    if spec.qr is not None:
        side, quiet = qr_size(spec.qr)
        flow.add(size * 0.4 + side, lambda y: c.qr(cx - side / 2, y - side, side), -quiet)
    flow.run(MARGIN, c.h - MARGIN - (34 if st_is(c, "band_bottom") else 0))
    return []


LAYOUT_FUNCS: dict[str, LayoutFn] = {
    "classic": classic,
    "centered": centered,
    "two_column": two_column,
    "logo_left": logo_left,
    "name_top": name_top,
    "vertical": vertical,
}
