"""Photos of several cards at once (a night's stack laid on a table), with truth.

    python -m tools.cardgen.multi --count 40 --out /tmp/multi --seed 1   # write photos
    python -m tools.cardgen.multi --score /tmp/multi                     # score find_cards

Each photo holds 2-16 random cards (`random_card_spec`, `render_card`) on a random
background (`make_background`), either in a grid (rows and columns, as people lay cards
out; gaps from 0, touching, to a few mm) or scattered (any angle, gaps of a few mm or
more). Every card is turned on its own: in a grid by quarter turns (a landscape card
upright or upside down, a vertical card on its side) plus a small jitter, scattered by
any angle. Cards differ in size as real ones do (85x55, 90x50, 91x55 ... mm); a touching
grid uses one size, as cards of different sizes cannot all touch. The scene gets a mild
perspective (the frame's corners moved by up to 3%), then the single-card photo's light
and camera (`photo.expose`: gradient, vignette, cast shadow, glare, white balance, blur,
noise) and JPEG.

The truth JSON beside `multi-NNNN.jpg` is
`{"multi": true, "layout": ..., "cards": [{"corners": [[x, y] x 4], "truth": {...}}]}`:
corners are the card's own top-left, top-right, bottom-right, bottom-left as printed (so
an upside-down card's "top-left" is at the bottom right of its outline), and "truth" is
the record `truth.sample_truth` writes for a single-card photo (its "photo.card_corners"
are the same corners). Everything is drawn from `numpy.random.default_rng(seed)`, so a
seed gives the same photo again.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

from .background import make_background, shifted
from .fonts import require_fonts
from .photo import Photo, _card_layers, encode_jpeg, expose
from .random_specs import random_card_spec, random_photo_spec
from .render import LayoutError, RenderedCard, render_card
from .sample import Sample, write_sample
from .spec import CardSpec, PhotoSpec
from .truth import dumps, sample_truth

Array = np.ndarray

# Landscape sizes (width, height in mm) of business cards: ISO 7810 ID-1 (85.6x54),
# the US 3.5x2 in (89x51), Europe's 85x55, Japan's 91x55, and 90x50 (Asia, Australia).
CARD_SIZES_MM: tuple[tuple[float, float], ...] = (
    (85.0, 55.0),
    (89.0, 51.0),
    (90.0, 50.0),
    (91.0, 55.0),
    (85.6, 54.0),
)
FRAMES: tuple[tuple[int, int], ...] = ((4032, 3024), (2016, 1512), (3264, 2448), (2048, 1536))
MAX_TRIES = 20
SMALL_FRAME_CARDS = 6  # more cards than this are photographed at 12 MP (FRAMES[0])


@dataclass(frozen=True)
class MultiSpec:
    """What one multi-card photo shows; `draw_multi_spec` draws it from a seed."""

    cards: tuple[CardSpec, ...]
    sizes_mm: tuple[tuple[float, float], ...]  # each card upright (a vertical card is tall)
    layout: str  # "grid" or "scattered"
    frame: tuple[int, int]  # (width, height) in pixels
    gap_mm: float  # grid: between cells; scattered: the least distance between cards
    photo: PhotoSpec  # background, light and camera (its card placement fields unused)


def _card_size(rng: np.random.Generator, spec: CardSpec) -> tuple[float, float]:
    w, h = CARD_SIZES_MM[int(rng.integers(len(CARD_SIZES_MM)))]
    return (h, w) if spec.layout == "vertical" else (w, h)


def draw_multi_spec(
    rng: np.random.Generator,
    count: int | None = None,
    layout: str | None = None,
    frame: tuple[int, int] | None = None,
    gap_mm: float | None = None,
) -> MultiSpec:
    """Draw the cards, their sizes, the layout, the frame and the camera."""
    n = int(rng.integers(2, 17)) if count is None else count
    layout = layout or ("grid" if rng.random() < 0.6 else "scattered")
    if frame is None:
        w, h = FRAMES[0] if rng.random() < 0.35 else FRAMES[int(rng.integers(1, len(FRAMES)))]
        if n > SMALL_FRAME_CARDS:
            # Issue 16's photos of a stack are 12 MP: a 2-3 MP photo (a messenger's copy)
            # of more than a few cards leaves each card 300-500 px wide, its small print
            # unreadable by anyone. (Drawn all the same, so the seeds' other draws stay.)
            w, h = FRAMES[0]
        frame = (h, w) if rng.random() < 0.25 else (w, h)
    if gap_mm is None:
        if layout == "grid":
            gap_mm = 0.0 if rng.random() < 0.35 else float(rng.uniform(0.5, 5.0))
        else:
            gap_mm = float(rng.uniform(1.0, 6.0))
    cards = tuple(random_card_spec(rng) for _ in range(n))
    if layout == "grid" and gap_mm == 0.0:
        # Cards of different sizes cannot all touch: a touching grid is of one size.
        size = CARD_SIZES_MM[int(rng.integers(len(CARD_SIZES_MM)))]
        sizes = tuple((size[1], size[0]) if c.layout == "vertical" else size for c in cards)
    else:
        sizes = tuple(_card_size(rng, c) for c in cards)
    photo = random_photo_spec(rng, size=frame, rotation=0, hand=False, tilt_x=0.0, tilt_y=0.0)
    return MultiSpec(cards, sizes, layout, frame, gap_mm, replace(photo, roll=0.0))


def _rect(size: tuple[float, float], centre: Array, angle_deg: float, scale: float) -> Array:
    """Corners TL TR BR BL of an upright w x h (mm) card turned clockwise about centre."""
    w, h = size[0] * scale / 2, size[1] * scale / 2
    pts = np.array([[-w, -h], [w, -h], [w, h], [-w, h]], np.float64)
    a = math.radians(angle_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return pts @ rot.T + centre


def _grid(spec: MultiSpec, rng: np.random.Generator) -> list[Array]:
    """Cards in rows and columns, each cell holding a card turned to a landscape footprint."""
    n, (fw, fh) = len(spec.cards), spec.frame
    cw = max(max(s) for s in spec.sizes_mm) + spec.gap_mm
    ch = max(min(s) for s in spec.sizes_mm) + spec.gap_mm
    # The column count whose block best matches the frame's shape.
    cols = min(
        range(1, n + 1),
        key=lambda c: abs(math.log((c * cw) / (math.ceil(n / c) * ch) / (fw / fh))),
    )
    rows = math.ceil(n / cols)
    fill = float(rng.uniform(0.72, 0.9))
    scale = fill * min(fw / (cols * cw), fh / (rows * ch))  # px per mm
    block = np.array([cols * cw, rows * ch]) * scale
    origin = (np.array([fw, fh]) - block) * rng.uniform(0.2, 0.8, 2)
    # A jitter that keeps a card inside its cell's gap (none for a touching grid).
    jitter = min(3.0, math.degrees(spec.gap_mm / 2 / (cw / 2 + ch / 2)))
    quads = []
    for i, size in enumerate(spec.sizes_mm):
        row, col = divmod(i, cols)
        centre = origin + (np.array([col, row]) + 0.5) * np.array([cw, ch]) * scale
        turn = 90.0 if size[1] > size[0] else 0.0  # a vertical card lies on its side
        turn += 180.0 * int(rng.integers(2))
        quads.append(_rect(size, centre, turn + float(rng.uniform(-jitter, jitter)), scale))
    return quads


def _apart(a: Array, b: Array, gap: float) -> bool:
    """Whether two convex quads are at least `gap` pixels apart (corner-to-polygon test)."""
    for p, q in ((a, b), (b, a)):
        poly = q.astype(np.float32).reshape(-1, 1, 2)
        for pt in p:
            if cv2.pointPolygonTest(poly, (float(pt[0]), float(pt[1])), True) > -gap:
                return False
    ok, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    return ok <= 0


def _scattered(spec: MultiSpec, rng: np.random.Generator) -> list[Array]:
    """Cards at any angle, anywhere, none closer to another than the gap."""
    fw, fh = spec.frame
    area = sum(w * h for w, h in spec.sizes_mm)
    scale = math.sqrt(float(rng.uniform(0.3, 0.45)) * fw * fh / area)
    while True:
        quads: list[Array] = []
        margin = 0.02 * min(fw, fh)
        for size in spec.sizes_mm:
            for _ in range(300):
                centre = rng.uniform([margin, margin], [fw - margin, fh - margin])
                quad = _rect(size, centre, float(rng.uniform(0, 360)), scale)
                inside = (
                    quad.min() >= margin and (quad.max(axis=0) <= [fw - margin, fh - margin]).all()
                )
                if inside and all(_apart(quad, q, spec.gap_mm * scale) for q in quads):
                    quads.append(quad)
                    break
            else:
                break
        if len(quads) == len(spec.sizes_mm):
            return quads
        scale *= 0.92  # too crowded: the same cards a little further away


def _perspective(
    quads: list[Array], frame: tuple[int, int], rng: np.random.Generator
) -> list[Array]:
    """A mild perspective: the frame's corners moved inwards by up to 3% of its size."""
    fw, fh = frame
    src = np.array([[0, 0], [fw, 0], [fw, fh], [0, fh]], np.float32)
    dst = src + rng.uniform(0, 0.03, (4, 2)).astype(np.float32) * np.array(
        [[1, 1], [-1, 1], [-1, -1], [1, -1]], np.float32
    ) * np.array([fw, fh], np.float32)
    hom = cv2.getPerspectiveTransform(src, dst)
    return [cv2.perspectiveTransform(q.reshape(1, 4, 2).astype(np.float32), hom)[0] for q in quads]


