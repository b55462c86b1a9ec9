"""Postal address: street, postcode/city and country lines, joined in card order.

A segment is an address line when it has a street word next to a number, or a
postcode in one of the common national shapes, or is a country name. Neighbouring
address segments in the same column are chained into one address; a plain city
line sandwiched between two address lines ("London") joins the chain too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cardscan.extract.layout import Found, Segment, above, below, boxes, fold, score, wordset
from cardscan.extract.region import country_in

# Whole folded tokens that name a street, building part or post box.
STREET_WORDS = wordset(
    """street st str road rd avenue ave av avda blvd boulevard bd lane ln drive dr way
    court ct place pl square sq suite ste floor fl unit building bldg highway hwy
    parkway pkwy terrace crescent close row mews circle cir plaza box pobox postfach
    strasse weg platz allee gasse ring damm ufer chaussee markt stock og
    rue chemin impasse quai cours route etage bp cedex
    calle avenida paseo piso planta carrera camino ronda apartado
    rua travessa tv praca alameda largo rodovia estrada andar sala conjunto caixa
    via viale piazza corso vicolo piano
    straat laan plein gracht kade singel dijk steeg
    callejon cuesta glorieta pasaje rambla travesia vial canada carretera urbanizacion
    praia vila vereda chacara ladeira morro nucleo passarela residencial quadra viela
    esplanada parque jardim setor"""
)
# Flats and floors count only right before their number: "Flat 24", "Studio 78G",
# "Apt. 817", "Level 9" (not "Foxglove Studio").
BUILDING_RE = re.compile(
    r"(?<!\w)(?:flat|apt|apartment|level|studio|penthouse)\.?\s?\d{1,4}[a-z]?(?!\w)",
    re.IGNORECASE,
)
# Written where a house number would be: "Rua Monteiro, S/N" (sin/sem número).
NO_NUMBER_RE = re.compile(r"\b[Ss]/[Nn]\b")
# Token endings of compound street names ("Hauptstraße", "Keizersgracht").
STREET_SUFFIXES = (
    "strasse", "str", "weg", "platz", "allee", "gasse", "straat", "laan", "plein", "ring",
    "gracht", "kade", "steeg", "dijk", "singel", "damm", "ufer", "chaussee",
)  # fmt: skip
POSTCODE_RES = (
    re.compile(r"\b[A-Z]{2}\.?\s+\d{5}(?:-\d{4})?\b"),  # US: "CA 94105"
    re.compile(r"\b(?:ACT|NSW|NT|QLD|SA|TAS|VIC|WA),?\s+\d{4}\b"),  # Australia: "VIC 3000"
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),  # UK: "NW1 6XE"
    re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"),  # Canada: "M5V 2T6"
    re.compile(r"\b\d{5}-\d{3}\b"),  # Brazil CEP
    re.compile(r"\b\d{4}-\d{3}\b"),  # Portugal
    re.compile(r"\b\d{4}\s?[A-Z]{2}\s+[A-Z]"),  # Netherlands: "1012 AB Amsterdam"
    # Continental Europe: "10115 Berlin", "D-10115 Berlin", "CH-8001 Zürich".
    re.compile(r"(?:^|[\s,])(?:[A-Z]{1,2}-)?\d{4,5}\s+[^\W\d_][\w'-]+", re.UNICODE),
    # City first: "Albacete, 05410", "Madrid, 28001".
    re.compile(r"^[^\W\d_][\w'’. -]*,\s*\d{4,5}$"),
    # Brazil, CEP without its dash: "01310100 São Paulo / SP".
    re.compile(r"\b\d{8}\s+[^\W\d_].*/\s*[A-Z]{2}$"),
)
_NUMBER = r"\d{1,5}[a-zA-Z]?(?:[-/]\d{1,4}[a-zA-Z]?)?"  # "12", "12a", "4-2", "31/12"
HOUSE_RE = re.compile(
    rf"^(?:[^\W\d_][\w'’.\-]*(?:\s[^\W\d_][\w'’.\-]*){{0,4}},?\s{_NUMBER}"
    rf"|{_NUMBER},?(?:\s[^\W\d_][\w'’.\-]*){{1,4}})$"
)
ADDRESS_LABEL_RE = re.compile(
    r"^\s*(?:address|addr|adresse|anschrift|direccion|direcci[oó]n|endere[cç]o|indirizzo|"
    r"adres|sede|office)\s*[:.]\s*",
    re.IGNORECASE,
)
MAX_BRIDGE_WORDS = 6  # "Bela Vista, São Paulo - SP" between street and postcode
# Icons read as text in front of a line: "* ", "¢ ", "« ", "e Travessa ...".
ICON_RE = re.compile(r"^(?:[^\w\s]{1,2}\s+|[a-z]\s+(?=[A-Z\d]))+")
ORDINAL_RE = re.compile(r"\b\d{1,2}[ªº°]")  # "1ª Seção" in a district name
MAX_BRIDGES = 2  # "Flat 5 / Foster Fork / Mandyport / CM4A 2FN": two plain lines between
RULE_FULL = 0.9  # street and postcode
RULE_PARTIAL = 0.8  # one of them and a country
RULE_STREET = 0.65
RULE_POSTCODE = 0.6


def has_street_word(text: str) -> bool:
    """A street/building word as a whole token ("rue", "Flat") or compound ending."""
    for raw in re.split(r"[\s,;/]+", text):
        # Leading letters only: "21st" is an ordinal, "Bahnhofstr.5" a street.
        m = re.match(r"[^\W\d_]+", raw)
        if not m:
            continue
        tok = fold(m.group(0))
        whole = len(m.group(0)) == len(raw.rstrip(".:"))
        if whole and tok in STREET_WORDS:
            return True
        if any(len(tok) > len(s) + 2 and tok.endswith(s) for s in STREET_SUFFIXES):
            return True
    return False


def is_street(text: str) -> bool:
    """A street word next to a house number (or "S/N"), or a numbered flat."""
    if "@" in text:
        return False
    if BUILDING_RE.search(text):
        return True
    return bool(re.search(r"\d", text) or NO_NUMBER_RE.search(text)) and has_street_word(text)


def is_postcode(text: str) -> bool:
    return any(r.search(text) for r in POSTCODE_RES)


def looks_like_address(text: str) -> bool:
    return is_street(text) or is_postcode(text)


def _kind(seg: Segment) -> str | None:
    if is_street(seg.text):
        return "street"
    if is_postcode(seg.text):
        return "postcode"
    if country_in(seg.text):
        return "country"
    return None


def _is_bridge(seg: Segment) -> bool:
    """A bare city/district/state line: a few capitalised words, no house number."""
    text = _strip_icons(seg.text)
    words = [w for w in text.replace(",", " ").split() if re.search(r"[^\W\d_]", w)]
    return (
        0 < len(words) <= MAX_BRIDGE_WORDS
        and not re.search(r"@", text)
        and not re.search(r"\d", ORDINAL_RE.sub("", text))
        and all(w[:1].isupper() for w in words)
    )


def _strip_icons(text: str) -> str:
    return ICON_RE.sub("", text.strip())


def _is_street_above(seg: Segment) -> bool:
    """A line right above a postcode line (or its city/district lines) that reads as a
    street without a known street word: "12 Name", "Name 12", "boulevard Raymond"."""
    text = _strip_icons(seg.text)
    return bool(HOUSE_RE.match(text)) or (has_street_word(text) and "@" not in text)


def _right_of(seg: Segment, segs: Sequence[Segment]) -> Segment | None:
    return next((s for s in segs if s.line_no == seg.line_no and s.col == seg.col + 1), None)


def _clean(text: str) -> str:
    return ADDRESS_LABEL_RE.sub("", _strip_icons(text)).strip(" ,;·|-")


def find_address(segs: Sequence[Segment], claimed: set[int]) -> Found[str] | None:
    """The best chain of address segments, or None when there is no street/postcode."""
    usable = [s for s in segs if s.index not in claimed]
    kinds = {s.index: _kind(s) for s in usable}
    # A street-like line above a postcode line, maybe across a city or district line
    # or two, is the street even without a known street word (OCR turns
    # "Friedrichstraße 112" into "FriedrichstraRe 112"; "Passarela da Rosa, 37").
    for seg in usable:
        if kinds[seg.index] != "postcode":
            continue
        up = above(seg, usable)
        for _ in range(MAX_BRIDGES):
            if up is None or kinds[up.index] is not None or not _is_bridge(up):
                break
            up = above(up, usable)
        if up is not None and kinds[up.index] is None and _is_street_above(up):
            kinds[up.index] = "street"
    used: set[int] = set()
    chains: list[list[Segment]] = []
    for seg in usable:
        if seg.index in used or kinds[seg.index] is None:
            continue
        chain = [seg]
        while True:
            side = _right_of(chain[-1], usable)
            if side is not None and side.index not in used and kinds.get(side.index):
                chain.append(side)  # "Hauptstraße 5 · 10115 Berlin" on one line
                continue
            row = [s for s in chain if s.line_no == chain[-1].line_no]
            nxt = next((b for s in row if (b := below(s, usable, 2)) is not None), None)
            bridges: list[Segment] = []
            while (
                nxt is not None
                and not kinds.get(nxt.index)
                and len(bridges) < MAX_BRIDGES
                and _is_bridge(nxt)
            ):
                bridges.append(nxt)
                nxt = below(nxt, usable, max_lines=2)
            if nxt is None or nxt.index in used or nxt in chain or not kinds.get(nxt.index):
                break
            chain += [*bridges, nxt]
        used.update(s.index for s in chain)
        chains.append(chain)

    def rank(chain: list[Segment]) -> tuple[int, int]:
        ks = {kinds.get(s.index) for s in chain}
        return (2 * ("street" in ks) + 2 * ("postcode" in ks) + ("country" in ks), -chain[0].index)

    chains = [c for c in chains if {kinds.get(s.index) for s in c} & {"street", "postcode"}]
    if not chains:
        return None
    best = max(chains, key=rank)
    ks = {kinds.get(s.index) for s in best}
    if {"street", "postcode"} <= ks:
        rule = RULE_FULL
    elif "country" in ks:
        rule = RULE_PARTIAL
    else:
        rule = RULE_STREET if "street" in ks else RULE_POSTCODE
    parts = [p for p in (_clean(s.text) for s in best) if p]
    words = [w for s in best for w in s.words]
    return Found(", ".join(parts), score(rule, words), boxes(words), {s.index for s in best})
