"""Text from outside (a card, a QR code, a file name, a cell of the book) made safe to print.

Anyone can print a card, a QR code or a spreadsheet cell. Written raw to a terminal,
an escape sequence in a name can clear the screen, retitle the window, hide the text
after it or move the cursor to print a fake line ("Read 12 card photos: 0 failed."),
and a line break in a company can start a line of its own. So every piece of outside
text shown on a terminal goes through `visible()`, which writes each control character
as a backslash escape, the way `ls -b` and Python's repr show them ("\\x1b[2J",
"\\n"): the user sees that something odd is there, and nothing runs.

What counts as control: every C0 and C1 control character and DEL (Unicode category
Cc, line breaks and tabs included: in a one-line field they are not layout), the line
and paragraph separators, and the bidirectional overrides and isolates, which reorder
what follows them on screen ("Trojan Source"). Other format characters (the zero-width
joiner in emoji, the non-joiner in Persian names) are kept: they only shape letters.

Backslashes already in the text are left as they are, so `visible()` can be applied
twice (by the code that quotes a value and again where the line is printed) without
changing what is shown; the price is that a name typed with a literal "\\x1b" looks
like one holding ESC, which only shows something odd, never runs it.

Machine output keeps its own escaping: `json_text()` is JSON whose strings carry
every such character as a `\\uXXXX` escape (json.dumps with ensure_ascii=False
escapes C0 but leaves DEL, C1, the separators and bidi controls raw), so it is both
safe on a terminal and, read back, exactly the text.

`printable()` is the other half: text as a file, a database or a terminal takes it
(valid UTF-8, an undecodable byte of a file name escaped). It is here, below book/ and
state/, because the book, the result store and the batch records all call it.

This module imports nothing heavy: every command may use it.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Cc (C0, DEL, C1), U+2028/2029 (line/paragraph separator), the bidi embeddings,
# overrides, isolates and marks (U+061C, U+200E/F, U+202A-E, U+2066-9).
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# What json.dumps(ensure_ascii=False) leaves raw in its strings: DEL, C1, the
# separators, bidi controls, and lone surrogates. C0 it escapes itself; the line breaks
# and spaces of indented JSON are its own layout, between the strings.
_IN_JSON = re.compile(
    "[\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: object) -> str:
    """`text` with every control character written as a visible escape, on one line.

    A file name that is not valid UTF-8 (a lone surrogate from the file system) is
    escaped too, as `\\xe9`, so a strict terminal cannot fail on it either.
    """
    shown = _CONTROL.sub(_escape, str(text))
    if shown.isascii():
        return shown
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:
        errors = "surrogateescape" if _bytes_only(shown) else "backslashreplace"
        return shown.encode("utf-8", errors).decode("utf-8", "backslashreplace")
    return shown


def visible_lines(text: object) -> str:
    """Like `visible`, but keeps line breaks: for text that is several lines on purpose."""
    return "\n".join(visible(line) for line in str(text).split("\n"))


def json_text(value: Any, *, indent: int | None = None) -> str:
    """`value` as JSON (UTF-8 text, not ASCII-escaped) that is safe to print.

    Every control character above, and a lone surrogate (a file name that is not
    valid UTF-8), is written as a `\\uXXXX` escape: still valid JSON that a reader
    decodes to exactly the same text. They can only occur inside strings, where such
    an escape means the character itself.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _bytes_only(text: str) -> bool:
    """Whether every lone surrogate stands for a byte (how Python decodes a bad file name)."""
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def printable(text: str) -> str:
    """`text` as any file, database or terminal takes it: valid UTF-8 only.

    A file name that is not valid UTF-8 (b"caf\\xe9.jpg", from an old camera or a
    Windows share) reaches Python as a str with a lone surrogate ("caf\\udce9.jpg"),
    which UTF-8 cannot encode: the spreadsheet, the CSV, the result store and a strict
    terminal would all fail on it. Each undecodable byte is shown as a backslash escape
    instead ("caf\\xe9.jpg", as `ls -b` and Python's repr show it), and this is the one
    place that decides so: the book, the store and the ingest summary all call it. Such
    text names a file for a person to find; it is never opened again (the caller keeps
    the real path).
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")  # the file name's bytes back
    except UnicodeEncodeError:  # a surrogate that stands for no byte: escape it as such
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")
