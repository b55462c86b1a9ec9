"""What the verdict knows about each field of a reading: a few numbers per field.

The calibration (cardscan.calibration) maps these to the chance that the field is right.
They are computed from what extraction reports (the contact, its raw confidences and
evidence boxes, the issues) and from the OCR reading, never from inside the finders: so
a change to a finder only needs the model fitted again (`python -m tools.calibrate`), not
a change here.

Each field is described in one of two states, each with its own model:
- "read": the field has a value. Is it the card's value?
- "empty": the reading left it empty. Does the card really have none?
A feature is a plain float; a missing one is never None (the model needs numbers), and
every feature has a reason (REASONS) shown to the user when it is what makes the field
doubtful.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

from cardscan.extract.domains import brand_label, clean_host, is_webmail
from cardscan.extract.lexicon import LEGAL_RE, legal_suffix_end, title_score
from cardscan.extract.names import email_match, is_mailbox
from cardscan.model import FIELDS, Box, Extraction, Issue, OcrResult
from cardscan.words import fold

Features = dict[str, float]
READ, EMPTY = "read", "empty"

# Why a field is doubtful, by the feature that pulls its probability down most, for the
# issue's message (cardscan.calibration.judge). "{field}" is filled in.
REASONS: dict[str, str] = {
    "raw": "the reading's own score for it is low",
    "ocr_mean": "read with low OCR confidence",
    "ocr_min": "a word of it was read with low OCR confidence",
    "no_evidence": "not printed text: taken from the email or web domain or a QR code",
    "issue": "a check on it failed",
    "words": "its number of words is unusual for a {field}",
    "caps": "printed in capitals, which hides where words and names begin",
    "non_latin": "written in a script cardscan reads less surely",
    "email_agree": "it does not match the email address",
    "lexicon": "it has no job-title word",
    "legal": "it has no legal form (Ltd, GmbH...)",
    "domain_agree": "it does not match the email or web domain",
    "count": "the card gives an unusual number of them",
    "webmail": "a webmail address",
    "label_glued": "a label may be glued to it (e-mail, E:)",
    "invalid": "a number is not valid for its country",
    "kind_other": "a number's kind (mobile, work, fax) is not printed",
    "parts": "it has few parts (street, postcode, city)",
    "postcode": "no postcode in it",
    "name_read": "no person's name was read",
    "site_hint": "the card has a company domain, so it may name the company",
    "at_sign": "the card's text has an @",
    "digit_runs": "unused lines of the card hold long digit runs",
    "web_hint": "the card's text looks like it holds a web address",
    "digit_lines": "unused lines of the card hold numbers",
    "card_lines": "the card has an unusual amount of text",
    "card_ocr": "the card was read with low OCR confidence",
    "card_unused": "many lines of the card were not used by any field",
    "card_non_latin": "the card is partly in a script cardscan reads less surely",
    "card_emails": "the card has emails of several people",
    "confusable": "it holds a letter OCR often mistakes (I for l, 0 for O)",
    "stray": "a stray letter or two at its start or end, perhaps from a logo",
    "domain_exact": "it is not spelt as the email or web domain is",
    "name_agree": "it does not match the person's name",
    "handle_hint": "unused lines of the card look like a profile or handle",
    "mailbox_only": "the card's emails are not only shared mailboxes (info@, office@)",
}

# Shapes OCR confusions leave: a capital I amid lower case or dots ("s.r.I."), a 0 or 1
# between letters, a bar. Real words rarely have them, so they point at a misreading.
_CONFUSABLE = re.compile(r"(?<=[a-z.])I(?=[a-z.]|$)|(?<=[A-Za-z])[01](?=[A-Za-z])|\|")


def _confusable(text: str) -> float:
    return float(_CONFUSABLE.search(text) is not None)


def _non_latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    other = sum(not unicodedata.name(c, "LATIN").startswith("LATIN") for c in letters)
    return other / len(letters)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _agrees_with_domain(text: str, hosts: Sequence[str]) -> float:
    """1 when a text and a (non-webmail) domain's brand name are the same letters."""
    mine = _compact(text)
    best = 0.0
    for host in hosts:
        brand = _compact(brand_label(host))
        if len(mine) < 2 or len(brand) < 2:
            continue
        if brand in mine or mine in brand:
            return 1.0
        best = max(best, fuzz.partial_ratio(mine, brand) / 100.0)
    return best


def _company_hosts(ex: Extraction) -> list[str]:
    hosts = [e.rsplit("@", 1)[1] for e in ex.contact.emails if "@" in e]
    hosts += [clean_host(w) for w in ex.contact.websites]
    return [h for h in hosts if h and not is_webmail(h)]


