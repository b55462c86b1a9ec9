"""Job title and company.

Title: a segment made of title-lexicon words, preferably right next to the name;
continuation lines that also read as titles are joined. Company, in falling order of
trust: a segment with a legal-form suffix (GmbH, Inc., S.A. ...), else the most
prominent free segment that reads like an organisation (big font, organisation words,
matches the web/email domain), else the brand label of the domain itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from cardscan.extract.address import is_postcode, is_street
from cardscan.extract.contacts import looks_like_web
from cardscan.extract.department import RULE_WORD, department_rule
from cardscan.extract.domains import brand_label, is_webmail
from cardscan.extract.layout import (
    Found,
    Segment,
    above,
    below,
    boxes,
    score,
)
from cardscan.extract.lexicon import (
    DEGREES,
    LEGAL_RE,
    ORG_WORDS,
    PARTICLES,
    SLOGAN_WORDS,
    STOPWORDS,
    cjk_company,
    legal_form_end,
    legal_suffix_end,
    org_word_count,
    title_score,
)
from cardscan.extract.names import CJK_RE, NameResult, looks_like_person
from cardscan.extract.romanise import hangul_matches
from cardscan.model import OcrWord
from cardscan.words import PHONE_LABELS, fold, tokens, wordset

MAX_TITLE_WORDS = 10
MAX_TITLE_LINES = 3
SAME_FONT = 0.2  # continuation lines of a title share its font size within 20%
MAX_COMPANY_WORDS = 6
MAX_STACKED = 2  # lines of a company name stacked over its legal form
SAME_FONT_STACK = 0.8
GENERIC_LEGAL = wordset("pvt private public pte sdn bhd")
LOGO_TAIL_WORDS = wordset(
    """group holdings technology technologies solutions systems international industries
    labs partners ventures capital software networks global enterprises consulting
    associates company corporation traders trading exports builders developers motors
    agencies electricals electronics textiles construction constructions"""
)
MIN_COMPANY_SCORE = 0.55
# A company of fewer letters than this ("A", "es", "ete": logo marks and noise read as
# text) needs the web/email domain to confirm it.
MIN_COMPANY_LETTERS = 4
CONNECTIVES = wordset("and und y e et en i ed")
OPEN_WORDS = wordset("and of for und de des du del y e et the")
# A company never starts with these lowercase words; a line that does is the end of
# a sentence or footnote.
FRAGMENT_STARTS = wordset("of and by for to from at in on with de du des da do von")
RULE_COMPANY_LEGAL = 0.9
RULE_COMPANY_DOMAIN = 0.4  # guessed from the domain only: always worth a look
# How well the domain must spell a Latin-script line for it to be the company of a card
# whose legal form is printed in CJK script only (a bilingual card).
LATIN_FORM_DOMAIN = 0.9
# A CJK title line's score off when the name is in Latin script (find_title).
BILINGUAL_TITLE_PENALTY = 0.35
EDGE_NOISE = " ,;:|*•·©®™-–—"


def _title_like(seg: Segment) -> float:
    # "GM Guerreiro Martins e Filhos": a logo's monogram, not a General Manager.
    text = _drop_monogram(seg.text)
    if re.search(r"\d|@", text) or len(text.split()) > MAX_TITLE_WORDS:
        return 0.0
    if legal_suffix_end(text) is not None or _degrees_only(text):
        return 0.0
    return title_score(text)


def _degrees_only(text: str) -> bool:
    """ "MBBS, MD (Medicine)" under a doctor's name: degrees, no title; a bracketed
    speciality does not count. "MD" alone is a Managing Director's title."""
    words = [fold(w).replace(".", "") for w in re.sub(r"\([^)]*\)", " ", text).split()]
    words = [w.strip(",;") for w in words if w.strip(",;")]
    return (
        bool(words) and all(w in DEGREES for w in words) and any(title_score(w) == 0 for w in words)
    )


def _near(a: Segment, b: Segment) -> bool:
    if a.line_no == b.line_no:
        return abs(a.col - b.col) == 1
    return b in (above(a, [b], 2), below(a, [b], 2))


