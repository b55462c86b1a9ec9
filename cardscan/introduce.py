"""Who to introduce to whom: pairs of people in the book with common ground, best first.

Common ground, strongest first:

- tags both have (the user's Tags, ";" or "," separated, compared ignoring case);
- topics both of their notes mention: words and two-word phrases of the user's own
  notes ("loves fishing" and "fishing trip in May" share "fishing"), leaving out
  stop-words, dates and numbers, the words of their events, and the lines cardscan
  writes itself (cardscan.book.notelines);
- the same industry, read from company, title, email domain and website with a small
  lexicon (INDUSTRIES): "Whitaker Hayes LLP" and "ewhitaker@whitakerhayes-law.com"
  are both law;
- the same event. Everybody met at one event shares it, so it only adds to other
  ground: a pair with nothing but an event in common is not suggested.

People at the same company (same company name without its legal form, or the same
organisation email or web domain) are never paired: colleagues know each other. Two
rows with the same name are not paired either: they are more likely one person twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz

from cardscan.book import columns as col
from cardscan.book.cells import split_cell
from cardscan.book.matching import SAME_NAME_AT, company_key, row_keys
from cardscan.book.notelines import user_notes
from cardscan.book.people import fold

# Points per shared item; a pair's score is their sum.
TAG_POINTS = 3.0
PHRASE_POINTS = 3.0  # a two-word phrase both notes use ("machine learning")
WORD_POINTS = 2.0
INDUSTRY_POINTS = 1.5
EVENT_POINTS = 0.5  # only with other ground

# A small, general lexicon: industry -> words that point at it in a company name, job
# title or domain. Words of 6 letters or more also count inside a longer word, as in
# the domains "northwindlogistics.com" and "lakeshorerealtygroup.com"; shorter ones
# only as whole words ("law", not "lawn"). A few common European forms are included
# (accents are ignored).
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "law": (
        "law", "legal", "llp", "attorney", "attorneys", "lawyer", "lawyers", "solicitor",
        "solicitors", "barrister", "general counsel", "paralegal", "notary", "abogado", "abogados",
        "avocat", "avocats", "anwalt", "rechtsanwalt", "rechtsanwalte", "advogado",
        "advogados", "advocaten", "juridico",
    ),
    "logistics": (
        "logistics", "logistic", "freight", "shipping", "cargo", "courier", "trucking",
        "warehouse", "warehousing", "supply chain", "fulfilment", "fulfillment",
        "logistica", "logistique", "logistik", "transport", "transportes", "spedition",
    ),
    "real estate": (
        "real estate", "realty", "realtor", "realtors", "realestate", "property",
        "properties", "estate agent", "estate agents", "letting", "lettings", "mortgage",
        "mortgages", "immobilien", "immobilier", "inmobiliaria", "imobiliaria", "makelaar",
    ),
    "design": (
        "design", "designer", "designers", "studio", "studios", "creative", "creatives",
        "graphic", "graphics", "illustrator", "illustration", "photographer", "photography",
        "photo", "ux", "ui", "branding", "brand", "typography", "diseno", "designstudio",
    ),
    "software": (
        "software", "developer", "developers", "programmer", "saas", "app", "apps", "cto",
        "devops", "data", "cloud", "ai", "machine learning", "cyber", "cybersecurity",
        "web", "digital", "tech", "technologies", "technology", "computing", "labs",
        "io", "dev", "informatik", "informatique", "tecnologia",
    ),
    "engineering": (
        "engineering", "engineer", "engineers", "eng", "structural", "civil", "mechanical",
        "electrical", "geotechnical", "ingenieur", "ingenieure", "ingenieria", "engenharia",
        "ingenierie", "technik", "systemtechnik", "maschinenbau",
    ),
    "food and drink": (
        "food", "foods", "alimentos", "alimentaire", "lebensmittel", "coffee", "roasters",
        "roastery", "cafe", "restaurant", "restaurants", "bakery", "catering", "brewery",
        "brewing", "winery", "wine", "wines", "vineyard", "distillery", "kitchen", "chef",
        "grocery", "gastronomie", "tea",
    ),
    "finance": (
        "finance", "financial", "financiero", "financeiro", "finanzas", "finanz", "bank",
        "banking", "capital", "invest", "investment", "investments", "inversiones",
        "investimentos", "wealth", "accounting", "accountant", "accountants", "cpa", "audit",
        "tax", "insurance", "cfo", "fintech", "asset", "assets", "equity", "fund", "funds",
    ),
    "marketing": (
        "marketing", "advertising", "brand strategist", "pr",
        "public relations", "communications", "media", "social media", "content", "seo",
        "publicidad", "werbung", "kommunikation",
    ),
    "manufacturing": (
        "manufacturing", "manufacturer", "industrial", "industries", "industry", "factory",
        "machinery", "fabrication", "components", "plastics", "metal", "steel",
        "industrie", "industria", "fertigung",
    ),
    "construction": (
        "construction", "builders", "building", "contractor", "contractors", "architect",
        "architects", "architecture", "architectural", "interiors", "renovation",
        "construccion", "construcoes", "bau", "bauunternehmen",
    ),
    "health": (
        "health", "healthcare", "medical", "medicine", "clinic", "hospital", "pharma",
        "pharmaceutical", "pharmaceuticals", "biotech", "dental", "dentist", "physician",
        "nurse", "therapy", "therapist", "wellness", "salud", "saude", "gesundheit",
    ),
    "education": (
        "university", "college", "school", "academy", "education", "educational",
        "professor", "lecturer", "teacher", "tutor", "training", "universidad",
        "universidade", "universitat", "universite", "edu",
    ),
    "consulting": (
        "consulting", "consultant", "consultants", "consultancy", "advisory", "advisors",
        "advisers", "beratung", "consultoria", "conseil",
    ),
    "hospitality": (
        "hotel", "hotels", "hospitality", "resort", "travel", "tourism", "events",
        "venue", "hostel", "turismo", "hoteleria",
    ),
    "retail": ("retail", "shop", "store", "stores", "boutique", "ecommerce", "e commerce"),
    "energy": (
        "energy", "solar", "renewable", "renewables", "utilities", "oil", "gas",
        "wind", "energia", "energie",
    ),
    "nonprofit": ("foundation", "charity", "nonprofit", "non profit", "ngo"),
}  # fmt: skip

# Words that say nothing about what two people have in common: English function
# words, the verbs of note-taking, dates and time words, and meeting small talk.
_STOP = """
    a about above after again against all almost also am an and any are around as at be
    because been before being below between both but by can could did do does doing done
    down during each either else even ever every few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just least
    less let like likes liked many may me might mine more most much must my myself near
    neither no nor not now of off often on once one only or other others our ours
    ourselves out over own per perhaps quite rather really same she should since so some
    still such than that the their theirs them themselves then there these they this
    those though through to too under until up upon us very via was we well were what
    when where whether which while who whom whose why will with within without would yet
    you your yours yourself yourselves
    loves love loved enjoys enjoy enjoyed wants want wanted needs need needed looking
    look looks interested interest interests into talked talk talking spoke said says
    mentioned mention asked ask asks told tell knows know knew met meet meeting meets
    works work working worked does get gets got going goes went come comes came make
    makes made take takes took think thinks thought seems seemed maybe probably
    new old good great nice lovely interesting big small lot lots bit kind sort really
    very quite pretty sure also
    call calls called email emails emailed mail send sent follow followup follow-up
    intro introduce introduced contact contacts reach ping card cards number
    coffee lunch dinner drinks drink chat chatted conversation
    today tomorrow yesterday tonight morning afternoon evening night week weeks weekend
    month months year years day days time times soon later next last early late ago
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
    thurs fri sat sun january february march april june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec
    thing things stuff people person guy someone something anything everything
    etc e.g i.e re per vs
    mr mrs ms dr
    two three four five six seven eight nine ten first second third
