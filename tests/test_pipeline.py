"""The whole pipeline on every sample photo, against its truth."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ALL_SAMPLES, Sample

from cardscan.model import CardResult, Status


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().replace(".", "").replace(",", "").split())


@pytest.mark.parametrize("sample", ALL_SAMPLES, ids=lambda s: s.name)
def test_emails_and_phones_are_read_right(sample: Sample, sample_results: dict[str, Any]) -> None:
    result: CardResult = sample_results[sample.name]
    truth = sample.contact
    assert result.status is not Status.FAILED, result.issues
    assert sorted(e.lower() for e in result.contact.emails) == sorted(truth["emails"])
    assert sorted(p.number for p in result.contact.phones) == sorted(
        p["number"] for p in truth["phones"]
    )
    assert len(result.card_id) == 64


@pytest.mark.parametrize("sample", ALL_SAMPLES, ids=lambda s: s.name)
def test_card_is_turned_upright(sample: Sample, sample_results: dict[str, Any]) -> None:
    result: CardResult = sample_results[sample.name]
    # The photo was turned clockwise by `rotation`; reading it means turning it back.
    assert (sample.truth["rotation"] + result.rotation) % 360 == 0


# Shares of samples read exactly right, per field: a floor that guards against
# regressions (raise them as the pipeline improves; cardscan bench measures the rest).
FLOORS = {
    "name": 0.85,
    "title": 0.85,
    "company": 0.45,
    "websites": 0.9,
    "address": 0.6,
    "phone kinds": 0.85,
}


def test_field_accuracy_floors(sample_results: dict[str, Any]) -> None:
    right = dict.fromkeys(FLOORS, 0)
    for sample in ALL_SAMPLES:
        got: CardResult = sample_results[sample.name]
        truth = sample.contact
        contact = got.contact
        right["name"] += _norm(contact.name) == _norm(truth["name"])
        right["title"] += _norm(contact.title) == _norm(truth["title"])
        right["company"] += _norm(contact.company) == _norm(truth["company"])
        right["websites"] += sorted(w.lower() for w in contact.websites) == sorted(
            w.lower() for w in truth["websites"]
        )
        right["address"] += _norm(contact.address) == _norm(truth["address"])
        right["phone kinds"] += sorted((p.number, str(p.kind)) for p in contact.phones) == sorted(
            (p["number"], p["kind"]) for p in truth["phones"]
        )
    shares = {field: count / len(ALL_SAMPLES) for field, count in right.items()}
    below = {
        f: f"{shares[f]:.0%} < {floor:.0%}" for f, floor in FLOORS.items() if shares[f] < floor
    }
    assert not below, below
