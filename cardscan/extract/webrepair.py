"""Emails and web addresses as OCR and print leave them, put right where the evidence is clear.

- A label glued to an email ("E-mailjane@", "Mail.jane@", "邮箱jane@") is not part of it.
- A domain whose last label ran into what followed it ("acme.orgl" with a bar read as
  "l", "acme.comTel", "acme.edubusiness.acme.edu" where the next line's host joined it)
  is cut where its TLD ends, but only when what follows is clearly not part of it: a
  bar, a label word, or a host of the same registrable domain (which is then a web
  address of its own).
- A dot lost inside a known multi-label suffix ("acme.cojp") is put back.
- An email domain that lost its last label at the card's line break ("snu.ac") takes it
  back from the card's web address ("www.snu.ac.kr") or from the line under it ("kr").

Nothing is invented: without such evidence a broken domain stays broken (and the email
is left out, as before), so a wrong address never looks right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cardscan.extract.domains import (
    GENERIC_TLDS,
    is_known_tld,
    is_public_tld,
    public_suffix,
    registrable,
)
from cardscan.words import fold, wordset

# Email labels OCR glues to the address: "E-mail", "Email", "E.mail", "E_mail", "Mail",
# with the usual confusions of "i" and "l" ("E-maii", "Emai1", "E-Mai|"), and the
# label words of other languages ("E-post", "Emel", "Correo", "Courriel").
_MAIL = r"ma[il1|!][il1|]"
_LABEL_RE = re.compile(
    rf"(?P<label>(?P<e>e\s?[-‐–_.]?\s?){_MAIL}|{_MAIL}|(?P<ep>e-?post|emel)|correo|courriel)"
    r"(?P<sep>[\s.:_-]*)",
    re.IGNORECASE,
)
# Single letters and words that, with ". " after them, are a label before an email
# ("E. jane@", "M. jane@").
SPACED_LABELS = wordset("email mail e m correo courriel contact kontakt")
# A run of Chinese, Japanese or Korean letters glued in front ("邮箱jane@", "이메일jane@").
_CJK_HEAD_RE = re.compile(
    r"^[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u1100-\u11ff\uf900-\ufaff]+(?=[A-Za-z0-9])"
)
# Words printed right after a web address or email that OCR may join to its last label.
LABEL_WORDS = wordset(
    "tel tele phone ph mobile mob cell fax email mail web website homepage url www office "
    "direct work contact call"
)
# A separator bar misread as a letter ("acme.org|www..." -> "acme.orglwww...").
_BAR_LETTERS = frozenset("li1|!")


def _enough(rest: str) -> bool:
    """At least two letters or digits: what a label leaves must be an address."""
    return len(re.sub(r"[\W_]", "", rest)) >= 2


def strip_email_label(local: str) -> str:
    """The local part without a label glued in front of it.

    Decided for the ambiguous cases, as OCR capitalises the start of a line: a label is
    dropped only when an address of at least two characters remains, and only when it
    cannot be the address's own start: a hyphen or dot inside it ("E-mail", "e.mail."),
    an e-mail word written with a capital ("Emailjane", "EMAIL"), or a capitalised label
    with a separator after it ("Mail.jane", "Correo:"). So "e.mail@", "email@",
    "mail@", "emailme@", "mail.room@" and "Mailbox@" survive whole.
    """
    local = _CJK_HEAD_RE.sub("", local)
    head, spaced, rest = local.partition(". ")
    if spaced and fold(head).replace("-", "") in SPACED_LABELS and _enough(rest):
        return rest  # "Email. jane", "E. jane": OCR kept the label's dot and space
    m = _LABEL_RE.match(local)
    if m is None:
        return local
    rest = local[m.end() :]
    if not _enough(rest):
        return local  # the label is the whole address ("email@", "e.mail@")
    label, sep, e = m.group("label"), m.group("sep"), m.group("e") or m.group("ep")
    inner = bool(e) and bool(re.search(r"[-‐–_.]", e))
    capital = label[:1].isupper()
    if inner or (capital and (e or sep)):
        return rest
    return local


@dataclass(frozen=True)
class Domain:
    """An email's domain as repaired, and a host that had run into it (a web address)."""

    name: str
    run_in: str | None = None


def _has_suffix(labels: list[str]) -> bool:
    """The labels end in a public suffix and have a name under it ("acme" + "co.uk")."""
    if len(labels) < 2 or not is_public_tld(labels[-1]):
        return False
    suffix = public_suffix(".".join(labels))
    return len(suffix.split(".")) < len(labels)