"""
STOP_WORDS = frozenset(_STOP.split())

# Two-letter words worth keeping (most two-letter words are filler).
_SHORT_KEPT = frozenset({"ai", "ml", "ux", "ui", "vr", "ar", "3d", "hr", "pr", "bi", "qa", "ev"})

_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.'-][a-z0-9+#]+)*")
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"/|]+|\s[-–—]\s")


@dataclass(frozen=True)
class Profile:
    """What one row offers for common ground, parsed once."""

    index: int
    name: str
    company: str
    email: str
    tags: dict[str, str]  # folded -> as typed
    words: dict[str, str]  # note word key -> as written
    phrases: dict[str, str]  # note two-word phrase key -> as written
    industries: frozenset[str]
    events: dict[str, str]  # folded -> as typed
    company_key: str
    domains: frozenset[str]
    name_key: str  # the name folded, without punctuation: for same_name()
    # The keys of tags, words, phrases and events as sets, compared for every pair.
    tag_set: frozenset[str] = frozenset()
    word_set: frozenset[str] = frozenset()
    phrase_set: frozenset[str] = frozenset()
    event_set: frozenset[str] = frozenset()

    @property
    def sheet_row(self) -> int:
        return self.index + 2

    @property
    def label(self) -> str:
        """Name (Company): "Priya Raman (Brightloop Labs)"; the company alone without a name."""
        if self.name and self.company:
            return f"{self.name} ({self.company})"
        return self.name or self.company or self.email or f"row {self.sheet_row}"

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.sheet_row,
            "name": self.name or None,
            "company": self.company or None,
            "email": self.email or None,
        }


@dataclass(frozen=True)
class Reason:
    kind: str  # "tags", "notes", "industry", "event"
    shared: tuple[str, ...]
    text: str  # "both tagged python"

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "shared": list(self.shared), "text": self.text}


@dataclass(frozen=True)
class Pair:
    a: Profile
    b: Profile
    score: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    def line(self) -> str:
        """The pair in words: "A (Co) + B (Co): both tagged python; both met at …"."""
        return f"{self.a.label} + {self.b.label}: {'; '.join(r.text for r in self.reasons)}"

    def as_json(self) -> dict[str, Any]:
        return {
            "a": self.a.as_json(),
            "b": self.b.as_json(),
            "score": self.score,
            "reasons": [r.as_json() for r in self.reasons],
            "text": self.line(),
        }


def tags(row: Mapping[str, str]) -> dict[str, str]:
    """The row's tags, folded -> as typed (first spelling wins)."""
    out: dict[str, str] = {}
    for tag in re.split(r"[;,]", row.get(col.TAGS, "")):
        tag = " ".join(tag.split()).lstrip("#")
        if tag and fold(tag) not in out:
            out[fold(tag)] = tag
    return out


