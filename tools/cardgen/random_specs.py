"""Random card and photo specs, for benchmark sets of hundreds of photos.

Identities come from Faker (seeded from the caller's Generator, so a seed
reproduces a set on the same Faker version); phone numbers are built with
`phonenumbers` and re-drawn until valid, US/CA ones inside 555-01xx.
Faker is imported lazily: the committed samples do not need it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np
import phonenumbers
from phonenumbers import PhoneNumberFormat as Fmt
from phonenumbers import PhoneNumberType as PT

from .layouts import LAYOUT_DECORATIONS
from .logos import LOGOS
from .qr import vcard
from .render import DECORATIONS
from .spec import (
    BACKGROUNDS,
    LAYOUTS,
    PAIR_LAYOUTS,
    QR_LAYOUTS,
    CardSpec,
    Person,
    Phone,
    PhotoSpec,
    Social,
    Style,
)

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
    "IT": (
        "it_IT",
        "it",
        ("Tel.", "T", "Tel"),
        ("Cell.", "Cellulare", "M"),
        ("Fax",),
        (
            "Direttore Commerciale",
            "Responsabile Acquisti",
            "Amministratore Delegato",
            "Responsabile Tecnico",
            "Consulente",
        ),
    ),
    "NL": (
        "nl_NL",
        "nl",
        ("Tel.", "T", "Telefoon"),
        ("Mobiel", "M", "Mob."),
        ("Fax", "F"),
        ("Directeur", "Projectleider", "Accountmanager", "Adviseur", "Office manager"),
    ),
    "IN": (
        "en_IN",
        "co.in",
        ("Ph", "Tel", "Ph."),
        ("M", "Mob", "Mobile"),
        ("Fax",),
        (
            "General Manager",
            "Senior Software Engineer",
            "Chartered Accountant",
            "Director",
            "Assistant Manager - Sales",
        ),
    ),
}

# region -> (fixed-line area codes, mobile prefixes), as starts of the national
# significant number: for these regions random_phone draws the whole number rather
# than varying the tail of phonenumbers' one example (one area code for every card).
PHONE_PREFIXES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "IT": (("02", "06", "011", "051", "055", "081", "045"), ("32", "33", "34", "347", "39")),
    "NL": (("10", "20", "30", "40", "50", "70", "73"), ("6",)),
    "IN": (("11", "22", "33", "40", "44", "80", "20"), ("98", "99", "97", "94", "88", "70")),
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
    r"pty|ei|me|and|und|et|y|e|group|s\.?r\.?l|s\.?p\.?a|figli|bv|nv|groep|stichting|pvt)\b\.?",
    re.IGNORECASE,
)
# Dutch name particles: "van der Meer & Zonen" gives vandermeer.nl, not vander.nl.
_PARTICLES = frozenset({"van", "der", "den", "de", "het", "ten", "ter", "t"})


@lru_cache(maxsize=16)
def _faker(locale: str) -> Any:
    from faker import Faker

    return Faker(locale)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _domain(company: str, tld: str, particles: frozenset[str] = frozenset()) -> str:
    """The company's plausible domain: its first two words (particles not counted)."""
    words = re.findall(r"[a-z0-9]+", _ascii(_SUFFIXES.sub(" ", company)))
    kept: list[str] = []
    for word in words:
        if len([w for w in kept if w not in particles]) == 2:
            break
        kept.append(word)
    return ("".join(kept) or "example") + "." + tld


def random_phone(rng: np.random.Generator, region: str, mobile: bool) -> str:
    """A valid number for `region`, formatted as a card would print it."""
    want = PT.MOBILE if mobile else PT.FIXED_LINE
    example = phonenumbers.example_number_for_type(region, want)
    if example is None:
        raise ValueError(f"phonenumbers has no example number for region {region!r}")
    nsn = phonenumbers.national_significant_number(example)  # keeps Italy's leading 0
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
        elif region in PHONE_PREFIXES:
            prefix = _pick(rng, PHONE_PREFIXES[region][mobile])
            rest = len(nsn) - len(prefix)
            digits = prefix + "".join(str(d) for d in rng.integers(0, 10, rest))
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
            elif region == "IN" and mobile and fmt == Fmt.NATIONAL:
                text = text.removeprefix("0")  # Indian cards print "98xxx xxxxx"
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