def _cut_run_in(labels: list[str]) -> tuple[list[str], str | None] | None:
    """Where a label starts with a TLD and runs on ("edubusiness", "orgl", "comtel"): the
    labels up to that TLD and the host that ran in, when what follows is clearly not part
    of the domain; None when no label runs on."""
    for k in range(1, len(labels)):
        label, last = labels[k], k == len(labels) - 1
        if last and is_public_tld(label):
            return None
        for cut in range(min(len(label) - 1, 24), 1, -1):
            tld, rest = label[:cut], label[cut:]
            head = [*labels[:k], tld]
            if not is_public_tld(tld) or not _has_suffix(head):
                continue
            tail = ".".join([rest, *labels[k + 1 :]])
            if last and (rest in _BAR_LETTERS or rest in LABEL_WORDS):
                return head, None
            if not last and (rest == "www" or registrable(tail) == registrable(".".join(head))):
                return head, tail
    return None


def _put_back_dot(label: str) -> str | None:
    """ "cojp" -> "co.jp": a last label that is no TLD but a multi-label public suffix
    with its dot lost."""
    for i in range(2, len(label) - 1):
        joined = f"{label[:i]}.{label[i:]}"
        if is_public_tld(label[i:]) and public_suffix("example." + joined) == joined:
            return joined
    return None


def email_domain(raw: str) -> Domain | None:
    """An email's domain from its OCR text: spaces and trailing label words removed,
    a host run into it cut off, a lost dot in its suffix put back; None when it has no
    plausible public suffix."""
    labels = [lab for lab in re.split(r"[\s.]+", raw.lower()) if lab]
    if "." not in raw:
        # "acme de", "acme com au": the dots were read as gaps; only common TLDs, so
        # "jane@acme inc" is no address.
        if len(labels) >= 2 and all(is_known_tld(lab) for lab in labels[1:]):
            return Domain(".".join(labels))
        return None
    run_in = None
    if (cut := _cut_run_in(labels)) is not None:
        labels, run_in = cut
    while len(labels) > 2 and (
        (labels[-1] in LABEL_WORDS and "." not in public_suffix(".".join(labels)))
        or not is_public_tld(labels[-1])
    ):
        labels.pop()  # "acme.com.Mobile", "acme.com.x1"; not "acme.com.ph" (com.ph)
    if len(labels) >= 2 and not is_public_tld(labels[-1]):
        fixed = _put_back_dot(labels[-1])
        if fixed is not None:
            labels = [*labels[:-1], *fixed.split(".")]
    if not _has_suffix(labels) and not _mail_suffix(labels):
        return None
    return Domain(".".join(labels), run_in)


# Second-level labels under which nobody has a mailbox of their own ("jane@co.uk").
_SHARED_SECOND = wordset("com co net org ac edu or ne go")


def _mail_suffix(labels: list[str]) -> bool:
    """A public suffix that is itself a mail domain: India's government mail
    ("rajesh.kumar@nic.in", "@gov.in") sits right on a suffix of the list."""
    return (
        len(labels) == 2
        and is_public_tld(labels[-1])
        and public_suffix(".".join(labels)) == ".".join(labels)
        and labels[0] not in _SHARED_SECOND
    )


def _lost_last_label(seen: str, domain: str) -> bool:
    """ "snu.ac" is "snu.ac.kr" less its last label: the email's TLD is the first label
    of the longer domain's multi-label suffix ("ac" of "ac.kr"). Not for a generic TLD:
    "acme.com" beside "acme.com.au" is two real domains a company may well hold both of."""
    if not domain.startswith(seen + "."):
        return False
    tld = seen.rsplit(".", 1)[-1]
    suffix = public_suffix(domain)
    return tld not in GENERIC_TLDS and "." in suffix and suffix.split(".")[0] == tld


def domain_from_sites(found: str, sites: list[str]) -> str | None:
    """The registrable domain of the card's web address when the email's domain is it
    less its last label ("snu.ac" beside "www.snu.ac.kr"), else None."""
    for site in sites:
        domain = registrable(site)
        if _lost_last_label(found, domain):
            return domain
    return None


def continued(found: str, next_line: str, dangling_dot: bool) -> str | None:
    """The email's domain completed by the line under it, when that line holds nothing
    but the rest of a longer public suffix ("snu.ac" over "kr" or ".kr"): the card broke
    the address there. The break must show (a dot left at the end of the email's line or
    at the start of the next), or the email's TLD must be the first label of the longer
    suffix and no generic one (as in _lost_last_label). None otherwise."""
    text = next_line.strip().rstrip(",;")
    rest = text.lstrip(".").lower()
    if not re.fullmatch(r"[a-z]{2,3}(?:\.[a-z]{2,3})?", rest):
        return None
    whole = f"{found}.{rest}"
    suffix = public_suffix(whole)
    if len(suffix.split(".")) <= len(public_suffix(found).split(".")):
        return None
    if not (dangling_dot or text.startswith(".") or _lost_last_label(found, whole)):
        return None
    return whole if _has_suffix(whole.split(".")) else None