def _word_key(word: str) -> str:
    """Plurals and possessives compare equal: "kids" ~ "kid", "sailing's" ~ "sailing"."""
    word = word.removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _kept(word: str) -> bool:
    if word in STOP_WORDS or _word_key(word) in STOP_WORDS:
        return False
    if any(c.isdigit() for c in word):
        return word in _SHORT_KEPT  # dates, prices, phone numbers: not interests
    return len(word) >= 3 or word in _SHORT_KEPT


def topics(
    notes: Sequence[str], ignore: frozenset[str] = frozenset()
) -> tuple[dict[str, str], dict[str, str]]:
    """(words, phrases) of the notes worth comparing: key -> as first written.

    A phrase is two kept words in a row within one clause ("machine learning");
    `ignore` holds word keys left out (the words of the person's events).
    """
    words: dict[str, str] = {}
    phrases: dict[str, str] = {}
    for note in notes:
        for clause in _CLAUSE.split(note):
            run: list[tuple[str, str]] = []  # consecutive kept words: (key, as written)
            for raw in _WORD.findall(fold(clause)):
                word = raw.strip("'.-")
                key = _word_key(word)
                if not word or not _kept(word) or key in ignore:
                    run = []
                    continue
                words.setdefault(key, word)
                if run:
                    phrases.setdefault(f"{run[-1][0]} {key}", f"{run[-1][1]} {word}")
                run.append((key, word))
    return words, phrases


