"""Measure changes to extraction and validation in seconds, on readings kept from before.

    python -m tools.ocrcache bench-out/tune /path/to/realdev/train [--misses] [--by field]

Reading a card (decoding, cleanup, orientation, PP-OCR, the QR code) takes seconds;
interpreting the reading (the fields, their confidences, validation, the verdict) takes
milliseconds. `cardscan bench` does both every time; this tool reads each photo once,
keeps its reading (the OCR lines with their words, boxes and confidences, and the QR
code's text), and on later runs only interprets the kept readings again
(cardscan.pipeline.interpret) and scores them as `cardscan bench` does
(cardscan.bench). So a change to cardscan/extract/ or cardscan/validate.py is measured
on hundreds of cards in seconds.

A kept reading is used only while nothing that makes readings has changed: it is keyed by
the photo's sha256, the pipeline (cardscan.state.readings.pipeline_key) and a hash of the
source of the reading stages (load, cleanup, ocr, qr). Change any of them and the photos
are read again.

Readings are kept in $CARDSCAN_OCR_CACHE, else ~/.cache/cardscan/ocrcache: outside the
repository, since readings of the real development set are derived from other people's
photos (see ../shared/realdev/README.md). Seconds and memory are not measured here
(`cardscan bench --speed` measures them); the seconds shown are those of the first read.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import cardscan
from cardscan.bench import Truth, find_truths, format_report, join_readings, score
from cardscan.config import Pipeline, load_pipeline
from cardscan.model import Box, CardResult, OcrLine, OcrResult, OcrWord, Status
from cardscan.pipeline import CardJob, TimedEngine, card_result, engine_for, interpret, read_card
from cardscan.state.readings import pipeline_key

# The code that makes a reading: a change here invalidates every kept reading.
# pipeline.py is left out on purpose: it also holds interpret() and the verdict, which
# this tool exists to change quickly; after changing read_card() there, delete the cache.
READING_SOURCES = ("load.py", "decode_cost.py", "cleanup", "ocr", "qr.py")


def cache_dir() -> Path:
    env = os.environ.get("CARDSCAN_OCR_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cardscan" / "ocrcache"


def reading_code_hash() -> str:
    root = Path(cardscan.__file__).parent
    digest = hashlib.sha256()
    for name in READING_SOURCES:
        path = root / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


# --- readings as JSON ----------------------------------------------------------------


def ocr_to_json(ocr: OcrResult) -> dict[str, Any]:
    return {
        "width": ocr.width,
        "height": ocr.height,
        "engine": ocr.engine,
        "rotation": ocr.rotation,
        "lines": [
            [
                [w.text, w.conf, [w.box.left, w.box.top, w.box.width, w.box.height]]
                for w in line.words
            ]
            for line in ocr.lines
        ],
    }


def ocr_from_json(data: dict[str, Any]) -> OcrResult:
    lines = [
        OcrLine([OcrWord(text, float(conf), Box(*box)) for text, conf, box in words])
        for words in data["lines"]
    ]
    return OcrResult(
        lines=lines,
        width=data["width"],
        height=data["height"],
        engine=data["engine"],
        rotation=data["rotation"],
    )


# --- reading, in worker processes ----------------------------------------------------

_engine: Any = None


def _start_worker() -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per worker, as ingest does


def _read(job: CardJob) -> dict[str, Any]:
    """One photo read as a kept reading: OCR and QR, or the failed result's message."""
    global _engine
    if _engine is None:
        _engine = engine_for(job.pipeline)
    started = time.perf_counter()
    timed = TimedEngine(_engine)
    reading = read_card(job, timed, started)
    seconds = time.perf_counter() - started
    if isinstance(reading, CardResult):  # failed: keep why
        return {
            "failed": reading.issues[0].message if reading.issues else "failed",
            "card_id": reading.card_id,
            "text": reading.text,
            "seconds": seconds,
        }
    return {
        "card_id": reading.card_id,
        "ocr": ocr_to_json(reading.ocr),
        "qr_text": reading.qr_text,
        "taken_on": reading.taken_on.isoformat() if reading.taken_on else None,
        "seconds": seconds,
        "ocr_seconds": timed.seconds,
    }


