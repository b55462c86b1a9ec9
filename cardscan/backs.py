"""Cards photographed on both sides: which photo is whose back, and one reading of the two.

Pairing (pair_photos), before anything is read:
- By name (the default): in the same folder, a photo whose stem is another photo's stem
  plus a back marker, "-back", "_back", " back" or " (back)" in any case, is that photo's
  back: IMG_0042.jpg and IMG_0042-back.png, "Jane Doe.heic" and "Jane Doe (Back).jpg".
  A photo named as a back is never a front. A back whose front is not there, or whose
  front already has a back, is read as a card of its own, with a warning.
- Consecutive (`ingest --pairs`): in each folder, in the order ingest reads them (sorted
  by name), the photos are taken two at a time as front and back. An odd one out at the
  end of a folder is a front without a back, with a warning.

Joining (join_sides), after both photos were read alone by the normal pipeline:
- A contact field empty on the front is filled from the back; emails, phones, websites
  and social profiles the front does not have are added. A name, title, company or
  address on the back that differs from the front's does not replace it: a name in the
  same script is flagged for review (two names on one card), one in another script is a
  translation (a Japanese back of an English front) and, like a different title,
  company or address, goes to the card notes.
- The back's other text (a tagline, a note written on it: Extraction.other_text), less
  what repeats the front, goes to the card notes: the book's Card notes column, never
  the user's Notes.
- A side with no text (a blank back, a logo) is only listed; a side that fails for any
  other reason is reported as failed and the other side goes in alone.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TypeVar

from rapidfuzz import fuzz

from cardscan import fields as contact_fields
from cardscan.book.cells import email_key, website_key
from cardscan.book.matching import company_key, names_agree
from cardscan.model import CardResult, Contact, Issue, Phone, Status
from cardscan.photos import PHOTO_EXTENSIONS
from cardscan.pipeline import completeness

T = TypeVar("T")

# "IMG_0042-back", "IMG_0042_back", "Jane Doe back", "Jane Doe (Back)".
_BACK = re.compile(r"^(?P<front>.*?\S)(?:[-_ ]back|\s*\(back\))$", re.IGNORECASE)
# Two values this alike (rapidfuzz token_sort_ratio, after company_key) are one value.
SAME_AT = 90
# Issue codes the pipeline gives a card for what it lacks; a joined card is judged again.
_COMPLETENESS = frozenset({"no_contact_point", "no_name_or_company"})
# One-value fields a back fills when the front lacks them; a different value on the
# back goes to Card notes (cardscan.fields' back_to_notes).
_SINGLE_FIELDS = tuple(f.name for f in contact_fields.FIELDS if f.back_to_notes)


@dataclass(frozen=True)
class CardPhotos:
    """The photos of one card: its front, and its back when it was photographed."""

    front: Path
    back: Path | None = None

    @property
    def paths(self) -> list[Path]:
        return [self.front] if self.back is None else [self.front, self.back]


@dataclass
class Pairing:
    cards: list[CardPhotos] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # one line each, naming the photo

    @property
    def with_backs(self) -> int:
        return sum(card.back is not None for card in self.cards)


def back_marker(stem: str) -> str | None:
    """The front's stem when `stem` is named as a back ("X-back" -> "X"), else None."""
    found = _BACK.match(stem)
    return found["front"].rstrip(" -_") if found else None


def pair_photos(photos: list[Path], *, consecutive: bool = False) -> Pairing:
    """The cards among `photos` (in their order), by name or two at a time."""
    return pair_consecutive(photos) if consecutive else pair_by_name(photos)


def _folder(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path.parent))


def pair_by_name(photos: list[Path]) -> Pairing:
    fronts: dict[tuple[str, str], list[int]] = {}
    for index, photo in enumerate(photos):
        if back_marker(photo.stem) is None:
            fronts.setdefault((_folder(photo), photo.stem.casefold()), []).append(index)
    out = Pairing()
    back_of: dict[int, int] = {}  # front index -> back index
    for index, photo in enumerate(photos):
        stem = back_marker(photo.stem)
        if stem is None:
            continue
        found = fronts.get((_folder(photo), stem.casefold()), [])
        if not found:
            out.warnings.append(
                f"{photo}: named as the back of a card, but there is no photo {stem}.* "
                f"beside it: read as a card of its own (name its front {stem}.jpg to pair them)"
            )
        elif len(found) > 1:
            shown = ", ".join(photos[i].name for i in found)
            out.warnings.append(
                f"{photo}: named as a back, but several photos could be its front ({shown}): "
                "read as a card of its own (rename all but one of them)"
            )
        elif found[0] in back_of:
            out.warnings.append(
                f"{photo}: {photos[found[0]].name} already has a back "
                f"({photos[back_of[found[0]]].name}): read as a card of its own"
            )
        else:
            back_of[found[0]] = index
    backs = set(back_of.values())
    for index, photo in enumerate(photos):
        if index in backs:
            continue
        back = back_of.get(index)
        out.cards.append(CardPhotos(photo, None if back is None else photos[back]))
    return out


