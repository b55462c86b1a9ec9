"""The person's name: a short run of capitalised words, big and near the top.

Every free segment is a candidate if its words look like a name (2-4 words of
letters, hyphens, apostrophes and periods, capitalised or ALL CAPS, none of them a
title, organisation, label or slogan word). Candidates are scored on font size,
position, a job title next to them and, strongest of all, agreement with the local
part of an email address (jane.doe@, jdoe@, janed@ ...).

Decisions: `name` keeps honorifics and degrees as printed ("Dr. Jane Doe, PhD", ALL
CAPS turned into Title Case); `given_name` is the first name only and `family_name`
the last name with its particles ("van der Berg"), both without honorifics/degrees;
in Spanish/Portuguese-speaking regions the last two surnames ("García López"). Middle names
appear only in `name`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from nameparser import HumanName
from rapidfuzz import fuzz

from cardscan.extract.domains import is_webmail
from cardscan.extract.layout import (
    Found,
    Segment,
    above,
    below,
    boxes,
    median_height,
    overlaps_x,
    score,
)
from cardscan.extract.lexicon import (
    CAPITAL_HONORIFICS,
    CJK_ORG_WORDS,
    DEGREES,
    DOTTED_DEGREES,
    ORG_WORDS,
    PARTICLES,
    STOPWORDS,
    TITLE_WORDS,
    WEAK_TITLE_WORDS,
    is_family_name,
    is_given_name,
    is_honorific,
    is_person_name,
    legal_form_end,
    title_score,
)
from cardscan.model import Issue, OcrWord
from cardscan.words import PHONE_LABELS, fold, wordset

CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")

NAME_WORD_RE = re.compile(r"^[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?$")
NOISE = ',;:|*•·"“”()[]{}<>'
DASHES = ("-", "–", "—", "/")
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
MIN_SCORE = 0.5  # below this a candidate is not taken as the name
AMBIGUOUS_MARGIN = 0.1
# Place words that end an address line's first part ("Harbour Gate", "City Mall",
# "Shanti Nagar"): such a pair of capitalised words is a place, not a person.
ADDRESS_WORDS = wordset(
    """street road avenue lane drive court place square suite floor building highway
    parkway terrace crescent plaza gate mall market society nagar marg colony complex
    sector tower estate chowk bazaar bazar circle junction station airport lake mount
    fort valley heights village hills springs falls beach creek harbour harbor island"""
)
PEER_MARGIN = 0.2  # names scoring this close to the best, in its font: several people
PEER_FONT = 0.15
# Two names in different columns are side by side when their tops differ by at most this
# many line heights (a slanted photo; stacked people are in the same column).
SIDE_ROWS = 1.5
EMAIL_STRONG = 0.9  # local-part agreement that settles the name on its own
# Local parts that name a mailbox, not a person ("sales.team@", "info.de@").
MAILBOX_WORDS = (
    TITLE_WORDS
    | ORG_WORDS
    | STOPWORDS
    | wordset(
        """info office admin contact hello mail team support service help jobs careers hr
    accounts billing enquiries enquiry inquiries press media noreply reply news desk
    booking bookings reservations orders shop store web webmaster post kontakt bureau
    ventas contacto atendimento contato vendas rh"""
    )
)
NO_NAME = "no_name"  # the issue of a card read without a person's name


def is_mailbox(email: str) -> bool:
    """info@, office@, sales.team@, office2@: the card's shared address, nobody's own
    (an email, or its local part alone). Its words and digit runs, each a mailbox word
    or a number."""
    parts = re.findall(r"[^\W\d_]+|\d+", fold(email.rsplit("@", 1)[0]))
    return bool(parts) and all(p in MAILBOX_WORDS or p.isdigit() for p in parts)


EMAIL_NAME_CONF = 0.45  # a name spelled out by the email only: always worth a look
# Countries where people carry two family names (Spanish and Portuguese customs).
TWO_SURNAME_REGIONS = wordset(
    "ES MX AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY PR PT BR AO MZ"
)

# Countries where a name in Latin letters is mostly printed family name first ("Lim Wei
# Ming", "Kim Min-jun", "Nguyen Van An"), and the family names that say so when they
# come first: the commonest Chinese (pinyin, Cantonese, Hokkien spellings), Korean
# and Vietnamese ones. "Jason Lim" stays given name first.
FAMILY_FIRST_REGIONS = wordset("CN TW HK MO SG MY KR VN")
FAMILY_FIRST = wordset(
    """
    wang li zhang liu chen yang huang zhao wu zhou xu sun zhu hu guo gao lin luo zheng
    liang xie tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang du
    cheng su lu ding shen yao jin wong chan cheung leung lau lee lam ng tsang chow yeung
    tse kwok mak tan lim teo goh koh ong chua tay yeo sim chia khoo ooi kim park choi
    jung jeong kang cho yoon jang seo shin kwon hwang ahn yoo hong jeon moon nguyen tran
    pham hoang huynh phan vu vo dang bui ngo duong
    """
)


@dataclass
class NameResult:
    found: Found[str] | None = None
    given: str | None = None
    family: str | None = None
    segment: Segment | None = None
    tail: list[OcrWord] = field(default_factory=list)  # "CEO" in "Jane Doe, CEO"
    issues: list[Issue] = field(default_factory=list)
    # The name's form in another script on a bilingual card ("王小明" beside
    # "Wang Xiaoming"): kept for the card's notes, not lost.
    other: str | None = None
    # The further people of a card naming several (flagged "several_people"), in
    # reading order after this one, each read as the name is: cardscan.extract.people
    # makes a contact of each.
    peers: list[NameResult] = field(default_factory=list)
    # How well the name agrees with the card's best-matching email (names.email_match).
    email: float = 0.0
    # The region the name was read for (its parts: split_name).
    region: str = ""


@dataclass
class _Cand:
    seg: Segment
    words: list[OcrWord]  # the name's words (honorifics/degrees included)
    core: list[str]  # cleaned words without honorifics/degrees
    display: str
    tail: list[OcrWord]
    score: float = 0.0
    email: float = 0.0
    local: str | None = None  # the email local part it matches well (>= 0.8), if any
    also: frozenset[int] = frozenset()  # a stacked name's upper line (its seg is the lower)
    caps_first: bool = False  # "DUPONT Jean": the family name in capitals, printed first


def _clean_word(text: str) -> str:
    """Undo "|" for I/l and strip stray punctuation around a word."""
    t = text.strip(NOISE)
    if "|" in t:
        t = ("I" + t[1:]) if t.startswith("|") else t
        t = t.replace("|", "I" if t.isupper() else "l")
    # OCR reads a capital I as l: "lan" is Ian, "lsabel" Isabel (a known name only,
    # so a real "Lisa" is left alone; a name word starting lowercase is a misreading).
    if re.fullmatch(r"l[a-z]{2,}", t) and is_given_name("I" + t[1:]):
        t = "I" + t[1:]
    return t


# "R.K.SHARMA", "A.B.Smith": initials run into the name by the OCR.
INITIALS_RE = re.compile(r"^((?:[^\W\d_]\.){1,3})([^\W\d_]{2,}\.?)$")


def _expand_initials(words: list[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        m = INITIALS_RE.match(w)
        if m:
            out += [f"{c}." for c in m.group(1).split(".") if c] + [m.group(2)]
        else:
            out.append(w)
    return out


def _script_of(text: str) -> str:
    """ "cjk" when the text holds Han, Kana or Hangul letters, else "latin"."""
    return "cjk" if CJK_RE.search(text) else "latin"


def _bare(word: str) -> str:
    return fold(word).replace(".", "")


def _smart_case(word: str, first: bool = False) -> str:
    """Title Case one ALL-CAPS word: "MCDONALD" -> "McDonald", "O'BRIEN" -> "O'Brien"."""
    if _bare(word) in PARTICLES and not first:
        return word.lower()
    out = re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word.lower())
    if re.match(r"^Mc[a-z]", out):
        out = "Mc" + out[2].upper() + out[3:]
    return out


def _recase(word: str, first: bool) -> str:
    """ALL-CAPS words ("DOE" in "Jane DOE", every word of "JANE DOE") go Title Case."""
    letters = [c for c in word if c.isalpha()]
    return _smart_case(word, first) if len(letters) > 1 and word.isupper() else word


def _degree(word: str) -> str:
    """A degree as printed when it is mixed case ("Ph.D.", "M.Sc."), else its usual
    form ("PHD" -> "PhD"): the card's own spelling is the person's choice."""
    if any(c.islower() for c in word) and any(c.isupper() for c in word):
        return word
    return DEGREES.get(_bare(word), word)  # a dotted degree ("S.T.") as printed


def _is_degree(word: str) -> bool:
    """A degree after the name: a known one, or one of Indonesia's with its dot."""
    return _bare(word) in DEGREES or ("." in word and _bare(word) in DOTTED_DEGREES)