def _key(photo: Path, pipeline: str, code: str) -> str:
    data = photo.read_bytes()
    return hashlib.sha256(
        f"{hashlib.sha256(data).hexdigest()}\n{pipeline}\n{code}".encode()
    ).hexdigest()


def readings(
    jobs: list[CardJob], folder: Path, jobs_at_once: int, say: Any = print
) -> list[dict[str, Any]]:
    """The kept reading of every job, reading (in a pool) the photos not kept yet."""
    folder.mkdir(parents=True, exist_ok=True)
    code = reading_code_hash()
    keys = [_key(Path(job.path), pipeline_key(job.pipeline), code) for job in jobs]
    found: dict[int, dict[str, Any]] = {}
    for i, key in enumerate(keys):
        path = folder / f"{key}.json"
        if path.is_file():
            found[i] = json.loads(path.read_text(encoding="utf-8"))
    todo = [i for i in range(len(jobs)) if i not in found]
    if todo:
        say(f"reading {len(todo)} of {len(jobs)} photos (the rest are kept)...")
        with contextlib.ExitStack() as stack:
            if jobs_at_once > 1 and len(todo) > 1:
                pool = stack.enter_context(
                    ProcessPoolExecutor(max_workers=jobs_at_once, initializer=_start_worker)
                )
                done = pool.map(_read, [jobs[i] for i in todo])
            else:  # one at a time, here
                done = map(_read, [jobs[i] for i in todo])
            for i, kept in zip(todo, done, strict=True):
                (folder / f"{keys[i]}.json").write_text(json.dumps(kept), encoding="utf-8")
                found[i] = kept
    return [found[i] for i in range(len(jobs))]


def result_of(job: CardJob, kept: dict[str, Any]) -> CardResult:
    """Interpret a kept reading as the pipeline does (everything but the review crop)."""
    if "failed" in kept:
        from cardscan.model import Issue

        return CardResult(
            job.path,
            kept.get("card_id", ""),
            Status.FAILED,
            issues=[Issue("failed", kept["failed"], None)],
            text=kept.get("text", ""),
            seconds=kept.get("seconds", 0.0),
        )
    ocr = ocr_from_json(kept["ocr"])
    extraction, issues = interpret(ocr, kept.get("qr_text"), job.region, job.pipeline)
    result = card_result(job.path, kept["card_id"], ocr, extraction, issues, time.perf_counter())
    result.seconds = kept.get("seconds", 0.0)
    result.ocr_seconds = kept.get("ocr_seconds", 0.0)
    taken_on = kept.get("taken_on")
    result.taken_on = date.fromisoformat(taken_on) if taken_on else None
    return result


def measure(
    folders: list[Path], pipeline: Pipeline, region: str, workers: int, folder: Path
) -> tuple[list[Truth], list[CardResult]]:
    truths = [t for f in folders for t in find_truths(f)]
    jobs = [CardJob(str(photo), pipeline, t.region or region) for t in truths for photo in t.photos]
    kept = readings(jobs, folder, workers, say=lambda m: print(m, file=sys.stderr))
    results = [result_of(job, k) for job, k in zip(jobs, kept, strict=True)]
    return truths, join_readings(truths, iter(results))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.ocrcache", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("folders", nargs="+", type=Path, help="folders of photos with truth JSON")
    parser.add_argument("--pipeline", default="default")
    parser.add_argument("--region", default="US", help="for cards whose truth has no region")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cache", type=Path, default=None, help="default: " + str(cache_dir()))
    parser.add_argument(
        "--misses", action="store_true", help="list names/titles/companies read wrong"
    )
    parser.add_argument("--by", action="append", default=[], help="also break down by COLUMN")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    args = parser.parse_args(argv)
    pipeline = load_pipeline(args.pipeline)
    truths, results = measure(
        args.folders, pipeline, args.region, args.jobs, args.cache or cache_dir()
    )
    report = score(zip(truths, results, strict=True))
    figures = report.to_json(peak_mb=0.0)
    from cardscan.breakdown import breakdown, format_breakdown

    figures["by"] = {
        c: breakdown(report.card_rows, report.field_rows, c)
        for c in dict.fromkeys(["confidence", *args.by])
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(format_report(figures))
    for column, rows in figures["by"].items():
        print()
        print(format_breakdown(column, rows))
    if args.misses:
        print()
        print("\n".join(report.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
