"""Phone numbers with their kind (mobile / work / fax / other) and extension.

phonenumbers does the hard part (formats of every country) under the region the
card was inferred to be from; this module adds OCR repair, label reading in many
languages, extensions phonenumbers does not know, and a guard that keeps a clearly
labelled but unparseable number (valid=False) instead of dropping it.

A number's kind comes from its printed label (or icon letter) when it has one; an
unlabelled number takes the kind its country's numbering plan gives it
(plan_kind), so a mobile printed bare is still filed as a mobile.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import phonenumbers
from phonenumbers import (
    Leniency,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberMatcher,
    PhoneNumberType,
)

from cardscan.extract.address import looks_like_address
from cardscan.extract.contacts import looks_like_web
from cardscan.extract.layout import Found, Segment, above, boxes, score
from cardscan.model import Phone, PhoneKind
from cardscan.words import CJK_PHONE_LABEL_WORDS, PHONE_LABELS, fold, tokens, wordset

_CJK_LABEL_RE = re.compile(
    "|".join(
        sorted(
            (re.escape(fold(w)) for ws in CJK_PHONE_LABEL_WORDS.values() for w in ws.split()),
            key=len,
            reverse=True,
        )
    )
)
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u1100-\u11ff\uf900-\ufaff]")
# Labels of other long numbers printed on cards (tax, company register, bank).
NOT_PHONE = wordset(
    "iban bic swift ust ustid ustidnr vat tva iva piva hrb hra blz kto konto abn acn cnpj "
    "cpf nif nipc cif siret siren rcs kvk btw steuernr steuernummer amtsgericht gst "
    "tax reg crm crea oab creci license licence lic "
    # Company and tax numbers of other countries: India (GSTIN, PAN, CIN, TAN, IEC,
    # FSSAI, Udyam), Taiwan's Unified Business Number (UBN) and
    # 統一編號, Singapore's UEN, Indonesia's NPWP, Vietnam's MST (mã số thuế), Latin
    # America's RFC, RUC, RUT, CUIT, NIT, the US EIN, DUNS, NPI and the licence numbers
    # of estate agents and lenders (DRE, NMLS) and carriers (USDOT), Korea's and Japan's
    # registration numbers, China's taxpayer number.
    "gstin pan cin tan iec fssai udyam msme ubn uen npwp mst rfc ruc rut cuit nit "
    "ein duns npi dre nmls usdot crn brn "
    "統一編號 統一編号 統編 税号 纳税人识别号 登録番号 法人番号 사업자등록번호 사업자번호 법인번호"
)
# Extensions phonenumbers misses ("Ramal 240", "Durchwahl -240", "poste 240").
EXT_WORDS = (
    r"(?:ext|extn|extension|x|ramal|durchwahl|dw|poste|int|interno|interne|toestel|tst|"
    r"anexo|#)"
)
EXT_RE = re.compile(
    rf"^\s*[,;/]?\s*\(?\s*{EXT_WORDS}(?![a-z])\.?\s*[:.#-]?\s*(?P<ext>\d{{1,6}})\)?",
    re.IGNORECASE,
)
EXT_TAIL_RE = re.compile(rf"\s*[,;]?\s*\(?{EXT_WORDS}\.?\s*[:.#-]?\s*\d+\)?\s*$", re.IGNORECASE)
RUN_RE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
DATE_RE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
CONFUSABLE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
MIN_DIGITS_VALID = 6  # shorter "valid" matches are mostly postcodes or house numbers
MIN_DIGITS_KEEP = 7  # a labelled digit run this long is kept even if it won't parse
MAX_DIGITS = 15  # E.164 maximum; longer runs are bank or registry numbers

P = TypeVar("P")

# A word or two right after a number, up to the end of the segment or a separator.
_TRAILING_LABEL = re.compile(r"\s*([^\W\d_][^\d|/,;]{0,20}?)\s*(?:$|[|/,;])")

RULE_VALID_LABELLED = 0.95
RULE_VALID = 0.85
RULE_INVALID = 0.45
RULE_UNPARSED = 0.35

# Numbering-plan types -> the kind an unlabelled number gets. MOBILE is a mobile.
# FIXED_LINE, and the numbers only a business holds (toll-free, shared-cost, a
# "universal access number"), printed on a business card are the office's line: work.
# FIXED_LINE_OR_MOBILE (every US and Canadian number, some others) could be either, and
# the rest (VoIP, personal, pager, premium) say nothing of use: those stay "other"
# rather than a guess the user would have to undo.
PLAN_KINDS = {
    PhoneNumberType.MOBILE: PhoneKind.MOBILE,
    PhoneNumberType.FIXED_LINE: PhoneKind.WORK,
    PhoneNumberType.TOLL_FREE: PhoneKind.WORK,
    PhoneNumberType.SHARED_COST: PhoneKind.WORK,
    PhoneNumberType.UAN: PhoneKind.WORK,
}


def plan_kind(number: str) -> PhoneKind:
    """The kind the numbering plan gives an E.164 number: mobile, work, else other
    (also for a number that is not valid, or not in E.164)."""
    if not number.startswith("+"):
        return PhoneKind.OTHER
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return PhoneKind.OTHER
    if not phonenumbers.is_valid_number(parsed):
        return PhoneKind.OTHER
    return PLAN_KINDS.get(phonenumbers.number_type(parsed), PhoneKind.OTHER)


def _repair_word(word: str) -> str:
    """Fix O/0 and l/1 confusions in a word that is otherwise digits.

    Only words made of digits, phone punctuation and at most a few confusable
    letters are touched, so labels like "Tel" or "Mobil" stay as they are.
    """
    if looks_like_web(word):
        return "~"  # email or URL: never part of a phone number
    if word[:1] == "|" and word[1:2] in ("+", "("):
        return "| " + _repair_word(word[1:])  # a separator bar run into "+971 ...", no 1
    # A middle dot between digits ("79·2555 5264", "03・1234"): a separator phonenumbers
    # does not know; a dot it does.
    word = re.sub(r"(?<=\d)[·•∙・](?=\d)", ".", word)
    digits = sum(c.isdigit() for c in word)
    odd = [c for c in word if not (c.isdigit() or c in "+()-./")]
    if digits >= 2 and odd and all(c in "OoIl|" for c in odd) and len(odd) <= max(2, digits // 3):
        return word.translate(CONFUSABLE)
    return word


def _label_word(tok: str) -> list[str]:
    """A token as label words: itself, without a bar read as "I" or "l" in front ("ITel"),
    or the labels inside a run of CJK text."""
    if tok in PHONE_LABELS:
        return [tok]
    if len(tok) >= 4 and tok[0] in "il" and tok[1:] in PHONE_LABELS:
        return [tok[1:]]
    if _CJK_RE.search(tok):
        return _CJK_LABEL_RE.findall(tok) or [tok]
    return [tok]


def label_tokens(text: str) -> list[str]:
    """Folded tokens of text around a number, as label words: a label printed letter by
    letter or split ("T E L", "C.P.", "Tele Fax") joined back into one, and the rest as
    _label_word reads it."""
    toks = tokens(text)
    out: list[str] = []
    i = 0
    while i < len(toks):
        for n in range(min(4, len(toks) - i), 1, -1):
            joined = "".join(toks[i : i + n])
            if joined in PHONE_LABELS:
                out.append(joined)
                i += n
                break
        else:
            out.extend(_label_word(toks[i]))
            i += 1
    return out


def _kind_of(toks: Sequence[str]) -> PhoneKind | None:
    last = len(toks) - 1
    kinds = {
        PHONE_LABELS[t]
        for i, t in enumerate(toks)
        if t in PHONE_LABELS and (len(t) > 1 or i == last)
    }
    if PhoneKind.MOBILE in kinds:
        return PhoneKind.MOBILE
    if PhoneKind.WORK in kinds:  # "Tel/Fax": a shared line is first of all a phone
        return PhoneKind.WORK
    if PhoneKind.FAX in kinds:
        return PhoneKind.FAX
    return PhoneKind.OTHER if kinds else None


def _label_only(seg: Segment | None) -> PhoneKind | None:
    """Kind when a segment holds nothing but a label ("Mobile:" above the number)."""
    if seg is None or re.search(r"\d", seg.text):
        return None
    toks = label_tokens(seg.text)
    if not toks or len(toks) > 3 or not all(t in PHONE_LABELS for t in toks):
        return None
    return _kind_of(toks)


def _phone_like(raw: str) -> bool:
    """Looks printed as a phone: "+..", "(..)" or three or more digit groups; no date."""
    if DATE_RE.match(raw.strip()):
        return False
    return raw.lstrip().startswith(("+", "(")) or len(re.findall(r"\d+", raw)) >= 3


@dataclass
class _Cand:
    start: int
    end: int
    raw: str
    number: PhoneNumber | None
    extension: str | None


def _candidates(text: str, region: str) -> list[_Cand]:
    cands: list[_Cand] = []
    for pm in PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
        cands.append(_Cand(pm.start, pm.end, pm.raw_string, pm.number, pm.number.extension))
    for m in RUN_RE.finditer(text):  # digit runs phonenumbers would not take
        if not any(c.start < m.end() and m.start() < c.end for c in cands):
            cands.append(_Cand(m.start(), m.end(), m.group(0), None, None))
    return sorted(cands, key=lambda c: c.start)


def _digits(raw: str) -> str:
    d = re.sub(r"\D", "", raw)
    return "+" + d if raw.lstrip().startswith("+") else d


# Between two numbers under one label ("Tel: 0261 401407 / 0261 401408").
_LIST_SEPARATOR = re.compile(r"\s*[/|,;&]\s*")


def _kind_for(
    c: _Cand,
    i: int,
    prefix: str,
    text: str,
    seg: Segment,
    segs: Sequence[Segment],
    previous: PhoneKind | None,
) -> PhoneKind | None:
    """The label's kind: before the number, else in the left column or the line above
    (for the first number of a segment without any label), else "(mobile)" or a bare
    label word right after it. A number that only a separator parts from the labelled
    number before it is under the same label (`previous`)."""
    kind = _kind_of(label_tokens(prefix)[-3:])
    if kind is None and previous is not None and _LIST_SEPARATOR.fullmatch(prefix):
        return previous
    if kind is None and i == 0 and not tokens(prefix):
        left = [s for s in segs if s.line_no == seg.line_no and s.col == seg.col - 1]
        kind = _label_only(left[0] if left else None) or _label_only(above(seg, segs))
    if kind is None and (m := re.match(r"\s*\(([^)\d]{1,20})\)", text[c.end :])):
        kind = _kind_of(label_tokens(m.group(1)))
    if kind is None and (
        m := re.match(r"\s*([^\W\d_][^\d|/,;]{0,20}?)\s*(?:$|[|/,;])", text[c.end :])
    ):
        # A label printed after the number: "612 39 80 29 Móvil", "0171 234567 mobile".
        after = label_tokens(m.group(1))
        if after and len(after) <= 2 and all(t in PHONE_LABELS and len(t) > 1 for t in after):
            kind = _kind_of(after)
    return kind


def _judge(
    c: _Cand, labelled: bool, address_like: bool, label_next: bool = False
) -> tuple[str, bool, float] | None:
    """(raw, valid, rule strength) when the candidate is a phone, else None."""
    raw = EXT_TAIL_RE.sub("", c.raw).strip() if c.extension else c.raw.strip()
    n_digits = len(re.sub(r"\D", "", raw))
    valid = c.number is not None and phonenumbers.is_valid_number(c.number)
    if (valid and n_digits < MIN_DIGITS_VALID) or n_digits > MAX_DIGITS:
        return None
    if not valid and (
        n_digits < MIN_DIGITS_KEEP or not (labelled or _phone_like(raw)) or DATE_RE.match(raw)
    ):
        return None
    if address_like and not labelled and not (valid and raw.startswith("+")):
        return None  # house numbers and postcodes
    if address_like and not valid and not label_next:
        # "Tel Aviv 6688112, Israel": a label word, then a place, then its postcode; a
        # label right before the number ("Tel: 555-1234 · 12 Main St") still labels it.
        return None
    if valid:
        return raw, True, RULE_VALID_LABELLED if labelled else RULE_VALID
    return raw, False, RULE_INVALID if c.number is not None else RULE_UNPARSED


# More digits than any postcode (a US ZIP+4 has 9): a valid number this long that alone
# makes its line look like an address ("0912-345-678" fits a postcode pattern) is a phone.
MIN_DIGITS_NOT_POSTCODE = 10


def _in_address(c: _Cand, text: str) -> bool:
    """Whether the candidate sits in an address line: the line looks like one without it,
    or the candidate is short or invalid enough to be its postcode or house number."""
    digits = len(re.sub(r"\D", "", c.raw))
    if digits < MIN_DIGITS_NOT_POSTCODE or c.number is None:
        return True
    if not phonenumbers.is_valid_number(c.number):
        return True
    return looks_like_address(text[: c.start] + " " + text[c.end :])


def _segment_phones(
    seg: Segment, segs: Sequence[Segment], region: str
) -> list[tuple[Found[Phone], bool]]:
    """The segment's phones, each with whether a label gave its kind."""
    out: list[tuple[Found[Phone], bool]] = []
    j = seg.joined(_repair_word)
    text = j.text
    address_like = looks_like_address(text)
    prev_end = 0
    blocked = rejected = False
    previous: PhoneKind | None = None  # the label of the last number taken
    for i, c in enumerate(_candidates(text, region)):
        prefix = text[prev_end : c.start]
        prev_end = c.end
        kind = _kind_for(c, i, prefix, text, seg, segs, previous)
        previous = None
        # "IBAN DE89 3704 0044 ...": a non-phone label covers the digit groups after it
        # until a phone label; a run glued to a rejected one is part of it.
        if any(t in NOT_PHONE for t in tokens(prefix)[-2:]):
            blocked = True
        elif kind is not None and tokens(prefix):
            blocked = False
        verdict = None
        if not blocked and not (rejected and not prefix.strip()):
            before = tokens(prefix)
            label_next = bool(before) and before[-1] in PHONE_LABELS
            verdict = _judge(c, kind is not None, address_like and _in_address(c, text), label_next)
        rejected = verdict is None
        if verdict is None:
            continue
        raw, valid, rule = verdict
        ext = c.extension
        if not ext and (m := EXT_RE.match(text[c.end :])):
            ext = m.group("ext")
            prev_end = c.end + m.end()
        if c.number is not None:
            number = phonenumbers.format_number(c.number, PhoneNumberFormat.E164)
        else:
            number = _digits(raw)
        phone = Phone(number, kind or PhoneKind.OTHER, raw, valid, ext)
        previous = kind
        words = j.words_in(c.start, c.end)
        out.append((Found(phone, score(rule, words), boxes(words), {seg.index}), kind is not None))
    return out