def _industry_text(row: Mapping[str, str]) -> list[str]:
    """Folded words of company, title, email domains and websites."""
    parts = [row.get(col.COMPANY, ""), row.get(col.TITLE, "")]
    for email in split_cell(row.get(col.EMAILS, "")):
        parts.append(email.rsplit("@", 1)[-1] if "@" in email else "")
    parts.extend(split_cell(row.get(col.WEBSITE, "")))
    return [fold(re.sub(r"[._/:&-]+", " ", part)) for part in parts if part]


def industries(row: Mapping[str, str]) -> frozenset[str]:
    """The industries the lexicon finds in the row's company, title and domains."""
    texts = _industry_text(row)
    words = {w for text in texts for w in text.split()}
    joined = [f" {text} " for text in texts]
    found: set[str] = set()
    for industry, keys in INDUSTRIES.items():
        for key in keys:
            if " " in key:
                hit = any(f" {key} " in text for text in joined)
            elif len(key) >= 6:
                hit = any(key in word for word in words)
            else:
                hit = key in words
            if hit:
                found.add(industry)
                break
    return frozenset(found)


def profile(row: Mapping[str, str], index: int) -> Profile:
    events = {fold(e): e for e in split_cell(row.get(col.EVENT, ""))}
    ignore = frozenset(_word_key(w) for e in events for w in _WORD.findall(e))
    words, phrases = topics(user_notes(row), ignore)
    emails = split_cell(row.get(col.EMAILS, ""))
    row_tags = tags(row)
    return Profile(
        index=index,
        name=row.get(col.NAME, "").strip(),
        company=row.get(col.COMPANY, "").strip(),
        email=emails[0] if emails else "",
        tags=row_tags,
        words=words,
        phrases=phrases,
        industries=industries(row),
        events=events,
        company_key=company_key(row.get(col.COMPANY, "")),
        domains=frozenset(row_keys(row).domains),
        name_key=" ".join(re.sub(r"[^\w\s]", " ", fold(row.get(col.NAME, ""))).split()),
        tag_set=frozenset(row_tags),
        word_set=frozenset(words),
        phrase_set=frozenset(phrases),
        event_set=frozenset(events),
    )


def _listing(items: Sequence[str]) -> str:
    """Items in words: "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def colleagues(a: Profile, b: Profile) -> bool:
    """Same company name (without legal form) or the same organisation domain."""
    return bool((a.company_key and a.company_key == b.company_key) or a.domains & b.domains)


def same_name(a: Profile, b: Profile) -> bool:
    """Two rows whose names agree as ingest's matching has it: likely one person twice."""
    return bool(
        a.name_key and b.name_key and fuzz.token_sort_ratio(a.name_key, b.name_key) >= SAME_NAME_AT
    )


@dataclass(frozen=True)
class _Shared:
    tags: frozenset[str]
    phrases: frozenset[str]
    words: frozenset[str]  # not inside a shared phrase, nor named by a shared tag
    industries: frozenset[str]
    events: frozenset[str]

    @property
    def score(self) -> float:
        return (
            TAG_POINTS * len(self.tags)
            + PHRASE_POINTS * len(self.phrases)
            + WORD_POINTS * len(self.words)
            + INDUSTRY_POINTS * len(self.industries)
            + EVENT_POINTS * len(self.events)
        )