def _split_tail(words: list[OcrWord]) -> tuple[list[OcrWord], list[OcrWord]]:
    """ "Jane Doe, PhD" / "Jane Doe - CEO" -> (name words, words after the break)."""
    for i, w in enumerate(words):
        if w.text in DASHES:
            return words[:i], words[i + 1 :]
        if i >= 2 and w.text.startswith("("):
            return words[:i], words[i:]  # "Rahul Verma (B.E., MBA)"
        if w.text.endswith(",") and i < len(words) - 1:
            return words[: i + 1], words[i + 1 :]
        # "Jane Doe Founder & CEO": a title printed on the name's line, no separator.
        before = " ".join(x.text for x in words[:i])
        if i >= 2 and title_score(w.text) > 0 and title_score(before) == 0:
            return words[:i], words[i:]
    return words, []


def _lower_family(word: str, core: list[str], main_words: int) -> bool:
    """ "Ravi kumar": a family name typed in lower case after a known given name (the
    last of two words, itself a known name); any other lower-case word makes the line
    no name."""
    return (
        word is core[-1]
        and main_words == 2
        and core[0][:1].isupper()
        and is_person_name(_bare(word))
        and is_person_name(_bare(core[0]))
    )


def _plausible(core: list[str], lowercase: bool, weak_ok: bool = False) -> bool:
    """2-4 name words (plus particles), capitalised, none a title/org/label/slogan word."""
    main = [w for w in core if _bare(w) not in PARTICLES]
    longs = [w for w in main if len(_bare(w)) >= 2]
    # "R. K. Sharma": initials and one known name are a name too.
    initials = (
        len(longs) == 1
        and is_person_name(longs[0])
        and all(re.fullmatch(r"[^\W\d_]\.", w) for w in main if w not in longs)
    )
    if not 2 <= len(main) <= 4 or len(core) > 6 or (len(longs) < 2 and not initials):
        return False
    for word in core:
        b = _bare(word)
        if weak_ok and b in WEAK_TITLE_WORDS and word is not core[0]:
            continue  # "Enzo Sales": a family name that is also a title word
        if not NAME_WORD_RE.match(word) or b in TITLE_WORDS | ORG_WORDS | STOPWORDS:
            return False
        if len(b) > 1 and b in PHONE_LABELS:
            return False
        if b in ADDRESS_WORDS and not is_person_name(b):
            return False
        if (
            not lowercase
            and b not in PARTICLES
            and not word[:1].isupper()
            and not _lower_family(word, core, len(main))
        ):
            return False
    strong = [w for w in core if not (weak_ok and _bare(w) in WEAK_TITLE_WORDS)]
    return (lowercase or core[0][:1].isupper()) and title_score(" ".join(strong)) == 0


