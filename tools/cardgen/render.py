"""Render a flat, print-quality business card from a CardSpec.

Layouts work in "design units": pixels of a 300 dpi card (1050x600, or 600x1050
for the vertical layout).  The Canvas multiplies by `scale` when drawing so the
card can be rendered sharper than it will appear in the photo, and it records a
box for every piece of text so the renderer can reject layouts whose text runs
off the card or collides, and so the photo stage can keep fingers off the text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from .fonts import load_font
from .spec import CardSpec, Phone, Style

Box = tuple[float, float, float, float]

CARD_SIZE = (1050, 600)
SAFE_MARGIN = 28  # text closer than this to the edge would be trimmed off in print
DECORATIONS: tuple[str, ...] = ("band_bottom", "band_left", "corner", "top_bar")


GRAPHICS: tuple[str, ...] = ("logo", "qr")  # TextItem roles that are drawn marks, not text


class LayoutError(ValueError):
    """The spec's text does not fit its layout even at the smallest font scale."""


@dataclass(frozen=True)
class Detail:
    """One printed detail row: (label, value) parts joined by the style separator."""

    role: str  # phone | email | web | social | address | extra | details (several kinds)
    parts: tuple[tuple[str | None, str], ...]
    badge: str | None = None  # social network drawn as a small badge
    badges: tuple[str | None, ...] = ()  # one badge (or None) per part; overrides `badge`

    def text(self, separator: str) -> str:
        """The row as it reads on the card (separators collapsed to one space each side)."""
        segs = [f"{label} {value}" if label else value for label, value in self.parts]
        sep = separator.strip()
        return (f" {sep} " if sep else "   ").join(segs)


@dataclass(frozen=True)
class TextItem:
    """A drawn piece of text (or graphic) and its box in design units.

    For a QR code (role "qr") `text` is the encoded text and the box includes
    the quiet zone; for a logo it is empty.
    """

    role: str
    text: str
    box: Box


@dataclass
class RenderedCard:
    """A rendered card: the RGB image plus where everything was drawn."""

    image: Image.Image
    scale: float
    size: tuple[int, int]  # design units
    items: list[TextItem]
    shrink: float
    radius: float = 0.0  # corner radius in design units

    def text_boxes(self) -> list[Box]:
        """Boxes (design units) of everything the photo stage must not cover."""
        return [it.box for it in self.items]

    def printed_lines(self) -> list[str]:
        """All text rows in drawing order (logos and QR codes excluded)."""
        return [it.text for it in self.items if it.role not in GRAPHICS]

    def qr_codes(self) -> list[str]:
        """The text encoded in each QR code drawn, in drawing order."""
        return [it.text for it in self.items if it.role == "qr"]


def phone_detail(phone: Phone) -> Detail:
    return Detail("phone", ((phone.label, phone.printed()),))


def details(spec: CardSpec, join_phones: bool = False) -> list[Detail]:
    """The contact rows of a card in the conventional reading order."""
    rows: list[Detail] = []
    if join_phones and len(spec.phones) > 1:
        rows.append(Detail("phone", tuple((p.label, p.printed()) for p in spec.phones)))
    else:
        rows.extend(phone_detail(p) for p in spec.phones)
    rows.extend(Detail("email", ((spec.email_label, e),)) for e in spec.emails)
    rows.extend(Detail("web", ((spec.web_label, w),)) for w in spec.websites)
    for s in spec.socials:
        rows.append(Detail("social", ((s.label, s.handle),), None if s.label else s.network))
    rows.extend(Detail("address", ((None, line),)) for line in spec.address)
    rows.extend(Detail("extra", ((None, line),)) for line in spec.extra_lines)
    return rows


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


