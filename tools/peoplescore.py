"""How well cards naming several people are split into one contact per person.

    python -m tools.peoplescore DIR [DIR ...] [--jobs N] [--cache FOLDER]

Reads every photo with a truth JSON beside it (as `cardscan bench`; a generated card for
two people has "others" in its truth) through tools/ocrcache.py's kept readings, so a
second run only interprets them again (cardscan.pipeline.interpret), and prints:
- on the cards whose truth has "others": how many; how many have every person right
  (name, and each person's emails and phones as sets: cardscan.bench.score_people);
  how many have the first person (the card's contact) right; how many were flagged as
  an uncertain split ("people_unsure"); how many photos failed to read (no split can
  mend those: they tell reading failures from extraction's misses);
- on the other cards (one person): how many were wrongly read as several people.

A card photographed on both sides is scored on its front's reading alone (the backs of
generated sets never name other people); a failed reading counts as wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cardscan.bench import find_truths, score_people
from cardscan.config import load_pipeline
from cardscan.model import Status
from cardscan.pipeline import CardJob
from tools.ocrcache import cache_dir, readings, result_of


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.peoplescore", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("folders", nargs="+", type=Path, help="folders of photos with truth JSON")
    parser.add_argument("--pipeline", default="default")
    parser.add_argument("--region", default="US", help="for cards whose truth has no region")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--cache", type=Path, default=None, help="default: " + str(cache_dir()))
    parser.add_argument("--misses", action="store_true", help="list the cards read wrong")
    args = parser.parse_args(argv)
    pipeline = load_pipeline(args.pipeline)
    truths = [t for f in args.folders for t in find_truths(f)]
    if not truths:
        print(f"no photos with truth JSON in {', '.join(map(str, args.folders))}", file=sys.stderr)
        return 1
    jobs = [CardJob(str(t.photo), pipeline, t.region or args.region) for t in truths]
    kept = readings(
        jobs, args.cache or cache_dir(), args.jobs, say=lambda m: print(m, file=sys.stderr)
    )
    pairs = singles = both = first = flagged = split = failed = 0
    misses: list[str] = []
    for truth, job, reading in zip(truths, jobs, kept, strict=True):
        result = result_of(job, reading)
        got = score_people(truth.record, result)
        if got.wanted > 1:
            pairs += 1
            both += got.all_right
            first += got.first_right
            flagged += got.flagged
            failed += result.status is Status.FAILED
            if not got.all_right:
                names = [p.contact.name for p in result.people] or [result.contact.name]
                misses.append(f"{truth.photo}: {got.read} read ({', '.join(map(str, names))})")
        else:
            singles += 1
            if got.read > 1:
                split += 1
                misses.append(f"{truth.photo}: one person, read as {got.read}")
    print(f"cards naming several people: {pairs}")
    print(f"  every person right:        {both} ({_pct(both, pairs)})")
    print(f"  first person right:        {first} ({_pct(first, pairs)})")
    print(f"  flagged as unsure:         {flagged} ({_pct(flagged, pairs)})")
    print(f"  photos read without text:  {failed} ({_pct(failed, pairs)})")
    print(f"cards naming one person:     {singles}")
    print(f"  wrongly split:             {split}")
    if args.misses and misses:
        print("\n".join(["", *misses]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