def find_title(segs: Sequence[Segment], claimed: set[int], name: NameResult) -> Found[str] | None:
    if name.tail and title_score(" ".join(w.text for w in name.tail)) > 0:
        text = " ".join(w.text for w in name.tail).strip(EDGE_NOISE)
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1].strip(EDGE_NOISE)  # "John Smith (Sales)"
        return Found(text, score(0.85, name.tail), boxes(name.tail), set())
    free = [s for s in segs if s.index not in claimed]
    best: Segment | None = None
    best_score = 0.0
    latin_name = name.segment is not None and not CJK_RE.search(
        name.found.value if name.found else ""
    )
    for seg in free:
        ts = _title_like(seg)
        if ts == 0:
            continue
        near = name.segment is not None and _near(name.segment, seg)
        if not near and ts < 1.0:
            continue  # "Sales" far from the name is a department or a slogan
        s = 0.3 + 0.3 * ts + (0.3 if near else 0.0)
        if latin_name and CJK_RE.search(seg.text):
            # A bilingual card keeps the title in the name's script: a Latin title
            # further down the column ("Sr. Director" under two CJK lines) wins over
            # the CJK one next to the name.
            s -= BILINGUAL_TITLE_PENALTY
        if s > best_score:
            best, best_score = seg, s
    if best is None:
        return None
    lines = [best]
    for step in (above, below):
        cur = best
        while len(lines) < MAX_TITLE_LINES:
            nxt = step(cur, free, 1)
            if nxt is None or nxt in lines or _title_like(nxt) == 0:
                break
            if abs(nxt.height - best.height) > SAME_FONT * best.height:
                break
            if name.segment is not None and nxt.index == name.segment.index:
                break
            first, second = (nxt, cur) if step is above else (cur, nxt)
            if _title_like(first) >= 1.0 and _title_like(second) >= 1.0 and not _open_end(first):
                break  # "Professor of Management" / "Editor-in-Chief": two roles
            if department_rule(nxt.text) >= RULE_WORD and not _open_end(first):
                break  # "Senior Manager" / "Marketing Division": the department's line
            if step is above:
                lines.insert(0, nxt)
            else:
                lines.append(nxt)
            cur = nxt
    words = [w for s in lines for w in s.words]
    text = _trim(" ".join(s.text for s in lines))  # an inner "&" joining two lines stays
    rule = min(best_score, 0.9) if name.segment is not None else 0.55
    return Found(text, score(rule, words), boxes(words), {s.index for s in lines})


def _open_end(seg: Segment) -> bool:
    """A title line that goes on: "Chief Executive Officer &", "Head of"."""
    last = seg.text.rstrip().split()[-1] if seg.text.strip() else ""
    return last in ("&", "/", "-", "+", ",") or last.endswith(",") or fold(last) in OPEN_WORDS


def _legal_company(segs: Sequence[Segment], blocked: set[int]) -> Found[str] | None:
    best: tuple[Segment, str, int, list[Segment]] | None = None
    for seg in segs:
        end = legal_form_end(seg.text) if seg.index not in blocked else None
        if end is None or any(looks_like_web(w.text) for w in seg.words):
            continue
        text = _trim(seg.text[:end])
        lead = _stacked_lead(seg, segs, blocked)
        if lead:
            # "KITO / SEIKO / co.,ltd.", "Blue Wave / AGENCY PVT. LTD.": the name
            # is stacked over its legal form, which alone names nothing.
            text = " ".join([*(_trim(s.text) for s in lead), text])
        else:
            if len(tokens(text)) < 2 and not re.search(r"\d", text):
                continue  # "GmbH" alone
            if fold(text.split()[0]) in FRAGMENT_STARTS:
                continue  # "of Acme Holdings Ltd" ("a division of ..."): a footnote's end
            if not re.search(r"(?<!\w)[^\W\d_]{3,}(?!\w)", seg.text[: end - len(text.split()[-1])]):
                continue  # "LSO6 SLU" (a misread postcode): no real word before the suffix
        rest = seg.text[end:]
        if is_postcode(seg.text) and not (re.match(r"\s*[,|·]", rest) and is_street(rest)):
            # "Lake Karen, SA 2613": a state, not a legal form; but "Acme Pvt. Ltd., 12
            # MG Road, Bengaluru 560001" is a company, then its address.
            continue
        if best is None or seg.height > best[0].height:
            best = (seg, text, end, lead)
    if best is None:
        return _cjk_company(segs, blocked)
    seg, text, end, lead = best
    used = [w for s in lead for w in s.words] + seg.joined().words_in(0, end)
    return Found(
        text, score(RULE_COMPANY_LEGAL, used), boxes(used), {seg.index, *(s.index for s in lead)}
    )


