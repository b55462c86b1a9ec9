"""extract() and validate() never raise, whatever OCR hands them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardscan.extract import extract
from cardscan.extract.synth import make_ocr
from cardscan.fields import NAMES as FIELDS
from cardscan.model import Box, OcrLine, OcrResult, OcrWord
from cardscan.validate import validate

# Card-like fragments mixed into random text, so the rules actually fire.
FRAGMENTS = [
    "Tel.", "Fax", "M", "+49", "+1", "(0)", "030", "555-0132", "ext.", "x", "@", "jane",
    "acme.com", "www.", ".de", "GmbH", "Inc.", "Street", "10115", "CA", "94105", "in/",
    "|", "·", "Jane", "DOE", "CEO", "Head", "of", "(at)", "linkedin.com/in/x", "IG:",
    "São", "Straße", "O", "l", "-", ",", "ß", "ﬁ", "\u200b", "٣", "😀",
]  # fmt: skip
word = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(min_size=1, max_size=12),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
)
line = st.tuples(
    st.lists(word, min_size=1, max_size=8).map(lambda ws: " ".join(ws)),
    st.floats(min_value=1, max_value=120),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(line, max_size=25), region=st.sampled_from(["US", "DE", "GB", "xx", ""]))
def test_extract_and_validate_never_raise_on_text(lines: list, region: str) -> None:
    ex = extract(make_ocr(lines), region)
    assert set(ex.confidence) <= set(FIELDS)
    assert all(0.0 <= v <= 1.0 for v in ex.confidence.values())
    issues = validate(ex)
    assert all(i.code != "validate_error" for i in issues)


box = st.builds(
    Box,
    st.integers(-50, 3000),
    st.integers(-50, 3000),
    st.integers(0, 500),
    st.integers(0, 500),
)
raw_word = st.builds(OcrWord, st.text(max_size=15), st.floats(-1, 101), box)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.lists(raw_word, min_size=1, max_size=6), max_size=12))
def test_extract_never_raises_on_odd_geometry(lines: list[list[OcrWord]]) -> None:
    ocr = OcrResult([OcrLine(ws) for ws in lines], 1000, 600)
    ex = extract(ocr)
    validate(ex)
