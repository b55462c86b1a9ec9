"""Run the stages for one card: photo path -> CardResult.

A card that cannot be read is data (status failed, with an issue saying why), not an
exception, so a batch goes on. Problems that would fail every card (Tesseract or its
language data missing) are checked once up front by the commands, which stop with their
own exit code; should one appear mid-batch, it fails the card like any other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from cardscan.calibration import Calibration, Features, calibrate, field_features, shipped
from cardscan.cleanup import CleanupParams, Quad, cleanup
from cardscan.cleanup.cards import cards_in, find_cards
from cardscan.cleanup.detect import warp
from cardscan.config import Pipeline
from cardscan.errors import CardscanError, ImageError
from cardscan.extract import extract
from cardscan.extract.names import NO_NAME
from cardscan.load import LoadedPhoto, LoadLimits, card_id_of, decode_photo, read_bytes
from cardscan.model import (
    CardResult,
    Contact,
    Extraction,
    Issue,
    OcrResult,
    Position,
    Status,
)
from cardscan.ocr import OcrEngine, make_engine, read_upright
from cardscan.qr import apply_qr, read_qr
from cardscan.review.crop import review_crop
from cardscan.validate import validate


@dataclass(frozen=True)
class CardJob:
    """Everything a worker needs for one card; small and picklable."""

    path: str
    pipeline: Pipeline
    region: str
    # The photo's bytes, when the worker may not see the file (a Dask cluster on other
    # machines); None: the worker reads the path itself.
    data: bytes | None = None
    # The sha256 of the photo's bytes, when the parent took it already (to know whether
    # the card is in the book): the worker then does not hash the photo again. None:
    # the worker takes it.
    card_id: str | None = None
    # One card of a photo of several (cardscan.reading reads each card found by the
    # photo's survey as a job of its own): where it lies. card_id stays the photo's; the
    # result's is the card's own, card_id + "#" + its place.
    place: Position | None = None


class CardTimedOut(BaseException):
    """Raised inside a card's work when its deadline passes.

    A BaseException, so no `except Exception` on the way (an engine mapping its own
    failures) can swallow it.
    """


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise CardTimedOut in this thread after `seconds` (0: no limit).

    Uses SIGALRM, so it works only in a process's main thread: the CLI's own process and
    each pool worker. Elsewhere (a Dask worker's thread) the card runs unbounded. A call
    stuck inside C code is interrupted when it returns to Python; the process pool's
    watchdog (cardscan.executors.process) covers one that never returns.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: object) -> None:
        raise CardTimedOut

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# The stages a card's time is split into (CardResult.stages; `cardscan bench` prints
# the split): what each measures.
STAGES = {
    "decode": "reading the file and decoding the photo",
    "cards": "looking for several cards in the photo",
    "cleanup": "finding, straightening and lighting the card",
    "ocr": "inside the OCR engines reading text (PP-OCR, Tesseract)",
    "orientation": "inside the OCR engines judging orientation (PP-OCR's lines; OSD if unclear)",
    "upright": "turning the card and comparing readings, outside the engines",
    "qr": "looking for a QR code",
    "fields": "fields, validation and the verdict",
    "crop": "the review page's crop",
}


class TimedEngine:
    """An engine that adds up the seconds spent inside it (the benchmark's OCR share),
    reading text and judging orientation apart."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.name = engine.name
        self.read_seconds = 0.0
        self.orientation_seconds = 0.0

    @property
    def seconds(self) -> float:
        return self.read_seconds + self.orientation_seconds

    def check(self) -> None:
        self.engine.check()

    def read(self, image: np.ndarray, sparse: bool = False) -> OcrResult:
        started = time.perf_counter()
        try:
            return self.engine.read(image, sparse)
        finally:
            self.read_seconds += time.perf_counter() - started

    def orientation(self, image: np.ndarray) -> tuple[int, float] | None:
        started = time.perf_counter()
        try:
            return self.engine.orientation(image)
        finally:
            self.orientation_seconds += time.perf_counter() - started


class _Stopwatch:
    """Seconds per stage, each stage timed from the end of the one before."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._last
        self._last = now


def engine_for(pipeline: Pipeline) -> OcrEngine:
    """The pipeline's engine, built from the options tables it reads ([ocr.tesseract],
    [ocr.rapidocr]); only that engine's module is imported."""
    ocr = pipeline.ocr
    return make_engine(ocr.engine, ocr.engine_options())


