"""Pipeline definitions: TOML files naming the stages and their parameters.

The schema is the stage parameter dataclasses themselves: a key is valid when the
dataclass has a field of that name, and its value must have the default's type. So a
new parameter needs no second declaration here, and a typo is caught with a
"did you mean".

Each OCR engine owns its options: `[ocr.tesseract]` and `[ocr.rapidocr]` are the
options dataclasses declared beside the engines' code (cardscan.ocr.registry names
them), checked the same way; `[ocr]` keeps what belongs to the stage (which engine, the
card's time limit, orientation, the sparse retry, the QR code). The keys [ocr] had
before the split, `languages`, `psm` and `timeout`, were always Tesseract's, so they
still load, with no warning, as [ocr.tesseract]'s: a user's pipeline file keeps
working. Given in both places with different values, they are an error naming the fix.
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cardscan.cleanup import CleanupParams
from cardscan.errors import PipelineError
from cardscan.load import LoadLimits
from cardscan.ocr import ENGINES, OPTION_TABLES, OrientParams, option_class

if TYPE_CHECKING:
    from cardscan.ocr.ppocr import RapidOcrOptions
    from cardscan.ocr.tesseract import TesseractOptions

STAGES = ("load", "cleanup", "ocr", "extract", "validate")
REQUIRED_STAGES = ("load", "ocr", "extract")
ORIENTATION_MODES = ("auto", "osd", "none")


@dataclass(frozen=True)
class LoadSection:
    max_side: int = 3000
    max_pixels: int = 120_000_000
    max_file_mb: int = 200
    min_side: int = 64

    def limits(self) -> LoadLimits:
        return LoadLimits(
            max_file_bytes=self.max_file_mb * 1024 * 1024,
            max_pixels=self.max_pixels,
            min_side=self.min_side,
            max_side=self.max_side,
        )


# [ocr] keys from before the engines owned their options, and the table each belongs to.
LEGACY_OCR_KEYS = {"languages": "tesseract", "psm": "tesseract", "timeout": "tesseract"}


@dataclass(frozen=True, repr=False)
class OcrSection:
    """[ocr]: the stage's own keys, and each engine's options table as a field."""

    engine: str = "rapidocr"  # the default engine (see cardscan/ocr/ppocr.py)
    card_timeout: float = 120.0  # seconds for one whole card (0 = no limit)
    orientation: str = "auto"
    # A weak reading is read again in sparse mode (the orientation search asks, whatever
    # the engine; each engine decides what its sparse reading is).
    sparse_retry: bool = True
    qr: bool = True  # read a QR code on the card and use what it holds
    tesseract: TesseractOptions = field(default_factory=lambda: option_class("tesseract")())
    rapidocr: RapidOcrOptions = field(default_factory=lambda: option_class("rapidocr")())

    def orient(self) -> OrientParams:
        return OrientParams(mode=self.orientation, sparse_retry=self.sparse_retry)

    def engine_options(self) -> dict[str, Any]:
        """Every options table by name, for cardscan.ocr.make_engine."""
        return {table: getattr(self, table) for table in OPTION_TABLES}

    def __repr__(self) -> str:
        """The flat form [ocr] had before the engines owned their options.

        A pipeline's repr is what cardscan.state.readings.pipeline_key hashes to file each
        stored reading under; kept as it was, every reading stored before the split is
        still found. Engine options added since are named only when set away from their
        defaults, so changing one still reads the cards again.
        """
        tess = self.tesseract
        parts = [
            f"engine={self.engine!r}",
            f"languages={tess.languages!r}",
            f"psm={tess.psm!r}",
            f"timeout={tess.timeout!r}",
            f"card_timeout={self.card_timeout!r}",
            f"orientation={self.orientation!r}",
            f"sparse_retry={self.sparse_retry!r}",
            f"qr={self.qr!r}",
        ]
        for table, options in self.engine_options().items():
            defaults = type(options)()
            for item in dataclasses.fields(options):
                if table == "tesseract" and item.name in LEGACY_OCR_KEYS:
                    continue
                value = getattr(options, item.name)
                if value != getattr(defaults, item.name):
                    parts.append(f"{table}.{item.name}={value!r}")
        return f"OcrSection({', '.join(parts)})"


@dataclass(frozen=True)
class ReviewSection:
    # A field whose calibrated chance of being right is below this flags the card.
    # None (the default): the threshold fitted with the calibration (cardscan.calibration).
    min_confidence: float | None = None
    # A card cut from a photo of several cards (cardscan.cleanup.cards): the chance its
    # fields must reach, when higher than the one above. Such a card is read at its
    # share of the photo's pixels, and small print misread there (a dot of an email, a
    # letter of a name) looks to the verdict like print read well. None: as for a photo
    # of one card.
    several_min_confidence: float | None = None


@dataclass(frozen=True)
class Pipeline:
    name: str = "default"
    description: str = ""
    stages: tuple[str, ...] = STAGES
    load: LoadSection = LoadSection()
    cleanup: CleanupParams = CleanupParams()
    # A factory: building the default imports the engines' option declarations, which
    # importing this module need not.
    ocr: OcrSection = field(default_factory=OcrSection)
    review: ReviewSection = ReviewSection()
    source: str = "<built-in>"


SECTIONS: dict[str, type] = {
    "load": LoadSection,
    "cleanup": CleanupParams,
    "ocr": OcrSection,
    "review": ReviewSection,
}
TOP_KEYS = ("name", "description", "stages", *SECTIONS)


def available_pipelines() -> list[str]:
    folder = resources.files("cardscan.pipelines")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_pipeline(name_or_path: str | None = None) -> Pipeline:
    """A pipeline by name (shipped in cardscan.pipelines) or by path to a TOML file."""
    spec = name_or_path or "default"
    path = Path(spec)
    if spec.endswith(".toml") or path.exists():
        if not path.is_file():
            raise PipelineError(f"pipeline file {spec} not found", "check the path")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PipelineError(f"pipeline file {spec} cannot be read ({exc})") from exc
        return parse_pipeline(text, str(path))
    resource = resources.files("cardscan.pipelines") / f"{spec}.toml"
    if not resource.is_file():
        names = available_pipelines()
        hint = _did_you_mean(spec, names)
        raise PipelineError(
            f"no pipeline named '{spec}'{hint}",
            f"choose one of {', '.join(names)}, or give the path of a .toml file",
        )
    return parse_pipeline(resource.read_text(encoding="utf-8"), f"{spec} (built-in)")


def parse_pipeline(text: str, source: str) -> Pipeline:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PipelineError(f"pipeline {source} is not valid TOML: {exc}") from exc
    _reject_unknown(raw, TOP_KEYS, source, "")
    sections: dict[str, Any] = {}
    for key, cls in SECTIONS.items():
        table = raw.get(key, {})
        if not isinstance(table, dict):
            raise PipelineError(f"pipeline {source}: [{key}] must be a table")
        sections[key] = (
            _ocr_section(table, source) if key == "ocr" else _build(cls, table, source, key)
        )
    stages = _stages(raw.get("stages", list(STAGES)), source)
    ocr: OcrSection = sections["ocr"]
    if ocr.engine not in ENGINES:
        raise PipelineError(
            f"pipeline {source}: unknown OCR engine '{ocr.engine}'"
            + _did_you_mean(ocr.engine, ENGINES),
            f"choose one of {', '.join(ENGINES)}",
        )
    if ocr.orientation not in ORIENTATION_MODES:
        raise PipelineError(
            f"pipeline {source}: ocr.orientation must be one of {', '.join(ORIENTATION_MODES)}"
        )
    review: ReviewSection = sections["review"]
    left_out = {
        "min_confidence": "leave it out to use the calibrated threshold",
        "several_min_confidence": "leave it out to judge such cards as any other",
    }
    for key, fix in left_out.items():
        value = getattr(review, key)
        if value is not None and not 0.0 <= value <= 1.0:
            raise PipelineError(
                f"pipeline {source}: review.{key} must be between 0 and 1 (a chance), "
                f"not {value:g}",
                fix,
            )
    return Pipeline(
        name=str(raw.get("name", Path(source).stem)),
        description=str(raw.get("description", "")),
        stages=stages,
        source=source,
        **sections,
    )


def _stages(value: Any, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise PipelineError(f"pipeline {source}: stages must be a list of names")
    for stage in value:
        if stage not in STAGES:
            raise PipelineError(
                f"pipeline {source}: unknown stage '{stage}'{_did_you_mean(stage, STAGES)}",
                f"stages are {', '.join(STAGES)}",
            )
    missing = [s for s in REQUIRED_STAGES if s not in value]
    if missing:
        raise PipelineError(f"pipeline {source}: stages must include {', '.join(missing)}")
    # The order is the data flow's; a definition picks which optional stages run.
    return tuple(s for s in STAGES if s in value)


def _ocr_section(table: dict[str, Any], source: str) -> OcrSection:
    """[ocr] with its engines' tables ([ocr.tesseract], [ocr.rapidocr]), the old flat
    keys moved into the table they belong to."""
    stage = dict(table)
    tables: dict[str, dict[str, Any]] = {}
    spelled: dict[str, dict[str, str]] = {}  # an old key's errors name it as written
    for name in OPTION_TABLES:
        sub = stage.pop(name, {})
        if not isinstance(sub, dict):
            raise PipelineError(f"pipeline {source}: [ocr.{name}] must be a table")
        tables[name] = dict(sub)
        spelled[name] = {}
    for key, name in LEGACY_OCR_KEYS.items():
        if key not in stage:
            continue
        value = stage.pop(key)
        if key in tables[name] and tables[name][key] != value:
            raise PipelineError(
                f"pipeline {source}: ocr.{key} and ocr.{name}.{key} are both given, "
                "with different values",
                f"keep only the one in [ocr.{name}]",
            )
        tables[name][key] = value
        spelled[name][key] = f"ocr.{key}"
    stage_keys = tuple(f.name for f in dataclasses.fields(OcrSection) if f.name not in tables)
    for key in stage:
        if key in stage_keys:
            continue
        owners = [n for n in tables if key in _field_names(option_class(n))]
        if owners:
            raise PipelineError(
                f"pipeline {source}: ocr.{key} is an option of the {owners[0]} engine",
                f"put it in the [ocr.{owners[0]}] table",
            )
        known = (*stage_keys, *LEGACY_OCR_KEYS, *tables)
        raise PipelineError(
            f"pipeline {source}: unknown key 'ocr.{key}'{_did_you_mean(key, known)}",
            f"valid keys here: {', '.join(stage_keys)}, " + ", ".join(f"[ocr.{n}]" for n in tables),
        )
    options = {
        n: _build(option_class(n), tables[n], source, f"ocr.{n}", spelled[n]) for n in tables
    }
    section: OcrSection = _build(OcrSection, stage, source, "ocr")
    return dataclasses.replace(section, **options)


def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _build(
    cls: type,
    table: dict[str, Any],
    source: str,
    section: str,
    spelled: dict[str, str] | None = None,
) -> Any:
    """`cls` from a TOML table, each value checked against its default's type.

    `spelled`: how to name a key in errors when not `section.key` (an old [ocr] key)."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    _reject_unknown(table, tuple(fields), source, f"{section}.")
    defaults = cls()
    values: dict[str, Any] = {}
    for key, value in table.items():
        expected = getattr(defaults, key)
        if expected is None:  # an optional number (review.min_confidence)
            expected = 0.0
        if isinstance(expected, bool):
            ok = isinstance(value, bool)
        elif isinstance(expected, float):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            value = float(value) if ok else value
        elif isinstance(expected, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif isinstance(expected, list):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        else:
            ok = isinstance(value, type(expected))
        if not ok:
            name = (spelled or {}).get(key, f"{section}.{key}")
            raise PipelineError(
                f"pipeline {source}: {name} must be {_type_name(expected)}, not {value!r}"
            )
        values[key] = value
    try:
        return cls(**values)
    except ValueError as exc:  # a value of the right type but out of range
        raise PipelineError(f"pipeline {source}: {section}.{exc}") from exc


def _reject_unknown(
    table: dict[str, Any], known: tuple[str, ...], source: str, prefix: str
) -> None:
    for key in table:
        if key not in known:
            raise PipelineError(
                f"pipeline {source}: unknown key '{prefix}{key}'{_did_you_mean(key, known)}",
                f"valid keys here: {', '.join(known)}",
            )


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, list):
        return "a list of strings"
    return "a string"
