"""One sample = card spec + photo spec + seed -> (JPEG bytes, truth JSON).

Everything random is drawn from a numpy Generator seeded per sample, so the
same Sample always yields the same bytes on the same library versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .fonts import require_fonts
from .photo import photograph
from .render import render_card
from .spec import CardSpec, PhotoSpec
from .truth import dumps, sample_truth

RENDER_SCALE = 2.0  # card rendered at 600 dpi, then shrunk by the photo warp
BASE_FRAME = 2048  # frames up to this long side render at RENDER_SCALE


def render_scale(photo: PhotoSpec) -> float:
    """Card render scale for a photo: 600 dpi, finer (in half steps) for frames over 2048 px.

    A 12 MP frame shows the card larger than a 600 dpi render; rendering finer
    keeps the warp shrinking, so text stays as sharp as the camera's blur allows.
    """
    return max(RENDER_SCALE, round(RENDER_SCALE * max(photo.size) / BASE_FRAME * 2) / 2)


@dataclass(frozen=True)
class Sample:
    """A named, reproducible photo: what it tests, its content and its camera."""

    stem: str
    exercises: str
    card: CardSpec
    photo: PhotoSpec
    seed: int
    # The card's front when this photo is its back (named `<front stem>-back`).
    front: Sample | None = None


def build_sample(sample: Sample) -> tuple[bytes, str]:
    """Render, photograph and describe one sample; returns (jpeg, truth json)."""
    require_fonts()
    rng = np.random.default_rng(sample.seed)
    card = render_card(sample.card, render_scale(sample.photo))
    photo = photograph(card, sample.photo, rng)
    front = None if sample.front is None else (sample.front.stem, sample.front.card)
    truth = sample_truth(sample.exercises, sample.card, sample.photo, card, photo, front)
    return photo.jpeg_bytes(), dumps(truth)


def write_sample(sample: Sample, out_dir: Path) -> tuple[Path, Path]:
    """Write `<stem>.jpg` and `<stem>.json` into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    jpeg, truth = build_sample(sample)
    jpg_path, json_path = out_dir / f"{sample.stem}.jpg", out_dir / f"{sample.stem}.json"
    jpg_path.write_bytes(jpeg)
    json_path.write_text(truth, encoding="utf-8")
    return jpg_path, json_path
