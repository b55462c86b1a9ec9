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

from cardscan.extract.address import is_postcode
from cardscan.extract.contacts import looks_like_web
from cardscan.extract.domains import brand_label, is_webmail
from cardscan.extract.layout import (
    Found,
    Segment,
    above,
    below,
    boxes,
    fold,
    score,
    tokens,
    wordset,
)
from cardscan.extract.lexicon import (
    STOPWORDS,
    legal_suffix_end,
    org_word_count,
    title_score,
)
from cardscan.extract.names import NameResult
from cardscan.extract.phones import LABELS
from cardscan.model import OcrWord

MAX_TITLE_WORDS = 10
MAX_TITLE_LINES = 3
SAME_FONT = 0.2  # continuation lines of a title share its font size within 20%
MAX_COMPANY_WORDS = 6
MIN_COMPANY_SCORE = 0.55
# A company of fewer letters than this ("A", "es", "ete": logo marks and noise read as
# text) needs the web/email domain to confirm it.
MIN_COMPANY_LETTERS = 4
CONNECTIVES = wordset("and und y e et en i ed")
RULE_COMPANY_LEGAL = 0.9
RULE_COMPANY_DOMAIN = 0.4  # guessed from the domain only: always worth a look
EDGE_NOISE = " ,;:|*•·©®™-–—"


def _title_like(seg: Segment) -> float:
    text = seg.text
    if re.search(r"\d|@", text) or len(text.split()) > MAX_TITLE_WORDS:
        return 0.0
    if legal_suffix_end(text) is not None:
        return 0.0
    return title_score(text)


def _near(a: Segment, b: Segment) -> bool:
    if a.line_no == b.line_no:
        return abs(a.col - b.col) == 1
    return b in (above(a, [b], 2), below(a, [b], 2))


def find_title(segs: Sequence[Segment], claimed: set[int], name: NameResult) -> Found[str] | None:
    if name.tail and title_score(" ".join(w.text for w in name.tail)) > 0:
        text = " ".join(w.text for w in name.tail).strip(EDGE_NOISE)
        return Found(text, score(0.85, name.tail), boxes(name.tail), set())
    free = [s for s in segs if s.index not in claimed]
    best: Segment | None = None
    best_score = 0.0
    for seg in free:
        ts = _title_like(seg)
        if ts == 0:
            continue
        near = name.segment is not None and _near(name.segment, seg)
        if not near and ts < 1.0:
            continue  # "Sales" far from the name is a department or a slogan
        s = 0.3 + 0.3 * ts + (0.3 if near else 0.0)
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
            if step is above:
                lines.insert(0, nxt)
            else:
                lines.append(nxt)
            cur = nxt
    words = [w for s in lines for w in s.words]
    text = " ".join(_trim(s.text) for s in lines)
    rule = min(best_score, 0.9) if name.segment is not None else 0.55
    return Found(text, score(rule, words), boxes(words), {s.index for s in lines})


def _legal_company(segs: Sequence[Segment], blocked: set[int]) -> Found[str] | None:
    best: tuple[Segment, str, int] | None = None
    for seg in segs:
        end = legal_suffix_end(seg.text) if seg.index not in blocked else None
        if end is None or any(looks_like_web(w.text) for w in seg.words):
            continue
        text = _trim(seg.text[:end])
        if len(tokens(text)) < 2 and not re.search(r"\d", text):
            continue  # "GmbH" alone
        if not re.search(r"(?<!\w)[^\W\d_]{3,}(?!\w)", seg.text[: end - len(text.split()[-1])]):
            continue  # "LSO6 SLU" (a misread postcode): no real word before the suffix
        if is_postcode(seg.text):
            continue  # "Lake Karen, SA 2613": a state, not a legal form
        if best is None or seg.height > best[0].height:
            best = (seg, text, end)
    if best is None:
        return None
    seg, text, end = best
    used = seg.joined().words_in(0, end)
    return Found(text, score(RULE_COMPANY_LEGAL, used), boxes(used), {seg.index})


def _trim(text: str) -> str:
    """Drop symbol-only words (logo marks, bullets) and stray punctuation at the ends."""
    words = text.split()
    while words and not re.search(r"[^\W_]", words[0]):
        words.pop(0)
    while words and not re.search(r"[^\W_]", words[-1]):
        words.pop()
    return " ".join(words).strip(EDGE_NOISE)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _domain_match(text: str, brands: Sequence[str]) -> float:
    c = _compact(text)
    if len(c) < 3:
        return 0.0
    # "Cuevas, Riley and Thomas" registers cuevasriley.com: the domain is the name's
    # start with connectives left out.
    core = "".join(_compact(t) for t in tokens(text) if t not in CONNECTIVES)
    best = 0.0
    for b in (_compact(x) for x in brands):
        if not b:
            continue
        if fuzz.ratio(c, b) >= 80 or fuzz.ratio(core, b) >= 80:
            return 1.0
        if len(b) >= 5 and core.startswith(b):
            best = max(best, 0.9)
        elif any(len(t) >= 3 and t in b for t in tokens(text)) or b in c:
            best = max(best, 0.7)
    return best


def _company_score(seg: Segment, heights: list[float], brands: Sequence[str], top: int) -> float:
    toks = tokens(seg.text)
    words = seg.text.split()
    domain = _domain_match(seg.text, brands)
    if (
        not toks
        or (sum(len(t) for t in toks) < MIN_COMPANY_LETTERS and domain < 1.0)
        or "@" in seg.text
        or len(words) > MAX_COMPANY_WORDS
        or len(re.findall(r"\d", seg.text)) >= 3
        or all(t in STOPWORDS or t in LABELS for t in toks)
        or title_score(seg.text) > 0
    ):
        return 0.0
    # The biggest free text is usually the logo/company; organisation words and a
    # matching domain confirm it.
    s = 0.3
    rank = heights.index(seg.height) if seg.height in heights else len(heights)
    s += 0.4 if rank == 0 else 0.15 if rank == 1 else 0.0
    s += 0.2 if org_word_count(toks) else 0.0
    s += 0.35 * domain
    s += 0.05 if seg.box.top == top else 0.0
    lower = [w for w in words if w[:1].islower() and fold(w) not in STOPWORDS]
    if len(lower) * 2 > len(words):
        s -= 0.2  # a sentence or slogan, not a name
    return s


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
    legal = _legal_company(segs, blocked)
    if legal is not None:
        return legal
    hosts = [h for h in [*websites, *email_domains] if not is_webmail(h)]
    brands = [brand_label(h) for h in hosts]
    free = [s for s in segs if s.index not in claimed]
    if free:
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
        if scored and scored[0][0] >= MIN_COMPANY_SCORE:
            s, seg = scored[0]
            text = _trim(seg.text)
            return Found(text, score(min(s, 0.85), seg.words), boxes(seg.words), {seg.index})
    if hosts:
        no_words: list[OcrWord] = []
        return Found(_brand_name(hosts[0]), score(RULE_COMPANY_DOMAIN, no_words), [], set())
    return None