def _place(
    img: Array, card: RenderedCard, quad: Array, photo: PhotoSpec, rng: np.random.Generator
) -> None:
    """Lay one card (and its drop shadow) onto img, working in the card's neighbourhood only."""
    fh, fw = img.shape[:2]
    span = float(np.linalg.norm(quad[1] - quad[0]))
    pad = int(span * 0.06) + 12
    x0, y0 = np.maximum(0, np.floor(quad.min(axis=0)).astype(int) - pad)
    x1, y1 = np.minimum([fw, fh], np.ceil(quad.max(axis=0)).astype(int) + pad)
    local = (quad - [x0, y0]).astype(np.float32)
    card_rgb, alpha, _ = _card_layers(card, local, (y1 - y0, x1 - x0), card.radius, rng)
    a = math.radians(photo.light_angle)
    shift = (int(-math.sin(a) * span * 0.012) + 4, int(-math.cos(a) * span * 0.012))
    shadow = shifted(cv2.GaussianBlur(alpha, (0, 0), span * 0.012), *shift)
    roi = img[y0:y1, x0:x1]
    roi *= (1.0 - photo.drop_shadow * shadow)[..., None]
    roi[:] = roi * (1 - alpha[..., None]) + card_rgb * alpha[..., None]


def build_multi(spec: MultiSpec, rng: np.random.Generator) -> tuple[bytes, dict[str, Any]]:
    """Render, lay out and photograph the cards; returns (jpeg, truth record).

    Raises LayoutError when a card's text does not fit its layout (draw again).
    """
    require_fonts()
    quads = _grid(spec, rng) if spec.layout == "grid" else _scattered(spec, rng)
    quads = _perspective(quads, spec.frame, rng)
    fw, fh = spec.frame
    everything = np.concatenate(quads)
    around = cv2.boxPoints(cv2.minAreaRect(everything.astype(np.float32))).astype(np.float32)
    img = make_background(spec.photo.background, rng, fh, fw, around)
    rendered = []
    for card_spec, quad in zip(spec.cards, quads, strict=True):
        side = float(np.linalg.norm(quad[1] - quad[0]))
        # Render a little finer than the card will appear (600 dpi at most): sharp, not slow.
        design = 600 if card_spec.layout == "vertical" else 1050
        card = render_card(card_spec, min(2.0, max(1.0, math.ceil(side / design * 2.4) / 2)))
        rendered.append(card)
        _place(img, card, quad, spec.photo, rng)
    out = expose(img, spec.photo, rng, around)
    image = Image.fromarray(out)
    cards = []
    for card_spec, card, quad in zip(spec.cards, rendered, quads, strict=True):
        photo = Photo(image, quad, spec.photo.jpeg_quality)
        what = f"Card {len(cards) + 1} of {len(quads)}: {card_spec.region} {card_spec.layout}."
        truth = sample_truth(what, card_spec, spec.photo, card, photo)
        cards.append({"corners": truth["photo"]["card_corners"], "truth": truth})
    record = {
        "multi": True,
        "exercises": (
            f"{len(quads)} cards, {spec.layout}, gap {spec.gap_mm:.1f} mm,"
            f" on {spec.photo.background}, {fw}x{fh}."
        ),
        "layout": spec.layout,
        "gap_mm": round(spec.gap_mm, 2),
        "size": [fw, fh],
        "background": spec.photo.background,
        "cards": cards,
    }
    return encode_jpeg(image, spec.photo.jpeg_quality), record