def pair_consecutive(photos: list[Path]) -> Pairing:
    out = Pairing()
    runs: list[list[Path]] = []
    for photo in photos:  # a folder's photos come together, in the order they are read
        if runs and _folder(runs[-1][0]) == _folder(photo):
            runs[-1].append(photo)
        else:
            runs.append([photo])
    for run in runs:
        for start in range(0, len(run) - 1, 2):
            out.cards.append(CardPhotos(run[start], run[start + 1]))
        if len(run) % 2:
            out.cards.append(CardPhotos(run[-1]))
            out.warnings.append(
                f"{run[-1]}: --pairs takes photos two at a time, and {run[-1].parent} has "
                f"an odd number ({len(run)}): the last is read as a card without a back "
                "(add its back, or check that every card has both photos)"
            )
    return out


# --- joining the two readings ---------------------------------------------------------


def usable(result: CardResult) -> bool:
    return result.status in (Status.OK, Status.NEEDS_REVIEW)


def blank(result: CardResult) -> bool:
    """A side the pipeline found no text on (a blank back, a logo alone)."""
    return result.status is Status.FAILED and any(i.code == "no_text" for i in result.issues)


@dataclass
class Sides:
    """What one card's photos give: the reading for the book (None when neither side
    could be read), the photos that failed, and the sides with nothing on them."""

    card: CardResult | None
    failed: list[CardResult] = field(default_factory=list)
    blank: list[CardResult] = field(default_factory=list)


def join_sides(front: CardResult, back: CardResult | None, *, front_in_book: bool = False) -> Sides:
    """One card from its photos' readings. `front_in_book`: the front is in the book
    already (its back is new), so only what the back adds is returned (back_delta)."""
    if back is None:
        return Sides(front) if usable(front) else Sides(None, [front])
    if usable(front) and usable(back):
        return Sides(back_delta(front, back) if front_in_book else merge_back(front, back))
    if usable(front) or usable(back):
        card, other = (front, back) if usable(front) else (back, front)
        if blank(other):  # the photo is listed with the card, so it is not read again
            if front_in_book and card is front:  # and that is all it adds to the row
                card = dataclasses.replace(
                    front,
                    status=Status.OK,
                    contact=Contact(
                        front.contact.name, front.contact.given_name, front.contact.family_name
                    ),
                    confidence={},
                    issues=[],
                )
            return Sides(dataclasses.replace(card, back=other), blank=[other])
        side = "back" if other is back else "front"
        return Sides(card, [_noted(other, f"the {side} of {_file(card)}, which went in alone")])
    # Neither side went in: each failure is listed; with both sides blank, the front
    # stands for the card (nothing of it was read).
    failed = [r for r in (front, back) if not blank(r)] or [front]
    return Sides(None, failed, [r for r in (front, back) if all(r is not f for f in failed)])


def _noted(result: CardResult, note: str) -> CardResult:
    """A failed reading whose reason also says which side of which card it was."""
    issues = list(result.issues) or [Issue("failed", f"{result.source}: not read", None)]
    first = issues[0]
    issues[0] = dataclasses.replace(first, message=f"{first.message} ({note})")
    return dataclasses.replace(result, issues=issues)


def _file(result: CardResult) -> str:
    return PurePath(result.source).name or result.source


def merge_back(front: CardResult, back: CardResult) -> CardResult:
    """The front's reading with what its back adds (see the module's notes)."""
    contact = copy.deepcopy(front.contact)
    theirs = back.contact
    notes: list[str] = []
    issues = [i for i in front.issues if i.code not in _COMPLETENESS]
    filled: set[str] = set()
    if theirs.name:
        if not contact.name:
            contact.name = theirs.name
            contact.given_name, contact.family_name = theirs.given_name, theirs.family_name
            filled.add("name")
        elif names_agree(contact.name, theirs.name) or _repeats(theirs.name, contact):
            pass
        elif _scripts(theirs.name).isdisjoint(_scripts(contact.name)):
            notes.append(theirs.name)  # the name written in another script
        else:
            issues.append(
                Issue(
                    "back_name_differs",
                    f"the back {_file(back)} names {theirs.name}; the front's "
                    f"{contact.name} is kept",
                    "name",
                )
            )
    for name in _SINGLE_FIELDS:
        value = getattr(theirs, name)
        if not value:
            continue
        if not getattr(contact, name):
            setattr(contact, name, value)
            filled.add(name)
        elif not _repeats(value, contact):
            notes.append(value)
    filled |= _add_lists(contact, theirs, notes)
    notes += [line for line in back.other_text if not _repeats(line, contact)]

    # Issues about a field the front lacked are answered by the back; the back's own
    # issues count only for what it gave; what the whole card lacks is judged again.
    issues = [i for i in issues if i.field not in filled or i.field in _LIST_FIELDS]
    issues += [
        dataclasses.replace(i, message=f"back {_file(back)}: {i.message}")
        for i in back.issues
        if i.field in filled and i.code not in _COMPLETENESS
    ]
    issues += completeness(contact)
    confidence = dict(front.confidence)
    for name in filled:  # a list the front had keeps the front's confidence
        if name in back.confidence:
            confidence.setdefault(name, back.confidence[name])
    return dataclasses.replace(
        front,
        status=Status.NEEDS_REVIEW if issues else Status.OK,
        contact=contact,
        confidence=confidence,
        issues=issues,
        seconds=front.seconds + back.seconds,
        ocr_seconds=front.ocr_seconds + back.ocr_seconds,
        stages={
            stage: front.stages.get(stage, 0.0) + back.stages.get(stage, 0.0)
            for stage in {**front.stages, **back.stages}
        },
        taken_on=front.taken_on or back.taken_on,  # the day met, whichever side tells
        back=back,
        card_notes=_unique(notes),
    )


