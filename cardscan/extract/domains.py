"""Facts about internet domains: webmail, country TLDs, the brand label of a host.

Shared by the contact finders, region inference, company fallback and validation.

Where a domain's public suffix ends ("acme.co.uk", "snu.ac.kr", "beltis.com.br") comes
from the Public Suffix List, through tldextract and the snapshot of the list it ships:
read offline, always. Whether a dotted word in OCR text is a web address at all is a
different question, answered by the finders with the TLDs common on cards (below).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import phonenumbers

if TYPE_CHECKING:
    from tldextract import TLDExtract

# Free mail providers: their domain says nothing about the person's company.
WEBMAIL = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk",
        "hotmail.fr", "hotmail.de", "hotmail.es", "hotmail.it", "live.com", "live.co.uk",
        "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.es",
        "yahoo.it", "yahoo.com.br", "ymail.com", "icloud.com", "me.com", "mac.com",
        "aol.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.com", "web.de",
        "t-online.de", "freenet.de", "proton.me", "protonmail.com", "pm.me", "mail.ru",
        "yandex.ru", "yandex.com", "zoho.com", "qq.com", "163.com", "126.com",
        "orange.fr", "free.fr", "wanadoo.fr", "laposte.net", "sfr.fr", "libero.it",
        "virgilio.it", "tiscali.it", "terra.com.br", "uol.com.br", "bol.com.br",
        "btinternet.com", "sky.com", "comcast.net", "verizon.net", "att.net", "mail.com",
        "fastmail.com", "tutanota.com", "hey.com", "naver.com", "daum.net", "sapo.pt",
        "telefonica.net", "bluewin.ch", "ziggo.nl", "kpnmail.nl", "hetnet.nl",
    }
)  # fmt: skip

# Country TLDs that are mostly bought for their look, not their country.
GENERIC_CCTLDS = frozenset(
    {
        "io", "co", "ai", "me", "tv", "ly", "fm", "to", "gg", "sh", "ac", "cc", "ws",
        "la", "im", "so", "vc", "nu", "tk", "ml", "ga", "cf", "gq", "dj", "ms", "gl",
        "eu", "su", "ag", "sc", "bz", "cx", "re", "st",
    }
)  # fmt: skip

# TLDs that are not two-letter country codes but are common on cards. Not a suffix list
# (the Public Suffix List is that): the finders read a dotted word printed without
# "www.", "http" or "@" as a web address only when it ends in one of these or a country
# code. The list's 1,400 TLDs include words cards print after a dot for other reasons
# ("Co.Ltd", "Dr.med", "M.Com", "Tel.Mobile"), so it cannot be that filter.
GENERIC_TLDS = frozenset(
    {
        "com", "net", "org", "info", "biz", "app", "dev", "tech", "design", "studio",
        "agency", "shop", "store", "online", "site", "website", "cloud", "digital",
        "media", "news", "blog", "edu", "gov", "mil", "int", "pro", "name", "law",
        "legal", "health", "consulting", "company", "solutions", "services", "group",
        "global", "world", "art", "photo", "photography", "travel", "coffee", "cafe",
        "restaurant", "bar", "fit", "eco", "green", "life", "live", "love", "work",
        "works", "team", "email", "page", "link", "one", "berlin", "london", "nyc",
        "paris", "wien", "koeln", "hamburg", "bayern", "swiss", "scot", "wales", "cat",
        "eus", "gal", "asia", "africa", "realestate", "properties", "immo", "haus",
        "expert", "training", "academy", "school", "institute", "partners", "capital",
        "finance", "ventures", "fund", "holdings", "industries", "systems", "software",
        "network", "zone", "space", "xyz",
    }
)  # fmt: skip

# Country TLDs whose code differs from the ISO region phonenumbers uses.
TLD_REGION_OVERRIDES = {"uk": "GB"}


def clean_host(host: str) -> str:
    """Lowercase, drop scheme/www/path/port and trailing dots."""
    h = host.strip().lower()
    for prefix in ("https://", "http://"):
        if h.startswith(prefix):
            h = h[len(prefix) :]
    h = h.split("/", 1)[0].split(":", 1)[0].strip(".")
    if h.startswith("www."):
        h = h[4:]
    return h


@functools.cache
def _psl() -> TLDExtract:
    """The Public Suffix List, from the snapshot inside the tldextract package.

    Never from the network (no list URLs) and never cached on disk (no cache_dir): cards
    are read offline, and nothing is written to the user's home. The snapshot is as new
    as the installed tldextract; suffixes added since are the rare exception on a card.
    Imported on first use: only readers of cards need it.
    """
    from tldextract import TLDExtract

    return TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def public_suffix(host: str) -> str:
    """The host's public suffix: "mail.snu.ac.kr" -> "ac.kr"; "" when it has none."""
    return str(_psl()(clean_host(host)).suffix)


@functools.cache
def _public_tlds() -> frozenset[str]:
    # The last label of every rule: some countries' TLDs have no rule of their own,
    # only rules under them ("co.za", "*.bd", "*.np"), and are TLDs all the same (an
    # email at acme.co.za once lost its ".za").
    return frozenset(s.rsplit(".", 1)[-1] for s in _psl().tlds)


def is_public_tld(label: str) -> bool:
    """A top-level domain of the Public Suffix List ("com", "kr", "museum")."""
    return label.lower() in _public_tlds()


def registrable(host: str) -> str:
    """The domain a company registers: "mail.acme.co.uk" -> "acme.co.uk",
    "www.snu.ac.kr" -> "snu.ac.kr". A host without a public suffix (OCR noise, a local
    name) keeps its last two labels."""
    h = clean_host(host)
    parts = _psl()(h)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return ".".join(h.split(".")[-2:])


def brand_label(host: str) -> str:
    """The name part of a domain, its registrable domain's first label:
    "www.acme-robotics.co.uk" -> "acme-robotics", "cs.snu.ac.kr" -> "snu"."""
    return registrable(host).split(".")[0]


def is_webmail(host: str) -> bool:
    h = clean_host(host)
    return h in WEBMAIL or registrable(h) in WEBMAIL


def is_known_tld(tld: str) -> bool:
    """A top-level domain common on cards: a generic one above or a real two-letter
    country code; what a host printed bare must end in."""
    t = tld.lower()
    return t in GENERIC_TLDS or t in GENERIC_CCTLDS or (len(t) == 2 and _tld_region(t) is not None)


def _tld_region(tld: str) -> str | None:
    region = TLD_REGION_OVERRIDES.get(tld, tld.upper())
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def region_for_host(host: str) -> str | None:
    """The phone region a host's country TLD points to, or None (.com, .io, ...)."""
    tld = clean_host(host).rsplit(".", 1)[-1]
    if len(tld) != 2 or tld in GENERIC_CCTLDS:
        return None
    return _tld_region(tld)
