"""The names lexicon: built from a general source, deterministic, looked up folded."""

from __future__ import annotations

from pathlib import Path

from cardscan.extract.lexicon import _NAMES_FILE, is_family_name, is_given_name
from tools.build_names import main as build_names


def test_lexicon_knows_names_of_many_countries() -> None:
    for given in ("Maria", "JOHN", "Søren", "Priya", "Kenji", "Chinedu", "Fatima"):
        assert is_given_name(given), given
    for family in ("Müller", "García", "Nguyen", "Kowalski", "王", "山田", "서", "김"):
        assert is_family_name(family), family
    # India's commonest names of the working generations (Faker's list is of babies').
    for given in ("Rajesh", "Suresh", "Vijay", "Sunita"):
        assert is_given_name(given), given
    for family in ("Mehta", "Kulkarni", "Shrestha"):
        assert is_family_name(family), family


def test_words_far_more_often_something_else_are_no_names() -> None:
    for word in ("Street", "Sales", "Manager", "Group", "Park"):
        assert not is_given_name(word) and not is_family_name(word), word


def test_rebuild_gives_the_shipped_file_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "names.txt.gz"
    assert build_names(["--out", str(out)]) == 0
    assert out.read_bytes() == _NAMES_FILE.read_bytes()
