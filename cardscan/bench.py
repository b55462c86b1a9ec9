"""Accuracy and speed of the pipeline over photos that have their truth beside them.

Truth is `<photo stem>.json` next to the photo with a "contact" object in the shape of
the `rescan --json` contract (samples/ and the generated benchmark sets use it). A card
photographed on both sides (its back named as `ingest` pairs them, X-back.jpg beside
X.jpg) is one card: both photos are read and joined as `ingest` joins them, and the
result is scored against the back's "merged" object, the contact of the whole card.
Comparisons are deliberately forgiving of presentation and strict about content: phones
as E.164, websites without scheme, `www.` or trailing `/`, names ignoring case, spacing
and `. , ; :`.

Truth files of real cards (the real development set, ../shared/realdev/) say more, and
the bench follows them:
- `alts`: a name, title or company printed in two scripts, or with and without its legal
  form, is right in any of its forms;
- `social` as a list of profile links (`http://twitter.com/x`) is compared with the
  reading's network: handle pairs, both reduced to (network, handle);
- `uncertain`: fields the labeller could not read for sure ("address", "phones[0]") are
  not scored on that card (a list field with one uncertain value is left out whole);
- `cards`: a photo holding several cards is left out of the figures of photos of one
  card; its cards are scored apart (cardscan.bench_cards.score_several: cards found,
  missed and invented, and the fields of each card found);
- `people` above 1: the card is scored against its first person, and counted apart with
  how many of them were flagged for review (a card naming two people must be);
- `region`: the country of the card, used as the region a user there would have set
  (their locale) for numbers printed without a country code, unless --region is given.
"""

from __future__ import annotations

import json
import os
import re
import resource
import statistics
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cardscan import reading
from cardscan.backs import pair_by_name
from cardscan.breakdown import card_columns, confidence_band
from cardscan.errors import InputError
from cardscan.extract.phones import plan_kind
from cardscan.fields import FIELDS, Score
from cardscan.fields import field as field_named
from cardscan.model import CardResult, Status
from cardscan.pipeline import STAGES
from cardscan.reading import CardToRead


def _scored(how: Score) -> tuple[str, ...]:
    return tuple(f.name for f in FIELDS if f.score is how and not f.optional_truth)


# How each field is scored comes from cardscan.fields.
LIST_FIELDS = _scored(Score.SET)  # emails, phones, websites
TEXT_FIELDS = _scored(Score.TEXT)  # name, title, company
ALL_FIELDS = (*TEXT_FIELDS, *LIST_FIELDS, *_scored(Score.TOKENS), *_scored(Score.SOCIAL))
# Fields added after the truths were written (department): scored, as text, only on
# the cards whose truth has the key, so that truths without it keep their figures.
OPTIONAL_FIELDS = tuple(f.name for f in FIELDS if f.optional_truth)
assert all(field_named(n).score is Score.TEXT for n in OPTIONAL_FIELDS)


@dataclass(frozen=True)
class Truth:
    photo: Path
    contact: dict[str, Any]
    back: Path | None = None  # the card's back, read with the photo: one card
    # The whole truth record of the card (of its front): region, rotation, card.layout,
    # photo.background... for `bench --by` (cardscan.breakdown). Empty for --corrections.
    record: dict[str, Any] = field(default_factory=dict)

    @property
    def photos(self) -> list[Path]:
        return [self.photo] if self.back is None else [self.photo, self.back]

    def forms(self, name: str) -> list[str | None]:
        """The truth's value of a text field and its other printed forms (`alts`)."""
        alts = self.record.get("alts")
        extra = alts.get(name) if isinstance(alts, dict) else None
        return [self.contact.get(name), *(extra if isinstance(extra, list) else [])]

    def optional(self) -> tuple[str, ...]:
        """The OPTIONAL_FIELDS this truth scores: those it has the key of."""
        skip = self.uncertain()
        return tuple(n for n in OPTIONAL_FIELDS if n in self.contact and n not in skip)

    def uncertain(self) -> frozenset[str]:
        """The fields not to score: those the truth marks uncertain, whole."""
        marks = self.record.get("uncertain")
        if not isinstance(marks, list):
            return frozenset()
        return frozenset(str(mark).split("[", 1)[0] for mark in marks)

    @property
    def several_cards(self) -> bool:
        return bool(self.record.get("cards"))

    @property
    def people(self) -> int:
        """How many people the card names: the generator lists the others ("others"),
        the real development set counts them ("people")."""
        others = self.record.get("others")
        if isinstance(others, list) and others:
            return 1 + len(others)
        people = self.record.get("people", 1)
        return people if isinstance(people, int) else 1

    @property
    def region(self) -> str | None:
        region = self.record.get("region")
        return region if isinstance(region, str) and len(region) == 2 else None


