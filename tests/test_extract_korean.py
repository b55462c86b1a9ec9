"""Korean cards as the reading gives them: the company printed in Hangul found by its
domain, a name and its job title on one line, company words that are no name."""

from __future__ import annotations

import pytest

from cardscan.extract import extract
from cardscan.extract.romanise import hangul_matches, romanise, skeleton
from cardscan.extract.synth import make_ocr
from cardscan.model import Contact

ADDRESS = ("서울특별시 강남구 테헤란로 123, 4층", 16)
PHONES = ("Tel 02-555-1234  Mobile 010-1234-5678", 16)
EMAIL = ("minjun.kim@hanbit.co.kr", 16)


def _contact(lines: list[tuple[str, int]]) -> Contact:
    return extract(make_ocr(lines), "KR").contact


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [("한빛", "hanbit"), ("삼성", "samseong"), ("현대", "hyeondae"), ("신한", "sinhan")],
)
def test_hangul_is_spelt_by_the_revised_romanization(hangul: str, latin: str) -> None:
    assert romanise(hangul) == latin


@pytest.mark.parametrize(
    ("hangul", "domain"),
    [
        ("한빛전자", "hanbit"),  # the domain, then a trade word (전자: electronics)
        ("삼성전자", "samsung"),  # a spelling of the company's own: vowels differ
        ("현대자동차", "hyundai"),
        ("신한은행", "shinhan"),
        ("미래소프트", "miraesoft"),
    ],
)
def test_a_hangul_name_and_its_domain_agree_by_their_consonants(hangul: str, domain: str) -> None:
    assert hangul_matches(hangul, domain)


@pytest.mark.parametrize(
    ("hangul", "domain"),
    [("김민준", "hanbit"), ("서울특별시", "hanbit"), ("롯데", "lotte"), ("과장", "acme")],
)
def test_other_hangul_does_not_match_the_domain(hangul: str, domain: str) -> None:
    # Too few consonants ("롯데": l, t) say nothing; other words differ.
    assert not hangul_matches(hangul, domain)


def test_the_skeleton_keeps_an_h_of_its_own_and_drops_one_that_marks_a_sound() -> None:
    assert skeleton("shinhan") == skeleton("sinhan") == "snhn"
    assert skeleton("hanwha") == "hnh"


def test_the_company_printed_in_hangul_is_the_field_not_the_domain() -> None:
    contact = _contact([("한빛전자", 26), ("김민준", 40), ("과장", 20), ADDRESS, PHONES, EMAIL])
    assert (contact.name, contact.title, contact.company) == ("김민준", "과장", "한빛전자")


@pytest.mark.parametrize("line", ["김민준 과장", "과장 김민준", "김 민 준 과장"])
def test_a_name_and_its_title_on_one_line_are_parted(line: str) -> None:
    contact = _contact([("한빛전자", 26), (line, 36), ADDRESS, PHONES, EMAIL])
    assert (contact.name, contact.given_name, contact.family_name) == ("김민준", "민준", "김")
    assert contact.title == "과장"


def test_a_japanese_name_and_its_title_on_one_line_are_parted() -> None:
    lines = [("株式会社ミライ", 26), ("山田太郎 部長", 36), ("TEL 06-6345-1111", 16),
             ("yamada@mirai.co.jp", 16)]  # fmt: skip
    contact = extract(make_ocr(lines), "JP").contact
    assert (contact.name, contact.title, contact.company) == ("山田太郎", "部長", "株式会社ミライ")


def test_a_company_word_of_four_syllables_is_no_name() -> None:
    # 한 is a family name, but 전자 (electronics) makes 한빛전자 a company.
    contact = _contact([("한빛전자", 40), ("과장", 20), ADDRESS, PHONES, ("info@hanbit.co.kr", 16)])
    assert contact.name is None
    assert contact.company == "한빛전자"