def process_card(job: CardJob, engine: OcrEngine | None = None) -> CardResult:
    started = time.perf_counter()
    timed = TimedEngine(engine or engine_for(job.pipeline))
    limit = job.pipeline.ocr.card_timeout
    try:
        with deadline(limit):
            result = _read_card(job, timed, started)
    except CardTimedOut:
        card_id = (job.card_id or card_id_of(job.data)) if job.data is not None else ""
        which = "the card" if job.place is None else f"card {job.place.card} of the photo"
        result = _failed(
            job.path,
            _own_id(card_id, job.place) if card_id else "",
            "timeout",
            f"{job.path}: reading {which} took longer than {limit:g} s",
            started,
            fix="raise [ocr] card_timeout in the pipeline or --timeout, "
            "or photograph the card closer",
        )
    if job.place is not None:
        result.position = job.place
        if result.status is Status.FAILED:  # say which card of the photo it was
            result.issues = [_naming_card(issue, job.path, job.place) for issue in result.issues]
    result.ocr_seconds = timed.seconds
    if "upright" in result.stages:  # the engines' time, taken out of the turning's
        result.stages["upright"] -= timed.seconds
        result.stages["ocr"] = timed.read_seconds
        result.stages["orientation"] = timed.orientation_seconds
    return result


@dataclass
class Reading:
    """A card read but not yet interpreted: what OCR and the QR code gave."""

    card_id: str
    ocr: OcrResult
    qr_text: str | None
    taken_on: date | None
    card: np.ndarray  # the straightened card (for the review crop)
    image_shape: tuple[int, ...]  # the shape of the image OCR read (before turning)
    stages: dict[str, float] = field(default_factory=dict)  # seconds so far (STAGES)


def read_card(job: CardJob, engine: OcrEngine, started: float) -> Reading | CardResult:
    """Load, clean and read one card: its Reading, or a failed CardResult saying why."""
    pipeline = job.pipeline
    card_id = ""
    watch = _Stopwatch()
    limits = pipeline.load.limits()
    if job.place is not None:
        # One card of a photo of several: it holds a fraction of the photo's pixels, so the
        # photo is decoded at up to PLACED_SIDE (a 12 MP photo whole) and the card cut out
        # at that size; its place, found on the photo at [load] max_side, is scaled up.
        limits = dataclasses.replace(limits, max_side=max(limits.max_side, PLACED_SIDE))
    try:
        photo = _placed_photo(job, limits) if job.place is not None else None
        if photo is None:
            # Hashed before decoding, so that a photo that cannot be decoded still fails
            # under its card id.
            data = job.data if job.data is not None else read_bytes(Path(job.path), limits)
            card_id = job.card_id or card_id_of(data)
            photo = decode_photo(data, job.path, limits, card_id=card_id)
            if job.place is not None:
                _keep_placed(photo, card_id, limits)
        card_id = photo.card_id
    except CardscanError as exc:
        return _failed(job.path, _own_id(card_id, job.place), _code(exc), str(exc), started)
    if job.place is None:
        _keep_placed(None, "", limits)  # a photo of one card: hold no other photo
    watch.lap("decode")
    params = pipeline.cleanup if "cleanup" in pipeline.stages else _NO_CLEANUP
    taken_on = photo.taken_on
    if job.place is not None:  # one card of a photo of several, found already
        try:
            quad = place_in(job.place, photo.pixels.shape, job.path)
        except ImageError as exc:
            return _failed(job.path, _own_id(card_id, job.place), "unreadable", str(exc), started)
        pixels = [warp(photo.pixels, quad)]
        del photo
        params = dataclasses.replace(params, detect_card=False)  # straighten, light, scale
        own = _own_id(card_id, job.place)
        return _read_pixels(job, engine, pixels, params, own, taken_on, started, watch)
    if params.detect_card and params.several_cards:
        quads = cards_in(photo.pixels)
        watch.lap("cards")
        if len(quads) >= 2:
            return _surveyed(job, card_id, photo, quads, started)
    # Handed over in a list the reading empties: the photo's pixels are not needed
    # while OCR (the peak) runs, and no frame may hold them then.
    pixels = [photo.pixels]
    del photo
    return _read_pixels(job, engine, pixels, params, card_id, taken_on, started, watch)