def _stacked_lead(seg: Segment, segs: Sequence[Segment], blocked: set[int]) -> list[Segment]:
    """The short lines just over a legal form that names nothing by itself ("co.,ltd.",
    "AGENCY PVT. LTD.": only organisation words before the suffix), in print as big as
    it or bigger: the company's name set above its legal form. Empty if none."""
    m = LEGAL_RE.search(seg.text)
    if m is None or not all(
        t in ORG_WORDS or t in GENERIC_LEGAL for t in tokens(seg.text[: m.start()])
    ):
        return []
    lead: list[Segment] = []
    cur = seg
    while len(lead) < MAX_STACKED:
        up = above(cur, segs, 2)
        if (
            up is None
            or up.index in blocked
            or not re.fullmatch(r"[^\W\d_]+(?:[ &'-][^\W\d_]+){0,2}", up.text.strip())
            or up.height < SAME_FONT_STACK * seg.height
            or title_score(up.text) > 0
        ):
            break
        lead.insert(0, up)
        cur = up
    return lead


def _cjk_company(segs: Sequence[Segment], blocked: set[int]) -> Found[str] | None:
    """A line with a CJK legal form or institution ("株式会社…", "…有限公司"), the biggest
    if several: only when no Latin-script one was found, so a bilingual card keeps its
    Latin form in the field and the other stays in the notes."""
    found = [
        s
        for s in segs
        if s.index not in blocked
        and cjk_company(s.text)
        and not re.search(r"\d{3}|@|[〒：:]", s.text)  # an address or a contact line
    ]
    if not found:
        return None
    seg = max(found, key=lambda s: (s.height, -s.index))
    text = _trim(seg.text)
    # "TPJ株式会社テクノプロジェクト": a Japanese legal form set before the name starts
    # it; what comes before (a logo's letters read into the line) is no part of it.
    if (m := JP_LEGAL_PREFIX_RE.search(text)) is not None and m.start() > 0:
        text = text[m.start() :]
    return Found(text, score(RULE_COMPANY_LEGAL, seg.words), boxes(seg.words), {seg.index})


JP_LEGAL_PREFIX_RE = re.compile(r"(?:株式会社|有限会社|合同会社)(?=\S{2,})")


def _initials_of(mark: str, words: Sequence[str]) -> bool:
    """ "MG" of "Mendoza Group", "TS" of "Tebaldi, Salieri e ...", "R" of "Robertson"."""
    firsts = [w[0].upper() for w in words if w[:1].isalpha() and fold(w) not in CONNECTIVES]
    return len(mark) <= len(firsts) and "".join(firsts[: len(mark)]) == mark.upper()


def _drop_monogram(text: str) -> str:
    """A logo's monogram read into the company's line ("MG Mendoza Group", "Moreira M")
    is dropped: one to three capitals that are the initials of the rest."""
    words = text.split()
    if len(words) < 2:
        return text
    if re.fullmatch(r"[A-Z]{1,3}", words[0]) and _initials_of(words[0], words[1:]):
        return " ".join(words[1:])
    if (
        re.fullmatch(r"[A-Z]{1,3}", words[-1])
        and _initials_of(words[-1], words[:-1])
        and legal_suffix_end(words[-1]) is None  # "Acme SA" keeps its legal form
    ):
        return " ".join(words[:-1])
    return text


# OCR reads a lowercase l as a capital I: "s.r.I." is the Italian legal form s.r.l.
SRL_OCR_RE = re.compile(r"(?<![\w.])([sS])\.\s?r\.\s?I(?![\w])")


