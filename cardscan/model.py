"""Typed values that flow between the stages.

load -> cleanup -> ocr (OcrResult) -> extract (Extraction) -> validate -> CardResult.
Every stage takes and returns these plain dataclasses, so each can be tested alone
with hand-built input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from cardscan import fields as contact_fields
from cardscan.fields import Shape


class Status(StrEnum):
    OK = "ok"
    NEEDS_REVIEW = "needs_review"
    FAILED = "failed"


class PhoneKind(StrEnum):
    MOBILE = "mobile"
    WORK = "work"
    FAX = "fax"
    OTHER = "other"


# The fields the verdict's calibration models (cardscan.calibration), from the one
# table of fields (cardscan.fields). Every field of that table (fields.NAMES) may be a
# key of Extraction.confidence / .evidence and Issue.field.
FIELDS: tuple[str, ...] = contact_fields.CALIBRATED


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in pixels of the cleaned card image."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def union(self, other: Box) -> Box:
        left = min(self.left, other.left)
        top = min(self.top, other.top)
        right = max(self.right, other.right)
        bottom = max(self.bottom, other.bottom)
        return Box(left, top, right - left, bottom - top)


@dataclass(frozen=True)
class OcrWord:
    text: str
    conf: float  # 0-100 as Tesseract reports it
    box: Box


@dataclass
class OcrLine:
    """Words on one visual text line, left to right."""

    words: list[OcrWord]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        box = self.words[0].box
        for w in self.words[1:]:
            box = box.union(w.box)
        return box

    @property
    def height(self) -> float:
        """Median word height: a proxy for the font size of the line."""
        heights = sorted(w.box.height for w in self.words)
        return float(heights[len(heights) // 2])

    @property
    def conf(self) -> float:
        """Mean word confidence, 0-100."""
        return sum(w.conf for w in self.words) / len(self.words)


@dataclass
class OcrResult:
    """What an OCR engine read on one cleaned card image."""

    lines: list[OcrLine]
    width: int
    height: int
    engine: str = "tesseract"
    rotation: int = 0  # degrees clockwise applied to make the card upright
    # Lines that look Korean but were left unread: Tesseract's Korean data is missing
    # (cardscan.ocr.hangul). The card then says what to install.
    korean_unread: int = 0

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Phone:
    number: str  # E.164 when it parses, else the digits as read
    kind: PhoneKind = PhoneKind.OTHER
    raw: str = ""  # as printed on the card
    valid: bool = True
    extension: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"number": self.number, "kind": str(self.kind), "raw": self.raw}
        out["valid"] = self.valid
        if self.extension:
            out["extension"] = self.extension
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Phone:
        return cls(
            number=str(data["number"]),
            kind=PhoneKind(data.get("kind", "other")),
            raw=str(data.get("raw", "")),
            valid=bool(data.get("valid", True)),
            extension=data.get("extension"),
        )


@dataclass
class Contact:
    """A card's contact details; one attribute per row of cardscan.fields (the name's
    parts beside it), which also says how each goes to JSON, the book and the exports."""

    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    title: str | None = None
    company: str | None = None
    department: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    address: str | None = None
    social: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The contact of the `rescan --json` contract: every key always present."""
        out: dict[str, Any] = {}
        for f in contact_fields.FIELDS:
            value = getattr(self, f.name)
            if f.shape is Shape.PHONES:
                out[f.name] = [p.to_json() for p in value]
            elif f.shape is Shape.LIST:
                out[f.name] = list(value)
            elif f.shape is Shape.SOCIAL:
                out[f.name] = dict(value)
            else:
                out[f.name] = value
            for part in f.parts:
                out[part] = getattr(self, part)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Contact:
        """A Contact back from to_json(); a key missing (an older reading) stays empty."""
        contact = cls()
        for f in contact_fields.FIELDS:
            value = data.get(f.name)
            if f.shape is Shape.PHONES:
                contact.phones = [Phone.from_json(p) for p in value or []]
            elif f.shape is Shape.LIST:
                setattr(contact, f.name, [str(v) for v in value or []])
            elif f.shape is Shape.SOCIAL:
                contact.social = {str(k): str(v) for k, v in (value or {}).items()}
            else:
                setattr(contact, f.name, value)
            for part in f.parts:
                setattr(contact, part, data.get(part))
        return contact


@dataclass(frozen=True)
class Issue:
    code: str  # short machine-readable slug, e.g. "phone_invalid", "no_text"
    message: str  # one line a person can act on
    field: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class Position:
    """Where a card lay in a photo of several cards (cardscan.cleanup.cards): its place
    in reading order (rows top to bottom, left to right), of how many, and its corners
    in the photo's pixels as decoded and turned upright by its EXIF (TL TR BR BL as the
    photo shows them)."""

    card: int  # 1-based
    of: int
    corners: tuple[tuple[float, float], ...]
    photo: tuple[int, int] = (0, 0)  # the photo's width and height in those pixels

    @property
    def name(self) -> str:
        """How messages name the card: "card 2 of 8"."""
        return f"card {self.card} of {self.of}"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Position:
        return cls(
            int(data["card"]),
            int(data["of"]),
            tuple((float(x), float(y)) for x, y in data["corners"]),
            (int(data["photo"][0]), int(data["photo"][1])) if data.get("photo") else (0, 0),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "card": self.card,
            "of": self.of,
            "corners": [[round(x), round(y)] for x, y in self.corners],
            "photo": list(self.photo),
        }


