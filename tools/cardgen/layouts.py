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
from .render import DECORATIONS, GRAPHICS, Box, Canvas, Detail, LayoutFn, details, phone_detail
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
    c: Canvas,
    flow: Flow,
    spec: CardSpec,
    x: float,
    align: str,
    max_w: float,
    company_first: bool,
    fills: dict[str, str] | None = None,
    scales: dict[str, float] | None = None,
) -> None:
    """Name, title and company lines (whichever exist) in the usual hierarchy.

    `fills` and `scales` override the colour and scale the style size of a role's
    line (for print on a coloured panel, or an extra-large name).
    """
    st = c.style
    anchor = {"l": "ls", "m": "ms", "r": "rs"}[align]
    name = _name(spec)

    def add_text(text: str, key: str, base: int, fill: str, role: str, gap: float) -> None:
        fill = fills.get(role, fill) if fills else fill
        scale = scales.get(role) if scales else None
        size = c.fit(text, key, c.size(base) * scale if scale else c.size(base), max_w)
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
    return _people(c, spec, m, _top(c, spec, m), bottom)


def _people(c: Canvas, spec: CardSpec, m: float, top: float, bottom: float) -> list[Box]:
    """The people columns from `top` and the shared lines up to `bottom` (see classic)."""
    gap = 30
    if spec.name is None:
        raise ValueError("a card with further people needs a first person's name")
    people: list[tuple[str, str | None, list[Detail]]] = [
        (spec.name, spec.title, _own_rows(spec, None)),
        *((p.name, p.title, _own_rows(spec, p)) for p in spec.others),
    ]
    shared = replace(spec, phones=tuple(p for p in spec.phones if p.kind != "mobile"), emails=())
    if spec.people == "stacked":
        qr = _qr_bottom_right(c, spec, c.w - MARGIN, bottom)
        return _stacked_people(c, people, details(shared), qr, m, top, bottom)
    col_w = (c.w - m - MARGIN - gap * (len(people) - 1)) / len(people)
    for k, (name, title, own) in enumerate(people):
        x = m + k * (col_w + gap)
        _person_block(c, name, title, own, x, col_w).run(top, 0, center=False)
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


def _stacked_people(
    c: Canvas,
    people: list[tuple[str, str | None, list[Detail]]],
    rows: list[Detail],
    qr: Box | None,
    m: float,
    top: float,
    bottom: float,
) -> list[Box]:
    """The people's blocks one above the next in the left column (a blank band between
    them, as wide as a body line), the shared lines bottom-aligned in a column to their
    right. Blocks that do not fit above `bottom` are caught by Canvas.problems() (the
    spec is then re-drawn)."""
    left_w = (c.w - m - MARGIN) * 0.56
    y = top
    for name, title, own in people:
        block = _person_block(c, name, title, own, m, left_w)
        block.run(y, 0, center=False)
        y += block.height() + c.size(c.style.body_size) * 1.1
    x = m + left_w + 30
    f = Flow()
    _add_rows(c, f, rows, x, "l", _beside(c, qr, x, c.w - x - MARGIN))
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


# -- helpers for the newer layouts ---------------------------------------------


