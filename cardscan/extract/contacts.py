"""Emails, websites and social profiles: the text-pattern fields.

All three are found per segment with tolerant regexes. Emails are found first and
blanked out, so the domain of an email is never also read as a website; social
network URLs are kept apart from websites.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cardscan.extract.domains import (
    WEBMAIL,
    brand_label,
    clean_host,
    is_known_tld,
    is_public_tld,
    registrable,
)
from cardscan.extract.layout import Found, Joined, Segment, below, boxes, score
from cardscan.extract.names import is_mailbox
from cardscan.extract.webrepair import (
    Domain,
    continued,
    domain_from_sites,
    email_domain,
    strip_email_label,
)
from cardscan.model import OcrWord

# Rule strengths (before OCR confidence scales them).
EMAIL_RULE = 0.95
WEBSITE_RULE_EXPLICIT = 0.9  # scheme or www. printed
WEBSITE_RULE_BARE = 0.75  # bare "acme.com"
SOCIAL_URL_RULE = 0.9
SOCIAL_LABEL_RULE = 0.75
SOCIAL_BARE_RULE = 0.5

EMAIL_RE = re.compile(
    # OCR puts a space after a dot inside the local part ("nico. vilar@"); a label in
    # front ("Email. jane@") is cut off again by _local().
    r"(?<![\w.%+'-])(?P<local>[\w%+'-][\w.%+'-]*(?:\.\s[\w%+'-][\w.%+'-]*)?)\s{0,2}@\s{0,2}"
    # Spaces are tolerated around a dot only before a lowercase label, so
    # "acme.com. Mobile" does not swallow the next word; a domain without any dot may
    # have its TLD after a space ("acme de", "acme com au": the dot was read as a gap).
    r"(?P<domain>[\w-]+(?:(?:\.[\w-]+|\s?\.\s?[a-z0-9-]+)+|(?:\s[a-z]{2,3}(?![\w@-])){1,2}))"
    r"(?![\w-])"
)
URL_RE = re.compile(
    r"(?<![\w@.-])(?P<url>(?P<scheme>https?://)?(?P<www>www\d?\.)?"
    r"(?P<host>(?:[\w-]+\.)+(?P<tld>[A-Za-z]{2,24}))(?P<path>/\S*)?)(?![\w-])",
    re.IGNORECASE,
)
# "www. acme.com", "www acme.com", "wwww.acme.com", "www.acme. de", "www.acme,.ca":
# OCR spaces, doubled w and commas around the dots of a printed web address.
WWW_FIX_RE = re.compile(
    r"\b(?P<www>w{3,4})(?:\s?[.,]\s?|\s)(?P<host>[\w-]+(?:(?:\.\s|\s\.|[.,]{1,2})[\w-]+)+)",
    re.IGNORECASE,
)
WWW_MISREAD_RE = re.compile(
    r"^(?!www\.)(?=[vw]*w)(?:vv|w){2,4}\.(?=[\w-]+\.[A-Za-z]{2,})", re.IGNORECASE
)
TLD_ZERO_RE = re.compile(r"[\w-]\.([a-z0]*0[a-z0]*)$", re.IGNORECASE)
LINKEDIN_PATH_RE = re.compile(r"(?<![\w./])/?in/(?P<h>[\w-]{2,100})", re.IGNORECASE)
LINKEDIN_ICON_RE = re.compile(r"^\W*\[?in\]?[\W\s]+@?(?P<h>[A-Za-z][\w-]{2,100})\W*$")
HANDLE_RE = re.compile(r"(?<![\w@])@(?P<h>[A-Za-z0-9_][A-Za-z0-9_.]{1,29}[A-Za-z0-9_]|\w)(?![\w@])")
SOCIAL_LABEL_RE = re.compile(
    # Full network names may be followed by just a space; short ones ("X", "IG", "Li")
    # need a colon or an "@" so "Li Wei" or "x240" are not read as handles.
    r"(?<!\w)(?:(?P<label>twitter|insta|instagram|facebook|linkedin|github|xing|youtube|"
    r"tiktok|threads|telegram|behance|dribbble|pinterest|skype|wechat|weixin|kakaotalk|"
    r"微信|카카오톡)(?:\s*(?:id)?\s*[:：]\s*|\s+)"
    # LINE's ID only with its colon: "Direct Line +44..." is a phone's label.
    r"|(?P<short>xx?|ig|fb|li|gh|yt|tg|line(?:\s?id)?)(?:\s*[:：]\s*|\s+(?=@)))"
    r"(?P<h>@?[A-Za-z0-9_][\w.-]{1,99})",
    re.IGNORECASE,
)
# The X logo read as a letter or a sign run into the handle: "x@jane", "×@jane" (no
# domain: no email).
GLUED_X_RE = re.compile(r"(?<!\w)(?:[xX]{1,2}|[×✕𝕏])\s?@(?P<h>[A-Za-z0-9_]{2,30})(?![\w.@])")
ICON_GAP = 4.0  # line heights between an icon read as a letter and the handle it labels
TRAILING_PUNCT = ".,;:!?)]}'\"»<>"
# "HOMEPAGEwww.acme.com", "URLhttp://...": a label glued in front of a web address.
GLUED_WEB_RE = re.compile(r"(?<=[^\W_])(?=(?:www\d?\.|https?://))", re.IGNORECASE)

# Profile hosts (registrable domain) -> social key.
SOCIAL_HOSTS = {
    "linkedin.com": "linkedin", "twitter.com": "twitter", "x.com": "twitter",
    "instagram.com": "instagram", "instagr.am": "instagram", "facebook.com": "facebook",
    "fb.com": "facebook", "fb.me": "facebook", "github.com": "github", "xing.com": "xing",
    "youtube.com": "youtube", "youtu.be": "youtube", "tiktok.com": "tiktok",
    "pinterest.com": "pinterest", "behance.net": "behance", "dribbble.com": "dribbble",
    "medium.com": "medium", "threads.net": "threads", "t.me": "telegram",
    "wa.me": "whatsapp", "vimeo.com": "vimeo", "mastodon.social": "mastodon",
}  # fmt: skip
SOCIAL_LABELS = {
    "twitter": "twitter", "x": "twitter", "ig": "instagram", "insta": "instagram",
    "instagram": "instagram", "fb": "facebook", "facebook": "facebook",
    "linkedin": "linkedin", "li": "linkedin", "xx": "twitter", "github": "github", "gh": "github",
    "xing": "xing", "youtube": "youtube", "yt": "youtube", "tiktok": "tiktok",
    "threads": "threads", "telegram": "telegram", "tg": "telegram", "behance": "behance",
    "dribbble": "dribbble", "pinterest": "pinterest", "skype": "skype", "wechat": "wechat",
    "weixin": "wechat", "微信": "wechat", "kakaotalk": "kakaotalk", "카카오톡": "kakaotalk",
    "line": "line", "line id": "line", "lineid": "line",
}  # fmt: skip
# Messengers whose IDs are names in their own right, written without an "@", with the
# fewest characters each allows (WeChat and Skype 6, LINE and KakaoTalk 4): "微信 hf" is
# a note, not an ID.
MESSENGER_IDS = {"skype": 6, "wechat": 6, "kakaotalk": 4, "line": 4}
# An unlabelled "@handle" could be any network; it is kept under this key.
UNLABELLED_SOCIAL = "other"


@dataclass
class ContactFinds:
    emails: list[Found[str]] = field(default_factory=list)
    websites: list[Found[str]] = field(default_factory=list)
    social: dict[str, Found[str]] = field(default_factory=dict)
    seen_sites: set[str] = field(default_factory=set)  # websites without scheme/www


def _email_word(text: str) -> str:
    """Undo OCR and obfuscation noise inside one word of an email."""
    low = text.lower()
    if low in ("(at)", "[at]", "{at}", "＠"):
        return "@"
    if low in ("(dot)", "[dot]", "{dot}"):
        return "."
    # "jane(at)acme.com": the obfuscated "@" inside the word.
    text = re.sub(r"(?<=\w)[(\[{]at[)\]}](?=\w)", "@", text, flags=re.I)
    # "vvww.acme.com", "ww.acme.com": a "w" read as "vv", or one lost.
    text = WWW_MISREAD_RE.sub("www.", text)
    # "acme.c0m": a zero for the "o" of a TLD.
    if (m := TLD_ZERO_RE.search(text)) and is_known_tld(m.group(1).replace("0", "o")):
        text = text[: m.start(1)] + m.group(1).replace("0", "o") + text[m.end(1) :]
    # A bar before a glued web address is a separator ("acme.org|www.acme.org"), and a
    # label glued in front is no part of it ("HOMEPAGEwww.acme.com").
    text = GLUED_WEB_RE.sub(" ", re.sub(r"\|(?=www\d?\.|https?://)", " ", text, flags=re.I))
    if "@" in text:
        # "|" is a misread "l" inside a word, after the "@" or as an initial ("|.doe@").
        text = re.sub(r"(?<=[A-Za-z@])\|(?=[A-Za-z])|^\|(?=\.)", "l", text)
        text = re.sub(r"(?<=[a-z]),(?=[a-z]{2,}$)", ".", text)
        # A comma between letters before the "@" is a misread dot ("jane,doe@"): an
        # address has no comma, and without this the part before it was lost. Only
        # before the first "@", so a comma between two addresses stays a separator.
        at = text.index("@")
        text = re.sub(r"(?<=\w),(?=\w)", ".", text[:at]) + text[at:]
    return text


def _strip_trailing(value: str) -> str:
    return value.rstrip(TRAILING_PUNCT)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _is_labelled_handle(m: re.Match[str]) -> bool:
    """ "IG @studio.name" is a social label and a handle, not an email with a space."""
    label = m.group("local").lower()
    return label in SOCIAL_LABELS and m.group(0)[len(m.group("local"))].isspace()


def _fix_www(m: re.Match[str]) -> str:
    """ "www. acme.com" / "www acme. de" -> "www.acme.com", padded to keep offsets.

    Only when the repaired host ends in a known TLD; otherwise the text is left alone.
    """
    labels = re.split(r"\.\s|\s\.|[.,]{1,2}", m.group("host"))
    tail = re.match(r"[A-Za-z]+", labels[-1])
    if tail is None or not is_known_tld(tail.group(0)):
        return m.group(0)
    fixed = m.group("www")[:3] + "." + ".".join(labels)
    return fixed + " " * (len(m.group(0)) - len(fixed))


def _local(raw: str) -> str:
    """The local part without OCR spaces or a label glued in front ("E-mail.jane")."""
    return re.sub(r"\s", "", strip_email_label(raw)).strip(".'-")


def social_url(host: str, path: str) -> tuple[str, str] | None:
    """(network, profile) for a link to a profile on a known network, else None."""
    key = SOCIAL_HOSTS.get(registrable(host)) or SOCIAL_HOSTS.get(clean_host(host))
    path = _strip_trailing(path).rstrip("/")
    if key is None or len(path) < 2:
        return None
    base = clean_host(host)
    base = registrable(base) if registrable(base) in SOCIAL_HOSTS else base
    return key, base + path


def _find_urls(seg: Segment, text: str, out: ContactFinds, j: Joined) -> str:
    """Record websites and social URLs in `text`; return it with them blanked out."""
    for m in URL_RE.finditer(text):
        host, path = m.group("host"), m.group("path") or ""
        explicit = bool(m.group("scheme") or m.group("www"))
        brand = registrable(host).split(".")[0]
        social_host = registrable(host) in SOCIAL_HOSTS
        if not explicit and not social_host and not _plausible_bare_host(m):
            continue
        if brand.isdigit() or not re.search(r"[^\W\d_]", host):
            continue  # "12.50" or "1.2.3.ab" is not a host
        words = j.words_in(m.start(), m.end())
        social = social_url(host, path)
        if social is not None:
            key, value = social
            if key not in out.social:
                conf = score(SOCIAL_URL_RULE, words)
                out.social[key] = Found(value, conf, boxes(words), {seg.index})
        elif not social_host:
            if explicit and not is_public_tld(m.group("tld")):
                # "www.acme.comTel", "www.acme.orgl": its last label ran into a word.
                fixed = email_domain(host)
                host, path = (fixed.name, "") if fixed is not None else (host, path)
            value = _strip_trailing(
                (m.group("scheme") or "") + (m.group("www") or "").lower() + host.lower() + path
            )
            rule = WEBSITE_RULE_EXPLICIT if explicit else WEBSITE_RULE_BARE
            _add_website(out, value, score(rule, words), words, seg)
        text = _blank(text, m.start(), m.end())
    return text


def _add_website(
    out: ContactFinds, value: str, conf: float, words: Sequence[OcrWord], seg: Segment
) -> None:
    seen = re.sub(r"^(https?://)?(www\d?\.)?", "", value.lower()).rstrip("/")
    if seen not in out.seen_sites:
        out.seen_sites.add(seen)
        out.websites.append(Found(value, conf, boxes(words), {seg.index}))


def _icon_label(seg: Segment | None) -> str | None:
    """The network of a segment that is only a label or icon read as letters ("X", "xX",
    "in"), printed left of a handle with a gap or bar between them."""
    if seg is None:
        return None
    t = seg.text.strip(" :|").lower()
    t = "x" if re.fullmatch(r"x{1,2}|[×✕𝕏]", t) else t  # the X logo read as a sign too
    return SOCIAL_LABELS.get(t)


def _beside_left(seg: Segment, segs: Sequence[Segment]) -> Segment | None:
    """The segment just left of seg at its height that the OCR read as a line of its own
    (an icon a gap away: "X" beside "@jane")."""
    best: Segment | None = None
    for s in segs:
        gap = seg.box.left - s.box.right
        overlap = min(s.box.bottom, seg.box.bottom) - max(s.box.top, seg.box.top)
        if (
            s.line_no != seg.line_no
            and 0 <= gap <= ICON_GAP * seg.height
            and overlap >= 0.5 * min(s.height, seg.height)
            and (best is None or s.box.right > best.box.right)
        ):
            best = s
    return best


def _find_handles(
    seg: Segment, text: str, out: ContactFinds, j: Joined, left_label: str | None = None
) -> None:
    def add(key: str, value: str, rule: float, start: int, end: int) -> None:
        if key in out.social or not re.search(r"[A-Za-z]", value):
            return
        words = j.words_in(start, end)
        out.social[key] = Found(value, score(rule, words), boxes(words), {seg.index})

    for m in LINKEDIN_PATH_RE.finditer(text):
        add("linkedin", "linkedin.com/in/" + m.group("h"), SOCIAL_LABEL_RULE, m.start(), m.end())
    if (m2 := LINKEDIN_ICON_RE.match(text.strip())) and "@" not in text:
        add("linkedin", "linkedin.com/in/" + m2.group("h"), SOCIAL_BARE_RULE, 0, len(text))
    labelled = False
    for m in SOCIAL_LABEL_RE.finditer(text):
        label = re.sub(r"\s+", " ", (m.group("label") or m.group("short")).lower())
        key = SOCIAL_LABELS[label]
        handle = _strip_trailing(m.group("h")).lstrip("@")
        if len(handle) < MESSENGER_IDS.get(key, 2):
            continue
        labelled = True
        if key == "linkedin":
            value = f"linkedin.com/in/{handle}"
        else:
            value = handle if key in MESSENGER_IDS else f"@{handle}"
        add(key, value, SOCIAL_LABEL_RULE, m.start(), m.end())
    for m in GLUED_X_RE.finditer(text):  # "x@jane": the X logo run into the handle
        labelled = True
        add("twitter", "@" + m.group("h"), SOCIAL_LABEL_RULE, m.start(), m.end())
    if not labelled:
        for m in HANDLE_RE.finditer(text):
            handle = _strip_trailing(m.group("h"))
            if len(handle) >= 2:
                key = left_label if left_label and left_label != "linkedin" else UNLABELLED_SOCIAL
                rule = SOCIAL_LABEL_RULE if key != UNLABELLED_SOCIAL else SOCIAL_BARE_RULE
                add(key, "@" + handle, rule, m.start(), m.end())


@dataclass
class _Email:
    """An email as found on its segment, before the card's web addresses are known."""

    local: str
    domain: Domain | None
    words: list[OcrWord]
    seg: Segment
    at_line_end: bool
    dangling_dot: bool  # the line goes on with a dot after the address: "snu.ac."
    raw_domain: str = ""  # as read, for a domain email_domain could not make out