def find_truths(folder: Path) -> list[Truth]:
    """Every card in folder (recursively) with a truth JSON beside its photo, sorted."""
    found: dict[Path, dict[str, Any]] = {}
    for path in sorted(folder.rglob("*.json")):
        photos = [p for p in path.parent.glob(path.stem + ".*") if p.suffix.lower() != ".json"]
        if not photos:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            raise InputError(
                f"the truth file {path} cannot be read ({type(exc).__name__})",
                "fix it (JSON with a 'contact' object, as in samples/), or move it out",
            ) from exc
        if isinstance(data, dict) and isinstance(data.get("contact"), dict):
            found[sorted(photos)[0]] = data
        elif isinstance(data, dict) and isinstance(data.get("cards"), list) and data["cards"]:
            # A photo of several cards whose truth lists only its cards (the generator's
            # multi-card photos): scored apart (cardscan.bench_cards.score_several).
            found[sorted(photos)[0]] = {**data, "contact": {}}
    truths = []
    for card in pair_by_name(list(found)).cards:
        contact = found[card.front]["contact"]
        whole = found[card.back].get("merged") if card.back is not None else None
        truths.append(
            Truth(
                card.front,
                whole if isinstance(whole, dict) else contact,
                card.back,
                found[card.front],
            )
        )
    return truths


def join_readings(truths: list[Truth], readings: Iterable[CardResult]) -> list[CardResult]:
    """One result per card from its photos' readings (in Truth.photos order), joined as
    `ingest` joins a front and its back (cardscan.reading); a card neither side of which
    could be read is its failed reading. For readings taken elsewhere (tools/ocrcache.py);
    `bench` itself reads with cardscan.reading.read_cards. The region is only the jobs'."""
    cards = [CardToRead.of(t.photos, t.region or "US") for t in truths]
    return [card.result for card in reading.join_readings(cards, iter(readings))]


def _text(value: str | None) -> str:
    # NFKC: a full-width comma, colon or bracket of a CJK line is the same mark.
    text = unicodedata.normalize("NFKC", value or "").casefold()
    return " ".join(re.sub(r"[.,;:、]", " ", text).split())


def _website(value: str) -> str:
    value = re.sub(r"^[a-z]+://", "", value.strip().casefold())
    return value.removeprefix("www.").rstrip("/")


def _profile(network: str, handle: str) -> tuple[str, str]:
    """(network, handle) of a social profile, from a link or a network: handle pair:
    "http://twitter.com/x", ("twitter", "@x") and ("x", "x.com/x") are ("twitter", "x")."""
    text = _website(handle) if handle else _website(network)
    network = network.casefold().strip() if handle else ""
    host, _, path = text.partition("/")
    if "." in host and path:  # a link: the host names the network, the path the handle
        network = host.rsplit(".", 2)[-2] if host.count(".") >= 1 else host
        handle = path.split("/")[-1] if not path.startswith("in/") else path[3:]
    else:
        handle = text
    network = {"x": "twitter"}.get(network, network)
    return network, handle.strip().lstrip("@").rstrip("/").casefold()


