"""Korean (Hangul) lines: which lines look Korean, Tesseract's Korean data reading them
on generated images (clean, large print: a margin), the syllables put back together,
and the one note when the Korean data is missing."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from conftest import run_cli
from PIL import Image, ImageDraw, ImageFont

from cardscan.model import Box, OcrWord
from cardscan.ocr.hangul import (
    KOREAN_FIX,
    hangul_share,
    is_korean_reading,
    join_syllables,
    korean_installed,
    looks_korean,
)
from cardscan.ocr.ppocr import RapidOcrEngine
from cardscan.ocr.recognised import PpLine
from cardscan.ocr.tesseract import installed_languages
from tools.cardgen.fonts import font_path

NAME, COMPANY = "김민준", "한빛전자"


def pp_line(text: str, score: float, width: int = 400, height: int = 40) -> PpLine:
    return PpLine(Box(10, 10, width, height), text, score, [], 0.0, np.zeros((1, 1), np.uint8))


@pytest.mark.parametrize(
    ("line", "korean"),
    [
        (pp_line("", 0.0), True),  # the recogniser read nothing on a line of print
        (pp_line("oW", 0.39), True),  # below RapidOCR's score cut
        (pp_line("()", 0.77), True),  # two marks on a line ten letters long: "(주)회사"
        (pp_line("06627类327", 0.91), True),  # Chinese characters read weakly
        (pp_line("中国", 0.97), True),  # two characters read surely on a line ten wide
        (pp_line("Hong Gildong Senior Engineer", 0.98), False),
        (pp_line("株式会社東京", 0.99), False),  # Japanese read surely
        (pp_line("三栄ハイテツクス株式会社", 0.87), False),  # kana: Japanese
        (pp_line("", 0.0, width=30, height=40), False),  # a mark, not a line of print
        (pp_line("", 0.0, width=60, height=6), False),  # a rule or a speck
    ],
)
def test_which_lines_look_korean(line: PpLine, korean: bool) -> None:
    assert looks_korean(line) is korean


def words(*texts: str, conf: float = 90.0) -> list[OcrWord]:
    return [OcrWord(t, conf, Box(30 * i, 0, 20, 20)) for i, t in enumerate(texts)]


def test_syllables_tesseract_split_are_joined_and_units_stay_with_numbers() -> None:
    def joined(*texts: str) -> list[str]:
        return [w.text for w in join_syllables(words(*texts))]

    assert joined("김", "민", "준") == ["김민준"]  # a letter-spaced name
    assert joined("(", "쥐", "한", "빛") == ["(주)한빛"]  # (주), as Tesseract misreads it
    assert joined("서울", "강남구", "7", "층") == ["서울", "강남구", "7층"]
    assert joined("대표", "이사") == ["대표", "이사"]  # words stay words


def test_a_reading_is_korean_when_mostly_hangul_and_confident() -> None:
    assert hangul_share("서울 Seoul") == pytest.approx(2 / 7)
    assert is_korean_reading(words("서울특별시", "강남구"))
    assert not is_korean_reading(words("Seoul", "Gangnam"))
    assert not is_korean_reading(words("서울특별시", conf=20.0))


def card_image(lines: list[tuple[str, str, int]]) -> np.ndarray:
    """A clean white card, lines (text, font key, size) in large print, well apart."""
    image = Image.new("RGB", (1400, 160 + 150 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    y = 90
    for text, key, size in lines:
        draw.text((90, y), text, fill="black", font=ImageFont.truetype(str(font_path(key)), size))
        y += 150
    return np.asarray(image)


def card_photo(lines: list[tuple[str, str, int]]) -> Image.Image:
    """The card lying on a dark table, as a photo shows it (cleanup finds its edges)."""
    card = Image.fromarray(card_image(lines))
    photo = Image.new("RGB", (card.width + 400, card.height + 400), (70, 60, 50))
    photo.paste(card, (200, 200))
    return photo


KOREAN_CARD = [
    (NAME, "nanum-gothic-bold", 84),
    (COMPANY, "nanum-gothic", 64),
    ("minjun.kim@hanbit.co.kr", "dejavu-sans", 48),
]


def test_korean_lines_are_read_and_latin_lines_left_as_pp_ocr_read_them() -> None:
    assert korean_installed(), f"this test needs Tesseract's Korean data: {KOREAN_FIX}"
    result = RapidOcrEngine().read(card_image(KOREAN_CARD))
    # The syllables right; where Tesseract sets a space inside a Korean line is its own.
    texts = [line.text.replace(" ", "") for line in result.lines]
    assert texts == [NAME, COMPANY, "minjun.kim@hanbit.co.kr"]
    assert result.korean_unread == 0
    name = result.lines[0]
    assert name.words[0].box.left < 200 and name.box.height > 40  # where it was printed


def test_a_latin_card_is_not_sent_to_the_korean_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def counting(gray: np.ndarray, lines: list[PpLine], timeout: float) -> dict[int, object]:
        calls.append(len(lines))
        return {}

    monkeypatch.setattr("cardscan.ocr.ppocr.read_korean", counting)
    image = card_image(
        [("Marcus Whitfield", "dejavu-sans-bold", 72), ("Northwind Logistics", "dejavu-sans", 56)]
    )
    result = RapidOcrEngine().read(image)
    assert [line.text for line in result.lines] == ["Marcus Whitfield", "Northwind Logistics"]
    assert calls == []


@pytest.fixture
def without_korean(tmp_path: Path) -> dict[str, str]:
    """Tesseract's data folder as on a machine without tesseract-ocr-kor: English and
    orientation only (TESSDATA_PREFIX is Tesseract's own setting)."""
    data = tmp_path / "tessdata"
    data.mkdir()
    found = {}
    for prefix in ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata"):
        for code in ("eng", "osd"):
            source = Path(prefix) / f"{code}.traineddata"
            if source.exists() and code not in found:
                (data / source.name).symlink_to(source)
                found[code] = source
    assert set(found) == {"eng", "osd"} <= installed_languages()
    return {
        "TESSDATA_PREFIX": str(data),
        "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1"),
    }


def test_without_the_korean_data_the_card_is_read_and_one_note_says_what_to_install(
    tmp_path: Path, without_korean: dict[str, str]
) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("one.png", "two.png"):
        card_photo(KOREAN_CARD).save(photos / name)
    # A fresh process: Tesseract's languages are looked up once per process, and this one
    # has seen the Korean data already.
    done = run_cli(
        "ingest", str(photos), "--book", "book.csv", cwd=tmp_path, env=without_korean,
        subprocess=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "minjun.kim@hanbit.co.kr" in (tmp_path / "book.csv").read_text(encoding="utf-8")
    said = (done.stdout + done.stderr).splitlines()
    notes = [line for line in said if "tesseract-ocr-kor" in line]
    assert len(notes) == 1, said
    assert "2 cards hold lines that look Korean" in notes[0]
    assert NAME not in (tmp_path / "book.csv").read_text(encoding="utf-8")


def test_with_the_korean_data_no_note(tmp_path: Path) -> None:
    photo = tmp_path / "card.png"
    card_photo(KOREAN_CARD).save(photo)
    done = run_cli("rescan", str(photo), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "tesseract-ocr-kor" not in done.stderr
    # Read (into which field is the extractor's part); a space Tesseract may set apart.
    assert NAME in done.stdout and (COMPANY in done.stdout or "한빛 전자" in done.stdout)