def _key(phone: Phone) -> tuple[str, str | None]:
    return phone.number, phone.extension or None


def find_phones(segs: Sequence[Segment], region: str) -> list[Found[Phone]]:
    """All phones on the card in reading order, numbers read under `region`.

    A number printed twice keeps the kind of its labelled printing; one printed
    without any label takes its numbering plan's kind (a label always wins, even
    "Home", which is "other").
    """
    found = [item for seg in segs for item in _segment_phones(seg, segs, region)]
    labelled = {_key(f.value) for f, has_label in found if has_label}
    out = merge_duplicates([f for f, _ in found], lambda f: f.value)
    for f in out:
        if _key(f.value) not in labelled:
            f.value.kind = plan_kind(f.value.number)
    return out


def merge_duplicates(items: Sequence[P], phone_of: Callable[[P], Phone]) -> list[P]:
    """Drop repeats of the same number+extension, keeping the first specific kind."""
    kept: dict[tuple[str, str | None], P] = {}
    for item in items:
        phone = phone_of(item)
        key = _key(phone)
        if key not in kept:
            kept[key] = item
            continue
        first = phone_of(kept[key])
        if first.kind == PhoneKind.OTHER and phone.kind != PhoneKind.OTHER:
            first.kind = phone.kind
    return list(kept.values())
