"""Scoring card detection on photos of several cards: found, missed and invented cards.

A found quad matches a truth quad when the two polygons overlap by IoU >= 0.5 (the usual
detection threshold: a quad half off is a card found but badly cut, which the figures of
the reading then show). Matching is one-to-one and greedy by IoU, highest first: two
quads on one card count one found and one invented, never two found.

`cardscan bench` scores photos of several cards this way too (score_several): each card
the reader found is matched to a card of the truth (by its outline when the truth gives
the cards' corners, as generated photos' truth does; else by what was read, as for the
real development set, whose truth lists each card's contact but no corners), and the
fields of each card found are scored as any card's, apart from the photos of one card.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cardscan.bench import Truth, score
from cardscan.cleanup.detect import polygon_iou
from cardscan.model import CardResult

MATCH_IOU = 0.5


@dataclass(frozen=True)
class DetectionScore:
    """Counts for one photo (or, added up, for many)."""

    truth: int = 0  # cards in the truth
    found: int = 0  # truth cards matched by a found quad
    invented: int = 0  # found quads matching no truth card

    @property
    def missed(self) -> int:
        return self.truth - self.found

    def __add__(self, other: DetectionScore) -> DetectionScore:
        return DetectionScore(
            self.truth + other.truth, self.found + other.found, self.invented + other.invented
        )


def match_quads(
    found: Sequence[np.ndarray], truth: Sequence[np.ndarray], threshold: float = MATCH_IOU
) -> DetectionScore:
    """Match found quads to truth quads one-to-one, greedily by IoU (highest first)."""
    pairs = sorted(
        ((polygon_iou(f, t), i, j) for i, f in enumerate(found) for j, t in enumerate(truth)),
        reverse=True,
    )
    used_found: set[int] = set()
    used_truth: set[int] = set()
    for iou, i, j in pairs:
        if iou < threshold:
            break
        if i in used_found or j in used_truth:
            continue
        used_found.add(i)
        used_truth.add(j)
    return DetectionScore(len(truth), len(used_truth), len(found) - len(used_found))


def _pairs(similarity: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """(found, truth) pairs, one-to-one, greedily by similarity (highest first)."""
    pairs: list[tuple[int, int]] = []
    used_found: set[int] = set()
    used_truth: set[int] = set()
    for flat in np.argsort(-similarity, axis=None, kind="stable"):
        i, j = divmod(int(flat), similarity.shape[1])
        if similarity[i, j] < threshold:
            break
        if i in used_found or j in used_truth:
            continue
        pairs.append((i, j))
        used_found.add(i)
        used_truth.add(j)
    return pairs


def card_truths(truth: Truth) -> list[tuple[Truth, np.ndarray | None]]:
    """The cards of a photo of several, each a Truth of its own, with its corners in the
    photo's pixels when the truth gives them (generated: {"corners", "truth"}; real:
    each card's contact, no corners)."""
    out: list[tuple[Truth, np.ndarray | None]] = []
    for card in truth.record.get("cards") or []:
        if not isinstance(card, dict):
            continue
        inner = card.get("truth")
        if isinstance(inner, dict) and isinstance(inner.get("contact"), dict):
            corners = np.asarray(card["corners"], np.float32) if "corners" in card else None
            out.append((Truth(truth.photo, inner["contact"], None, inner), corners))
        else:
            record = {"region": truth.record.get("region")}
            out.append((Truth(truth.photo, card, None, record), None))
    return out


def _content_similarity(result: CardResult, contact: dict[str, Any]) -> float:
    """How much of a card's truth a reading shares: its phones (by their last 7 digits),
    emails and websites in common, and the name."""

    def digits(numbers: Iterable[Any]) -> set[str]:
        found = (
            re.sub(r"\D", "", str(n.get("number") if isinstance(n, dict) else n)) for n in numbers
        )
        return {d[-7:] for d in found if len(d) >= 7}

    read = result.contact
    common = len(digits([p.number for p in read.phones]) & digits(contact.get("phones") or []))
    common += len(
        {e.lower() for e in read.emails} & {str(e).lower() for e in contact.get("emails") or []}
    )
    name = contact.get("name")
    common += bool(name and read.name and str(name).casefold() == read.name.casefold())
    return float(common)


def match_found(
    truth: Truth, found: Sequence[CardResult]
) -> tuple[list[tuple[Truth, CardResult]], DetectionScore]:
    """The found cards of a photo of several matched to the truth's cards."""
    cards = card_truths(truth)
    if not cards or not found:
        return [], DetectionScore(len(cards), 0, len(found))
    size = truth.record.get("size")
    placed = [r.position for r in found]
    if all(c is not None for _, c in cards) and all(p is not None for p in placed) and size:
        similarity = np.zeros((len(found), len(cards)))
        for i, place in enumerate(placed):
            assert place is not None
            scale = place.photo[0] / float(size[0]) if place.photo[0] else 1.0
            quad = np.asarray(place.corners, np.float32) / scale
            for j, (_, corners) in enumerate(cards):
                assert corners is not None
                similarity[i, j] = polygon_iou(quad, corners)
        pairs = _pairs(similarity, MATCH_IOU)
    else:
        similarity = np.array(
            [[_content_similarity(r, t.contact) for t, _ in cards] for r in found]
        )
        pairs = _pairs(similarity, 1.0)
    matched = [(cards[j][0], found[i]) for i, j in pairs]
    return matched, DetectionScore(len(cards), len(pairs), len(found) - len(pairs))


@dataclass
class SeveralScore:
    """Photos of several cards: the cards found, and the fields of those found."""

    photos: int = 0
    detection: DetectionScore = DetectionScore()
    pairs: list[tuple[Truth, CardResult]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        d = self.detection
        fields = score(self.pairs).to_json(0.0)
        return {
            "photos": self.photos,
            "cards": d.truth,
            "found": d.found,
            "missed": d.missed,
            "invented": d.invented,
            "found_share": d.found / d.truth if d.truth else 0.0,
            "invented_share": d.invented / d.truth if d.truth else 0.0,
            "of_those_found": {
                key: fields[key]
                for key in (
                    "cards",
                    "fields",
                    "exact_match",
                    "address_token_f1",
                    "all_fields_right",
                    "verdict",
                )
            },
        }


def score_several(photos: Iterable[tuple[Truth, Sequence[CardResult]]]) -> SeveralScore:
    """Score photos of several cards: each truth with the cards read from its photo (its
    one reading when the reader took it for a photo of one card)."""
    out = SeveralScore()
    for truth, found in photos:
        pairs, detection = match_found(truth, found)
        out.photos += 1
        out.detection = out.detection + detection
        out.pairs += pairs
    return out


def format_several(figures: dict[str, Any]) -> list[str]:
    """The lines `cardscan bench` prints for the photos of several cards."""
    found = figures["of_those_found"]
    exact = ", ".join(f"{n} {v:.1%}" for n, v in found["exact_match"].items())
    lists = ", ".join(f"{n} F1 {v['f1']:.1%}" for n, v in found["fields"].items())
    return [
        f"photos of several cards: {figures['photos']}, {figures['cards']} cards in their "
        f"truth: {figures['found']} found ({figures['found_share']:.1%}), {figures['missed']} "
        f"missed, {figures['invented']} invented ({figures['invented_share']:.1%})",
        f"  of the cards found: every field right {found['all_fields_right']:.1%}; {exact}; "
        f"{lists}; address token F1 {found['address_token_f1']:.1%}",
    ]