# The last photo of several cards this process decoded (its card id and long side): the
# next card of it, usually this worker's next job (a photo's cards are read one after
# another by every worker), is cut from it without reading and decoding the photo again
# (0.1-0.3 s of a 12 MP JPEG). It costs the photo's pixels held while a card is read
# (36 MB for 12 MP), only while photos of several are read.
_placed: tuple[str, int, LoadedPhoto] | None = None


def _placed_photo(job: CardJob, limits: LoadLimits) -> LoadedPhoto | None:
    if _placed is not None and job.card_id and _placed[:2] == (job.card_id, limits.max_side):
        return _placed[2]
    return None


def _keep_placed(photo: LoadedPhoto | None, card_id: str, limits: LoadLimits) -> None:
    global _placed
    _placed = None if photo is None else (card_id, limits.max_side, photo)


def _naming_card(issue: Issue, path: str, place: Position) -> Issue:
    """A failure of one card of a photo of several, saying which card it was."""
    if not issue.message.startswith(f"{path}:") or f"card {place.card} of" in issue.message:
        return issue
    message = f"{path}: {place.name}:{issue.message[len(path) + 1 :]}"
    return dataclasses.replace(issue, message=message)


def _own_id(card_id: str, place: Position | None) -> str:
    """A card's own id: the photo's, and for a card of a photo of several its place."""
    return card_id if place is None or not card_id else f"{card_id}#{place.card}"


# The long side a photo of several cards is decoded at to cut one card out of it.
PLACED_SIDE = 4032


def place_in(place: Position, shape: tuple[int, ...], name: str) -> Quad:
    """The card's outline in a photo of this shape; ImageError when it does not lie in
    the photo (a place kept in the result store for other pixels, or tampered with:
    warping a quad far outside the photo would allocate without bound)."""
    height, width = shape[:2]
    points = np.asarray(place.corners, np.float32)
    if place.photo[0] > 0 and abs(place.photo[0] - width) > 1:
        points = points * (width / place.photo[0])  # found on a smaller copy of the photo
    margin = 0.02 * max(height, width)
    if (
        points.shape != (4, 2)
        or not np.isfinite(points).all()
        or points[:, 0].min() < -margin
        or points[:, 1].min() < -margin
        or points[:, 0].max() > width + margin
        or points[:, 1].max() > height + margin
    ):
        raise ImageError(
            f"{name}: card {place.card} of the photo lies outside it (a stale stored reading?)",
            "run again with --rescan to look for the photo's cards afresh",
        )
    clipped = np.clip(points, 0, [width - 1, height - 1]).astype(np.float32)
    return Quad(clipped, 1.0, "several")


def _surveyed(
    job: CardJob, card_id: str, photo: LoadedPhoto, quads: list[Quad], started: float
) -> CardResult:
    """A photo of several cards, not read: where each card lies (CardResult.cards), for
    cardscan.reading to read each as a job of its own, in reading order."""
    count = len(quads)
    size = (int(photo.pixels.shape[1]), int(photo.pixels.shape[0]))
    places = [
        Position(k, count, tuple((float(x), float(y)) for x, y in quad.points), size)
        for k, quad in enumerate(quads, start=1)
    ]
    return CardResult(
        source=job.path,
        card_id=card_id,
        status=Status.OK,
        taken_on=photo.taken_on,
        seconds=time.perf_counter() - started,
        cards=places,
    )