def _candidate(seg: Segment, lowercase: bool = False, weak_ok: bool = False) -> _Cand | None:
    """A name candidate from a segment; `lowercase` accepts an all-lowercase design
    ("jane doe"), which the caller only keeps when an email confirms it."""
    words = list(seg.words)
    if any(_script_of(w.text) == "cjk" for w in words) and any(
        _script_of(w.text) == "latin" and w.text[:1].isalpha() for w in words
    ):
        # "王小明 Wang Xiaoming": the Latin-script form is the name; the other form is
        # kept apart (NameResult.other) for the card's notes.
        words = [w for w in words if _script_of(w.text) == "latin"]
    # An icon or bullet read as a symbol ("• Jane Doe", "Jane Doe ·") is no part of it.
    while words and not _clean_word(words[0].text):
        words = words[1:]
    while words and not _clean_word(words[-1].text):
        words = words[:-1]
    head, tail = _split_tail(words)
    cleaned = _expand_initials([_clean_word(w.text) for w in head])
    if len(cleaned) == 1 and (run := split_run(cleaned[0])) is not None:
        cleaned = list(run)  # "MARIJANKUHNERT": words run together by the OCR
    if not cleaned or not all(cleaned) or legal_form_end(seg.text) is not None:
        return None  # "Acme GmbH", "CV Sinar Jaya": a firm
    if lowercase:
        if not all(w.islower() for w in cleaned):
            return None
        cleaned = [w.upper() for w in cleaned]  # then Title Case like ALL CAPS
    tail_text = " ".join(_clean_word(w.text) for w in tail)
    tail_degrees = bool(tail) and all(_is_degree(t) for t in tail_text.split())
    printed = " ".join(w.text for w in tail)
    # Degrees or certificates in brackets after the name ("Nachiket Patel (M.Sc. ICT,
    # SCJP)", common on South Asian cards): part of the name as printed, like ", PhD".
    bracketed = (
        printed.startswith("(")
        and printed.endswith(")")
        and len(tail) <= 5
        and not re.search(r"[\d@]", printed)
        and title_score(printed) == 0
    )
    if not tail_degrees and sum(w.text.endswith(",") for w in seg.words) >= 2:
        return None  # "Gym Ball, Yoga Mat, Weights": a list of wares or services
    start = 0
    while start < len(cleaned) and is_honorific(cleaned[start]):
        start += 1
    end = len(cleaned)
    while end > start and _bare(cleaned[end - 1]) in DEGREES and end - start > 2:
        end -= 1
    core = cleaned[start:end]
    if not _plausible(core, lowercase, weak_ok):
        return None
    shown = [
        _degree(w)
        if _bare(w) in DEGREES and i >= end
        else w
        if w.rstrip(".") in CAPITAL_HONORIFICS  # "CA Rajesh Gupta" keeps its capitals
        else _recase(w, i == 0)
        for i, w in enumerate(cleaned)
    ]
    display = " ".join(shown)
    if tail_degrees:
        display += ", " + ", ".join(_degree(t) for t in tail_text.split())
    elif bracketed:
        display += " " + printed
    name_words = head + tail if tail_degrees or bracketed else head
    core_shown = [_recase(w, i == 0) for i, w in enumerate(core)]
    cand = _Cand(seg, name_words, core_shown, display, [] if tail_degrees or bracketed else tail)
    # "DUPONT Jean", "YAMADA Taro": a family name in capitals before a given name in
    # Title Case (the French and Japanese custom).
    cand.caps_first = (
        len(core) == 2
        and not lowercase
        and len(core[0]) >= 2
        and core[0].isupper()
        and core[1][:1].isupper()
        and not core[1].isupper()
    )
    return cand