def multi_photo(seed: int, **fixed: Any) -> tuple[bytes, dict[str, Any]]:
    """One photo from `seed` (a spec that cannot be rendered is drawn again, from the
    same generator, so the seed alone fixes the result). `fixed`: draw_multi_spec's
    count, layout, frame or gap_mm."""
    rng = np.random.default_rng(seed)
    for _ in range(MAX_TRIES):
        spec = draw_multi_spec(rng, **fixed)
        try:
            return build_multi(spec, rng)
        except LayoutError:
            continue
    raise RuntimeError(f"seed {seed}: no renderable set of cards in {MAX_TRIES} draws")


def cards_alone(seed: int, **fixed: Any) -> list[Sample]:
    """The cards of multi_photo(seed, **fixed), each as a photo of its own (the same card,
    the same table, light and camera, the card filling the frame as a single-card photo
    of the benchmark does): the baseline issue 16 compares a photo of several with."""
    rng = np.random.default_rng(seed)
    for _ in range(MAX_TRIES):
        spec = draw_multi_spec(rng, **fixed)
        try:
            build_multi(spec, rng)
        except LayoutError:
            continue
        photo = replace(spec.photo, size=(2016, 1512), card_extent=0.7, rotation=0)
        return [
            Sample(f"card{k}", f"Card {k} of multi-card seed {seed}, alone.", card, photo, seed + k)
            for k, card in enumerate(spec.cards, start=1)
        ]
    raise RuntimeError(f"seed {seed}: no renderable set of cards in {MAX_TRIES} draws")