def _find_emails(seg: Segment, j: Joined, out: ContactFinds, emails: list[_Email]) -> str:
    """Collect the segment's emails; return its text with them blanked out. A host that
    had run into an email's domain is recorded as a web address."""
    text = j.text
    for m in EMAIL_RE.finditer(j.text):
        local = _local(m.group("local"))
        if not local or _is_labelled_handle(m):
            continue
        domain = email_domain(m.group("domain"))
        words = j.words_in(m.start(), m.end())
        after = j.text[m.end() :].strip()
        at_end = not after.strip(TRAILING_PUNCT + " ")
        emails.append(
            _Email(local, domain, words, seg, at_end, after.startswith("."), m.group("domain"))
        )
        if domain is not None and domain.run_in is not None:
            _add_website(out, domain.run_in, score(WEBSITE_RULE_BARE, words), words, seg)
        text = _blank(text, m.start(), m.end())
    return text


def _settle_emails(emails: list[_Email], segs: Sequence[Segment], out: ContactFinds) -> None:
    """Each email with its domain repaired where the card gives clear evidence (its web
    address, or the rest of the domain on the line under it), de-duplicated."""
    sites = [clean_host(w.value) for w in out.websites]
    for e in emails:
        domain = e.domain or _site_of(e.raw_domain, sites)
        if domain is None:
            continue
        name, claims = domain.name, {e.seg.index}
        fixed = domain_from_sites(name, sites)
        if fixed is None and e.at_line_end:
            under = below(e.seg, segs)
            # A lone "in" under an email is LinkedIn's badge, not ".in".
            badge = under is not None and under.text.strip(" .").lower() in {"in", *SOCIAL_LABELS}
            if under is not None and not badge:
                fixed = continued(name, under.text, e.dangling_dot)
                claims |= {under.index} if fixed else set()
        name = fixed or name
        # Lowercased whole: OCR capitalises line starts ("Oliver.pembroke@"), and
        # mail systems treat local parts case-insensitively in practice.
        value = f"{e.local}@{name}".lower()
        if value not in (f.value for f in out.emails):
            out.emails.append(Found(value, score(EMAIL_RULE, e.words), boxes(e.words), claims))