def _shared(a: Profile, b: Profile) -> _Shared | None:
    """What a and b share, or None when it is too little (or they know each other)."""
    shared_tags = a.tag_set & b.tag_set
    phrases = a.phrase_set & b.phrase_set
    words = a.word_set & b.word_set
    if phrases:
        words -= {w for phrase in phrases for w in phrase.split()}
    if shared_tags:
        # Topics already named by a shared tag are not repeated.
        words -= {_word_key(w) for tag in shared_tags for w in tag.split()}
    industries = a.industries & b.industries
    if not (shared_tags or phrases or words or industries):
        return None
    if colleagues(a, b) or same_name(a, b):
        return None
    return _Shared(shared_tags, phrases, words, industries, a.event_set & b.event_set)


def _pair(a: Profile, b: Profile, shared: _Shared) -> Pair:
    """The pair with its reasons in words, shared items in a's order and spelling."""
    reasons: list[Reason] = []
    tags = [a.tags[k] for k in a.tags if k in shared.tags]
    if tags:
        reasons.append(Reason("tags", tuple(tags), f"both tagged {_listing(tags)}"))
    topics = [a.phrases[k] for k in a.phrases if k in shared.phrases]
    topics += [a.words[k] for k in a.words if k in shared.words]
    if topics:
        reasons.append(Reason("notes", tuple(topics), f"both notes mention {_listing(topics)}"))
    fields = sorted(shared.industries)
    if fields:
        reasons.append(Reason("industry", tuple(fields), f"both in {_listing(fields)}"))
    events = [a.events[k] for k in a.events if k in shared.events]
    if events:
        reasons.append(Reason("event", tuple(events), f"both met at {_listing(events)}"))
    return Pair(a, b, shared.score, tuple(reasons))


def common_ground(a: Profile, b: Profile) -> Pair | None:
    """What a and b have in common, or None when it is too little to introduce them."""
    shared = _shared(a, b)
    return _pair(a, b, shared) if shared is not None else None


def is_person(row: Mapping[str, str]) -> bool:
    return any(row.get(c, "").strip() for c in (col.NAME, col.COMPANY, col.EMAILS))


@dataclass(frozen=True)
class Suggestions:
    pairs: list[Pair]  # the best ones, best first (up to the limit asked for)
    total: int  # pairs found in all
    people: int  # rows naming someone
    with_ground: int  # of them, rows with tags or notes of their own


def suggest(
    rows: Sequence[Mapping[str, str]], person: int | None = None, limit: int | None = None
) -> Suggestions:
    """The pairs with common ground, best first; with `person`, only pairs with that row.

    Ties keep sheet order. With `person`, that person is always the first of the pair.
    Every pair is scored; only the best `limit` are put into words.
    """
    profiles = [profile(row, i) for i, row in enumerate(rows) if is_person(row)]
    if person is None:
        candidates = [(profiles[i], profiles[j]) for i, j in _sharing(profiles)]
    else:
        me = next((p for p in profiles if p.index == person), None) or profile(rows[person], person)
        candidates = [(me, other) for other in profiles if other.index != person]
    scored = [
        (-shared.score, a.index, b.index, a, b, shared)
        for a, b in candidates
        if (shared := _shared(a, b)) is not None
    ]
    scored.sort(key=lambda found: found[:3])
    best = [(a, b, shared) for *_, a, b, shared in scored[:limit]]
    grounded = sum(1 for p in profiles if p.tags or p.words)
    return Suggestions(
        pairs=[_pair(a, b, shared) for a, b, shared in best],
        total=len(scored),
        people=len(profiles),
        with_ground=grounded,
    )


def _sharing(profiles: Sequence[Profile]) -> set[tuple[int, int]]:
    """Positions (i < j) of the profiles that share a tag, a note word or an industry.

    Only those can have common ground (a shared phrase implies shared words; an event
    only adds), so a large book is not compared pair by pair.
    """
    postings: dict[tuple[str, str], list[int]] = {}
    for at, person in enumerate(profiles):
        keys = [
            *(("tag", k) for k in person.tags),
            *(("word", k) for k in person.words),
            *(("industry", k) for k in person.industries),
        ]
        for key in keys:
            postings.setdefault(key, []).append(at)
    return {pair for ids in postings.values() for pair in combinations(ids, 2)}