def _social(contact: dict[str, Any]) -> set[tuple[str, str]]:
    value = contact.get("social") or {}
    if isinstance(value, dict):
        return {_profile(str(k), str(v)) for k, v in value.items()}
    return {_profile(str(v), "") for v in value}


def _values(contact: dict[str, Any], name: str) -> set[str]:
    items = contact.get(name) or []
    if name == "emails":
        return {str(e).casefold() for e in items}
    if name == "phones":
        return {str(p["number"]) for p in items}
    if name == "websites":
        return {_website(str(w)) for w in items}
    raise ValueError(name)


# Chinese and Japanese are written without spaces between words, and where a label
# puts one ("12 號民生大樓 13 樓") is the labeller's whim: in an address, each Han or
# Kana character is its own token, as are the runs of other characters between them.
_CJK_TOKEN_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\s\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)


def _tokens(value: str | None) -> list[str]:
    return _CJK_TOKEN_RE.findall(_text(value))


def _token_f1(got: str | None, want: str | None) -> float:
    got_tokens, want_tokens = _tokens(got), _tokens(want)
    if not got_tokens and not want_tokens:
        return 1.0
    if not got_tokens or not want_tokens:
        return 0.0
    common = sum(min(got_tokens.count(t), want_tokens.count(t)) for t in set(got_tokens))
    if common == 0:
        return 0.0
    precision, recall = common / len(got_tokens), common / len(want_tokens)
    return 2 * precision * recall / (precision + recall)


def _same_text(got: str | None, truth: Truth, name: str) -> bool:
    """A name, title or company as read is right when it is any printed form of it."""
    return any(_text(got) == _text(form) for form in truth.forms(name))


def kind_right(number: str, got: str, want: str) -> bool:
    """Whether a phone's kind as read is the truth's.

    Real cards' truth says "other" for a number printed without a label (the labeller
    does not look numbers up), while cardscan gives such a number the kind its
    numbering plan gives it (cardscan.extract.phones.plan_kind: a mobile range is
    "mobile", a fixed line "work"). So a truth of "other" is also met by exactly that
    kind of that number; never by "fax", nor by a kind the plan does not give it.
    A labelled kind in the truth ("mobile", "work", "fax") must be read as it is.
    """
    return got == want or (want == "other" and got != "other" and got == plan_kind(number))