MIN_SITE_NAME = 4  # a domain's name read whole, before a suffix that was not


def _site_of(raw: str, sites: Sequence[str]) -> Domain | None:
    """The card's web domain for an email domain whose suffix could not be read
    ("schmiedeckegbr.a" beside www.schmiedeckegbr.de): its name, read whole, is the web
    address's; else None."""
    name = re.split(r"[\s.]+", raw.lower().strip())[0]
    if len(name) < MIN_SITE_NAME:
        return None
    for site in sites:
        if brand_label(site) == name:
            return Domain(registrable(site))
    return None


def find_contacts(segs: Sequence[Segment]) -> ContactFinds:
    """Emails, websites and social profiles over all segments, de-duplicated."""
    out = ContactFinds()
    by_place = {(s.line_no, s.col): s for s in segs}
    emails: list[_Email] = []
    for seg in segs:
        j = seg.joined(_email_word)
        text = _find_emails(seg, j, out, emails)
        text = _find_urls(seg, WWW_FIX_RE.sub(_fix_www, text), out, j)
        left = by_place.get((seg.line_no, seg.col - 1)) or _beside_left(seg, segs)
        _find_handles(seg, text, out, j, _icon_label(left))
    _settle_emails(emails, segs, out)
    domains = {registrable(clean_host(w.value)) for w in out.websites}
    alone = not out.emails and len(out.websites) == 1  # the card's one web address
    take_lost_at(out, lambda s: s.domain in domains or (alone and s.trusty and is_mailbox(s.local)))
    return out


