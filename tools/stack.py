"""Make a big stack of card photos (with their truth) from benchmark sets, for measuring
speed and memory over a long batch:

    python -m tools.stack bench-out/stack1000 --count 1000 bench-out/tune bench-out/heldout
    cardscan bench bench-out/stack1000

The photos are symbolic links to the sets' photos, taken round-robin (so 1,000 photos
from 320 repeat each about three times: the benchmark reads every one; an ingest would
take a repeat for the same card). Links cost no disk and keep the photos' real size.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cardscan.bench import find_truths


def make_stack(out: Path, count: int, sources: list[Path]) -> int:
    truths = [t for folder in sources for t in find_truths(folder)]
    if not truths:
        raise SystemExit(f"no photos with truth in {', '.join(map(str, sources))}")
    out.mkdir(parents=True, exist_ok=True)
    width = len(str(count))
    for i in range(count):
        truth = truths[i % len(truths)]
        stem = f"{i:0{width}d}-{truth.photo.stem}"
        links = [(truth.photo, stem), (truth.photo.with_suffix(".json"), stem)]
        if truth.back is not None:  # named as ingest pairs them: the same card again
            links += [
                (truth.back, f"{stem}-back"),
                (truth.back.with_suffix(".json"), f"{stem}-back"),
            ]
        for src, name in links:
            link = out / f"{name}{src.suffix}"
            if not link.exists():
                link.symlink_to(src.resolve())
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to fill")
    parser.add_argument("sources", type=Path, nargs="+", help="benchmark sets to take from")
    parser.add_argument("--count", type=int, default=1000, help="photos in the stack")
    args = parser.parse_args(argv)
    made = make_stack(args.out, args.count, args.sources)
    print(f"{args.out}: {made} photos")
    return 0


if __name__ == "__main__":
    sys.exit(main())
