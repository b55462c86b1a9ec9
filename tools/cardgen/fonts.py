"""Font registry for the card renderer.

Cards must look like real print, so text is drawn with real TrueType faces from
Debian font packages.  Every face is named by a short key and remembers which
package ships it, so a missing file fails with one line telling the user what
to install instead of a PIL traceback.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

_ROOT = Path("/usr/share/fonts/truetype")

# key -> (path relative to _ROOT, Debian package)
FONTS: dict[str, tuple[str, str]] = {
    "dejavu-sans": ("dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    "dejavu-sans-bold": ("dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    "dejavu-sans-light": ("dejavu/DejaVuSans-ExtraLight.ttf", "fonts-dejavu-extra"),
    "dejavu-condensed": ("dejavu/DejaVuSansCondensed.ttf", "fonts-dejavu-extra"),
    "dejavu-condensed-bold": ("dejavu/DejaVuSansCondensed-Bold.ttf", "fonts-dejavu-extra"),
    "dejavu-serif": ("dejavu/DejaVuSerif.ttf", "fonts-dejavu-core"),
    "dejavu-serif-bold": ("dejavu/DejaVuSerif-Bold.ttf", "fonts-dejavu-core"),
    "dejavu-serif-italic": ("dejavu/DejaVuSerif-Italic.ttf", "fonts-dejavu-extra"),
    "dejavu-mono": ("dejavu/DejaVuSansMono.ttf", "fonts-dejavu-core"),
    "liberation-sans": ("liberation/LiberationSans-Regular.ttf", "fonts-liberation"),
    "liberation-sans-bold": ("liberation/LiberationSans-Bold.ttf", "fonts-liberation"),
    "liberation-serif": ("liberation/LiberationSerif-Regular.ttf", "fonts-liberation"),
    "liberation-serif-bold": ("liberation/LiberationSerif-Bold.ttf", "fonts-liberation"),
    "liberation-serif-italic": ("liberation/LiberationSerif-Italic.ttf", "fonts-liberation"),
    "liberation-narrow": ("liberation/LiberationSansNarrow-Regular.ttf", "fonts-liberation"),
    "liberation-narrow-bold": ("liberation/LiberationSansNarrow-Bold.ttf", "fonts-liberation"),
    "liberation-mono": ("liberation/LiberationMono-Regular.ttf", "fonts-liberation"),
    "lato": ("lato/Lato-Regular.ttf", "fonts-lato"),
    "lato-light": ("lato/Lato-Light.ttf", "fonts-lato"),
    "lato-bold": ("lato/Lato-Bold.ttf", "fonts-lato"),
    "lato-black": ("lato/Lato-Black.ttf", "fonts-lato"),
    "lato-italic": ("lato/Lato-Italic.ttf", "fonts-lato"),
    "open-sans": ("open-sans/OpenSans-Regular.ttf", "fonts-open-sans"),
    "open-sans-light": ("open-sans/OpenSans-Light.ttf", "fonts-open-sans"),
    "open-sans-semibold": ("open-sans/OpenSans-Semibold.ttf", "fonts-open-sans"),
    "open-sans-bold": ("open-sans/OpenSans-Bold.ttf", "fonts-open-sans"),
    "open-sans-cond-bold": ("open-sans/OpenSans-CondBold.ttf", "fonts-open-sans"),
    "open-sans-cond-light": ("open-sans/OpenSans-CondLight.ttf", "fonts-open-sans"),
    "carlito": ("crosextra/Carlito-Regular.ttf", "fonts-crosextra-carlito"),
    "carlito-bold": ("crosextra/Carlito-Bold.ttf", "fonts-crosextra-carlito"),
    "carlito-italic": ("crosextra/Carlito-Italic.ttf", "fonts-crosextra-carlito"),
    # A hand's writing, for notes written on a card (CardSpec.handwritten).
    "humor-sans": ("humor-sans/Humor-Sans.ttf", "fonts-humor-sans"),
    # Chinese and Japanese (kanji and kana) print, with Latin letters and digits.
    "wqy-microhei": ("wqy/wqy-microhei.ttc", "fonts-wqy-microhei"),
    # Korean (Hangul) print, with Latin letters and digits.
    "nanum-gothic": ("nanum/NanumGothic.ttf", "fonts-nanum"),
    "nanum-gothic-bold": ("nanum/NanumGothicBold.ttf", "fonts-nanum"),
}

#: Every Debian package a font in FONTS comes from (for docs and CI setup).
FONT_PACKAGES: tuple[str, ...] = tuple(sorted({pkg for _, pkg in FONTS.values()}))


class MissingFontError(RuntimeError):
    """A font file the renderer needs is not installed."""


def font_path(key: str) -> Path:
    """Return the file for font `key`, failing with the package to install."""
    try:
        rel, package = FONTS[key]
    except KeyError:
        raise KeyError(f"unknown font key {key!r}; known: {', '.join(sorted(FONTS))}") from None
    path = _ROOT / rel
    if not path.is_file():
        raise MissingFontError(f"font {key!r} missing ({path}): run `apt-get install -y {package}`")
    return path


def require_fonts(keys: list[str] | tuple[str, ...] | None = None) -> None:
    """Check up front that fonts exist, so a batch fails before writing anything."""
    for key in keys if keys is not None else FONTS:
        font_path(key)


@lru_cache(maxsize=512)
def load_font(key: str, size: int) -> ImageFont.FreeTypeFont:
    """Load `key` at `size` px.

    The BASIC layout engine is forced so output does not depend on whether
    libraqm happens to be installed: regenerated samples must be byte-identical.
    """
    return ImageFont.truetype(str(font_path(key)), size, layout_engine=ImageFont.Layout.BASIC)