def _same(name: str, got: dict[str, Any], truth: Truth) -> bool:
    """Whether the field as read is the truth's, as strictly as `all_fields_right`
    judges it: phones with their kinds, the address every token."""
    want = truth.contact
    if name in TEXT_FIELDS or name in OPTIONAL_FIELDS:
        return _same_text(got[name], truth, name)
    if name in LIST_FIELDS:
        if _values(got, name) != _values(want, name):
            return False
        if name == "phones":
            kinds = {p["number"]: p["kind"] for p in want.get("phones") or []}
            return all(
                kind_right(p["number"], p["kind"], kinds[p["number"]]) for p in got["phones"]
            )
        return True
    if name == "address":
        return _token_f1(got["address"], want.get("address")) == 1.0
    return _social(got) == _social(want)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def figures(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": precision, "recall": recall, "f1": f1}


@dataclass
class Report:
    cards: int = 0
    failed: int = 0
    lists: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in LIST_FIELDS})
    exact: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TEXT_FIELDS, 0))
    kinds_right: int = 0
    kinds_total: int = 0
    address_f1: list[float] = field(default_factory=list)
    all_right: int = 0
    invented: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_FIELDS, 0))
    # Cards that scored each optional field (OPTIONAL_FIELDS): its exact match's base.
    scored: dict[str, int] = field(default_factory=dict)
    absent: int = 0  # fields the cards do not have: the base of the invented share
    seconds: list[float] = field(default_factory=list)
    ocr_seconds: list[float] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)  # summed over the cards
    misses: list[str] = field(default_factory=list)
    # For `bench --by`: a row per card, and a row per field scored (one the card has or
    # the reading filled; a field neither has is right by nature and not counted).
    card_rows: list[dict[str, Any]] = field(default_factory=list)
    field_rows: list[dict[str, Any]] = field(default_factory=list)
    # The verdict: cards marked OK that have a wrong field (silent errors), and cards
    # flagged for review that were right all along.
    marked_ok: int = 0
    silent_errors: int = 0
    flagged: int = 0
    flagged_right: int = 0
    several_cards: int = 0  # photos holding several cards: scored apart (bench_cards)
    several_people: int = 0  # cards naming several people, scored on the first
    several_people_flagged: int = 0
    # Of those whose truth names every person ("others"): read with every person right
    # (score_people), and how many there were.
    several_people_known: int = 0
    several_people_all_right: int = 0

    def add(self, truth: Truth, result: CardResult) -> None:
        if truth.several_cards:
            self.several_cards += 1  # scored apart: cardscan.bench_cards.score_several
            return
        self.cards += 1
        self.seconds.append(result.seconds)
        self.ocr_seconds.append(result.ocr_seconds)
        for stage, seconds in result.stages.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds
        self.failed += result.status is Status.FAILED
        got = result.contact.to_json()
        want = truth.contact
        skip = truth.uncertain()
        right = True
        for name in LIST_FIELDS:
            if name in skip:
                continue
            got_values, want_values = _values(got, name), _values(want, name)
            counts = self.lists[name]
            counts.tp += len(got_values & want_values)
            counts.fp += len(got_values - want_values)
            counts.fn += len(want_values - got_values)
            right &= got_values == want_values
        want_kinds = {p["number"]: p["kind"] for p in want.get("phones") or []}
        for phone in got["phones"] if "phones" not in skip else []:
            if phone["number"] in want_kinds:
                self.kinds_total += 1
                same = kind_right(phone["number"], phone["kind"], want_kinds[phone["number"]])
                self.kinds_right += same
                right &= same
        optional = truth.optional()
        for name in optional:
            self.scored[name] = self.scored.get(name, 0) + 1
            self.exact.setdefault(name, 0)
            self.invented.setdefault(name, 0)
        for name in (*TEXT_FIELDS, *optional):
            same = name in skip or _same_text(got[name], truth, name)
            self.exact[name] += same
            right &= same
            if not same:
                self.misses.append(
                    f"{truth.photo.name}: {name} {got[name]!r} != {want.get(name)!r}"
                )
        if "address" not in skip:
            f1 = _token_f1(got["address"], want.get("address"))
            self.address_f1.append(f1)
            right &= f1 == 1.0
        right &= "social" in skip or _social(got) == _social(want)
        self.all_right += right
        for name in (*ALL_FIELDS, *optional):
            if not want.get(name) and name not in skip:
                self.absent += 1
                if got[name]:
                    self.invented[name] += 1
        if result.status is Status.OK:
            self.marked_ok += 1
            self.silent_errors += not right
        elif result.status is Status.NEEDS_REVIEW:
            self.flagged += 1
            self.flagged_right += right
        if truth.people > 1:
            self.several_people += 1
            self.several_people_flagged += result.status is not Status.OK
            if truth.record.get("others"):
                self.several_people_known += 1
                self.several_people_all_right += score_people(truth.record, result).all_right
        self._add_rows(truth, result, got, right)

    def _add_rows(
        self, truth: Truth, result: CardResult, got: dict[str, Any], all_right: bool
    ) -> None:
        columns = card_columns(truth.record, result.region)
        failed = result.status is Status.FAILED
        self.card_rows.append({**columns, "failed": failed, "all_right": all_right})
        skip = truth.uncertain()
        for name in (*ALL_FIELDS, *truth.optional()):
            expected, read = bool(truth.contact.get(name)), bool(got[name])
            if (not expected and not read) or name in skip:
                continue
            confidence = result.confidence.get(name) if read else None
            self.field_rows.append(
                {
                    **columns,
                    "field": name,
                    "right": _same(name, got, truth),
                    "expected": expected,
                    "read": read,
                    "confidence": confidence,
                    "band": confidence_band(confidence, read),
                }
            )

    def to_json(self, peak_mb: float) -> dict[str, Any]:
        seconds = sorted(self.seconds) or [0.0]
        p90 = seconds[min(len(seconds) - 1, round(0.9 * (len(seconds) - 1)))]
        return {
            "cards": self.cards,
            "failed": self.failed,
            "fields": {name: counts.figures() for name, counts in self.lists.items()},
            "phone_kind_accuracy": self.kinds_right / self.kinds_total if self.kinds_total else 1.0,
            "exact_match": {
                n: v / self.scored.get(n, self.cards) if self.cards else 0.0
                for n, v in self.exact.items()
            },
            "address_token_f1": statistics.fmean(self.address_f1) if self.address_f1 else 0.0,
            "all_fields_right": self.all_right / self.cards if self.cards else 0.0,
            "invented": self.invented,
            "invented_share": sum(self.invented.values()) / self.absent if self.absent else 0.0,
            "seconds_per_card": {"median": statistics.median(seconds), "p90": p90},
            # Of the time the workers spent on cards, the share inside the OCR engines
            # (PP-OCR, Tesseract): the rest is decoding, cleanup, extraction, validation.
            "ocr_share": sum(self.ocr_seconds) / sum(self.seconds) if sum(self.seconds) else 0.0,
            # Where a card's time goes (cardscan.pipeline.STAGES): mean seconds per card.
            # Empty for readings taken elsewhere (tools/ocrcache.py keeps no split).
            "stages": {
                stage: self.stage_seconds[stage] / self.cards
                for stage in STAGES
                if stage in self.stage_seconds and self.cards
            },
            "peak_memory_mb": round(peak_mb, 1),
            "verdict": {
                "marked_ok": self.marked_ok,
                "silent_errors": self.silent_errors,
                "silent_error_share": (
                    self.silent_errors / self.marked_ok if self.marked_ok else 0.0
                ),
                "flagged": self.flagged,
                "flagged_right": self.flagged_right,
                "flagged_share": self.flagged / self.cards if self.cards else 0.0,
            },
            "several_cards_left_out": self.several_cards,
            "several_people": {
                "cards": self.several_people,
                "flagged": self.several_people_flagged,
                "every_person_known": self.several_people_known,
                "every_person_right": self.several_people_all_right,
            },
        }


