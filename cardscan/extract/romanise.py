"""Korean in Latin letters, loosely: enough to tell that a company's Hangul name and its
web or email domain are the same word ("한빛전자" and hanbit.co.kr, "삼성" and samsung).

Hangul syllables are built from their letters by arithmetic (Unicode's composition of
a leading consonant, a vowel and an optional final consonant), so each is spelt by the
Revised Romanization's tables below (general knowledge of Korean, not from any card).
Companies spell their names in many ways besides the official one (현대: Hyeondae
officially, Hyundai in its domain; 삼성: Samseong, Samsung), and the vowels are where
they differ, so the two are compared by their consonants only, each reduced to its
family (g/k, d/t, b/p, r/l, j/ch): `skeleton`.
"""

from __future__ import annotations

import re


def _letters(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split(" "))


# The Revised Romanization's letters: leading consonants, vowels, final consonants
# ("-": none), in Unicode's order of composition.
_FIRST = _letters("g kk n d tt r m b pp s ss - j jj ch k t p h")
_VOWEL = _letters("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
_LAST = _letters("- k k k n n n t l l l l l l l l m p p t t ng t t k t p t")
_HANGUL_START, _HANGUL_END = 0xAC00, 0xD7A3


def romanise(text: str) -> str:
    """Each Hangul syllable in Latin letters (Revised Romanization, without its sound
    changes between syllables); anything else is kept as it is."""
    out = []
    for ch in text:
        code = ord(ch)
        if not _HANGUL_START <= code <= _HANGUL_END:
            out.append(ch)
            continue
        index = code - _HANGUL_START
        first, vowel, last = index // 588, (index % 588) // 28, index % 28
        out.append(_FIRST[first].strip("-") + _VOWEL[vowel] + _LAST[last].strip("-"))
    return "".join(out)


# Consonant families: a name's romanisations differ in these, not in the family.
_FAMILIES = str.maketrans({"g": "k", "c": "k", "q": "k", "d": "t", "b": "p", "f": "p",
                           "v": "p", "r": "l", "z": "j", "x": "s"})  # fmt: skip


def skeleton(latin: str) -> str:
    """The consonants of a romanised word, each by its family, doubled ones once:
    "hanbit" -> "hnpt", "samsung" and "samseong" -> "smsnk"."""
    text = re.sub(r"[^a-z]", "", latin.lower()).replace("ch", "j")
    # An "h" after s, c, k, p, t or g only marks its sound ("shinhan", "phil"); elsewhere
    # it is a consonant of its own ("hanbit", "sinhan", "hanhwa").
    text = re.sub(r"(?<=[sckptg])h", "", text)
    text = re.sub(r"[aeiouyw]", "", text).translate(_FAMILIES)
    return re.sub(r"(.)\1+", r"\1", text)


def hangul_matches(text: str, brand: str, least: int = 3) -> bool:
    """Whether the Hangul in `text` and a domain's label `brand` are one name: the
    consonants of one begin the other's (the Hangul line often adds a trade word, 전자,
    그룹: "한빛전자" of hanbit), at least `least` of them."""
    hangul = "".join(re.findall(r"[\uac00-\ud7a3]+", text))
    if not hangul:
        return False
    ours, theirs = skeleton(romanise(hangul)), skeleton(brand)
    if min(len(ours), len(theirs)) < least:
        return False
    return ours.startswith(theirs) or theirs.startswith(ours)
