"""Generate a set of photos of cards naming two people, with truth JSON ("others").

    python -m tools.cardgen.pairs --count 40 --seed 11 --out /tmp/pairs-tune
    python -m tools.cardgen.pairs --count 30 --seed 12 --out /tmp/pairs-held --stacked 0.5

Random benchmark samples (tools.cardgen.benchmark.random_sample) are drawn seed after
seed and only those naming a colleague are kept (about 1 in 20), so each card is one the
benchmark could have drawn. A share of them (--stacked, default one half) is printed with
its people stacked, one block above the other, instead of side by side (see
spec.PEOPLE_ARRANGEMENTS); that choice is drawn from a generator of its own, so the card,
photo and seed are those random_sample gives. Scored with `python -m tools.peoplescore`.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from .benchmark import random_sample, write_first
from .sample import Sample

# Draws tried per kept card before giving up (1 in 20 draws names a colleague; some of
# them cannot be laid out).
MAX_DRAWS = 200


def pair_sample(seed: int, stem: str, stacked: float) -> Sample | None:
    """The benchmark sample of `seed` when it names a colleague (its people stacked with
    probability `stacked`), else None."""
    sample = random_sample(seed, stem)
    if not sample.card.others:
        return None
    if np.random.default_rng([seed, 16]).random() < stacked:
        card = replace(sample.card, people="stacked")
        what = sample.exercises.replace("for two people", "for two people stacked")
        sample = replace(sample, card=card, exercises=what)
    return sample


def generate_pairs(out_dir: Path, count: int, seed: int, stacked: float = 0.5) -> list[Path]:
    """Write `count` photos (pair-000.jpg ...) and their JSON into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    seeds = itertools.count(seed * 1_000_003 + 1)  # one run of seeds across the cards
    for i in range(count):
        stem = f"pair-{i:03d}"
        draws = (pair_sample(next(seeds), stem, stacked) for _ in range(MAX_DRAWS))
        photo = write_first(draws, out_dir)
        if photo is None:
            raise RuntimeError(f"{stem}: no renderable two-person card in {MAX_DRAWS} draws")
        written.append(photo)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--stacked", type=float, default=0.5, help="share printed stacked (0-1)")
    args = ap.parse_args(argv)
    if not 0 <= args.stacked <= 1:
        print(f"--stacked {args.stacked}: give a share between 0 and 1", file=sys.stderr)
        return 2
    paths = generate_pairs(args.out, args.count, args.seed, args.stacked)
    print(f"wrote {len(paths)} photos to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
