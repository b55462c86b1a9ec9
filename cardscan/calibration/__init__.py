"""Calibrated confidences and the card's verdict.

A field's confidence means the chance that it is right: of the fields given 0.9, about
nine in ten are the card's value. Extraction's own scores do not mean that (a name scored
0.8 was right far less often on real cards than on generated ones), so a small model per
field (cardscan.calibration.model) maps what is known about the field
(cardscan.calibration.features) to that chance. It is fitted on cards whose truth is
known, the generated tune split and the real development set's train split, by
`python -m tools.calibrate`, and shipped as calibration.json beside this file: after a
change to extraction, run that command again.

The verdict: a card is ok only when every field is likely right, read or empty: the
chance that all its fields are right (the product of theirs) must reach the threshold
(calibration.json's `threshold`, or the pipeline's [review] min_confidence when set), so
each field's own chance reaches it too. The fields that keep it below (doubtful()) flag
the card, each with an issue naming the field and why (the feature that lowers its
probability most), in the shape every other check uses, so the review page marks them
doubtful.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from cardscan.calibration.features import EMPTY, READ, REASONS, Features, field_features
from cardscan.calibration.model import Logistic
from cardscan.model import FIELDS, Extraction, Issue

__all__ = [
    "EMPTY",
    "LOW_CONFIDENCE",
    "MAYBE_MISSED",
    "READ",
    "Calibration",
    "Features",
    "calibrate",
    "doubtful",
    "field_features",
    "field_probabilities",
    "shipped",
    "threshold",
]

SHIPPED = "calibration.json"
# Issue codes of the verdict: a filled field likely wrong, an empty one likely missed.
LOW_CONFIDENCE = "low_confidence"
MAYBE_MISSED = "maybe_missed"


@dataclass(frozen=True)
class Calibration:
    """A model per field and state (READ, EMPTY), and the verdict's threshold."""

    models: Mapping[str, Mapping[str, Logistic]]
    threshold: float

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Calibration:
        fields = data["fields"]
        missing = [f for f in FIELDS for s in (READ, EMPTY) if s not in fields.get(f, {})]
        if missing:
            raise ValueError(f"no model for {', '.join(sorted(set(missing)))}")
        models = {f: {s: Logistic.from_json(fields[f][s]) for s in (READ, EMPTY)} for f in FIELDS}
        limit = float(data["threshold"])
        if not 0.0 <= limit <= 1.0:
            raise ValueError(f"threshold {limit} is not between 0 and 1")
        return cls(models, limit)

    def probability(self, field: str, state: str, features: Features) -> float:
        return self.models[field][state].probability(features)

    def reason(self, field: str, state: str, features: Features) -> str:
        """Why the field is doubtful: the feature that lowers its probability most."""
        model = self.models[field][state]
        terms = model.terms(features)
        worst = min(range(len(terms)), key=lambda i: terms[i], default=None)
        if worst is None or terms[worst] >= 0:
            if state == EMPTY:
                return "cards like this one usually have one"
            return f"a {field} read like this one is often wrong"
        return REASONS.get(model.features[worst], model.features[worst]).format(field=field)


@functools.cache
def shipped() -> Calibration:
    """The calibration shipped with cardscan (calibration.json beside this module)."""
    text = resources.files(__package__).joinpath(SHIPPED).read_text(encoding="utf-8")
    return Calibration.from_json(json.loads(text))


def threshold() -> float:
    """The verdict's threshold of the shipped calibration (the default of [review]
    min_confidence)."""
    return shipped().threshold


def field_probabilities(
    probability: Callable[[str, str, Features], float],
    features: Mapping[str, tuple[str, Features]],
) -> dict[str, float]:
    """Each field's chance of being right, from `probability(field, state, features)`.

    A title is the person's: a card without a person's name has no title either (so in
    every truth at hand, 2026-12-07: 604 generated and 81 real cards). So with no name
    read, an empty title is right exactly when the empty name is: its doubt is the
    name's, counted once, and the empty title counts as sure in the card's product.
    Counting it twice flagged shops' cards read right for a "missed" title.
    """
    out = {field: probability(field, *features[field]) for field in FIELDS}
    if features["name"][0] == EMPTY and features["title"][0] == EMPTY:
        out["title"] = 1.0
    return out


def doubtful(probabilities: Mapping[str, float], limit: float) -> list[str]:
    """The fields that keep a card from ok: the fewest, least likely first, without
    which the chance that all the others are right reaches `limit`.

    A card is ok when the chance that every field is right (the product of the fields'
    chances) reaches the threshold: that is what "ok" promises. It implies each field's
    own chance reaches it too. The product, not each field apart, because eight fields
    each 95% likely right make a card that is right only two times in three.
    """
    order = sorted(probabilities, key=lambda f: (probabilities[f], f))
    rest = math.prod(probabilities.values())
    out: list[str] = []
    for field in order:
        if rest >= limit:
            break
        out.append(field)
        p = probabilities[field]
        rest = rest / p if p > 0 else math.prod(probabilities[f] for f in order if f not in out)
    return out


def calibrate(
    ex: Extraction,
    features: Mapping[str, tuple[str, Features]],
    min_confidence: float | None = None,
    calibration: Calibration | None = None,
) -> list[Issue]:
    """Replace each filled field's confidence with its calibrated probability; the
    issues of the fields, filled or empty, that keep the card from ok (doubtful()).

    `features` come from field_features(), taken before this call.
    """
    model = calibration or shipped()
    limit = model.threshold if min_confidence is None else min_confidence
    probabilities = field_probabilities(model.probability, features)
    for field in FIELDS:
        if features[field][0] == READ:
            ex.confidence[field] = round(probabilities[field], 3)
    named = set(doubtful(probabilities, limit))
    issues: list[Issue] = []
    for field in FIELDS:
        if field not in named:
            continue
        state, values = features[field]
        p = probabilities[field]
        why = model.reason(field, state, values)
        if state == READ:
            issues.append(
                Issue(LOW_CONFIDENCE, f"{field} is doubtful ({p:.0%} likely right): {why}", field)
            )
        else:
            issues.append(
                Issue(
                    MAYBE_MISSED, f"no {field} read ({p:.0%} likely none on the card): {why}", field
                )
            )
    return issues