def _spellings(word: str) -> set[str]:
    """ASCII spellings of a name word as it may appear in an email address."""
    low = word.lower().replace("'", "").replace("’", "")
    german = low.translate(UMLAUTS)
    return {v for v in (re.sub(r"[^a-z]", "", fold(x)) for x in (low, german)) if v}


def _with_parts(word: str, spellings: set[str]) -> set[str]:
    """A double-barrelled name's spellings and its parts': people write one part in
    their address ("ewhitaker@" for Eleanor Whitaker-Hayes, "pierre@" for Jean-Pierre)."""
    parts = [p for p in re.split(r"[-‐‑]", word) if p]
    if len(parts) < 2:
        return spellings
    return spellings | {v for part in parts for v in _spellings(part)}


def email_match(core: Sequence[str], local: str) -> float:
    """How well an email local part agrees with a name: 1.0 "jane.doe", 0 unrelated."""
    names = [
        _with_parts(w, sp) for w in core if _bare(w) not in PARTICLES and (sp := _spellings(w))
    ]
    if len(names) < 2:
        return 0.0
    parts = [p for p in re.split(r"[._\-+]", fold(local)) if p and not p.isdigit()]
    joined = re.sub(r"\d", "", "".join(parts))
    if not joined:
        return 0.0
    best = 0.0
    every = set().union(*names)
    # Family names with particles also appear run together: "vanderberg", "dasilva".
    runs = {"".join(min(_spellings(w), default="") for w in core[k:]) for k in range(1, len(core))}
    runs.discard("")
    for first in names[0]:
        for last in set().union(*names[1:]) | runs:
            if joined in (first + last, last + first) or sorted(parts) == sorted([first, last]):
                return 1.0
            if joined in (first[0] + last, first + last[0], last + first[0]):
                best = max(best, 0.9)
            if max(fuzz.ratio(joined, first + last), fuzz.ratio(joined, last + first)) >= 85:
                best = max(best, 0.8)
            if joined == last:
                best = max(best, 0.6)
        if joined == first:
            best = max(best, 0.6)
    if any(p in every for p in parts if len(p) >= 3):
        best = max(best, 0.5)
    return best


def _score(c: _Cand, segs: Sequence[Segment], heights: list[float], top: int, span: int) -> float:
    s = 0.4
    rank = heights.index(c.seg.height) if c.seg.height in heights else len(heights)
    if rank == 0:
        s += 0.25
    elif rank == 1:
        s += 0.15
    elif c.seg.height < median_height(segs):
        s -= 0.1
    if (c.seg.box.top - top) / span < 0.5:
        s += 0.1
    if c.tail or _titled(c.seg, segs):
        s += 0.15
    if c.email >= 0.5:
        s += 0.4 * c.email
    return s


def split_name(core: Sequence[str], region: str = "") -> tuple[str | None, str | None]:
    """(given, family) of a name without honorifics/degrees.

    nameparser handles particles ("van der Berg"); in Spanish- and Portuguese-speaking
    countries the family name is the last two surnames ("García López") when there
    are three or more words.
    """
    if region in FAMILY_FIRST_REGIONS and len(core) >= 2 and _bare(core[0]) in FAMILY_FIRST:
        return " ".join(core[1:]), core[0]  # "Lim Wei Ming", "Nguyen Van An"
    parsed = HumanName(" ".join(core))
    given, family = parsed.first or None, parsed.last or None
    main = [i for i, w in enumerate(core) if _bare(w) not in PARTICLES]
    if region in TWO_SURNAME_REGIONS and len(main) >= 3:
        start = main[-2]
        while start > 1 and _bare(core[start - 1]) in PARTICLES:
            start -= 1
        given, family = core[0], " ".join(core[start:])
    return given, family