def _luminance(color: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _on(c: Canvas, fill: str) -> str:
    """The style colour (card background or text) that reads best printed on `fill`."""
    st = c.style
    return max((st.background, st.text), key=lambda col: _contrast(col, fill))


def _rows_width(c: Canvas, rows: list[Detail], size: float) -> float:
    """About how wide left-aligned `rows` print at `size` (for placing a column)."""
    st = c.style
    col = _label_col(c, rows, size)
    widths = []
    for r in rows:
        text = c.width(r.text(st.separator), st.body_font, size)
        if r.badge:
            widths.append(size * 1.32 + text)
        elif len(r.parts) == 1 and r.parts[0][0]:
            widths.append(col + c.width(r.parts[0][1], st.body_font, size))
        else:
            widths.append(text + (size * 0.75 if st.bullets else 0))
    return max(widths, default=0.0)


def _pack(c: Canvas, groups: list[list[Detail]], size: float, max_w: float) -> list[Detail]:
    """Rows joined by the style separator into as few lines as fit `max_w` at `size`.

    A group (say, the address lines) starts a new line unless all of it fits on
    the current one, so it is not split across lines when it need not be.
    """
    sep = c.style.separator

    def join(a: Detail, b: Detail) -> Detail:
        return Detail(
            a.role if a.role == b.role else "details",
            a.parts + b.parts,
            badges=(a.badges or (a.badge,) * len(a.parts))
            + (b.badges or (b.badge,) * len(b.parts)),
        )

    def fits(d: Detail) -> bool:
        badges = sum(b is not None for b in d.badges)
        return c.width(d.text(sep), c.style.body_font, size) + size * 1.4 * badges <= max_w

    lines: list[Detail] = []
    for group in groups:
        if not group:
            continue
        whole = group[0]
        for row in group[1:]:
            whole = join(whole, row)
        if lines and fits(join(lines[-1], whole)):
            lines[-1] = join(lines[-1], whole)
            continue
        lines.append(group[0])
        for row in group[1:]:
            if fits(join(lines[-1], row)):
                lines[-1] = join(lines[-1], row)
            else:
                lines.append(row)
    return lines


def _bottom(c: Canvas) -> float:
    """The lowest baseline area for text: above a bottom band, if the style has one."""
    return c.h - MARGIN - (34 if st_is(c, "band_bottom") else 0)


# -- the newer layouts -----------------------------------------------------------


def right_aligned(c: Canvas, spec: CardSpec) -> list[Box]:
    """Everything flush right: logo top-right with the company left of it, name and
    title below, details bottom-right.  A QR code goes bottom-left.
    """
    st = c.style
    right = c.w - MARGIN
    bottom = _bottom(c)
    top = MARGIN + (12 if st_is(c, "top_bar") else 0)
    tx = right
    if st.logo:
        c.logo(right - 72, top, 72)
        tx = right - 72 - 22
    if spec.company and spec.name:
        size = c.fit(spec.company, st.company_font, c.size(st.company_size), tx - MARGIN)
        c.text(
            tx,
            top + 36 + size * 0.36,
            spec.company,
            st.company_font,
            size,
            st.accent,
            "company",
            "rs",
        )
    y: float = top + (72 if st.logo or (spec.company and spec.name) else 0) + 18
    if spec.company and spec.name and spec.tagline:
        tsize = c.size(st.title_size) * 0.85
        c.text(tx, y + tsize * 0.6, spec.tagline, st.title_font, tsize, st.muted, "tagline", "rs")
        y += tsize * 1.2
    head = Flow()
    person = spec if spec.name is None else _without_company(spec)
    _add_head(c, head, person, right, "r", c.w - 2 * MARGIN, False)
    head.run(y, 0, center=False)
    qr = None
    if spec.qr is not None:
        side, quiet = qr_size(spec.qr)
        qr = c.qr(MARGIN - quiet, bottom + quiet - side, side)
    size = c.size(st.body_size)
    full = right + 20 - MARGIN

    def width(yy: float) -> float:
        if qr is not None and yy + size * 0.35 > qr[1]:
            return right + 20 - qr[2] - 8
        return full

    tail = Flow()
    _add_rows(c, tail, details(spec), right, "r", width)
    tail.run(bottom - tail.height(), bottom, center=False)
    return []


BAND = 150  # height of band_top's header band


def band_top(c: Canvas, spec: CardSpec) -> list[Box]:
    """A full-width accent band holding logo and company (light on dark, or the
    reverse on a dark card); the person left and a block of details right below it.

    A card with further people prints them in columns under the band, as classic does.
    """
    st = c.style
    on = _on(c, st.accent)
    c.rect((0, 0, c.w, BAND), st.accent)
    x = MARGIN
    if st.logo:
        side = 78
        c.logo(MARGIN, (BAND - side) / 2, side, st.logo_colors or (on,), st.accent)
        x += side + 26
    if spec.company:
        key, base = (
            (st.company_font, st.company_size * 1.15) if spec.name else (st.name_font, st.name_size)
        )
        size = c.fit(spec.company, key, c.size(round(base)), c.w - x - MARGIN)
        if spec.tagline:
            tsize = c.fit(
                spec.tagline, st.title_font, c.size(st.title_size) * 0.85, c.w - x - MARGIN
            )
            y = BAND / 2 - (tsize * 1.25 - size * 0.72) / 2
            c.text(x, y, spec.company, key, size, on, "company")
            c.text(x, y + tsize * 1.3, spec.tagline, st.title_font, tsize, on, "tagline")
        else:
            c.text(x, BAND / 2 + size * 0.36, spec.company, key, size, on, "company")
    bottom = _bottom(c)
    top = BAND + 26
    gutter = (0.0, BAND - 10.0, c.w, BAND + 2.0)  # text crossing the band's edge would vanish
    if spec.others:
        return [*_people(c, spec, MARGIN, top, bottom), gutter]
    rows = details(spec)
    size = c.size(st.body_size)
    left_rows: list[Detail] = []
    if spec.name is None:  # shop card: address and notes right, the other lines left
        place = [r for r in rows if r.role in ("address", "extra")]
        left_rows, rows = [r for r in rows if r not in place], place
    split = max(c.w * 0.42, c.w - MARGIN - _rows_width(c, rows, size))
    left = Flow()
    if spec.name is None:
        _add_rows(c, left, left_rows, MARGIN, "l", split - MARGIN - 36)
    else:
        _add_head(c, left, _without_company(spec), MARGIN, "l", split - MARGIN - 40, False)
    left.run(top, bottom + 10)
    right = Flow()
    _add_rows(c, right, rows, split, "l", c.w - MARGIN + 20 - split)
    right.run(top, bottom + 10)
    return [gutter, (split - 22, BAND, split - 6, c.h)]


def split_panel(c: Canvas, spec: CardSpec) -> list[Box]:
    """A two-tone card: an accent panel (40%) with logo, name and title in its
    contrasting colour; company and details on the card colour to its right.
    """
    st = c.style
    on = _on(c, st.accent)
    panel = round(c.w * 0.4)
    c.rect((0, 0, panel, c.h), st.accent)
    px = 52
    top = MARGIN - 10
    if st.logo:
        c.logo(px, top, 64, st.logo_colors or (on,), st.accent)
        top += 64 + 24
    head = Flow()
    fills = {"name": on, "title": on, "company": on, "tagline": on}
    person = spec if spec.name is None else _without_company(spec)
    _add_head(
        c, head, person, px, "l", panel - px - 34, False, fills, {"name": 0.9, "company": 0.8}
    )
    head.run(top, c.h - MARGIN + 10)
    x = panel + 48
    flow = Flow()
    if spec.company and spec.name:
        size = c.fit(spec.company, st.company_font, c.size(st.company_size), c.w - x - MARGIN)
        flow.add(
            size * 0.95,
            lambda y: c.text(x, y, spec.company or "", st.company_font, size, st.accent, "company"),
            size * 0.3,
        )
        if spec.tagline:
            tsize = c.fit(
                spec.tagline, st.title_font, c.size(st.title_size) * 0.85, c.w - x - MARGIN
            )
            flow.add(
                6 + tsize * 0.95,
                lambda y: c.text(
                    x, y, spec.tagline or "", st.title_font, tsize, st.muted, "tagline"
                ),
                tsize * 0.3,
            )
    gap = c.size(st.body_size) * 1.1 if flow.ops else 0.0
    _add_rows(c, flow, details(spec), x, "l", c.w - MARGIN + 20 - x, gap)
    flow.run(MARGIN - 20, c.h - MARGIN + 20)
    return [(panel - 16.0, 0.0, panel + 2.0, c.h)]  # text crossing the panel's edge would vanish


def details_top(c: Canvas, spec: CardSpec) -> list[Box]:
    """Contact details in two columns along the top (phones and e-mail left, the
    rest flush right), an accent rule, then a large name and title bottom-left with
    logo and company bottom-right.
    """
    st = c.style
    m = MARGIN + (12 if st_is(c, "band_left") else 0)
    top = MARGIN - 18 + (18 if st_is(c, "top_bar") else 0)
    bottom = _bottom(c) + 6
    rows = details(spec)
    col1 = [r for r in rows if r.role in ("phone", "email")]
    col2 = [r for r in rows if r.role not in ("phone", "email")]
    half = (c.w - m - MARGIN) / 2
    cols = ((col1, m, "l"), (col2, c.w - MARGIN, "r"))
    for rws, x, align in cols:
        f = Flow()
        _add_rows(c, f, rws, x, align, half - 16)
        f.run(top, 0, center=False)
    rule_y = max((it.box[3] for it in c.items), default=top) + 24
    c.rect((m, rule_y, c.w - MARGIN, rule_y + 3), st.accent)
    gutters = [(m + half - 4, top, m + half + 4, rule_y)]  # columns must not run together
    # bottom-right: logo over the company (a shop card's company is the headline instead)
    side = 64
    corner = Flow()
    right = c.w - MARGIN
    if st.logo:
        corner.add(side, lambda y: c.logo(right - side, y - side, side), 10)
    company_w = 0.0
    if spec.company and spec.name:
        size = c.fit(spec.company, st.company_font, c.size(st.company_size), c.w * 0.42)
        company_w = c.width(spec.company, st.company_font, size)
        corner.add(
            size * 0.95 + 10,
            lambda y: c.text(
                right, y, spec.company or "", st.company_font, size, st.accent, "company", "rs"
            ),
        )
        if spec.tagline:
            tsize = c.fit(spec.tagline, st.title_font, c.size(st.title_size) * 0.85, c.w * 0.42)
            company_w = max(company_w, c.width(spec.tagline, st.title_font, tsize))
            corner.add(
                tsize * 1.3,
                lambda y: c.text(
                    right, y, spec.tagline or "", st.title_font, tsize, st.muted, "tagline", "rs"
                ),
            )
    corner.run(bottom - corner.height(), bottom, center=False)
    head = Flow()
    person = spec if spec.name is None else _without_company(spec)
    reserve = max(company_w, side if st.logo else 0.0)
    width = c.w - m - MARGIN - (reserve + 40 if reserve else 0)
    _add_head(c, head, person, m, "l", width, False, scales={"name": 1.2})
    head.run(bottom - head.height(), bottom, center=False)
    if reserve:
        gx = right - reserve - 20
        gutters.append((gx - 2, bottom - corner.height() - 6, gx + 2, c.h))
    return gutters


def minimal(c: Canvas, spec: CardSpec) -> list[Box]:
    """Name and title centred, with the details in small print packed into as few
    separator-joined lines as fit along the bottom edge.
    """
    st = c.style
    cx = c.w / 2
    size = c.size(st.body_size)
    rows = details(spec)
    place = ("address", "extra")
    groups = [[r for r in rows if r.role not in place], [r for r in rows if r.role in place]]
    lines = _pack(c, groups, size, c.w - 2 * MARGIN + 20)
    tail = Flow()
    _add_rows(c, tail, lines, cx, "m", c.w - 2 * MARGIN + 40)
    bottom = _bottom(c) + 22
    tail.run(bottom - tail.height(), bottom, center=False)
    tail_top = min((it.box[1] for it in c.items), default=bottom)
    head = Flow()
    if st.logo:
        head.add(60, lambda y: c.logo(cx - 30, y - 60, 60))
    if spec.name is None:
        _add_head(c, head, spec, cx, "m", c.w - 2 * MARGIN, False)
    else:
        _add_head(c, head, _without_company(spec), cx, "m", c.w - 2 * MARGIN, False)
        if spec.company:  # a short accent rule, then the company a little smaller
            head.add(size * 1.1, lambda y: c.line([(cx - 40, y), (cx + 40, y)], st.accent, 2))
            csize = c.fit(
                spec.company, st.company_font, c.size(st.company_size) * 0.8, c.w - 2 * MARGIN
            )
            head.add(
                csize * 1.6,
                lambda y: c.text(
                    cx, y, spec.company or "", st.company_font, csize, st.accent, "company", "ms"
                ),
                csize * 0.3,
            )
            if spec.tagline:
                tsize = c.fit(
                    spec.tagline, st.title_font, c.size(st.title_size) * 0.8, c.w - 2 * MARGIN
                )
                head.add(
                    6 + tsize * 0.95,
                    lambda y: c.text(
                        cx, y, spec.tagline or "", st.title_font, tsize, st.muted, "tagline", "ms"
                    ),
                    tsize * 0.3,
                )
    head.run(MARGIN - 10 + (18 if st_is(c, "top_bar") else 0), tail_top - 20)
    return []


HEADINGS: dict[str, tuple[str, str, str, str]] = {  # region -> phone, e-mail, web, address
    "DE": ("Telefon", "E-Mail", "Web", "Adresse"),
    "FR": ("Téléphone", "E-mail", "Web", "Adresse"),
    "ES": ("Teléfono", "Correo", "Web", "Dirección"),
    "BR": ("Telefone", "E-mail", "Site", "Endereço"),
    "PT": ("Telefone", "E-mail", "Web", "Morada"),
    "IT": ("Telefono", "E-mail", "Web", "Indirizzo"),
    "NL": ("Telefoon", "E-mail", "Web", "Adres"),
}
EN_HEADINGS = ("Phone", "Email", "Web", "Address")


def grid(c: Canvas, spec: CardSpec) -> list[Box]:
    """Name, title and company top-left (logo top-right), then the details in a 2x2
    grid of blocks, each under a small capitalised heading: phone, e-mail,
    address, web.
    """
    st = c.style
    m = MARGIN + (12 if st_is(c, "band_left") else 0)
    if st.logo:
        c.logo(c.w - MARGIN - 72, MARGIN - 10 + (14 if st_is(c, "top_bar") else 0), 72)
    head = Flow()
    _add_head(c, head, spec, m, "l", c.w - m - MARGIN - (96 if st.logo else 0), False)
    head.run(MARGIN - 16 + (14 if st_is(c, "top_bar") else 0), 0, center=False)
    head_bottom = max(it.box[3] for it in c.items if it.role not in GRAPHICS) + 22
    c.rect((m, head_bottom - 4, m + 60, head_bottom), st.accent)
    rows = details(spec)
    names = HEADINGS.get(spec.region, EN_HEADINGS)
    groups = [
        (names[0], [r for r in rows if r.role == "phone"]),
        (names[1], [r for r in rows if r.role == "email"]),
        (names[3], [r for r in rows if r.role in ("address", "extra")]),
        (names[2], [r for r in rows if r.role in ("web", "social")]),
    ]
    blocks = [(h, rws) for h, rws in groups if rws]
    size = c.size(st.body_size)
    hsize = max(10.0, size * 0.78)
    hkey = st.label_font or st.company_font
    x2 = c.w * 0.52
    cells = [(m, x2 - m - 30), (x2, c.w - x2 - MARGIN + 20)]
    flows = []
    for i, (heading, rws) in enumerate(blocks):
        x, w = cells[i % 2]
        f = Flow()
        text = heading.upper()
        f.add(
            hsize * 0.95,
            lambda y, x=x, text=text: c.text(x, y, text, hkey, hsize, st.accent, "heading"),
        )
        _add_rows(c, f, rws, x, "l", w, size * 0.25)
        flows.append(f)
    gap = size * 0.9
    heights = [max(f.height() for f in flows[k : k + 2]) for k in range(0, len(flows), 2)]
    total = sum(heights) + gap * (len(heights) - 1)
    bottom = _bottom(c) + 14
    y = max(head_bottom + 34, bottom - total)
    gutter = (x2 - 22, y, x2 - 6, c.h)  # the columns must not run together
    for k, h in enumerate(heights):
        for f in flows[2 * k : 2 * k + 2]:
            f.run(y, 0, center=False)
        y += h + gap
    return [gutter]


LAYOUT_FUNCS: dict[str, LayoutFn] = {
    "classic": classic,
    "centered": centered,
    "two_column": two_column,
    "logo_left": logo_left,
    "name_top": name_top,
    "vertical": vertical,
    "right_aligned": right_aligned,
    "band_top": band_top,
    "split_panel": split_panel,
    "details_top": details_top,
    "minimal": minimal,
    "grid": grid,
}

# Decorations (render.DECORATIONS) each layout has room for; random styles drop others.
LAYOUT_DECORATIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("classic", "centered", "two_column", "logo_left"), DECORATIONS),
    **dict.fromkeys(("name_top", "vertical"), DECORATIONS),
    "right_aligned": ("band_bottom", "band_left", "top_bar"),
    "band_top": ("band_bottom",),
    "split_panel": (),
    "details_top": ("band_bottom", "band_left", "top_bar"),
    "minimal": DECORATIONS,
    "grid": ("band_bottom", "band_left", "top_bar"),
}