_LIST_FIELDS = frozenset(f.name for f in contact_fields.FIELDS if f.multi)


def back_delta(front: CardResult, back: CardResult) -> CardResult:
    """What a back adds to a front already in the book: merge_back less the front's own
    details, which are in the front's row already (perhaps corrected there since)."""
    whole = merge_back(front, back)
    mine, got = front.contact, whole.contact
    contact = Contact(  # the name stays, to say whose row it is (a merge never replaces one)
        name=got.name,
        given_name=got.given_name,
        family_name=got.family_name,
        emails=[e for e in got.emails if e not in mine.emails],
        phones=[p for p in got.phones if p not in mine.phones],
        websites=[w for w in got.websites if w not in mine.websites],
        social={k: v for k, v in got.social.items() if k not in mine.social},
    )
    for name in _SINGLE_FIELDS:
        if not getattr(mine, name):
            setattr(contact, name, getattr(got, name))
    issues = [i for i in whole.issues if i not in front.issues and i.code not in _COMPLETENESS]
    return dataclasses.replace(
        whole,
        status=Status.NEEDS_REVIEW if issues else Status.OK,
        contact=contact,
        confidence={k: v for k, v in whole.confidence.items() if k not in front.confidence},
        issues=issues,
    )


def _add_lists(contact: Contact, theirs: Contact, notes: list[str]) -> set[str]:
    """Add the back's emails, phones, websites and profiles the front lacks; returns
    the fields that grew. A different handle on a network the front has is a note."""
    grew: set[str] = set()
    if _append_new(contact.emails, theirs.emails, email_key):
        grew.add("emails")
    if _append_new(contact.websites, theirs.websites, website_key):
        grew.add("websites")
    if _append_new(contact.phones, [copy.copy(p) for p in theirs.phones], _phone_key):
        grew.add("phones")
    for network, handle in theirs.social.items():
        mine = contact.social.get(network)
        if mine is None:
            contact.social[network] = handle
            grew.add("social")
        elif website_key(mine) != website_key(handle):
            notes.append(f"{network}: {handle}")
    return grew


def _append_new(mine: list[T], theirs: list[T], key: Callable[[T], str]) -> bool:
    """Append to `mine` each of `theirs` whose key it lacks; whether any was added."""
    have = {key(v) for v in mine}
    added = False
    for value in theirs:
        if key(value) not in have:
            have.add(key(value))
            mine.append(value)
            added = True
    return added


def _phone_key(phone: Phone) -> str:
    """E.164 for a valid number, else its digits: the same number printed twice."""
    return phone.number if phone.valid else re.sub(r"\D", "", phone.raw or phone.number)


def _repeats(text: str, contact: Contact) -> bool:
    """Whether `text` says again what a one-value field of the card already says."""
    key = company_key(text)
    values = [getattr(contact, name) for name in contact_fields.SINGLE]
    return bool(key) and any(
        v and fuzz.token_sort_ratio(key, company_key(v)) >= SAME_AT for v in values
    )


def _scripts(text: str) -> set[str]:
    """The writing systems of a text's letters: {"LATIN"}, {"CJK", "HIRAGANA"}..."""
    found = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            found.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return found


def _unique(lines: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for line in lines:
        text = " ".join(line.split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out


def card_of(photo: Path) -> Pairing:
    """The card `photo` belongs to, by the naming rules, among the photos beside it.

    For `cardscan rescan`: one card, with the warnings about this photo; a folder that
    cannot be listed leaves the photo a card of its own.
    """
    folder = photo.parent
    try:
        beside = sorted(
            folder / p.name
            for p in folder.iterdir()
            if p.suffix.lower() in PHOTO_EXTENSIONS and p.name != photo.name and p.is_file()
        )
    except OSError:
        beside = []
    pairing = pair_by_name([photo, *beside])
    for card in pairing.cards:
        if any(p.name == photo.name for p in card.paths):
            mine = [w for w in pairing.warnings if w.startswith(f"{photo}:")]
            return Pairing([card], mine)
    return Pairing([CardPhotos(photo)])