class Card:
    """The card-level signals, and the OCR words' confidences by box (for evidence)."""

    def __init__(self, ex: Extraction, ocr: OcrResult, issues: Sequence[Issue]) -> None:
        self.ex, self.ocr = ex, ocr
        self.issues = [*ex.issues, *issues]
        words = [w for line in ocr.lines for w in line.words]
        self.conf_by_box: dict[Box, float] = {w.box: w.conf / 100.0 for w in words}
        self.mean_conf = sum(w.conf for w in words) / 100.0 / len(words) if words else 0.0
        self.unused = list(ex.unused)
        locals_ = {e.rsplit("@", 1)[0].casefold() for e in ex.contact.emails if "@" in e}
        generic = {"info", "contact", "office", "hello", "sales", "mail", "admin", "support"}
        self.features: Features = {
            "card_lines": math.log1p(len(ocr.lines)),
            "card_ocr": min(max(self.mean_conf, 0.0), 1.0),
            "card_unused": math.log1p(len(self.unused)),
            "card_non_latin": _non_latin_share(ocr.text),
            "card_emails": float(len(locals_ - generic) > 1),
        }

    def evidence(self, field: str) -> Features:
        """How sure OCR was of the words a field was read from; 1 when it has no words
        (from the domain or a QR code), which no_evidence tells apart."""
        confs = [c for b in self.ex.evidence.get(field, []) if (c := self.conf_by_box.get(b))]
        if not confs:
            return {"ocr_mean": 1.0, "ocr_min": 1.0, "no_evidence": 1.0}
        return {
            "ocr_mean": sum(confs) / len(confs),
            "ocr_min": min(confs),
            "no_evidence": 0.0,
        }

    def has_issue(self, field: str) -> float:
        return float(any(i.field == field for i in self.issues))


def _name(card: Card) -> Features:
    name = card.ex.contact.name or ""
    words = name.split()
    locals_ = [e.rsplit("@", 1)[0] for e in card.ex.contact.emails if "@" in e]
    core = [w.strip(".,") for w in words]
    agree = max((email_match(core, local) for local in locals_), default=0.0)
    letters = [c for c in name if c.isalpha()]
    return {
        "words": float(len(words)),
        "caps": float(bool(letters) and all(c.isupper() for c in letters if c.isascii())),
        "non_latin": _non_latin_share(name),
        "email_agree": agree,
        "confusable": _confusable(name),
    }


def _title(card: Card) -> Features:
    title = card.ex.contact.title or ""
    return {
        "words": float(len(title.split())),
        "lexicon": title_score(title),
        "confusable": _confusable(title),
    }


def _company(card: Card) -> Features:
    company = card.ex.contact.company or ""
    legal = LEGAL_RE.search(company)
    core = company[: legal.start()] if legal else company  # the name without "GmbH"
    words = core.replace(",", " ").split()
    hosts = _company_hosts(card.ex)
    brands = {_compact(brand_label(h)) for h in hosts}
    # A word of one or two letters at either end: often a logo's initials read as text.
    stray = bool(words) and any(len(w) <= 2 and w.isalpha() for w in (words[0], words[-1]))
    return {
        "words": float(len(company.split())),
        "legal": float(legal_suffix_end(company) is not None),
        "domain_agree": _agrees_with_domain(company, hosts),
        "domain_exact": float(_compact(core) in brands) if brands else 0.5,
        "stray": float(stray and len(words) > 1),
        "confusable": _confusable(company),
        "non_latin": _non_latin_share(company),
    }


_LABEL_GLUED = re.compile(r"^(?:e-?mail|mail|email|e)[.\-_:]", re.IGNORECASE)


def _emails(card: Card) -> Features:
    emails = card.ex.contact.emails
    hosts = [e.rsplit("@", 1)[1] for e in emails if "@" in e]
    sites = [clean_host(w) for w in card.ex.contact.websites]
    agree = [_agrees_with_domain(brand_label(h), sites) for h in hosts if not is_webmail(h)]
    name = [w.strip(".,") for w in (card.ex.contact.name or "").split()]
    locals_ = [e.rsplit("@", 1)[0] for e in emails if "@" in e]
    # The person's own address usually spells their name ("lsmith" for Linda Smith); a
    # misread letter breaks that. So does a domain of their own ("hello@janedoe.studio").
    # 0.5 when there is nothing to compare: no name, or only shared mailboxes (info@,
    # hello@), which spell no one's name and say nothing against the reading.
    personal = [local for local in locals_ if not is_mailbox(local)]
    own = [brand_label(h) for h in hosts if not is_webmail(h)]
    name_agree = max((email_match(name, x) for x in (*personal, *own)), default=0.0)
    if not personal:
        name_agree = max(name_agree, 0.5)
    return {
        "count": float(len(emails)),
        "name_agree": name_agree if name else 0.5,
        "webmail": float(any(is_webmail(h) for h in hosts)),
        "label_glued": float(any(_LABEL_GLUED.match(e) for e in emails)),
        "domain_agree": min(agree) if agree and sites else 0.5,
    }