def generate(out_dir: Path, count: int, seed: int = 0, alone: Path | None = None) -> list[Path]:
    """Write multi-0000.jpg/.json ... into out_dir; with `alone`, each photo's cards as
    photos of their own there too (multi-0000-card1.jpg/.json ...)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        jpeg, record = multi_photo(seed * 1_000_003 + i)
        stem = out_dir / f"multi-{i:04d}"
        stem.with_suffix(".jpg").write_bytes(jpeg)
        stem.with_suffix(".json").write_text(dumps(record), encoding="utf-8")
        written.append(stem.with_suffix(".jpg"))
        if alone is not None:
            for sample in cards_alone(seed * 1_000_003 + i):
                write_sample(replace(sample, stem=f"multi-{i:04d}-{sample.stem}"), alone)
    return written


def score_folder(folder: Path) -> dict[str, float]:
    """Run find_cards on every multi-card photo in folder; print and return the figures."""
    from cardscan.bench_cards import DetectionScore, match_quads
    from cardscan.cleanup.cards import find_cards

    total = DetectionScore()
    seconds = []
    for truth_path in sorted(folder.glob("*.json")):
        record = json.loads(truth_path.read_text(encoding="utf-8"))
        if not record.get("multi"):
            continue
        photo = truth_path.with_suffix(".jpg")
        rgb = np.asarray(Image.open(photo).convert("RGB"))
        started = time.perf_counter()
        found = find_cards(rgb)
        seconds.append(time.perf_counter() - started)
        truths = [np.asarray(c["corners"], np.float32) for c in record["cards"]]
        one = match_quads([q.points for q in found], truths)
        total = total + one
        if one.missed or one.invented:
            print(
                f"{photo.name}: {one.found}/{one.truth} found, {one.invented} invented"
                f" ({record['exercises']})"
            )
    if not seconds:
        raise SystemExit(f"{folder}: no multi-card photos (multi-*.jpg with truth) found")
    figures = {
        "photos": len(seconds),
        "cards": total.truth,
        "found_pct": 100.0 * total.found / max(1, total.truth),
        "invented_pct": 100.0 * total.invented / max(1, total.truth),
        "seconds_median": float(np.median(seconds)),
        "seconds_max": float(max(seconds)),
    }
    print(
        f"photos {figures['photos']}, cards in truth {figures['cards']},"
        f" found {figures['found_pct']:.1f}%, invented {figures['invented_pct']:.1f}%,"
        f" seconds per photo median {figures['seconds_median']:.2f}"
        f" max {figures['seconds_max']:.2f}"
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Photos of several business cards, with truth.")
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--out", type=Path, default=None, help="write photos into this folder")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--score", type=Path, default=None, help="score find_cards on a folder")
    ap.add_argument(
        "--alone", type=Path, default=None, help="also write each photo's cards alone here"
    )
    args = ap.parse_args(argv)
    if args.score is not None:
        if not args.score.is_dir():
            ap.error(f"{args.score}: not a folder; give the folder --out wrote")
        score_folder(args.score)
        return 0
    if args.out is None:
        ap.error("give --out DIR to write photos, or --score DIR to score them")
    paths = generate(args.out, args.count, args.seed, args.alone)
    print(f"wrote {len(paths)} photos to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
