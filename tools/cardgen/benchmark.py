"""Generate a benchmark set of random card photos with truth JSON.

    python -m tools.cardgen.benchmark --split tune      # bench-out/tune, 160 photos
    python -m tools.cardgen.benchmark --split heldout   # bench-out/heldout, 160 photos
    python -m tools.cardgen.benchmark --count 300 --out bench-out/cards --seed 1

Two fixed splits: "tune" is for looking at failures and tuning; "heldout" is only ever
measured (cardscan bench bench-out/heldout), never looked into, so its figures say how the
pipeline does on cards nobody tuned it for.

A drawn spec that cannot be rendered honestly (text does not fit, or a thumb
would cover text) is re-drawn from the next sub-seed, so every written photo
has truth that matches it and the set is reproducible from --seed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .hand import HandPlacementError
from .random_specs import random_card_spec, random_photo_spec
from .render import LayoutError
from .sample import Sample, write_sample

MAX_TRIES = 20
SPLITS = {"tune": 1, "heldout": 2}  # split name -> seed
SPLIT_SIZE = 160


def random_sample(seed: int, stem: str, region: str | None = None) -> Sample:
    """Draw one random card + photo spec from `seed`."""
    rng = np.random.default_rng(seed)
    card = random_card_spec(rng, region)
    photo = random_photo_spec(rng, portrait_card=card.layout == "vertical")
    extras = (" with a QR code" if card.qr else "") + (" for two people" if card.others else "")
    what = (
        f"Random {card.region} {card.layout} card{extras} on {photo.background},"
        f" rotation {photo.rotation}."
    )
    return Sample(stem, what, card, photo, int(rng.integers(2**31)))


def write_first(draws: Iterable[Sample | None], out_dir: Path) -> Path | None:
    """The first of `draws` that renders, written into out_dir (its photo's path); None
    in `draws` is a draw that made no sample, and a draw whose layout or thumb cannot be
    placed is passed over too. None when no draw renders."""
    for sample in draws:
        if sample is None:
            continue
        try:
            photo, _ = write_sample(sample, out_dir)
        except (LayoutError, HandPlacementError):
            continue
        return photo
    return None


def generate_benchmark(out_dir: Path, count: int, seed: int = 0) -> list[Path]:
    """Write `count` photos (bench-0000.jpg ...) and their JSON into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        stem = f"bench-{i:04d}"
        draws = (
            random_sample(seed * 1_000_003 + i * 101 + attempt, stem)
            for attempt in range(MAX_TRIES)
        )
        photo = write_first(draws, out_dir)
        if photo is None:
            raise RuntimeError(f"{stem}: no renderable spec in {MAX_TRIES} draws")
        written.append(photo)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate random business-card photos + truth.")
    ap.add_argument(
        "--split",
        choices=sorted(SPLITS),
        help=f"a fixed split: {SPLIT_SIZE} photos into bench-out/<split>",
    )
    ap.add_argument("--count", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.split:
        seed, out = SPLITS[args.split], args.out or Path("bench-out") / args.split
        count = args.count or SPLIT_SIZE
    else:
        seed, out, count = args.seed, args.out or Path("bench-out/cards"), args.count or 300
    paths = generate_benchmark(out, count, seed)
    args.out = out
    print(f"wrote {len(paths)} photos to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