STACK_FONT = 0.15  # a stacked name's two lines differ in height by at most this share
STACK_PENALTY = 0.15
SINGLE_PENALTY = 0.05


def _stacked(free: Sequence[Segment], email_locals: Sequence[str]) -> list[_Cand]:
    """A name printed one word a line, given name over family name in the same print
    ("JOHN" / "SMITH"), left-aligned or centred: a candidate when the first word is a
    known given name or the card's email spells the two."""
    out: list[_Cand] = []
    for upper in free:
        lower = below(upper, free)
        if lower is None or len(upper.words) != 1 or len(lower.words) != 1:
            continue
        if abs(upper.height - lower.height) > STACK_FONT * max(upper.height, lower.height):
            continue
        a, b = upper.box, lower.box
        centres = abs((a.left + a.right) - (b.left + b.right)) / 2
        if min(abs(a.left - b.left), centres) > 0.5 * upper.height:
            continue
        if upper.text.isupper() != lower.text.isupper():
            continue
        merged = dataclasses.replace(lower, words=[*upper.words, *lower.words])
        c = _candidate(merged)
        if c is None or c.tail or len(c.core) != 2:
            continue
        spelt = max((email_match(c.core, e) for e in email_locals), default=0.0) >= 0.9
        if spelt or is_given_name(c.core[0]):
            c.also = frozenset({upper.index})
            out.append(c)
    return out


def _titled(seg: Segment, segs: Sequence[Segment]) -> bool:
    """A job title on the line above or below."""
    near = (above(seg, segs, 2), below(seg, segs, 2))
    return any(n is not None and title_score(n.text) > 0 for n in near)


def _lexicon_bonus(core: Sequence[str]) -> float:
    """Known given/family names (many countries, tools.build_names) support a name."""
    main = [w for w in core if _bare(w) not in PARTICLES]
    if not main:
        return 0.0
    first, last = is_given_name(main[0]), is_family_name(main[-1])
    if first and last:
        return 0.15
    return 0.1 if first or last or any(is_person_name(w) for w in main) else 0.0


def looks_like_person(seg: Segment) -> bool:
    """A line reading as a person's name with a known given and a known family name
    ("John Roe", "CLÁUDIO MAIA"): a second person's, when it is not the card's name."""
    c = _candidate(seg)
    return c is not None and _lexicon_bonus(c.core) >= 0.15


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _is_brand(c: _Cand, brands: Sequence[str]) -> bool:
    """ "Sunrise Motors" on a card of sunrisemotors.in is the shop's name, not a person's."""
    text = _compact(" ".join(c.core))
    return any(len(b) >= 4 and fuzz.ratio(text, b) >= 85 for b in brands)


# --- names in Chinese, Japanese or Korean script -------------------------------------

HANGUL_RE = re.compile(r"[\uac00-\ud7af]")
CJK_NAME_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,4}$|^[\uac00-\ud7af]{2,4}$")
# Words that make a short CJK line a title, an organisation, a department or an
# address rather than a person (general knowledge of CJK business cards).
CJK_NOT_NAME = (
    "会社", "公司", "株式", "有限", "研究", "大学", "大學", "銀行", "事務所", "協会", "協會",
    "部長", "社長", "会長", "會長", "取締役", "課長", "経理", "經理", "工程師", "主任", "理事",
    "代表", "所長", "室長", "係長", "董事", "顧問", "總監", "総監", "電話", "傳真", "手機",
    "網址", "地址", "部", "課", "県", "縣", "區", "区", "路", "號", "号", "樓", "〒", "센터",
    "社", "店", "局", "室", "院", "館", "科", "組", "営業", "营业", "事業", "本部", "支店",
    "工場", "中心", *CJK_ORG_WORDS,
    "회사", "주식", "대표", "이사", "부장", "과장", "팀장", "사장", "주소", "전화",
)  # fmt: skip


def _cjk_candidate(seg: Segment) -> _Cand | None:
    """A 2-4 character Han or Hangul line ("王小明", "山田 太郎") as a name candidate."""
    text = re.sub(r"\s+", "", seg.text.strip(NOISE + " "))
    if not CJK_NAME_RE.match(text) or any(m in text for m in CJK_NOT_NAME):
        return _cjk_titled(seg)
    return _Cand(seg, list(seg.words), _cjk_core(text, seg.text.split()), text, [])