def _company(region: str, company: str) -> str:
    """Faker's company name, with the legal form an Indian card would print."""
    if region == "IN":
        return re.sub(r" (LLC|Inc)$", " Pvt. Ltd.", company)
    return company


def _address(region: str, text: str) -> tuple[str, ...]:
    """Faker's address as the lines a card prints, in the country's usual form."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if region == "NL" and len(lines) == 3 and re.fullmatch(r"\d{4} ?[A-Z]{2}", lines[1]):
        lines = [lines[0], f"{lines[1][:4]} {lines[1][-2:]} {lines[2]}"]  # "1234 AB Plaats"
    elif region == "IT":
        lines = [re.sub(r"^(\d{5}), ", r"\1 ", ln) for ln in lines]  # "20143 Milano (MI)"
    elif region == "IN":
        lines = [re.sub(r"([ -])0(\d{5})$", r"\g<1>1\2", ln) for ln in lines]  # PINs start 1-9
    return tuple(lines)


def _local_part(given: str, family: str, pattern: int) -> str:
    """The e-mail local part of a name in one of the firm's four conventions."""
    g, f = _ascii(given), _ascii(family)
    local = (f"{g}.{f}", f"{g[0]}.{f}", g, f"{g[0]}{f}")[pattern]
    return re.sub(r"[^a-z0-9.]", "", local)


def _e164(phone: Phone, region: str) -> str:
    num = phonenumbers.parse(phone.raw, region)
    return phonenumbers.format_number(num, Fmt.E164)


def _colleague(
    rng: np.random.Generator,
    fake: Any,
    region: str,
    first: tuple[str, str | None, str],  # the first person's name, title and email
    titles: tuple[str, ...],
    domain: str,
    pattern: int,
    mobile_label: str,
) -> Person:
    """A second person of the same firm: own name, title, e-mail and maybe mobile."""
    name, title, email = first
    given, family = fake.first_name(), fake.last_name()
    while f"{given} {family}" == name or email.startswith(
        f"{_local_part(given, family, pattern)}@"
    ):
        given, family = fake.first_name(), fake.last_name()
    phones: tuple[Phone, ...] = ()
    if rng.random() < 0.7:
        phones = (Phone(random_phone(rng, region, True), "mobile", mobile_label),)
    return Person(
        name=f"{given} {family}",
        title=_pick(rng, tuple(t for t in titles if t != title)),
        emails=(f"{_local_part(given, family, pattern)}@{domain}",),
        phones=phones,
    )


def _qr_text(spec: CardSpec) -> str | None:
    """What a QR code on this card encodes: the website, else the person as a vCard."""
    if spec.websites:
        return f"https://{spec.websites[0]}"
    if spec.name is None:
        return None
    phones = [(p.kind, _e164(p, p.region or spec.region)) for p in spec.phones]
    return vcard(
        spec.name,
        spec.given_name,
        spec.family_name,
        spec.company,
        spec.title,
        phones,
        spec.emails,
    )