def _read_pixels(
    job: CardJob,
    engine: OcrEngine,
    pixels: list[np.ndarray],
    params: CleanupParams,
    card_id: str,
    taken_on: date | None,
    started: float,
    watch: _Stopwatch,
) -> Reading | CardResult:
    """Clean and read a decoded photo (or one card cut from a photo of several), taken
    out of `pixels` (a list of one) so that nothing holds it once it is cleaned."""
    pipeline = job.pipeline
    try:
        cleaned = cleanup(pixels.pop(), params)
        watch.lap("cleanup")
        ocr = read_upright(engine, cleaned.image, pipeline.ocr.orient())
        watch.lap("upright")  # the engines' own seconds are taken out by process_card
    except CardscanError as exc:
        # ImageError, OcrError, and also language data or Tesseract gone in the middle of
        # a batch (the runner checks both up front): this card fails with the reason.
        return _failed(job.path, card_id, _code(exc), str(exc), started)
    if not ocr.text.strip():
        return _failed(
            job.path,
            card_id,
            "no_text",
            f"{job.path}: no text found: photograph the card closer, flat and in even light",
            started,
            ocr.text,
        )
    qr_text = read_qr(cleaned.card) if pipeline.ocr.qr else None
    watch.lap("qr")
    return Reading(card_id, ocr, qr_text, taken_on, cleaned.card, cleaned.image.shape, watch.stages)


def _code(exc: CardscanError) -> str:
    return "unreadable" if isinstance(exc, ImageError) else "ocr_failed"


def _read_card(job: CardJob, engine: OcrEngine, started: float) -> CardResult:
    return _interpreted(job, read_card(job, engine, started), started)


def _interpreted(job: CardJob, reading: Reading | CardResult, started: float) -> CardResult:
    if isinstance(reading, CardResult):
        return reading
    watch = _Stopwatch()
    ocr = reading.ocr
    several = job.place is not None
    extraction, issues = interpret(ocr, reading.qr_text, job.region, job.pipeline, several=several)
    watch.lap("fields")
    crop, evidence = review_crop(
        reading.card, reading.image_shape, ocr.rotation, extraction.evidence
    )
    watch.lap("crop")
    result = card_result(job.path, reading.card_id, ocr, extraction, issues, started)
    result.taken_on, result.evidence, result.crop = reading.taken_on, evidence, crop
    result.stages = {**reading.stages, **watch.stages}
    return result


def survey(job: CardJob, force: bool = False) -> CardResult | None:
    """The photo's survey (CardResult.cards: where each card lies, as process_card gives
    it for a photo of several) when it holds several cards; None for a photo of one card
    (or none found, or a photo that cannot be read): read that with process_card, as
    always. `force`: every card find_cards sees, without cards_in's check that two of
    them bear print, and even when the pipeline's [cleanup] several_cards is off. Read
    each card with process_card and a CardJob whose `place` is one of the cards."""
    pipeline, started = job.pipeline, time.perf_counter()
    if "cleanup" not in pipeline.stages or not pipeline.cleanup.detect_card:
        return None
    if not (force or pipeline.cleanup.several_cards):
        return None
    try:
        limits = pipeline.load.limits()
        data = job.data if job.data is not None else read_bytes(Path(job.path), limits)
        photo = decode_photo(data, job.path, limits, card_id=job.card_id or card_id_of(data))
    except CardscanError:
        return None  # process_card reads it again and says why it cannot
    quads = find_cards(photo.pixels) if force else cards_in(photo.pixels)
    if len(quads) < 2:
        return None
    return _surveyed(job, photo.card_id, photo, quads, started)


def card_result(
    source: str,
    card_id: str,
    ocr: OcrResult,
    extraction: Extraction,
    issues: list[Issue],
    started: float,
) -> CardResult:
    """The CardResult of an interpreted reading (its status from its issues)."""
    return CardResult(
        source=source,
        card_id=card_id,
        status=Status.NEEDS_REVIEW if issues else Status.OK,
        contact=extraction.contact,
        confidence=dict(extraction.confidence),
        issues=issues,
        text=ocr.text,
        region=extraction.region,
        rotation=ocr.rotation,
        seconds=time.perf_counter() - started,
        other_text=list(extraction.other_text),
        korean_unread=ocr.korean_unread,
        people=list(extraction.people),
    )


