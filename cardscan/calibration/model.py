"""A small logistic model per field and state, fitted deterministically with numpy.

Why logistic regression, hand-written: a few hundred examples per field and a dozen
features need nothing more; it gives a probability directly, its fit (Newton's method on
a convex loss) has one answer whatever the machine, and it is some 40 lines, where
scikit-learn would add a large dependency for the same numbers.

Features are standardised (their mean and spread on the fitting data are kept with the
model), and the coefficients are shrunk towards zero (L2, `penalty`), so a field with
few examples stays near its base rate instead of learning noise. Two pseudo-examples at
the mean, one right and one wrong, keep a state that was always right (or always wrong)
in the data away from 0 and 1: nothing read is ever certain.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

PENALTY = 1.0  # L2 weight on the standardised coefficients (the intercept is free)
MAX_STEPS = 100


@dataclass(frozen=True)
class Logistic:
    """P(right) = 1 / (1 + exp(-(intercept + sum(coef * (x - mean) / scale))))."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    examples: int  # how many it was fitted on (not counting the pseudo-examples)
    right_share: float  # how often the field was right in those

    def terms(self, x: Mapping[str, float]) -> list[float]:
        """Each feature's contribution to the log-odds, relative to an average field."""
        return [
            c * (float(x.get(f, m)) - m) / s
            for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True)
        ]

    def probability(self, x: Mapping[str, float]) -> float:
        z = self.intercept + sum(self.terms(x))
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "coef": [round(v, 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "examples": self.examples,
            "right_share": round(self.right_share, 6),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Logistic:
        features = tuple(str(f) for f in data["features"])
        columns = [tuple(float(v) for v in data[k]) for k in ("mean", "scale", "coef")]
        if any(len(c) != len(features) for c in columns):
            raise ValueError("features, mean, scale and coef differ in length")
        if any(s <= 0 for s in columns[1]):
            raise ValueError("a feature's scale is not positive")
        return cls(
            features,
            columns[0],
            columns[1],
            columns[2],
            float(data["intercept"]),
            int(data["examples"]),
            float(data["right_share"]),
        )


def fit(
    rows: Sequence[Mapping[str, float]], right: Sequence[bool], penalty: float = PENALTY
) -> Logistic:
    """The L2-penalised maximum-likelihood logistic model of `right` given `rows`.

    Every row has the same keys (the features); an empty `rows` gives a model of the
    pseudo-examples alone: a probability of one half.
    """
    features = tuple(sorted(rows[0])) if rows else ()
    x = np.array([[float(r[f]) for f in features] for r in rows], dtype=float)
    x = x.reshape(len(rows), len(features))
    y = np.array([float(v) for v in right], dtype=float)
    mean = x.mean(axis=0) if len(rows) else np.zeros(len(features))
    scale = x.std(axis=0) if len(rows) else np.ones(len(features))
    scale = np.where(scale > 1e-9, scale, 1.0)  # a constant feature: left as it is
    z = (x - mean) / scale
    # Two pseudo-examples at the mean (z = 0): one right, one wrong.
    z = np.vstack([z, np.zeros((2, len(features)))])
    y = np.concatenate([y, [1.0, 0.0]])
    design = np.hstack([np.ones((len(y), 1)), z])
    ridge = np.diag([0.0, *([penalty] * len(features))])

    def loss(w: np.ndarray) -> float:
        margin = design @ w
        # log(1 + e^m) - y*m, written so that no exp overflows
        return float(np.sum(np.logaddexp(0.0, margin) - y * margin) + 0.5 * w @ ridge @ w)

    w = np.zeros(design.shape[1])
    for _ in range(MAX_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ w, -500, 500)))
        gradient = design.T @ (p - y) + ridge @ w
        hessian = (design.T * (p * (1 - p))) @ design + ridge
        step = np.linalg.solve(hessian, gradient)
        # Newton's step, halved while it does not lower the loss (it always converges so)
        before, shrink = loss(w), 1.0
        while shrink > 1e-6 and loss(w - shrink * step) > before:
            shrink /= 2
        w = w - shrink * step
        if float(np.max(np.abs(shrink * step))) < 1e-10:
            break
    return Logistic(
        features,
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(float(v) for v in w[1:]),
        float(w[0]),
        len(rows),
        float(np.mean(y[:-2])) if len(rows) else 0.5,
    )