def _cjk_titled(seg: Segment) -> _Cand | None:
    """ "김민준 과장", "과장 김민준", "山田太郎 部長": a CJK name and its job title on one
    line, a space between them; the title is the candidate's tail (find_title takes it)."""
    words = list(seg.words)
    if len(words) < 2:
        return None
    for name_words, title_words in ((words[:-1], words[-1:]), (words[1:], words[:1])):
        title = " ".join(w.text for w in title_words)
        text = re.sub(r"\s+", "", " ".join(w.text for w in name_words).strip(NOISE + " "))
        if (
            title_score(title) > 0
            and CJK_RE.search(title) is not None
            and CJK_NAME_RE.match(text)
            and not any(m in text for m in CJK_NOT_NAME)
        ):
            parts = " ".join(w.text for w in name_words).split()
            return _Cand(seg, name_words, _cjk_core(text, parts), text, title_words)
    return None


def _cjk_core(text: str, parts: list[str]) -> list[str]:
    """A CJK name's family and given parts."""
    hangul = HANGUL_RE.search(text) is not None
    if len(parts) == 2 and (not hangul or _cjk_family(parts[0]) or not _cjk_family(text[:1])):
        core = parts  # "山田 太郎", "安達 晴康": the printed space parts them
    else:
        # No printed space, or one the OCR put inside a Korean name, which is printed
        # whole ("서영 주" for 서영주): one character, two of four (山田太郎, 남궁민수),
        # two of three when they are a known family name (田中実).
        cut = 2 if len(text) == 4 or (len(text) == 3 and _cjk_family(text[:2])) else 1
        core = [text[:cut], text[cut:]]
    return core


# Korean family names of two syllables (the names lexicon holds the one-syllable ones).
KOREAN_COMPOUND_FAMILY = frozenset(("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방"))


def _cjk_family(text: str) -> bool:
    return text in KOREAN_COMPOUND_FAMILY or is_family_name(text)


def _cjk_family_bonus(c: _Cand) -> float:
    return 0.1 if _cjk_family(c.core[0]) or _cjk_family(c.display[:1]) else 0.0


def split_run(word: str) -> tuple[str, str] | None:
    """ "JANEDOE", "kathleenpoole" -> ("JANE", "DOE"): a given and a family name run
    together, both known names (many ways to cut a word; the lexicon decides)."""
    if not 6 <= len(word) <= 30 or not word.isalpha():
        return None
    for i in range(3, len(word) - 2):
        if is_given_name(word[:i]) and is_family_name(word[i:]):
            return word[:i], word[i:]
    return None


def _from_email(emails: Sequence[str], handles: Sequence[str] = ()) -> tuple[list[str], str] | None:
    """ "jane.doe@acme.com" -> (["Jane", "Doe"], "jane.doe@") when both parts read as
    names. At a webmail domain ("golden.lotus@gmail.com" of a shop) one part must be
    a known name; at the company's own domain first.last is how people are addressed.
    A local part or a profile handle run together ("janedoe", linkedin.com/in/janedoe)
    counts when it is a known given name followed by a known family name."""
    for handle in (*(e.rpartition("@")[0] for e in emails), *handles):
        run = split_run(handle)
        if run is not None:
            return [run[0].capitalize(), run[1].capitalize()], handle
    for email in emails:
        local, _, domain = email.rpartition("@")
        parts = re.split(r"[._\-]", local)
        if len(parts) != 2 or not all(re.fullmatch(r"[A-Za-z]{2,}", p) for p in parts):
            continue
        first, last = parts
        if any(fold(p) in MAILBOX_WORDS for p in parts):
            continue
        known = is_given_name(first) or is_family_name(last)
        if known or (not is_webmail(domain) and min(len(first), len(last)) >= 4):
            return [first.capitalize(), last.capitalize()], local + "@"
    return None