class MemoryWatch:
    """The peak memory of this process and all its descendants together (workers,
    their Tesseract calls), sampled every `interval` seconds from /proc.

    Each process counts its proportional set size (shared pages split between the
    processes sharing them), so the sum is what the batch really holds. Where /proc is
    missing (not Linux) the peak is the largest single process, from getrusage.
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-watch", daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def peak_mb(self) -> float:
        if self.peak_bytes:
            return self.peak_bytes / (1024.0 * 1024.0)
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return max(own, children) / 1024.0  # Linux reports KiB

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        total = sum(_memory_of(pid) for pid in _tree(os.getpid()))
        self.peak_bytes = max(self.peak_bytes, total)


def _tree(root: int) -> list[int]:
    """root and every process descended from it."""
    parents: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while we looked
        parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _memory_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as smaps:
            for line in smaps:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def score(pairs: Iterable[tuple[Truth, CardResult]]) -> Report:
    report = Report()
    for truth, result in pairs:
        report.add(truth, result)
    return report


def format_report(figures: dict[str, Any]) -> str:
    lines = [f"cards: {figures['cards']} (failed: {figures['failed']})", ""]
    lines.append(f"{'field':<10} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, values in figures["fields"].items():
        lines.append(
            f"{name:<10} {values['precision']:>9.1%} {values['recall']:>7.1%} {values['f1']:>6.1%}"
        )
    lines.append(f"phone kinds right: {figures['phone_kind_accuracy']:.1%}")
    lines.append(
        "exact match: " + ", ".join(f"{n} {v:.1%}" for n, v in figures["exact_match"].items())
    )
    lines.append(f"address token F1: {figures['address_token_f1']:.1%}")
    lines.append(f"cards with every field right: {figures['all_fields_right']:.1%}")
    invented = {n: v for n, v in figures["invented"].items() if v}
    lines.append(
        "invented values: "
        + (", ".join(f"{n} {v}" for n, v in invented.items()) or "none")
        + f" ({figures['invented_share']:.1%} of the fields the cards do not have)"
    )
    seconds = figures["seconds_per_card"]
    lines.append(
        f"seconds per card: median {seconds['median']:.2f}, 90th percentile {seconds['p90']:.2f}"
    )
    lines.append(
        f"time inside the OCR engines: {figures['ocr_share']:.0%} of the card time "
        f"(the rest, decoding to validation: {1 - figures['ocr_share']:.0%})"
    )
    stages = figures.get("stages") or {}
    if stages:
        total = sum(stages.values()) or 1.0
        lines.append(
            "where a card's time goes (mean seconds per card): "
            + ", ".join(f"{name} {sec:.2f} ({sec / total:.0%})" for name, sec in stages.items())
        )
    lines.append(f"peak memory, all processes together: {figures['peak_memory_mb']:.0f} MB")
    verdict = figures["verdict"]
    lines.append(
        f"verdict: {verdict['marked_ok']} marked OK, {verdict['silent_errors']} of them with a "
        f"wrong field ({verdict['silent_error_share']:.1%}: silent errors); "
        f"{verdict['flagged']} flagged for review ({verdict['flagged_share']:.1%} of the cards), "
        f"{verdict['flagged_right']} of them right"
    )
    people = figures["several_people"]
    if people["cards"]:
        lines.append(
            f"cards naming several people: {people['cards']} (scored on the first person), "
            f"{people['flagged']} of them flagged"
            + (
                f"; every person read right (rescan --json's people) on "
                f"{people['every_person_right']} of the {people['every_person_known']} "
                "whose truth names them all"
                if people.get("every_person_known")
                else ""
            )
        )
    if figures["several_cards_left_out"]:
        lines.append(
            f"photos of several cards: {figures['several_cards_left_out']}, left out of "
            "the figures above (their cards are scored apart)"
        )
    return "\n".join(lines)


# --- cards naming several people (truth "others": the generator's two-person cards) ----


@dataclass(frozen=True)
class PeopleScore:
    """How a card's people were read against a truth that names them all (its contact,
    then its "others"): the people of the truth and of the reading, whether the card's
    first person (its contact) is right, whether every person is, and whether the split
    was flagged as uncertain ("people_unsure")."""

    wanted: int
    read: int
    first_right: bool
    all_right: bool
    flagged: bool


def _person_right(got: dict[str, Any], want: dict[str, Any]) -> bool:
    """A person is right when the name is (as `bench` compares names) and their emails
    and phone numbers, each as a set, are."""
    return (
        _text(got.get("name")) == _text(want.get("name"))
        and _values(got, "emails") == _values(want, "emails")
        and _values(got, "phones") == _values(want, "phones")
    )


def score_people(record: dict[str, Any], result: CardResult) -> PeopleScore:
    """Score a reading's people (CardResult.people; a card read as one person is its
    contact alone) against a truth record. Every person must be matched, in any order, by
    a distinct person read; no person may be read beyond those of the truth."""
    want = [record["contact"], *(record.get("others") or [])]
    got = [p.contact.to_json() for p in result.people] or [result.contact.to_json()]
    left = list(got)
    matched = 0
    for person in want:
        hit = next((g for g in left if _person_right(g, person)), None)
        if hit is not None:
            left.remove(hit)
            matched += 1
    return PeopleScore(
        wanted=len(want),
        read=len(got),
        first_right=_person_right(got[0], want[0]),
        all_right=matched == len(want) and len(got) == len(want),
        flagged=any(i.code == "people_unsure" for i in result.issues),
    )
