"""cardgen: synthetic business-card photos with exact truth, for tests and benchmarks.

    card = render_card(card_spec)                     # flat card, text boxes recorded
    photo = photograph(card, photo_spec, rng)         # table, hand, light, camera, rotation
    jpeg, truth_json = build_sample(Sample(...))      # both from one spec, reproducible

`random_specs` draws random identities/styles/cameras (needs Faker) and
`python -m tools.cardgen.benchmark` writes a whole benchmark set.
"""

from __future__ import annotations

from .fonts import FONT_PACKAGES, MissingFontError, require_fonts
from .photo import Photo, photograph
from .render import LayoutError, RenderedCard, render_card
from .sample import Sample, build_sample, write_sample
from .spec import BACKGROUNDS, LAYOUTS, CardSpec, Phone, PhotoSpec, Social, Style
from .truth import contact_truth, sample_truth

__all__ = [
    "BACKGROUNDS",
    "FONT_PACKAGES",
    "LAYOUTS",
    "CardSpec",
    "LayoutError",
    "MissingFontError",
    "Phone",
    "Photo",
    "PhotoSpec",
    "RenderedCard",
    "Sample",
    "Social",
    "Style",
    "build_sample",
    "contact_truth",
    "photograph",
    "render_card",
    "require_fonts",
    "sample_truth",
    "write_sample",
]