@dataclass
class Person:
    """One of the people a card names, when it names several (cardscan.extract.people):
    their own contact (name, title, emails, phones; the card's company, address, web
    and social shared) and what is doubtful about splitting the card this way."""

    contact: Contact
    issues: list[Issue] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"contact": self.contact.to_json(), "issues": [i.to_json() for i in self.issues]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Person:
        return cls(
            Contact.from_json(data.get("contact") or {}),
            [Issue(str(i["code"]), str(i["message"]), i.get("field")) for i in data["issues"]],
        )


@dataclass
class Extraction:
    """Output of the extract stage: the contact plus how sure we are of each field."""

    contact: Contact
    confidence: dict[str, float] = field(default_factory=dict)  # field -> 0.0-1.0
    evidence: dict[str, list[Box]] = field(default_factory=dict)  # field -> word boxes
    issues: list[Issue] = field(default_factory=list)
    region: str = "US"  # the phone region the card was read under
    # Text no field used (a tagline, opening hours, a note), one item per line, in
    # reading order; logo letters and badge marks (under 3 letters) are left out.
    other_text: list[str] = field(default_factory=list)
    # The lines the verdict's features count as used by no field (calibration): as
    # other_text, but with the department's line, as when the verdict was fitted.
    unused: list[str] = field(default_factory=list)
    # Empty when the card names one person (`contact`). A card naming several: every
    # person in reading order, each with their own emails and phones (the shared ones
    # with the first); `contact` stays the card's as read, holding them all.
    people: list[Person] = field(default_factory=list)


@dataclass
class CardResult:
    source: str  # the photo's path as given
    card_id: str  # sha256 of the photo's bytes
    status: Status
    contact: Contact = field(default_factory=Contact)
    confidence: dict[str, float] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    text: str = ""
    region: str | None = None
    rotation: int = 0
    seconds: float = 0.0  # wall time to read this card, in the worker
    ocr_seconds: float = 0.0  # of which inside the OCR engine (PP-OCR, Tesseract)
    # The card's seconds per stage (cardscan.pipeline.STAGES), for `bench --speed`'s
    # split; timing of this run only, so not in to_json nor stored with the reading.
    stages: dict[str, float] = field(default_factory=dict, compare=False)
    taken_on: date | None = None  # the day the photo was taken, from its EXIF
    # Per field (FIELDS), the word boxes it was read from, in pixels of `crop`.
    evidence: dict[str, list[Box]] = field(default_factory=dict)
    # The straightened card, upright, as a JPEG (long side at most 1000 px) for the review
    # page (cardscan.review). The worker makes it, the ingest writes it to
    # .cardscan/crops/<card id>.jpg and drops it: not kept in memory, not in to_json.
    crop: bytes | None = field(default=None, repr=False, compare=False)
    other_text: list[str] = field(default_factory=list)  # Extraction.other_text
    # A card photographed on both sides (cardscan.backs): the back's own reading, and
    # the back's text that no contact field took (for the book's Card notes column).
    # The contact above is then the whole card's; source and card_id stay the front's.
    back: CardResult | None = None
    card_notes: list[str] = field(default_factory=list)
    # Lines that look Korean left unread (no Tesseract Korean data): OcrResult's count,
    # for the command's one note on what to install. Not stored with the reading.
    korean_unread: int = 0
    # Extraction.people: empty for a card naming one person; else every person, each a
    # row of their own in the book (cardscan.rows; `contact` stays the card's as read,
    # holding them all). In to_json only when not empty: a one-person card's JSON is
    # unchanged.
    people: list[Person] = field(default_factory=list)
    # A card of a photo of several (`rescan`): where it lay. None for a photo of one
    # card; in to_json only when set.
    position: Position | None = None
    # A photo of several cards, found but not yet read (cardscan.pipeline's survey of a
    # photo): where each card lies. cardscan.reading then reads each as a card of its
    # own; nothing else ever sees such a result but the result store, which keeps it so
    # that a photo read before is not surveyed again. Empty for a card; in to_json only
    # when set.
    cards: list[Position] = field(default_factory=list)

    @property
    def photos(self) -> list[CardResult]:
        """The readings of every photo of this card: itself, then its back if any."""
        return [self] if self.back is None else [self, self.back]

    def to_json(self) -> dict[str, Any]:
        """The `rescan --json` contract: keep these keys and types; add keys freely."""
        out: dict[str, Any] = {
            "source": self.source,
            "card_id": self.card_id,
            "status": str(self.status),
            "contact": self.contact.to_json(),
            "confidence": {k: round(v, 3) for k, v in self.confidence.items()},
            "issues": [i.to_json() for i in self.issues],
            "text": self.text,
            "region": self.region,
            "rotation": self.rotation,
            "seconds": round(self.seconds, 3),
            "ocr_seconds": round(self.ocr_seconds, 3),
            "taken_on": self.taken_on.isoformat() if self.taken_on else None,
            "evidence": {
                key: [[b.left, b.top, b.width, b.height] for b in boxes]
                for key, boxes in self.evidence.items()
            },
            "other_text": list(self.other_text),
            "card_notes": list(self.card_notes),
            "back": None if self.back is None else self.back.to_json(),
        }
        if self.people:
            out["people"] = [p.to_json() for p in self.people]
        if self.position is not None:
            out["position"] = self.position.to_json()
        if self.cards:
            out["cards"] = [p.to_json() for p in self.cards]
        return out