def _trim(text: str) -> str:
    """Drop symbol-only words (logo marks, bullets) and stray punctuation at the ends."""
    text = SRL_OCR_RE.sub(lambda m: f"{m.group(1)}.r.l", text)
    words = text.split()
    while words and not re.search(r"[^\W_]", words[0]):
        words.pop(0)
    if len(words) > 1 and re.fullmatch(r"[b-z]", words[0]) and words[1][:1].isupper():
        words.pop(0)  # "c HDFC": a logo's mark read as a letter
    while words and not re.search(r"[^\W_]", words[-1]):
        words.pop()
    return " ".join(words).strip(EDGE_NOISE)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _domain_match(text: str, brands: Sequence[str]) -> float:
    # "한빛전자" of hanbit.co.kr: a Korean name and its domain, compared by consonants.
    if any(hangul_matches(text, x) for x in brands):
        return 0.9
    c = _compact(text)
    if len(c) < 3:
        return 0.0
    # "Cuevas, Riley and Thomas" registers cuevasriley.com: the domain is the name's
    # start with connectives left out.
    core = "".join(_compact(t) for t in tokens(text) if t not in CONNECTIVES)
    best = 0.0
    # "KOREA PLATFORM SERVICE TECHNOLOGY" of kpst.co.kr: a domain of the name's initials.
    firsts = _initials(text)
    initials = firsts if len(firsts) >= 3 else ""
    for x in brands:
        b = _compact(x)
        if not b:
            continue
        if fuzz.ratio(c, b) >= 80 or fuzz.ratio(core, b) >= 80 or initials == b:
            return 1.0
        if len(firsts) >= 2 and firsts in re.split(r"[-_]", x.lower())[:1]:
            best = max(best, 0.9)  # "Blue Ocean" of bo-consult.com: initials, then a word
        if len(b) >= 5 and core.startswith(b):
            best = max(best, 0.9)
        elif len(c) >= 5 and b.startswith(c):
            best = max(best, 0.9)  # "KONAN" (over "TECHNOLOGY") of konantech.com
        elif any(len(t) >= 3 and t in b for t in tokens(text)) or b in c:
            best = max(best, 0.7)
    return best


_SLOGAN_SPLIT_RE = re.compile(r"\s+[-–—|]\s+")


def _before_slogan(text: str) -> str:
    """ "ACME TECHNOLOGIES - Your Partner in Growth": the name before a dash or bar
    when a slogan speaking to the reader follows it; else the whole text."""
    parts = _SLOGAN_SPLIT_RE.split(text, maxsplit=1)
    if len(parts) != 2:
        return text
    head, tail = (any(t in SLOGAN_WORDS for t in tokens(part)) for part in parts)
    return parts[0] if tail and not head else text


def _company_score(seg: Segment, heights: list[float], brands: Sequence[str], top: int) -> float:
    text = _before_slogan(seg.text)
    toks = tokens(text)
    words = text.split()
    domain = _domain_match(text, brands)
    rank = heights.index(seg.height) if seg.height in heights else len(heights)
    c = _compact(text)
    if rank == 0 and len(c) >= 2 and c.isalpha() and any(_compact(b).startswith(c) for b in brands):
        # "qx" set big over qxora.co.jp: the logo's short form of the name.
        domain = 1.0
    if (
        not toks
        or (sum(len(t) for t in toks) < MIN_COMPANY_LETTERS and domain < 1.0)
        or "@" in text
        or len(words) > MAX_COMPANY_WORDS
        or len(re.findall(r"\d", text)) >= 3
        or all(t in STOPWORDS or t in PHONE_LABELS for t in toks)
        # A title word in a line the domain spells whole ("BRIGHTPATH MARKETING" of
        # brightpathmarketing.com) is part of the firm's name.
        or (_titled_line(text, toks) and domain < 1.0)
        or re.match(r"\d+[a-zA-Z]?\s*,", text.strip())  # "5, Rose Society": an address
        # A second person on the card ("John Roe") is no company; a line the domain spells
        # whole ("Royal de Hoog" over royaldehoog.nl) is the firm's name, however it reads.
        or (looks_like_person(seg) and domain < 1.0)
    ):
        return 0.0
    # The biggest free text is usually the logo/company; organisation words and a
    # matching domain confirm it.
    s = 0.3
    s += 0.4 if rank == 0 else 0.15 if rank == 1 else 0.0
    s += 0.2 if org_word_count(toks) else 0.0
    s += 0.35 * domain
    s += 0.05 if seg.box.top == top else 0.0
    lower = [w for w in words if w[:1].islower() and fold(w) not in STOPWORDS]
    if len(lower) * 2 > len(words):
        s -= 0.2  # a sentence or slogan, not a name
    if any(t in SLOGAN_WORDS for t in toks):
        s -= 0.3  # "Quality You Can Trust" ("Our Lady of Lourdes Hospital" may still win)
    return s


