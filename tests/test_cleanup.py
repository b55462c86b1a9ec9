"""Cleanup stage alone: card finding against the generator's true corners, light, scale."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import ALL_SAMPLES, Sample
from PIL import Image, ImageDraw, ImageFont

from cardscan.cleanup import CleanupParams, cleanup, rotate
from cardscan.cleanup.detect import Quad, find_card
from cardscan.cleanup.light import (
    even_light,
    invert_dark_regions,
    is_dark_background,
    text_height,
)
from cardscan.load import load_photo
from cardscan.ocr.tesseract import TesseractEngine

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.mark.parametrize("sample", ALL_SAMPLES, ids=lambda s: s.name)
def test_card_found_at_its_true_corners(sample: Sample) -> None:
    photo = load_photo(sample.photo)
    quad = find_card(photo.pixels)
    assert quad is not None, "no card found"
    truth = np.array(sample.truth["photo"]["card_corners"], dtype=np.float32)
    scale = photo.pixels.shape[1] / sample.truth["photo"]["size"][0]
    truth = truth * scale
    overlap, _ = cv2.intersectConvexConvex(quad.points, truth)
    union = cv2.contourArea(quad.points) + cv2.contourArea(truth) - overlap
    # Overlap, not corners: a thumb over a corner hides it, and what matters for OCR is
    # that the warp keeps the card and little of the table. (us-held-in-hand scores ~0.87:
    # the outline follows the thumb and cuts a text-free strip off the card's edge.)
    assert overlap / union > 0.85, f"found quad overlaps the card by {overlap / union:.0%} only"


def _text_card(width: int = 1050, height: int = 600, size: int = 30) -> np.ndarray:
    card = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(FONT, size)
    for i, line in enumerate(
        ["Jane Doe", "Head of Research", "jane@example.org", "+1 415 555 2671"]
    ):
        draw.text((60, 60 + i * int(size * 1.8)), line, font=font, fill="black")
    return np.asarray(card)


def test_no_card_in_a_featureless_photo_falls_back_to_the_whole_photo() -> None:
    rng = np.random.default_rng(0)
    noise = rng.integers(90, 110, size=(900, 1200, 3), dtype=np.uint8)
    assert find_card(noise) is None
    cleaned = cleanup(noise)
    assert cleaned.quad is None and cleaned.card.shape == noise.shape


def test_dark_card_is_inverted_to_dark_text_on_white() -> None:
    dark = 255 - _text_card()
    gray = cv2.cvtColor(dark, cv2.COLOR_RGB2GRAY)
    assert is_dark_background(gray)
    cleaned = cleanup(dark)
    assert cleaned.inverted
    assert np.median(cleaned.image) > 200  # paper is white again


def test_even_light_flattens_a_lamp_gradient() -> None:
    gray = cv2.cvtColor(_text_card(), cv2.COLOR_RGB2GRAY).astype(np.float32)
    lamp = np.linspace(0.45, 1.0, gray.shape[1], dtype=np.float32)
    lit = (gray * lamp).astype(np.uint8)
    paper = lit > 100  # background pixels of the lit image
    flat = even_light(lit)
    assert np.std(flat[paper]) < np.std(lit[paper]) / 3


@pytest.mark.parametrize("size", [18, 30, 60])
def test_text_height_measures_letters(size: int) -> None:
    gray = cv2.cvtColor(_text_card(size=size), cv2.COLOR_RGB2GRAY)
    measured = text_height(gray)
    assert measured is not None
    assert 0.45 * size <= measured <= 1.0 * size


def test_small_text_is_scaled_up_for_tesseract() -> None:
    small = cv2.resize(_text_card(), (350, 200), interpolation=cv2.INTER_AREA)
    cleaned = cleanup(small)
    assert cleaned.scale > 1.5


def test_rotate_quarter_turns() -> None:
    image = np.arange(6, dtype=np.uint8).reshape(2, 3)
    assert rotate(image, 90).shape == (3, 2)
    assert np.array_equal(rotate(rotate(image, 90), 270), image)
    assert np.array_equal(rotate(image, 0), image)


def test_a_black_card_on_a_black_table_is_cropped_to_its_print() -> None:
    from cardscan.cleanup.textblock import find_text_block
    from cardscan.ocr import read_upright
    from cardscan.ocr.tesseract import TesseractEngine

    card = 255 - _text_card()
    card = (card.astype(np.float32) * 0.8 + 18).astype(np.uint8)  # card ~18, print ~222
    table = np.full((1500, 2000, 3), 16, np.uint8)  # no visible card edge at all
    turn = cv2.getRotationMatrix2D((525, 300), 20, 1.0)
    turned = cv2.warpAffine(card, turn, (1050, 600), borderValue=(16, 16, 16))
    table[450:1050, 500:1550] = turned
    block = find_text_block(table)
    assert block is not None and block.method == "text"
    cleaned = cleanup(table)
    assert cleaned.quad is not None and cleaned.quad.method == "text" and cleaned.inverted
    text = read_upright(TesseractEngine(), cleaned.image).text
    assert "jane@example.org" in text


def _inside(quad: Quad, x: float, y: float) -> bool:
    return cv2.pointPolygonTest(quad.points.astype(np.float32), (x, y), False) >= 0


def test_the_print_block_keeps_every_block_of_the_card() -> None:
    """A name at the top left and the contact lines at the bottom right, far apart: the
    crop holds both (taking the inkiest block alone cut the name away), not a speck."""
    from cardscan.cleanup.textblock import find_text_block

    photo = np.full((1500, 2000, 3), 40, np.uint8)  # a dark table, no card edge
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(photo, "Jane Doe", (560, 560), font, 2.4, (235, 235, 235), 6)
    for i, line in enumerate(["+1 512 555 0178", "jane@example.org", "12 Main St, Austin"]):
        cv2.putText(photo, line, (1000, 860 + 70 * i), font, 1.4, (235, 235, 235), 3)
    cv2.circle(photo, (150, 1350), 6, (235, 235, 235), -1)  # a speck of dust on the table
    block = find_text_block(photo)
    assert block is not None and block.method == "text"
    assert _inside(block, 700, 530)  # the name
    assert _inside(block, 1300, 990)  # the last contact line
    assert not _inside(block, 150, 1350)


def test_print_filling_the_photo_leaves_the_whole_photo() -> None:
    """A card photographed close fills the frame: its print covers most of the photo and
    the whole photo is read rather than a part of the card."""
    from cardscan.cleanup.textblock import find_text_block

    photo = np.full((700, 1160, 3), 230, np.uint8)
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(photo, "Jane Doe", (60, 140), font, 2.6, (20, 20, 20), 6)
    cv2.putText(photo, "Acme Robotics", (60, 230), font, 1.4, (20, 20, 20), 3)
    for i, line in enumerate(["+1 512 555 0178", "jane@example.org", "www.acme.com"]):
        cv2.putText(photo, line, (740, 520 + 80 * i), font, 1.5, (20, 20, 20), 3)
    assert find_text_block(photo) is None


def test_light_print_on_a_dark_panel_is_turned_and_read() -> None:
    """The company name sits on a teal panel beside a white area with the details."""
    sample = next(s for s in ALL_SAMPLES if s.name == "ca-teal-logo-panel")
    photo = load_photo(sample.photo).pixels
    company = sample.contact["company"]
    with_panels = cleanup(photo).image
    without = cleanup(photo, CleanupParams(invert_regions=False)).image
    assert company in TesseractEngine().read(with_panels).text
    assert company not in TesseractEngine().read(without).text


def test_a_shadow_over_dark_print_is_not_turned() -> None:
    card = np.full((600, 1000), 235, np.uint8)
    card[300:, :] = 120  # a cast shadow over the lower half
    font = ImageFont.load_default(size=40)
    image = Image.fromarray(card)
    draw = ImageDraw.Draw(image)
    for row in range(8):
        draw.text((60, 40 + row * 70), "dark print 0123456789", fill=20, font=font)
    shadowed = np.asarray(image)
    assert np.array_equal(invert_dark_regions(shadowed), shadowed)


def test_a_dark_band_with_light_print_is_turned() -> None:
    card = np.full((600, 1000), 240, np.uint8)
    card[:, :300] = 40  # a dark band down the left third
    image = Image.fromarray(card)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    draw.text((30, 280), "ACME", fill=245, font=font)
    draw.text((400, 280), "Jane Doe", fill=20, font=font)
    turned = invert_dark_regions(np.asarray(image))
    assert turned[10:590, 10:290].mean() > 180  # the band is light now
    assert turned[10:590, 700:990].mean() > 180  # the rest is unchanged
    assert np.array_equal(turned[:, 400:], np.asarray(image)[:, 400:])


@pytest.mark.parametrize("panel", ["left", "top"])
def test_a_two_tone_card_is_found_whole_not_its_panel(panel: str) -> None:
    """A teal panel beside (or over) the white part with the contact lines: each part
    is a card-shaped region with edges all round, and the panel alone lost the print."""
    card = np.full((600, 1050, 3), 245, np.uint8)
    if panel == "left":
        card[:, :380] = (20, 140, 140)
    else:
        card[:230, :] = (20, 140, 140)
    font = cv2.FONT_HERSHEY_SIMPLEX
    for i, line in enumerate(["+1 512 555 0178", "jane@example.org", "www.example.org"]):
        cv2.putText(card, line, (450, 330 + 60 * i), font, 1.2, (30, 30, 30), 2)
    photo = np.full((1200, 1600, 3), (60, 40, 30), np.uint8)
    turn = cv2.getRotationMatrix2D((525, 300), 8, 1.0)
    turned = cv2.warpAffine(card, turn, (1050, 600), borderValue=(60, 40, 30))
    mask = cv2.warpAffine(np.full((600, 1050), 255, np.uint8), turn, (1050, 600))
    photo[300:900, 275:1325][mask > 0] = turned[mask > 0]
    quad = find_card(photo)
    assert quad is not None
    area = cv2.contourArea(quad.points.astype(np.float32))
    assert 0.9 * 1050 * 600 <= area <= 1.1 * 1050 * 600


def _on_table(card: np.ndarray, table: int, size: tuple[int, int] = (1200, 1600)) -> np.ndarray:
    """The card turned 8 degrees and laid in the middle of a plain table of that grey."""
    photo = np.full((*size, 3), table, np.uint8)
    height, width = card.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), 8, 1.0)
    turned = cv2.warpAffine(card, turn, (width, height), borderValue=(table,) * 3)
    mask = cv2.warpAffine(np.full((height, width), 255, np.uint8), turn, (width, height))
    top, left = (size[0] - height) // 2, (size[1] - width) // 2
    photo[top : top + height, left : left + width][mask > 0] = turned[mask > 0]
    return photo


def test_a_panel_beside_a_black_half_on_a_dark_table_is_found_with_it() -> None:
    """A teal panel and a black half with the contact lines, on a table a few grey
    levels lighter than the black: only the dark edges outline the black half, and the
    panel alone would lose every contact line."""
    card = np.full((600, 1050, 3), 18, np.uint8)
    card[:, :380] = (20, 150, 150)
    font = cv2.FONT_HERSHEY_SIMPLEX
    for i, line in enumerate(["+49 30 518059", "jane@example.org", "Fritschweg 7"]):
        cv2.putText(card, line, (450, 330 + 60 * i), font, 1.2, (210, 210, 210), 2)
    photo = _on_table(card, table=27)
    quad = find_card(photo)
    assert quad is not None and quad.method == "dark rest"
    area = cv2.contourArea(quad.points.astype(np.float32))
    assert 0.9 * 1050 * 600 <= area <= 1.1 * 1050 * 600


def test_a_card_on_a_dark_mat_is_not_taken_for_the_mat() -> None:
    """A light card lying inside a larger dark mat (card-shaped too) shares no side with
    it: the card stays the card."""
    mat = np.full((700, 1150, 3), 18, np.uint8)
    mat[170:530, 290:860] = 235  # the card, 570 x 360, in the middle of the mat
    cv2.putText(mat, "jane@example.org", (330, 360), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (30,) * 3, 2)
    photo = _on_table(mat, table=27)
    quad = find_card(photo)
    assert quad is not None and quad.method != "dark rest"
    area = cv2.contourArea(quad.points.astype(np.float32))
    assert 0.85 * 570 * 360 <= area <= 1.15 * 570 * 360
