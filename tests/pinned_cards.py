"""Generated cards that tests pin, written out in full rather than by seed.

The random generator (tools/cardgen/random_specs.py) grows new regions and card
features, which changes what a given seed draws; a test that needs one particular
generated card (say, one that once tripped the OCR stage) keeps its spec here.
"""

from __future__ import annotations

import sys

from conftest import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.cardgen.sample import Sample
from tools.cardgen.spec import CardSpec, Phone, PhotoSpec, Social, Style

# Tune split card #154 (seed 1 * 1_000_003 + 154 * 101) as drawn before the IT/NL/IN
# regions, QR codes and two-person cards: Tesseract's layout analysis drops its
# contact block unless the sparse-text retry runs.
TUNE_0154 = Sample(
    stem="bench-0154",
    exercises="Random DE two_column card on dark_table, rotation 180.",
    card=CardSpec(
        region="DE",
        name="Ramazan Meyer",
        given_name="Ramazan",
        family_name="Meyer",
        title="Geschäftsführer",
        company="auch Schlauchin KG",
        tagline=None,
        phones=(
            Phone(
                raw="+49 1512 3800238",
                kind="mobile",
                label="Mobil",
                extension=None,
                ext_label="ext.",
                region=None,
            ),
            Phone(
                raw="030 980425",
                kind="work",
                label="T",
                extension=None,
                ext_label="ext.",
                region=None,
            ),
            Phone(
                raw="030 854108",
                kind="fax",
                label="Fax",
                extension=None,
                ext_label="ext.",
                region=None,
            ),
        ),
        emails=("ramazan.meyer@auchschlauchin.de",),
        email_label=None,
        websites=("www.auchschlauchin.de",),
        web_label=None,
        address=("Kaulweg 3", "46467 Eisenberg"),
        socials=(
            Social(network="linkedin", handle="linkedin.com/in/ramazanmeyer", label=None),
            Social(network="twitter", handle="@ramazanmeyer", label=None),
        ),
        extra_lines=(),
        layout="two_column",
        style=Style(
            background="#f6efe2",
            text="#3e2723",
            accent="#8d6e63",
            muted="#6d4c41",
            name_font="dejavu-serif-bold",
            name_size=47,
            title_font="dejavu-serif-italic",
            title_size=25,
            company_font="dejavu-serif-bold",
            company_size=24,
            body_font="dejavu-serif",
            body_size=22,
            label_font=None,
            name_caps=False,
            logo="hexagon",
            logo_colors=(),
            decoration=None,
            join_phones=False,
            separator="  |  ",
            bullets=False,
            corner_radius=12,
        ),
    ),
    photo=PhotoSpec(
        background="dark_table",
        size=(1600, 1200),
        card_extent=0.6012277714575274,
        offset=(-0.028368979253770132, -0.014930224669555382),
        tilt_x=15.6,
        tilt_y=-8.6,
        roll=-0.3,
        drop_shadow=0.35,
        light_gradient=0.4561880168790994,
        light_angle=278.2690928790526,
        vignette=0.2,
        cast_shadow=0.5077531471357305,
        glare=0.0,
        exposure=0.7850804380078705,
        blur=1.346592173077842,
        background_blur=0.0,
        noise=5.932830449527851,
        white_balance=(1.0850519427196488, 1.0, 0.9408816793126867),
        jpeg_quality=87,
        rotation=180,
        hand=True,
    ),
    seed=1663721781,
)
