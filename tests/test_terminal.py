"""Outside text shown on a terminal: control characters become visible escapes."""

from __future__ import annotations

import json
import re

import pytest

from cardscan.terminal import json_text, visible, visible_lines


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Jane Doe", "Jane Doe"),
        ("Inês Müller 李小龍", "Inês Müller 李小龍"),
        ("\x1b[2J\x1b[HJane", "\\x1b[2J\\x1b[HJane"),  # clear the screen, cursor home
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),  # retitle the terminal
        ("Acme\nRead 99 card photos: 0 failed.", "Acme\\nRead 99 card photos: 0 failed."),
        ("a\rb\tc", "a\\rb\\tc"),
        ("\x9b31m", "\\x9b31m"),  # 8-bit CSI
        ("\x7f", "\\x7f"),
        ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
        ("x\u2028y", "x\\u2028y"),
        ("caf\udce9.jpg", "caf\\xe9.jpg"),  # a file name that is not UTF-8
        ("\U0001f468\u200d\U0001f469", "\U0001f468\u200d\U0001f469"),  # ZWJ kept
    ],
)
def test_control_characters_are_shown_not_run(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_visible_lines_keeps_only_real_line_breaks() -> None:
    assert visible_lines("one\x1b[1A\ntwo\r") == "one\\x1b[1A\ntwo\\r"


def test_visible_can_be_applied_twice() -> None:
    """The code quoting a value and the line printing it may both escape it."""
    for raw in ("\x1b]0;pwned\x07", "a\nb", "caf\udce9\x9b", "x\u202ey"):
        assert visible(visible(raw)) == visible(raw)


def test_json_text_escapes_what_json_leaves_raw_and_reads_back_exactly() -> None:
    value = {
        "name": "Eve\x1b[2J\x07",  # C0: json.dumps escapes it itself
        "company": "Acme\x9b31m\x7f\u202egnp. \u2028",  # C1, DEL, bidi, separator: not
        "source": "caf\udce9.jpg",  # a file name that is not UTF-8
        "city": "São Paulo 李",  # letters stay letters
    }
    text = json_text(value, indent=2)
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e\u2028\ud800-\udfff]", text)
    assert "\\u009b31m\\u007f\\u202egnp. \\u2028" in text
    assert "\\udce9" in text and "São Paulo 李" in text
    assert json.loads(text) == value
