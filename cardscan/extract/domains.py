"""Facts about internet domains: webmail, country TLDs, the brand label of a host.

Shared by the contact finders, region inference, company fallback and validation.
"""

from __future__ import annotations

import phonenumbers

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

# Second-level suffixes under which the brand is the third label from the right.
MULTI_PART_SUFFIXES = frozenset(
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "com.br",
        "net.br", "org.br", "com.au", "net.au", "org.au", "co.nz", "org.nz", "co.in",
        "net.in", "org.in", "co.jp", "or.jp", "co.za", "com.mx", "com.ar", "com.pt",
        "com.tr", "com.cn", "com.sg", "com.hk", "co.kr", "co.il", "com.co", "com.es",
        "com.pl", "co.at", "or.at", "com.my", "com.ph", "com.pe", "com.ve", "com.uy",
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

# TLDs that are not two-letter country codes but are common on cards.
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


def registrable(host: str) -> str:
    """The domain a company registers: "mail.acme.co.uk" -> "acme.co.uk"."""
    labels = clean_host(host).split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in MULTI_PART_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def brand_label(host: str) -> str:
    """The name part of a domain: "www.acme-robotics.co.uk" -> "acme-robotics"."""
    return registrable(host).split(".")[0]


def is_webmail(host: str) -> bool:
    h = clean_host(host)
    return h in WEBMAIL or registrable(h) in WEBMAIL


def is_known_tld(tld: str) -> bool:
    """A plausible top-level domain: a generic one or a real two-letter country code."""
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