# In small print the recogniser reads an email's "@" as a letter or two ("g", "q", "lf",
# "ü"), or drops it: "abdulgdattabarman.co.in" is then taken for a web address. An
# address printed without "www." is read as an email when such a split gives a local
# part and a domain the card backs: the domain of its own other web address; or, when
# the "@" was not read as a "g" (a real letter of many names: "infogroup.com",
# "johnsmithgraphics.com"), a shared mailbox's local part (names.is_mailbox: info@,
# office@; only when it is the card's one web address and the card has no email) or,
# once the name is known, the person's name (extract: email_match, an initial and a
# name at least).
AT_LOOKALIKES = ("g", "q", "lf", "ü")
LOCAL_PART_RE = re.compile(r"[a-z0-9][a-z0-9._%+'-]*[a-z0-9]|[a-z0-9]")


@dataclass(frozen=True)
class AtSplit:
    """A bare host read as an email: local part, domain, and what stood for the "@"
    ("" when it was dropped)."""

    local: str
    domain: str
    look: str

    @property
    def trusty(self) -> bool:
        """Not a "g": that letter stands for the "@" too often in real names to go on
        the split's shape alone."""
        return self.look != "g"


def lost_at(host: str) -> list[AtSplit]:
    """Every split of a bare host into a local part (two characters or more) and a
    registrable domain with a known TLD, when one "@"-lookalike in it is read as "@";
    longest domain first. A host ending in a webmail domain splits before it first (the
    "@" was dropped, not turned into a letter): "janedoegmail.com" is
    janedoe@gmail.com, never janedoe@mail.com. Nothing for an address with "www." or a
    scheme in front."""
    host = host.lower()
    if re.match(r"(https?://|www\d?\.)", host):
        return []
    dropped = [
        AtSplit(host[: -len(w)], w, "")
        for w in WEBMAIL
        if host.endswith(w) and len(host) >= len(w) + 2 and LOCAL_PART_RE.fullmatch(host[: -len(w)])
    ]
    out: list[AtSplit] = []
    for look in AT_LOOKALIKES:
        start = host.find(look)
        while start >= 0:
            local, domain = host[:start], host[start + len(look) :]
            start = host.find(look, start + 1)
            if len(local) < 2 or not LOCAL_PART_RE.fullmatch(local) or "." not in domain:
                continue
            labels = domain.split(".")
            if not all(re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", x) for x in labels):
                continue
            if not is_known_tld(labels[-1]) or registrable(domain) != domain:
                continue
            if look + domain in WEBMAIL:
                continue  # "gmail.com" less its "g": the "@" was dropped (above)
            out.append(AtSplit(local, domain, look))
    return sorted(dropped, key=lambda a: -len(a.domain)) + sorted(out, key=lambda a: -len(a.domain))


def take_lost_at(out: ContactFinds, backed: Callable[[AtSplit], bool]) -> None:
    """Web addresses printed bare that are emails whose "@" was misread (lost_at), as
    `backed` judges: moved from the websites to the emails."""
    for site in list(out.websites):
        if "/" in site.value:
            continue
        split = next((a for a in lost_at(site.value) if backed(a)), None)
        if split is None:
            continue
        value = f"{split.local}@{split.domain}"
        out.websites.remove(site)
        out.seen_sites.discard(site.value.lower())
        if value not in (e.value for e in out.emails):
            out.emails.append(Found(value, site.conf, list(site.boxes), set(site.segments)))


def looks_like_web(word: str) -> bool:
    """A word that is (part of) an email or URL, so no phone or name lives in it."""
    if "@" in word or "://" in word or word.lower().startswith("www"):
        return True
    m = URL_RE.search(word)
    return bool(m and _plausible_bare_host(m) and re.search(r"[^\W\d_]{2}", m.group("host")))


def _plausible_bare_host(m: re.Match[str]) -> bool:
    """A host printed without scheme/www: known TLD, and not "Tel.No" (mixed case)."""
    tld, host = m.group("tld"), m.group("host")
    brand = registrable(host).split(".")[0]
    return is_known_tld(tld) and len(brand) >= 2 and (tld.islower() or host.isupper())