def random_card_spec(rng: np.random.Generator, region: str | None = None) -> CardSpec:
    """A fictional person's (or, 1 in 10, a shop's) card for `region` (default: random).

    About 1 card in 20 also names a colleague (printed in one of PAIR_LAYOUTS), and
    about 1 in 8 carries a QR code (in one of QR_LAYOUTS) with the website URL, or
    the contact as a vCard when the card shows no website.
    """
    region = region or _pick(rng, tuple(REGIONS))
    locale, tld, work_l, mob_l, fax_l, titles = REGIONS[region]
    fake = _faker(locale)
    fake.seed_instance(int(rng.integers(2**31)))
    company = _company(region, fake.company())
    domain = _domain(company, tld, _PARTICLES if region == "NL" else frozenset())
    shop = rng.random() < 0.1
    given, family = fake.first_name(), fake.last_name()
    name = None if shop else f"{given} {family}"
    pattern = 0 if shop else int(rng.integers(4))
    local = "info" if shop else _local_part(given, family, pattern)
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
    lines = _address(region, fake.address())
    socials: tuple[Social, ...] = ()
    if not shop and rng.random() < 0.2:
        handle = re.sub(r"[^a-z0-9]", "", _ascii(given + family))
        socials = (
            Social("linkedin", f"linkedin.com/in/{handle}"),
            Social("twitter", f"@{handle}", "X" if rng.random() < 0.5 else None),
        )
    layout = _pick(rng, LAYOUTS)
    spec = CardSpec(
        region=region,
        name=name,
        given_name=None if shop else given,
        family_name=None if shop else family,
        title=None if shop else _pick(rng, titles),
        company=company,
        phones=tuple(phones[i] for i in order),
        emails=(f"{local}@{domain}",),
        websites=(f"www.{domain}",) if rng.random() < 0.8 else (),
        address=lines if rng.random() < 0.85 else (),
        socials=socials,
        layout=layout,
        style=random_style(rng),
    )
    if name and rng.random() < 1 / 20:
        first = (name, spec.title, spec.emails[0])
        mob = next((p.label for p in spec.phones if p.kind == "mobile"), None) or mob_l[0]
        other = _colleague(rng, fake, region, first, titles, domain, pattern, mob)
        layout = layout if layout in PAIR_LAYOUTS else _pick(rng, PAIR_LAYOUTS)
        spec = replace(spec, others=(other,), layout=layout)
    qr = _qr_text(spec) if rng.random() < 1 / 8 else None
    if qr is not None:
        fits = tuple(lay for lay in QR_LAYOUTS if not spec.others or lay in PAIR_LAYOUTS)
        layout = spec.layout if spec.layout in fits else _pick(rng, fits)
        spec = replace(spec, qr=qr, layout=layout)
    return replace(spec, style=style_for_layout(spec.style, spec.layout))


def style_for_layout(style: Style, layout: str) -> Style:
    """The drawn style adapted to the layout: no decoration the layout has no room
    for (a corner triangle under a top-right logo, a bar under a header band), and
    smaller body print on minimal cards.
    """
    if style.decoration not in LAYOUT_DECORATIONS[layout]:
        style = replace(style, decoration=None)
    if layout == "minimal":
        style = replace(style, body_size=max(18, round(style.body_size * 0.85)))
    return style


def random_photo_spec(
    rng: np.random.Generator, portrait_card: bool = False, **overrides: Any
) -> PhotoSpec:
    """Camera and scene drawn from ranges typical of hand-held phone shots."""
    # Most shots are taken from nearly above; 1 in 6 at a steep 25-35 degrees.
    tilt = float(rng.uniform(25, 35) if rng.random() < 1 / 6 else rng.uniform(0, 25))
    direction = float(rng.uniform(0, 2 * np.pi))
    # Mostly 2-3 MP (as a phone app downscales); 1 in 10 each at 8 MP and a full 12 MP.
    kind = float(rng.random())
    if kind < 0.1:
        w, h = 4032, 3024
    elif kind < 0.2:
        w, h = 3264, 2448
    else:
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
        jpeg_quality=int(rng.integers(60, 91)),
        rotation=int(rng.choice([0, 0, 0, 0, 90, 90, 180, 270])),
        hand=bool(rng.random() < 0.12),
        white_balance=(float(rng.uniform(0.94, 1.1)), 1.0, float(rng.uniform(0.8, 1.06))),
    )
    params.update(overrides)
    return PhotoSpec(**params)
