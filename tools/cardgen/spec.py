"""Plain data describing a business card and the photo taken of it.

The renderer, the photo simulator and the truth writer all read the same
CardSpec, which is what guarantees that the truth JSON says exactly what the
card shows: nothing about the content is ever written down twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PhoneKind = Literal["mobile", "work", "fax", "other"]
SocialNetwork = Literal["linkedin", "twitter", "instagram"]

LAYOUTS: tuple[str, ...] = (
    "classic",  # left-aligned: company top, name middle, details bottom
    "centered",  # everything centred, phones may share one row
    "two_column",  # name/title left, contact details right of a rule
    "logo_left",  # big logo panel on the left, text on the right
    "name_top",  # large name across the top over a band, details in a grid
    "vertical",  # portrait card, centred stack
    "right_aligned",  # everything flush right, logo top-right, QR bottom-left
    "band_top",  # accent header band with logo and company, person left, details right
    "split_panel",  # two-tone: accent panel with name and title, details on the card colour
    "details_top",  # details in two columns at the top, large name bottom-left
    "minimal",  # name and title centred, details in small print along the bottom
    "grid",  # name on top, details in a 2x2 grid of headed blocks
)

PAIR_LAYOUTS: tuple[str, ...] = ("classic", "band_top")  # layouts that print CardSpec.others
# How those layouts place the people: "side" by side in columns, the shared lines under
# them; or "stacked", one person's block above the next in the left column, the shared
# lines in a column right of them.
PEOPLE_ARRANGEMENTS: tuple[str, ...] = ("side", "stacked")
QR_LAYOUTS: tuple[str, ...] = (  # layouts that draw CardSpec.qr
    "classic",
    "two_column",
    "vertical",
    "right_aligned",
)

BACKGROUNDS: tuple[str, ...] = ("wood", "fabric", "dark_table", "light_table", "cluttered_desk")


@dataclass(frozen=True)
class Phone:
    """One printed phone number.

    `raw` is the number exactly as printed, without label or extension; it is
    parsed with `region` (default: the card's region) to get the E.164 truth.
    """

    raw: str
    kind: PhoneKind
    label: str | None = None
    extension: str | None = None
    ext_label: str = "ext."
    region: str | None = None

    def printed(self) -> str:
        """The value text drawn after the label."""
        if self.extension:
            return f"{self.raw} {self.ext_label} {self.extension}"
        return self.raw


@dataclass(frozen=True)
class Social:
    """A social profile; `handle` is printed verbatim (e.g. '@jane' or a URL)."""

    network: SocialNetwork
    handle: str
    label: str | None = None  # printed text label such as "X:"; None draws a badge


@dataclass(frozen=True)
class Person:
    """A further person on a shared card (a partner, a colleague of the same firm).

    Printed as its own block; `phones` are this person's own lines only.
    """

    name: str
    title: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[Phone, ...] = ()


@dataclass(frozen=True)
class Style:
    """Visual choices for a card.  Sizes are px at 300 dpi (a 1050x600 card)."""

    background: str = "#ffffff"
    text: str = "#222222"
    accent: str = "#1f5f8b"
    muted: str = "#555555"
    name_font: str = "open-sans-bold"
    name_size: int = 50
    title_font: str = "open-sans"
    title_size: int = 27
    company_font: str = "open-sans-semibold"
    company_size: int = 32
    body_font: str = "open-sans"
    body_size: int = 25
    label_font: str | None = None  # None: body font, drawn in the accent colour
    name_caps: bool = False
    logo: str | None = None
    logo_colors: tuple[str, ...] = ()
    decoration: str | None = None  # see render.DECORATIONS
    join_phones: bool = False  # centred layouts: put all phones on one row
    separator: str = "  |  "
    hand_font: str = "humor-sans"  # CardSpec.handwritten: a note written on the card
    hand_color: str = "#1f3a93"  # ballpoint blue
    hand_size: int = 34
    bullets: bool = False  # small accent dots before unlabelled detail lines
    corner_radius: int = 0

    def fonts(self) -> tuple[str, ...]:
        """Every font key this style draws with."""
        keys = [self.name_font, self.title_font, self.company_font, self.body_font]
        if self.label_font:
            keys.append(self.label_font)
        return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class CardSpec:
    """Everything printed on one card, plus how it is laid out.

    `tagline` and `extra_lines` are printed but belong to no contact field:
    they are the kind of noise (slogans, opening hours) an extractor must skip.
    `handwritten` lines are written on the card by hand after printing (a note on its
    back), in the style's hand font and ink, in a free band of the card.
    `name`, `title`, `phones` and `emails` are the first (most prominent)
    person's; `others` are further people printed in blocks of their own (see
    PAIR_LAYOUTS), placed as `people` says (see PEOPLE_ARRANGEMENTS).  `qr` is the
    text of a QR code printed on the card (None: no code; see QR_LAYOUTS).
    """

    region: str
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    title: str | None = None
    company: str | None = None
    tagline: str | None = None
    phones: tuple[Phone, ...] = ()
    emails: tuple[str, ...] = ()
    email_label: str | None = None
    websites: tuple[str, ...] = ()
    web_label: str | None = None
    address: tuple[str, ...] = ()
    socials: tuple[Social, ...] = ()
    extra_lines: tuple[str, ...] = ()
    handwritten: tuple[str, ...] = ()
    layout: str = "classic"
    style: Style = field(default_factory=Style)
    others: tuple[Person, ...] = ()
    qr: str | None = None
    people: str = "side"

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown layout {self.layout!r}; choose from {LAYOUTS}")
        if self.others and (self.name is None or self.layout not in PAIR_LAYOUTS):
            raise ValueError(f"a card with several people needs a name and one of {PAIR_LAYOUTS}")
        if self.people not in PEOPLE_ARRANGEMENTS:
            raise ValueError(f"unknown people arrangement {self.people!r}: {PEOPLE_ARRANGEMENTS}")
        if self.qr is not None and self.layout not in QR_LAYOUTS:
            raise ValueError(f"a card with a QR code needs a layout in {QR_LAYOUTS}")


@dataclass(frozen=True)
class PhotoSpec:
    """How the card is photographed.  Angles in degrees, sizes in px.

    `size` is the sensor frame before `rotation`; `rotation` is how far the
    saved photo is turned clockwise, so `Image.rotate(rotation, expand=True)`
    (counter-clockwise) restores it.  `card_extent` is the larger of the card's
    bounding-box width/height as a fraction of the frame's width/height.
    """

    background: str = "wood"
    size: tuple[int, int] = (2016, 1512)
    card_extent: float = 0.7
    offset: tuple[float, float] = (0.0, 0.0)
    tilt_x: float = 0.0
    tilt_y: float = 0.0
    roll: float = 0.0
    drop_shadow: float = 0.35
    light_gradient: float = 0.25
    light_angle: float = 30.0
    vignette: float = 0.2
    cast_shadow: float = 0.0
    glare: float = 0.0
    exposure: float = 1.0
    blur: float = 0.7
    background_blur: float = 0.0
    noise: float = 3.0
    white_balance: tuple[float, float, float] = (1.0, 1.0, 1.0)
    jpeg_quality: int = 85
    rotation: int = 0
    hand: bool = False

    def __post_init__(self) -> None:
        if self.background not in BACKGROUNDS:
            raise ValueError(f"unknown background {self.background!r}; choose from {BACKGROUNDS}")
        if self.rotation not in (0, 90, 180, 270):
            raise ValueError(f"rotation must be 0/90/180/270, not {self.rotation}")
        if not 1 <= self.jpeg_quality <= 95:
            raise ValueError(f"jpeg_quality out of range: {self.jpeg_quality}")