def interpret(
    ocr: OcrResult,
    qr_text: str | None,
    region: str,
    pipeline: Pipeline,
    calibration: Calibration | None = None,
    several: bool = False,
) -> tuple[Extraction, list[Issue]]:
    """What the reading says: the contact with its confidences, and the card's issues.

    Everything after OCR, apart from the review crop: the fields, the QR code's text
    (read from the card beforehand), validation, the calibrated confidences and the
    verdict, and completeness. Kept apart so that a reading can be interpreted again
    without reading the card again (tools/ocrcache.py measures changes to extraction and
    validation that way). `calibration`: the shipped one unless given (tools/calibrate.py
    gives the one it is fitting). `several`: the card was cut from a photo of several
    cards, which [review] several_min_confidence may judge more strictly.
    """
    extraction, issues, features = read_fields(ocr, qr_text, region, pipeline)
    if features is None:  # the features could not be taken: no verdict, so no "ok"
        issues.append(Issue("no_verdict", "the fields' confidences could not be judged", None))
        issues.extend(completeness(extraction.contact))
        return extraction, issues
    # The confidences always become calibrated chances; the issues of doubtful fields
    # (the verdict) belong to the validate stage, as every other check's do.
    fitted = (calibration or shipped()).threshold
    limit = verdict_limit(pipeline, fitted, several)
    doubts = calibrate(extraction, features, limit, calibration)
    if "validate" in pipeline.stages:
        issues.extend(doubts)
        if not any(d.field == "name" for d in doubts):
            issues = without_trusted_no_name(extraction, issues)
    issues.extend(completeness(extraction.contact))
    return extraction, issues


def without_trusted_no_name(extraction: Extraction, issues: list[Issue]) -> list[Issue]:
    """The issues without the extractor's "no person's name found" when the verdict
    trusts the empty name (a shop's card: an info@ address, every line accounted for).

    The extractor cannot tell a shop's card from a card whose name it missed; the
    calibration can (cardscan.calibration.features: the name's empty-state hints), and
    it flags the name as maybe missed when in doubt. Flagging every card without a name
    flagged every shop's card read right (8 of the 42 held-out cards read right but
    flagged, 2026-12-07)."""
    extraction.issues = [i for i in extraction.issues if i.code != NO_NAME]
    return [i for i in issues if i.code != NO_NAME]


def verdict_limit(pipeline: Pipeline, fitted: float, several: bool = False) -> float:
    """The chance a card's fields must reach to be ok: [review] min_confidence, or the
    calibration's fitted threshold when it is not set; for a card cut from a photo of
    several cards, several_min_confidence when that is higher."""
    limit = fitted if pipeline.review.min_confidence is None else pipeline.review.min_confidence
    stricter = pipeline.review.several_min_confidence
    return max(limit, stricter) if several and stricter is not None else limit


def read_fields(
    ocr: OcrResult, qr_text: str | None, region: str, pipeline: Pipeline
) -> tuple[Extraction, list[Issue], dict[str, tuple[str, Features]] | None]:
    """The fields with the extractor's own confidences, the checks' issues, and what the
    calibration knows of each field (taken before it changes the confidences)."""
    extraction = extract(ocr, region)
    if qr_text:
        apply_qr(extraction, qr_text, extraction.region)
    issues = list(extraction.issues)
    if "validate" in pipeline.stages:
        issues.extend(validate(extraction))
    try:
        features: dict[str, tuple[str, Features]] | None = field_features(extraction, ocr, issues)
    except Exception:  # odd text must never break a batch: the card is flagged instead
        features = None
    return extraction, issues, features


# Used when a pipeline leaves the cleanup stage out: only the scale is adjusted.
_NO_CLEANUP = CleanupParams(
    detect_card=False, invert_dark=False, invert_regions=False, even_light=False
)


def completeness(contact: Contact) -> list[Issue]:
    """Flag cards that are not yet useful as a contact."""
    issues = []
    if not contact.emails and not contact.phones:
        issues.append(Issue("no_contact_point", "no email or phone number found on the card", None))
    if not contact.name and not contact.company:
        issues.append(
            Issue("no_name_or_company", "neither a person's name nor a company found", "name")
        )
    return issues


def _failed(
    source: str,
    card_id: str,
    code: str,
    message: str,
    started: float,
    text: str = "",
    fix: str | None = None,
) -> CardResult:
    return CardResult(
        source=source,
        card_id=card_id,
        status=Status.FAILED,
        issues=[Issue(code, f"{message}: {fix}" if fix else message, None)],
        text=text,
        seconds=time.perf_counter() - started,
    )