def _titled_line(text: str, toks: Sequence[str]) -> bool:
    """A title's line, no company's: a strong title word, or a weak one ("Commercial",
    "Sales") without an organisation word ("Kenya Commercial Bank" is a bank)."""
    ts = title_score(_drop_monogram(text))
    return ts >= 1.0 or (ts > 0 and not org_word_count(toks))


def _logo_tail(text: str, under: str, spelt: bool = False) -> bool:
    """ "VELOR" over "TECHNOLOGY": a company's generic second word set as a line of its
    own, in the same casing (a trade under a shop's name, "Florist", is a descriptor).
    Over a line the card's domain spells whole (spelt), in any casing, with an acronym
    before it: "BELTIS" over "IT Solutions" of beltis.com.br."""
    if re.fullmatch(r"[^\W\d_]+(?:[ &-][^\W\d_]+)*", under.strip()) is None:
        return False
    words = under.split()
    if spelt and 0 < len(words) <= 3 and fold(words[-1]) in LOGO_TAIL_WORDS:
        return all(fold(w) in LOGO_TAIL_WORDS or (w.isupper() and len(w) <= 3) for w in words)
    toks = tokens(under)
    return (
        0 < len(toks) <= 2
        and all(t in LOGO_TAIL_WORDS for t in toks)
        and text.isupper() == under.isupper()
    )


def _repair_from_domain(text: str, brands: Sequence[str]) -> str:
    """Mend a company name with the domain that spells it: "data Loom" of dataloom.com
    is "dataLoom" (a camel-case name the OCR split), "ooks and Beams" of
    hooksandbeams.co.uk is "Hooks and Beams" (its first letters lost at the edge)."""
    words = text.split()
    for b in (_compact(x) for x in brands):
        if len(b) < 5:
            continue
        if (
            len(words) >= 2
            and words[0][:1].islower()
            and len(words[0]) >= 3
            and fold(words[0]) not in PARTICLES  # "de Vos" of devos.nl stays apart
            and words[1][:1].isupper()
            and _compact(words[0] + words[1]) == b
        ):
            return " ".join([words[0] + words[1], *words[2:]])
        c = _compact(text)
        if text[:1].islower() and len(c) >= 6 and b.endswith(c) and 0 < len(b) - len(c) <= 3:
            return b[: len(b) - len(c)].capitalize() + text
        if (
            len(words) == 1
            and text.isupper()
            and text.isalpha()
            and len(b) >= 4
            and c.startswith(b)
            and len(c) - len(b) >= 3
        ):
            # "MUNHWAILBO" of munhwa.com: the OCR ran the name's words together; the
            # domain says where the first one ends.
            return f"{text[: len(b)]} {text[len(b) :]}"
    return text


def _brand_name(host: str) -> str:
    return " ".join(p.capitalize() for p in re.split(r"[-_]", brand_label(host)) if p)


def find_company(
    segs: Sequence[Segment],
    claimed: set[int],
    blocked: set[int],
    websites: Sequence[str],
    email_domains: Sequence[str],
) -> Found[str] | None:
    """claimed: segments used by any field; blocked: those that cannot hold a company
    even with a legal suffix (name, title, contact and phone lines)."""
    hosts = [h for h in [*websites, *email_domains] if not is_webmail(h)]
    brands = [brand_label(h) for h in hosts]
    legal = _legal_company(segs, blocked)
    if legal is not None:
        legal.value = _repair_from_domain(_drop_monogram(legal.value), brands)
        if not CJK_RE.search(legal.value):
            return legal
    free = _free_company(segs, claimed | (legal.segments if legal else set()), brands)
    if legal is not None:
        # A bilingual card: the company's Latin-script line, spelt by the card's domain
        # ("KOREA PLATFORM SERVICE TECHNOLOGY" of kpst.co.kr beside "(주)한국플랫폼서비스
        # 기술"), is the field; the CJK form stays in the card's other text.
        if free is not None and free[1] >= LATIN_FORM_DOMAIN and not CJK_RE.search(free[0].value):
            return free[0]
        return legal
    if free is not None:
        return free[0]
    if hosts:
        no_words: list[OcrWord] = []
        return Found(_brand_name(hosts[0]), score(RULE_COMPANY_DOMAIN, no_words), [], set())
    return None


