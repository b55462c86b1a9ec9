"""Regenerate the sample photos and their truth JSON: `python samples/generate.py`.

Runs from any working directory.  Output is deterministic (fixed seeds), so a
second run must leave `git status` clean.  Pass sample stems to regenerate
only those, or `--out DIR` to write somewhere else.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from sample_specs import SAMPLES  # noqa: E402

from tools.cardgen.fonts import MissingFontError, require_fonts  # noqa: E402
from tools.cardgen.sample import Sample, write_sample  # noqa: E402


def sample_by_stem(stem: str) -> Sample:
    """Look up one committed sample by file stem."""
    for s in SAMPLES:
        if s.stem == stem:
            return s
    raise KeyError(f"no sample {stem!r}; known: {', '.join(s.stem for s in SAMPLES)}")


def generate_one(stem: str, out_dir: Path = HERE) -> tuple[Path, Path]:
    """Write `<stem>.jpg` and `<stem>.json` for one committed sample into out_dir."""
    return write_sample(sample_by_stem(stem), out_dir)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stems", nargs="*", help="only these samples (default: all)")
    ap.add_argument("--out", type=Path, default=HERE, help="output directory")
    args = ap.parse_args(argv)
    try:
        require_fonts()
    except MissingFontError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    stems = args.stems or [s.stem for s in SAMPLES]
    for stem in stems:
        jpg, _ = generate_one(stem, args.out)
        print(f"{jpg.name}: {jpg.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