class Canvas:
    """Drawing surface in design units that records every text box."""

    def __init__(self, spec: CardSpec, scale: float, shrink: float) -> None:
        self.spec = spec
        self.style: Style = spec.style
        self.scale = scale
        self.shrink = shrink
        self.w, self.h = CARD_SIZE[::-1] if spec.layout == "vertical" else CARD_SIZE
        px = (round(self.w * scale), round(self.h * scale))
        self.image = Image.new("RGB", px, self.style.background)
        self.draw = ImageDraw.Draw(self.image)
        self.items: list[TextItem] = []

    # -- primitives -------------------------------------------------------
    def size(self, base: int) -> int:
        """Apply the layout's shrink factor to a style size."""
        return max(10, round(base * self.shrink))

    def font(self, key: str, size: float) -> ImageFont.FreeTypeFont:
        return load_font(key, max(6, round(size * self.scale)))

    def width(self, text: str, key: str, size: float) -> float:
        return self.font(key, size).getlength(text) / self.scale

    def fit(self, text: str, key: str, size: float, max_w: float, floor: float = 0.8) -> float:
        """Largest size <= `size` (down to floor*size) at which `text` fits max_w."""
        s = size
        while self.width(text, key, s) > max_w and s > size * floor:
            s -= 1
        return s

    def rect(self, box: Box, fill: str, radius: float = 0) -> None:
        b = tuple(v * self.scale for v in box)
        if radius:
            self.draw.rounded_rectangle(b, radius=radius * self.scale, fill=fill)
        else:
            self.draw.rectangle(b, fill=fill)

    def line(self, xy: list[tuple[float, float]], fill: str, width: float) -> None:
        pts = [(x * self.scale, y * self.scale) for x, y in xy]
        self.draw.line(pts, fill=fill, width=max(1, round(width * self.scale)))

    def _draw_text(
        self, x: float, y: float, text: str, key: str, size: float, fill: str, anchor: str
    ) -> Box:
        font = self.font(key, size)
        xy = (x * self.scale, y * self.scale)
        self.draw.text(xy, text, font=font, fill=fill, anchor=anchor)
        b = self.draw.textbbox(xy, text, font=font, anchor=anchor)
        return (b[0] / self.scale, b[1] / self.scale, b[2] / self.scale, b[3] / self.scale)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        key: str,
        size: float,
        fill: str,
        role: str,
        anchor: str = "ls",
    ) -> Box:
        """Draw one line of text at baseline y and record it."""
        box = self._draw_text(x, y, text, key, size, fill, anchor)
        self.items.append(TextItem(role, text, box))
        return box

    def logo(
        self,
        x: float,
        y: float,
        side: float,
        colors: tuple[str, ...] | None = None,
        on: str | None = None,
    ) -> None:
        """Draw the style's logo (if any) with top-left (x, y) on colour `on`."""
        from .logos import draw_logo

        st = self.style
        if not st.logo:
            return
        colors = colors or st.logo_colors or (st.accent,)
        words = [w for w in (self.spec.company or "").split() if w[0].isalnum()]
        initials = "".join(w[0] for w in words[:2]).upper()
        draw_logo(
            self.draw,
            st.logo,
            (x * self.scale, y * self.scale, side * self.scale),
            colors,
            initials,
            on or st.background,
        )
        self.items.append(TextItem("logo", "", (x, y, x + side, y + side)))

    def qr(self, x: float, y: float, side: float) -> Box:
        """Draw the spec's QR code, quiet zone included, with top-left (x, y)."""
        from .qr import draw_qr

        text = self.spec.qr
        if text is None:
            raise ValueError("the card spec has no QR code to draw")
        st = self.style
        px = (x * self.scale, y * self.scale, side * self.scale)
        draw_qr(self.draw, text, px, st.text, st.background)
        box = (x, y, x + side, y + side)
        self.items.append(TextItem("qr", text, box))
        return box

    def badge(self, x: float, y: float, network: str, size: float, color: str) -> float:
        """Draw a social-network badge sitting on baseline y; return its width."""
        s = size * 0.92
        top = y - s * 0.86
        box = (x, top, x + s, top + s)
        if network == "instagram":
            self.rect(box, color, radius=s * 0.28)
            inner = (x + s * 0.12, top + s * 0.12, x + s * 0.88, top + s * 0.88)
            self.rect(inner, self.style.background, radius=s * 0.22)
            c = (x + s / 2, top + s / 2)
            r = s * 0.2
            b = [
                (c[0] - r) * self.scale,
                (c[1] - r) * self.scale,
                (c[0] + r) * self.scale,
                (c[1] + r) * self.scale,
            ]
            self.draw.ellipse(b, outline=color, width=max(1, round(s * 0.1 * self.scale)))
        else:
            self.rect(box, color, radius=s * 0.18)
            glyph = "in" if network == "linkedin" else "X"
            self._draw_text(
                x + s / 2,
                top + s * 0.52,
                glyph,
                "dejavu-sans-bold",
                s * 0.62,
                self.style.background,
                "mm",
            )
        return s + size * 0.4

    def detail(
        self,
        d: Detail,
        x: float,
        y: float,
        size: float,
        align: str = "l",
        label_col: float | None = None,
        max_w: float | None = None,
    ) -> Box:
        """Draw a detail row at baseline y.  align: l/m/r relative to x."""
        st = self.style
        body = st.body_font
        label_key = st.label_font or body
        if max_w is not None:
            size = self.fit(d.text(st.separator), body, size, max_w)
        gap = size * 0.45
        segs: list[tuple[str, str, float]] = []  # (kind, text, width)
        for i, (label, value) in enumerate(d.parts):
            if i:
                segs.append(("sep", st.separator, self.width(st.separator, body, size)))
            badge = d.badges[i] if d.badges else d.badge
            if badge:
                segs.append(("badge", badge, size * 1.32))
            elif label:
                lw = self.width(label, label_key, size) + gap
                segs.append(("label", label, max(lw, label_col or 0) if align == "l" else lw))
            elif st.bullets and len(d.parts) == 1:
                segs.append(("bullet", "", size * 0.75))
            segs.append(("value", value, self.width(value, body, size)))
        total = sum(w for _, _, w in segs)
        cx = {"l": x, "m": x - total / 2, "r": x - total}[align]
        boxes: list[Box] = []
        for kind, text, w in segs:
            if kind == "value":
                boxes.append(self._draw_text(cx, y, text, body, size, st.text, "ls"))
            elif kind == "label":
                boxes.append(self._draw_text(cx, y, text, label_key, size, st.accent, "ls"))
            elif kind == "sep":
                boxes.append(self._draw_text(cx, y, text, body, size, st.muted, "ls"))
            elif kind == "badge":
                self.badge(cx, y, text, size, st.accent)
                boxes.append((cx, y - size * 0.8, cx + size, y))
            else:
                r = size * 0.14
                self.rect(
                    (cx, y - size * 0.36 - r, cx + 2 * r, y - size * 0.36 + r), st.accent, radius=r
                )
            cx += w
        box = _union(boxes)
        self.items.append(TextItem(d.role, d.text(st.separator), box))
        return box

    def decorate(self) -> Box | None:
        """Draw the style's decoration; return the area text must avoid."""
        deco, w, h, acc = self.style.decoration, self.w, self.h, self.style.accent
        if deco is None:
            return None
        if deco not in DECORATIONS:
            raise ValueError(f"unknown decoration {deco!r}; choose from {DECORATIONS}")
        if deco == "band_bottom":
            self.rect((0, h - 34, w, h), acc)
            return (0, h - 34, w, h)
        if deco == "top_bar":
            self.rect((0, 0, w, 18), acc)
            return (0, 0, w, 18)
        if deco == "band_left":
            self.rect((0, 0, 22, h), acc)
            return (0, 0, 22, h)
        pts = [(w - 150, 0), (w, 0), (w, 150)]
        self.draw.polygon([(x * self.scale, y * self.scale) for x, y in pts], fill=acc)
        return (w - 150, 0, w, 150)

    def handwriting(self, lines: tuple[str, ...], avoid: list[Box]) -> list[str]:
        """Write `lines` by hand in the lowest free band of the card that holds them.

        A band is free when no text, logo or decoration crosses it at any x. Returns a
        problem (so the renderer shrinks the print and tries again) when none is.
        """
        st = self.style
        size = self.size(st.hand_size)
        pitch = size * 1.3
        need = pitch * (len(lines) - 1) + size * 1.2
        boxes = [*(it.box for it in self.items), *avoid]
        inside = [b for b in boxes if b[2] > SAFE_MARGIN and b[0] < self.w - SAFE_MARGIN]
        taken = sorted((b[1], b[3]) for b in inside)  # a side band does not block a row
        top, bands = float(SAFE_MARGIN + 6), []
        for y0, y1 in taken:
            if y0 > top:
                bands.append((top, y0))
            top = max(top, y1)
        bands.append((top, self.h - SAFE_MARGIN - 6))
        fits = [(a, b) for a, b in bands if b - a >= need + 16]
        if not fits:
            return [f"no free band {need:.0f} units high for the handwritten lines"]
        band_top, band_bottom = fits[-1]
        y = band_top + (band_bottom - band_top - need) / 2 + size * 0.95
        width = max(self.width(line, st.hand_font, size) for line in lines)
        x = max(SAFE_MARGIN + 10.0, (self.w - width) / 2)
        for i, line in enumerate(lines):
            # Each line starts a little further right, as a hand drifts writing on.
            self.text(x + 14 * i, y + pitch * i, line, st.hand_font, size, st.hand_color, "hand")
        return []

    # -- validation -------------------------------------------------------
    def problems(self, avoid: list[Box]) -> list[str]:
        """Text off the card, overlapping other text, or over a decoration."""
        out = []
        boxes = [it.box for it in self.items]
        for it in self.items:
            x0, y0, x1, y1 = it.box
            if (
                x0 < SAFE_MARGIN
                or y0 < SAFE_MARGIN
                or x1 > self.w - SAFE_MARGIN
                or y1 > self.h - SAFE_MARGIN
            ):
                out.append(f"{it.role} {it.text!r} outside safe area: {it.box}")
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                if _overlap(a, boxes[j]):
                    out.append(f"{self.items[i].text!r} overlaps {self.items[j].text!r}")
            for b in avoid:
                if _overlap(a, b):
                    out.append(f"{self.items[i].text!r} overlaps decoration {b}")
        return out


def _overlap(a: Box, b: Box, tol: float = 1.0) -> bool:
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


LayoutFn = Callable[[Canvas, CardSpec], list[Box]]


def render_card(spec: CardSpec, scale: float = 2.0) -> RenderedCard:
    """Render `spec` at `scale` x 300 dpi.

    Tries the style's sizes first and shrinks all text in 5% steps (to 70%)
    until nothing collides; raises LayoutError otherwise, so a random spec can
    never silently produce a card whose truth lists text that is cut off.
    """
    from .layouts import LAYOUT_FUNCS

    problems: list[str] = []
    for step in range(7):
        shrink = 1.0 - 0.05 * step
        canvas = Canvas(spec, scale, shrink)
        avoid = [b for b in [canvas.decorate()] if b]
        avoid += LAYOUT_FUNCS[spec.layout](canvas, spec)
        hand = canvas.handwriting(spec.handwritten, avoid) if spec.handwritten else []
        problems = hand + canvas.problems(avoid)
        if not problems:
            return RenderedCard(
                canvas.image,
                scale,
                (canvas.w, canvas.h),
                canvas.items,
                shrink,
                spec.style.corner_radius,
            )
    raise LayoutError(f"{spec.layout} card does not fit: " + "; ".join(problems[:3]))