def find_name(
    segs: Sequence[Segment],
    claimed: set[int],
    email_locals: Sequence[str],
    region: str = "",
    hosts: Sequence[str] = (),
    emails: Sequence[str] = (),
    handles: Sequence[str] = (),
    glued: set[int] | None = None,
) -> NameResult:
    """hosts: the card's web and email domains' brand labels ("acme" of acme.co.uk);
    emails: the card's email addresses, which spell out a name none printed is read,
    as may handles (profiles); glued: segments claimed for an email or web address,
    whose words before it may be a name ("JANE DOE jane@acme.com" on one line)."""
    free = [s for s in segs if s.index not in claimed]
    cands = [c for s in free if (c := _candidate(s)) is not None]
    cands += [c for s in segs if s.index in (glued or set()) and (c := _glued(s)) is not None]
    lower = [c for s in free if (c := _candidate(s, lowercase=True)) is not None]
    # An all-lowercase design ("jane doe") or a family name that is also a weak title
    # word ("Enzo Sales") is a name only when the email agrees.
    weak = [
        c for s in free if _candidate(s) is None and (c := _candidate(s, weak_ok=True)) is not None
    ]
    brands = [_compact(h) for h in hosts]
    cands += [
        c
        for c in [*lower, *weak]
        if max((email_match(c.core, e) for e in email_locals), default=0) >= 0.9
        # or a known given and family name that the card's domain spells ("jane doe"
        # of janedoe.photo: a freelancer's own site) or that a job title sits next to
        # ("maria lopez" over "graphic designer").
        or (
            c in lower
            and _lexicon_bonus(c.core) >= 0.15
            and (_is_brand(c, brands) or _titled(c.seg, segs))
        )
    ]
    cands += _stacked(free, email_locals)
    cjk = [c for s in free if (c := _cjk_candidate(s)) is not None]
    result = NameResult(region=region)
    if not segs:
        return result
    heights = sorted({s.height for s in segs}, reverse=True)
    top = min(s.box.top for s in segs)
    span = max(max(s.box.bottom for s in segs) - top, 1)
    for c in cands:
        matches = [(email_match(c.core, loc), loc) for loc in email_locals]
        c.email, c.local = max(matches, default=(0.0, None))
        c.local = c.local if c.email >= 0.8 else None
        c.score = _score(c, segs, heights, top, span) + _lexicon_bonus(c.core)
        if c.also:
            c.score -= STACK_PENALTY  # two lines read as one name: less sure than one line
        elif len(c.core) == 1:
            c.score -= SINGLE_PENALTY  # one word before a phone label ("Vijay Mob.:")
        if len(cands) > 1 and c.email < 0.5 and _is_brand(c, brands):
            c.score -= 0.3
    for c in cjk:
        c.score = _score(c, segs, heights, top, span) + _cjk_family_bonus(c)
    cjk = sorted((c for c in cjk if c.score >= MIN_SCORE), key=lambda c: (-c.score, c.seg.index))
    cands.sort(key=lambda c: (-c.score, c.seg.index))
    if not cands or cands[0].score < MIN_SCORE:
        # No Latin-script name: one in CJK script, else one spelled out by the email.
        if cjk:
            cands = cjk
        else:
            return _email_name(result, emails, handles)
    best = cands[0]
    peers = _peers(best, cands)
    if len(peers) > 1:
        # Several people printed alike ("Jane Doe" and "John Roe" side by side): the
        # first in reading order is read, and the card is flagged (people.py splits it).
        best = peers[0]
        shown = ", ".join(f"'{c.display}'" for c in peers[:3])
        result.issues.append(
            Issue(
                "several_people",
                f"the card names several people ({shown}); '{best.display}' is read "
                "and the row keeps everyone's emails and phones: check it",
                "name",
            )
        )
        result.peers = [_read_as(c, region) for c in peers[1:]]
    elif (
        len(cands) > 1
        and best.email < EMAIL_STRONG
        and cands[1].score >= best.score - AMBIGUOUS_MARGIN
    ):
        result.issues.append(
            Issue(
                "ambiguous_name",
                f"name could be '{best.display}' or '{cands[1].display}'; check it",
                "name",
            )
        )
    rule = 0.95 if best.email >= EMAIL_STRONG else min(0.85, best.score - 0.05)
    claims = {best.seg.index, *best.also}
    dropped = [w.text for w in best.seg.words if _script_of(w.text) == "cjk"]
    if best not in cjk and cjk:
        # A bilingual card: the CJK form of the name on its own line is kept apart too.
        claims.add(cjk[0].seg.index)
        dropped.append(cjk[0].display)
    if best not in cjk and dropped:
        result.other = " ".join(dropped)
    result.found = Found(best.display, score(rule, best.words), boxes(best.words), claims)
    if best in cjk or best.caps_first:
        result.given, result.family = best.core[1], best.core[0]
    else:
        result.given, result.family = split_name(best.core, region)
    result.segment = best.seg
    result.tail = best.tail
    result.email = best.email
    return result


def _read_as(c: _Cand, region: str) -> NameResult:
    """A further person's name, read as the card's name is (its confidence, its parts)."""
    rule = 0.95 if c.email >= EMAIL_STRONG else min(0.85, c.score - 0.05)
    out = NameResult(Found(c.display, score(rule, c.words), boxes(c.words), {c.seg.index}))
    if CJK_RE.search(c.display):
        out.given, out.family = c.core[1], c.core[0]
    else:
        out.given, out.family = split_name(c.core, region)
    out.segment, out.tail, out.email, out.region = c.seg, c.tail, c.email, region
    return out