def _phones(card: Card) -> Features:
    phones = card.ex.contact.phones
    n = max(len(phones), 1)
    return {
        "count": float(len(phones)),
        "invalid": sum(not p.valid for p in phones) / n,
        "kind_other": sum(str(p.kind) == "other" for p in phones) / n,
    }


def _websites(card: Card) -> Features:
    sites = card.ex.contact.websites
    hosts = [e.rsplit("@", 1)[1] for e in card.ex.contact.emails if "@" in e]
    hosts = [h for h in hosts if not is_webmail(h)]
    agree = [_agrees_with_domain(brand_label(clean_host(w)), hosts) for w in sites]
    return {
        "count": float(len(sites)),
        "domain_agree": min(agree) if agree and hosts else 0.5,
    }


def _address(card: Card) -> Features:
    address = card.ex.contact.address or ""
    return {
        "words": math.log1p(len(address.split())),
        "parts": float(len([p for p in address.split(",") if p.strip()])),
        "postcode": float(bool(re.search(r"\d{4,}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", address))),
    }


_HANDLE = re.compile(
    r"(?i)(?:^|\s)@\w|linkedin|twitter|instagram|facebook|youtube|tiktok|\bx\.com|\bx@"
)


def _handle_hint(card: Card) -> float:
    """1 when a line no field used looks like a profile or handle (one may be missed)."""
    return float(any(_HANDLE.search(line) for line in card.unused))


def _social(card: Card) -> Features:
    return {"count": float(len(card.ex.contact.social)), "handle_hint": _handle_hint(card)}


_READ = {
    "name": _name,
    "title": _title,
    "company": _company,
    "emails": _emails,
    "phones": _phones,
    "websites": _websites,
    "address": _address,
    "social": _social,
}


def _digit_runs(lines: Sequence[str]) -> float:
    return float(sum(len(re.sub(r"\D", "", line)) >= 7 for line in lines))


def _name_hints(card: Card) -> Features:
    """Whether a card read without a person's name has none: a shop's card gives a
    shared mailbox (info@, office@) and no one's own address. (A name spelled out by an
    email would have been read from it already.) Tried as well on 2026-12-07 and left
    out: a person's own address (jramos@) and a left-over line holding a known name;
    the fitting cards hold too few of either to learn their weight.
    """
    locals_ = [e.rsplit("@", 1)[0] for e in card.ex.contact.emails if "@" in e]
    return {"mailbox_only": float(bool(locals_) and all(is_mailbox(x) for x in locals_))}


def _empty(card: Card, field: str) -> Features:
    """What hints that the card has a field the reading left empty."""
    text = card.ocr.text
    if field == "name":
        return _name_hints(card)
    if field == "title":
        return {"name_read": float(bool(card.ex.contact.name))}
    if field == "company":
        return {"site_hint": float(bool(_company_hosts(card.ex)))}
    if field == "emails":
        return {"at_sign": float("@" in text)}
    if field == "phones":
        return {"digit_runs": _digit_runs(card.unused)}
    if field == "websites":
        web = re.search(r"(?i)\bwww\b|https?:|\.(?:com|net|org|de|co)\b", text) is not None
        return {"web_hint": float(web), "site_hint": float(bool(_company_hosts(card.ex)))}
    if field == "social":
        return {"handle_hint": _handle_hint(card)}
    if field == "address":
        return {"digit_lines": float(sum(any(c.isdigit() for c in u) for u in card.unused))}
    return {}


def _filled(ex: Extraction, field: str) -> bool:
    return bool(getattr(ex.contact, field, None))


def field_features(
    ex: Extraction, ocr: OcrResult, issues: Sequence[Issue]
) -> dict[str, tuple[str, Features]]:
    """Per field (FIELDS): its state (READ or EMPTY) and its features.

    Call it before the confidences are calibrated: `raw` is the extractor's own.
    """
    card = Card(ex, ocr, issues)
    out: dict[str, tuple[str, Features]] = {}
    for field in FIELDS:
        if _filled(ex, field):
            features = {"raw": float(ex.confidence.get(field, 0.5))}
            features |= card.evidence(field)
            features["issue"] = card.has_issue(field)
            features |= _READ[field](card)
            out[field] = (READ, features | card.features)
        else:
            out[field] = (EMPTY, _empty(card, field) | card.features)
    return out
