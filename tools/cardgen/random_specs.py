"""Random card and photo specs, for benchmark sets of hundreds of photos.

Identities come from Faker (seeded from the caller's Generator, so a seed
reproduces a set on the same Faker version); phone numbers are built with
`phonenumbers` and re-drawn until valid, US/CA ones inside 555-01xx.
Faker is imported lazily: the committed samples do not need it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import numpy as np
import phonenumbers
from phonenumbers import PhoneNumberFormat as Fmt
from phonenumbers import PhoneNumberType as PT

from .logos import LOGOS
from .render import DECORATIONS
from .spec import BACKGROUNDS, LAYOUTS, CardSpec, Phone, PhotoSpec, Social, Style

# region -> (faker locale, tld, work labels, mobile labels, fax labels, titles)
REGIONS: dict[
    str, tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
] = {
    "US": (
        "en_US",
        "com",
        ("T", "Tel", "Office", "Direct", "P"),
        ("M", "Cell", "Mobile"),
        ("F", "Fax"),
        (
            "Account Executive",
            "Operations Manager",
            "Senior Engineer",
            "Chief Financial Officer",
            "Sales Director",
            "Attorney at Law",
        ),
    ),
    "CA": (
        "en_CA",
        "ca",
        ("T", "Tel", "Office"),
        ("M", "Cell"),
        ("F", "Fax"),
        ("Project Manager", "Sales Representative", "Partner", "Consultant"),
    ),
    "GB": (
        "en_GB",
        "co.uk",
        ("T", "Tel", "Tel:"),
        ("M", "Mob", "Mobile"),
        ("F", "Fax"),
        ("Managing Director", "Head of Sales", "Senior Consultant", "Office Manager"),
    ),
    "AU": (
        "en_AU",
        "com.au",
        ("P", "T", "Ph"),
        ("M", "Mob"),
        ("F", "Fax"),
        ("Account Manager", "Director", "Site Engineer", "Business Development Manager"),
    ),
    "DE": (
        "de_DE",
        "de",
        ("Tel.", "Telefon", "T"),
        ("Mobil", "M", "Handy"),
        ("Fax", "F"),
        ("Geschäftsführer", "Vertriebsleiterin", "Projektleiter", "Key Account Manager"),
    ),
    "FR": (
        "fr_FR",
        "fr",
        ("Tél.", "T"),
        ("Portable", "Mob.", "M"),
        ("Fax",),
        ("Directeur commercial", "Chef de projet", "Responsable des achats", "Gérante"),
    ),
    "ES": (
        "es_ES",
        "es",
        ("Tel.", "Teléfono", "T"),
        ("Móvil", "M"),
        ("Fax",),
        ("Director Comercial", "Jefa de Proyecto", "Responsable de Compras", "Gerente"),
    ),
    "BR": (
        "pt_BR",
        "com.br",
        ("Tel.", "Fone", "T"),
        ("Cel.", "Celular"),
        ("Fax",),
        ("Gerente Comercial", "Diretora Financeira", "Analista de Sistemas", "Consultor"),
    ),
    "PT": (
        "pt_PT",
        "pt",
        ("Tel.", "T"),
        ("Telm.", "Tlm.", "M"),
        ("Fax",),
        ("Diretor Comercial", "Gestora de Projeto", "Consultor Sénior", "Administrador"),
    ),
}

FONT_SETS: tuple[tuple[str, str, str, str], ...] = (  # name, title, company, body
    ("open-sans-bold", "open-sans", "open-sans-semibold", "open-sans"),
    ("open-sans-light", "open-sans", "open-sans-semibold", "open-sans"),
    ("open-sans-cond-bold", "open-sans", "open-sans-semibold", "open-sans"),
    ("lato-black", "lato", "lato-bold", "lato"),
    ("lato-bold", "lato-italic", "lato-bold", "lato"),
    ("liberation-sans-bold", "liberation-sans", "liberation-sans-bold", "liberation-sans"),
    (
        "liberation-serif-bold",
        "liberation-serif-italic",
        "liberation-serif-bold",
        "liberation-serif",
    ),
    ("liberation-narrow-bold", "liberation-narrow", "liberation-narrow-bold", "liberation-narrow"),
    ("dejavu-sans-bold", "dejavu-sans", "dejavu-sans-bold", "dejavu-sans"),
    ("dejavu-serif-bold", "dejavu-serif-italic", "dejavu-serif-bold", "dejavu-serif"),
    ("dejavu-condensed-bold", "dejavu-condensed", "dejavu-condensed-bold", "dejavu-condensed"),
    ("carlito-bold", "carlito", "carlito-bold", "carlito"),
)

# (background, text, accent, muted): light, dark and coloured cards, all legible.
SCHEMES: tuple[tuple[str, str, str, str], ...] = (
    ("#ffffff", "#222222", "#1f5f8b", "#555555"),
    ("#ffffff", "#1a1a1a", "#c62828", "#5a5a5a"),
    ("#fbfaf6", "#2b2b2b", "#2e7d32", "#5f5f5f"),
    ("#f6efe2", "#3e2723", "#8d6e63", "#6d4c41"),
    ("#ffffff", "#263238", "#6a1b9a", "#607d8b"),
    ("#1b2a41", "#f2efe6", "#c9a54c", "#b9c2d0"),
    ("#111111", "#f5f5f5", "#26c6da", "#bdbdbd"),
    ("#12807c", "#ffffff", "#f4c542", "#d8f0ee"),
    ("#e8762d", "#1d1d1d", "#ffffff", "#3a2a20"),
)

_SUFFIXES = re.compile(
    r"\b(gmbh|llc|ltd|inc|plc|s\.?a\.?s?|s\.?l|sarl|ltda|lda|e\.?k|ag|kg|co|"
    r"pty|ei|me|and|und|et|y|e|group)\b\.?",
    re.IGNORECASE,
)


@lru_cache(maxsize=16)
def _faker(locale: str) -> Any:
    from faker import Faker

    return Faker(locale)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _domain(company: str, tld: str) -> str:
    words = re.findall(r"[a-z0-9]+", _ascii(_SUFFIXES.sub(" ", company)))
    return ("".join(words[:2]) or "example") + "." + tld


def random_phone(rng: np.random.Generator, region: str, mobile: bool) -> str:
    """A valid number for `region`, formatted as a card would print it."""
    want = PT.MOBILE if mobile else PT.FIXED_LINE
    example = phonenumbers.example_number_for_type(region, want)
    if example is None:
        raise ValueError(f"phonenumbers has no example number for region {region!r}")
    nsn = str(example.national_number)
    for _ in range(200):
        if region in ("US", "CA"):
            area = (
                nsn[:3]
                if rng.random() < 0.3
                else str(
                    rng.choice(
                        [
                            "212",
                            "312",
                            "415",
                            "503",
                            "617",
                            "206",
                            "512",
                            "604",
                            "416",
                            "303",
                            "404",
                        ]
                        if region == "US"
                        else ["604", "416", "514", "403", "613"]
                    )
                )
            )
            digits = f"{area}55501{int(rng.integers(0, 100)):02d}"
        else:
            k = min(6, len(nsn) - 2)
            digits = nsn[:-k] + "".join(str(d) for d in rng.integers(0, 10, k))
        num = phonenumbers.parse(digits, region)
        ok_type = phonenumbers.number_type(num) in (want, PT.FIXED_LINE_OR_MOBILE)
        if phonenumbers.is_valid_number(num) and (ok_type or region in ("US", "CA")):
            fmt = Fmt.INTERNATIONAL if rng.random() < 0.4 else Fmt.NATIONAL
            text = phonenumbers.format_number(num, fmt)
            if region in ("US", "CA") and fmt == Fmt.NATIONAL and rng.random() < 0.4:
                text = f"{digits[:3]}.{digits[3:6]}.{digits[6:]}"
            return text
    raise RuntimeError(f"could not draw a valid {region} number")


def _pick(rng: np.random.Generator, items: tuple[str, ...]) -> str:
    return items[int(rng.integers(len(items)))]


def random_style(rng: np.random.Generator) -> Style:
    """Fonts, colours, logo and decoration drawn independently."""
    name_f, title_f, company_f, body_f = FONT_SETS[int(rng.integers(len(FONT_SETS)))]
    bg, text, accent, muted = SCHEMES[int(rng.integers(len(SCHEMES)))]
    return Style(
        background=bg,
        text=text,
        accent=accent,
        muted=muted,
        name_font=name_f,
        name_size=int(rng.integers(40, 61)),
        title_font=title_f,
        title_size=int(rng.integers(22, 29)),
        company_font=company_f,
        company_size=int(rng.integers(24, 34)),
        body_font=body_f,
        body_size=int(rng.integers(19, 29)),
        name_caps=bool(rng.random() < 0.15),
        logo=_pick(rng, LOGOS) if rng.random() < 0.7 else None,
        decoration=_pick(rng, DECORATIONS) if rng.random() < 0.3 else None,
        join_phones=bool(rng.random() < 0.3),
        bullets=bool(rng.random() < 0.15),
        corner_radius=int(rng.choice([0, 0, 0, 12, 24])),
    )


def random_card_spec(rng: np.random.Generator, region: str | None = None) -> CardSpec:
    """A fictional person's (or, 1 in 10, a shop's) card for `region` (default: random)."""
    region = region or _pick(rng, tuple(REGIONS))
    locale, tld, work_l, mob_l, fax_l, titles = REGIONS[region]
    fake = _faker(locale)
    fake.seed_instance(int(rng.integers(2**31)))
    company = fake.company()
    domain = _domain(company, tld)
    shop = rng.random() < 0.1
    given, family = fake.first_name(), fake.last_name()
    name = None if shop else f"{given} {family}"
    local = (
        "info"
        if shop
        else _pick(
            rng,
            (
                f"{_ascii(given)}.{_ascii(family)}",
                f"{_ascii(given)[0]}.{_ascii(family)}",
                _ascii(given),
                f"{_ascii(given)[0]}{_ascii(family)}",
            ),
        )
    )
    local = re.sub(r"[^a-z0-9.]", "", local)
    phones = [Phone(random_phone(rng, region, False), "work", _pick(rng, work_l))]
    if not shop or rng.random() < 0.3:
        phones.append(Phone(random_phone(rng, region, True), "mobile", _pick(rng, mob_l)))
    if rng.random() < 0.2:
        phones.append(Phone(random_phone(rng, region, False), "fax", _pick(rng, fax_l)))
    if region in ("US", "CA", "BR") and rng.random() < 0.15:
        ext_label = "Ramal" if region == "BR" else _pick(rng, ("ext.", "x", "Ext."))
        p0 = phones[0]
        phones[0] = Phone(p0.raw, p0.kind, p0.label, str(rng.integers(10, 999)), ext_label)
    order = rng.permutation(len(phones))
    lines = [ln for ln in fake.address().split("\n") if ln.strip()]
    socials: tuple[Social, ...] = ()
    if not shop and rng.random() < 0.2:
        handle = re.sub(r"[^a-z0-9]", "", _ascii(given + family))
        socials = (
            Social("linkedin", f"linkedin.com/in/{handle}"),
            Social("twitter", f"@{handle}", "X" if rng.random() < 0.5 else None),
        )
    layout = _pick(rng, LAYOUTS)
    return CardSpec(
        region=region,
        name=name,
        given_name=None if shop else given,
        family_name=None if shop else family,
        title=None if shop else _pick(rng, titles),
        company=company,
        phones=tuple(phones[i] for i in order),
        emails=(f"{local}@{domain}",),
        websites=(f"www.{domain}",) if rng.random() < 0.8 else (),
        address=tuple(lines) if rng.random() < 0.85 else (),
        socials=socials,
        layout=layout,
        style=random_style(rng),
    )


def random_photo_spec(
    rng: np.random.Generator, portrait_card: bool = False, **overrides: Any
) -> PhotoSpec:
    """Camera and scene drawn from ranges typical of hand-held phone shots."""
    tilt = float(rng.uniform(0, 25))
    direction = float(rng.uniform(0, 2 * np.pi))
    w, h = [(2016, 1512), (1800, 1350), (2048, 1536), (1600, 1200)][int(rng.integers(4))]
    params: dict[str, Any] = dict(
        background=_pick(rng, BACKGROUNDS),
        size=(h, w) if portrait_card else (w, h),
        card_extent=float(rng.uniform(0.5, 0.8)),
        offset=(float(rng.uniform(-0.06, 0.06)), float(rng.uniform(-0.06, 0.06))),
        tilt_x=round(tilt * float(np.cos(direction)), 1),
        tilt_y=round(tilt * float(np.sin(direction)), 1),
        roll=round(float(rng.uniform(-8, 8)), 1),
        light_gradient=float(rng.uniform(0.05, 0.5)),
        light_angle=float(rng.uniform(0, 360)),
        cast_shadow=float(rng.uniform(0.3, 0.55)) if rng.random() < 0.15 else 0.0,
        glare=float(rng.uniform(0.1, 0.3)) if rng.random() < 0.15 else 0.0,
        exposure=float(rng.uniform(0.7, 1.05)),
        blur=float(rng.uniform(0.4, 1.6)),
        noise=float(rng.uniform(2, 7)),
        jpeg_quality=int(rng.integers(70, 91)),
        rotation=int(rng.choice([0, 0, 0, 0, 90, 90, 180, 270])),
        hand=bool(rng.random() < 0.12),
        white_balance=(float(rng.uniform(0.94, 1.1)), 1.0, float(rng.uniform(0.8, 1.06))),
    )
    params.update(overrides)
    return PhotoSpec(**params)