def _peers(best: _Cand, cands: Sequence[_Cand]) -> list[_Cand]:
    """Names printed like the best one (same font, close score) on other lines, in
    reading order: the people of a card naming several."""
    same = [
        c
        for c in cands
        if c.score >= max(MIN_SCORE, best.score - PEER_MARGIN)
        and abs(c.seg.height - best.seg.height) <= PEER_FONT * best.seg.height
    ]
    # Or names each of which is someone's email ("Jane Doe" and jdoe@, "John Roe" and
    # jroe@), whatever their print.
    mailed = {c.local: c for c in cands if c.local is not None}
    if len(mailed) > 1 and len(same) < 2:
        same = list(mailed.values())
    if len(same) < 2:
        return []
    # Reading order: top to bottom, and left to right along a row (two people side
    # by side are a row even when one sits a little higher).
    # A name in another column (no horizontal overlap) and at most SIDE_ROWS of its
    # height lower is beside the top one, not under it: a photo taken at a slant leaves
    # one column's lines a line or more above the other's.
    order = sorted(same, key=lambda c: c.seg.box.top)
    first = order[0]
    row = [c for c in order if beside(first.seg, c.seg)]
    first = min(row, key=lambda c: c.seg.box.left)
    return [first, *(c for c in order if c is not first)]


def beside(a: Segment, b: Segment) -> bool:
    """Whether b is printed beside a (a person's name in the next column): the same
    segment, one nearly level with it, or one in another column at most SIDE_ROWS of
    the taller's height higher or lower."""
    tall = max(a.height, b.height)
    if a is b or abs(b.box.top - a.box.top) < 0.6 * a.height:
        return True
    return not overlaps_x(a.box, b.box) and abs(b.box.top - a.box.top) <= SIDE_ROWS * tall


def name_line(seg: Segment, region: str = "", rule: float = 0.6) -> NameResult | None:
    """A segment read as a person's name alone ("Jane Doe", "DR. JOHN ROE"), as the name
    finder reads its candidates, with the confidence `rule`; None when it does not look
    like one. For a further person found beside the card's name (cardscan.extract.people)."""
    c = _candidate(seg)
    if c is None:
        return None
    out = NameResult(Found(c.display, score(rule, c.words), boxes(c.words), {seg.index}))
    out.given, out.family = split_name(c.core, region)
    out.segment, out.tail, out.region = seg, c.tail, region
    return out


def _glued(seg: Segment) -> _Cand | None:
    """The name printed before an email, a web address or a phone number on its line, no
    gap between ("JANE DOE jane@acme.com", "Vijay Mob.:9999269543"). One word is a name
    here only when it is a known given name before a phone label ("Vijay Mob.:")."""
    words = list(seg.words)
    cut = next((i for i, w in enumerate(words) if _contact_word(w.text)), 0)
    if cut >= 2:
        return _candidate(Segment(words[:cut], seg.line_no, seg.col, seg.index))
    word = _clean_word(words[0].text) if cut == 1 else ""
    labelled = cut == 1 and _label_of(words[1].text) in PHONE_LABELS
    if labelled and len(word) >= 3 and word[:1].isupper() and is_given_name(word):
        shown = _recase(word, True)
        return _Cand(seg, words[:1], [shown], shown, [], also=frozenset())
    return None


def _label_of(text: str) -> str:
    """The letters a word starts with, folded: "mob" of "Mob.:9999269543"."""
    m = re.match(r"[^\W\d_]+", fold(text))
    return m.group(0) if m else ""


def _contact_word(text: str) -> bool:
    """A word that starts an email, a web address or a phone number ("Mob.:" too)."""
    return (
        "@" in text
        or "." in text.strip(".")
        or any(c.isdigit() for c in text)
        or _label_of(text) in PHONE_LABELS
    )


def _email_name(
    result: NameResult, emails: Sequence[str], handles: Sequence[str] = ()
) -> NameResult:
    """The name spelled out by an email address ("jane.doe@"), when the card's own
    print of it was not read: low confidence and flagged, so it is checked."""
    guess = _from_email(emails, handles)
    if guess is None:
        result.issues.append(Issue(NO_NAME, "no person's name found on the card", "name"))
        return result
    core, local = guess
    display = " ".join(core)
    result.found = Found(display, EMAIL_NAME_CONF, [], set())
    result.given, result.family = core[0], core[1]
    result.issues.append(
        Issue(
            "name_from_email",
            f"name '{display}' read from '{local}' (an email or profile); check it on the card",
            "name",
        )
    )
    return result