def with_trade(
    company: Found[str] | None, segs: Sequence[Segment], name: NameResult
) -> Found[str] | None:
    """ "Emily Rose" over "Photography": a trade set under the person's name, alone on
    its line, is the business's name with it ("Emily Rose Photography"), not a company
    called "Photography"."""
    if company is None or name.found is None or name.segment is None:
        return company
    toks = tokens(company.value)
    if not (0 < len(toks) <= 2 and all(t in ORG_WORDS for t in toks)) or len(company.segments) != 1:
        return company
    under = below(name.segment, segs, 1)
    if under is None or under.index not in company.segments:
        return company
    value = f"{name.found.value} {company.value}"
    return Found(value, company.conf, [*name.found.boxes, *company.boxes], company.segments)


def _free_company(
    segs: Sequence[Segment], claimed: set[int], brands: Sequence[str]
) -> tuple[Found[str], float] | None:
    """The likeliest company among the lines no field claimed, with how well the card's
    domain spells it (_domain_match)."""
    free = [s for s in segs if s.index not in claimed]
    if not free:
        return None
    # Font rank among text lines; big email/web lines do not push the company down.
    heights = sorted(
        {s.height for s in segs if not any(looks_like_web(w.text) for w in s.words)},
        reverse=True,
    )
    top = min(s.box.top for s in segs)
    scored = sorted(
        ((_company_score(s, heights, brands, top), s) for s in free),
        key=lambda x: (-x[0], x[1].index),
    )
    if not scored or scored[0][0] < MIN_COMPANY_SCORE:
        return None
    s, seg = scored[0]
    if re.fullmatch(r"[A-Z]{2,6}", seg.text.strip()):
        # "KPST" set big over "Korea Platform Service Technology": the logo's initials;
        # the name they stand for, printed on the card, is the company.
        mark = seg.text.strip().lower()
        spelt = [x for c, x in scored if c > 0 and _initials(x.text) == mark]
        if spelt:
            seg = spelt[0]
    lines = [seg]
    under = below(seg, free, 2)
    if under is not None and (
        _logo_tail(seg.text, under.text, _domain_match(seg.text, brands) >= 1.0)
        or _domain_completes(seg.text, under.text, brands)
    ):
        lines.append(under)  # "VELOR / TECHNOLOGY": a logo's second line
    text = " ".join(_trim(_before_slogan(x.text)) for x in lines)
    text = _repair_from_domain(_drop_monogram(text), brands)
    words = [w for x in lines for w in x.words]
    found = Found(text, score(min(s, 0.85), words), boxes(words), {x.index for x in lines})
    return found, _domain_match(text, brands)


def _coverage(text: str, brand: str) -> float:
    """How much of a domain's name the words of text spell (3+ letters each)."""
    if not brand:
        return 0.0
    found = sum(len(t) for t in set(tokens(text)) if len(t) >= 3 and t in brand)
    return min(1.0, found / len(brand))


def _domain_completes(text: str, under: str, brands: Sequence[str]) -> bool:
    """ "GREENLEAF" over "LANDSCAPE DESIGN" of greenleafdesign.com: the line below, in
    the same casing, spells the rest of the domain's name (a logo's two lines)."""
    if re.search(r"[\d@]", under) or len(under.split()) > 3 or text.isupper() != under.isupper():
        return False
    joined = f"{text} {under}"
    return any(
        _coverage(joined, b) >= 0.9 and _coverage(joined, b) >= _coverage(text, b) + 0.2
        for b in (_compact(x) for x in brands)
    )


def _initials(text: str) -> str:
    """The first letters of text's words, connectives left out: "kpst" of "Korea Platform
    Service Technology"."""
    return "".join(t[0] for t in tokens(text) if t not in CONNECTIVES)
