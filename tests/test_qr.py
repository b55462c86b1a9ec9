"""QR codes: decoded from real rendered codes, and used only to fill, never to replace."""

from __future__ import annotations

import numpy as np
import pytest
import segno

from cardscan.model import Contact, Extraction, Phone, PhoneKind
from cardscan.qr import apply_qr, read_qr

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Keller;Anna;;;\r\nFN:Anna Keller\r\n"
    "ORG:Keller Bau GmbH\r\nTITLE:Bauleiterin\r\n"
    "TEL;TYPE=WORK,VOICE:+49 30 901820\r\nTEL;TYPE=CELL:+49 151 23456789\r\n"
    "EMAIL;TYPE=INTERNET:anna.keller@kellerbau.de\r\nURL:https://www.kellerbau.de/\r\n"
    "ADR;TYPE=WORK:;;Hauptstr. 5;Berlin;;10115;Deutschland\r\nEND:VCARD\r\n"
)


def _card_with_code(text: str, dark_card: bool = False) -> np.ndarray:
    """A card-sized RGB image with a QR code printed in its lower right corner."""
    modules = np.array(segno.make(text, error="l").matrix, dtype=np.uint8)
    module_px = 6
    code = np.kron(1 - modules, np.ones((module_px, module_px), np.uint8)) * 255
    code = np.pad(code, 4 * module_px, constant_values=255)
    card = np.full((700, 1200), 255, np.uint8)
    h, w = code.shape
    card[650 - h : 650, 1150 - w : 1150] = code
    if dark_card:
        card = 255 - card  # light code on a dark card
    return np.dstack([card] * 3)


@pytest.mark.parametrize("dark_card", [False, True])
def test_a_printed_code_is_decoded_on_light_and_dark_cards(dark_card: bool) -> None:
    assert read_qr(_card_with_code("https://www.kellerbau.de", dark_card)) == (
        "https://www.kellerbau.de"
    )


def test_no_code_reads_as_none() -> None:
    assert read_qr(np.full((500, 800, 3), 240, np.uint8)) is None


def test_a_web_address_fills_a_missing_website() -> None:
    extraction = Extraction(Contact(name="Anna Keller"))
    assert apply_qr(extraction, "https://www.kellerbau.de/", "DE") == ["websites"]
    assert extraction.contact.websites == ["www.kellerbau.de"]
    assert extraction.confidence["websites"] >= 0.9


def test_a_web_address_already_read_or_a_social_link_changes_nothing() -> None:
    extraction = Extraction(Contact(websites=["kellerbau.de"]))
    assert apply_qr(extraction, "https://www.kellerbau.de/kontakt", "DE") == []
    assert apply_qr(extraction, "https://www.linkedin.com/in/annakeller", "DE") == []
    assert apply_qr(extraction, "just some text", "DE") == []
    assert extraction.contact.websites == ["kellerbau.de"]


def test_a_vcard_fills_empty_fields_and_adds_missing_numbers() -> None:
    read = Contact(
        name="Anna Keler",  # misread: the QR does not overwrite what was read
        emails=[],
        phones=[Phone("+4930901820", PhoneKind.WORK, "030 901820")],
    )
    extraction = Extraction(read)
    changed = apply_qr(extraction, VCARD, "DE")
    contact = extraction.contact
    assert changed == ["address", "company", "emails", "phones", "title", "websites"]
    assert contact.name == "Anna Keler"
    assert contact.company == "Keller Bau GmbH" and contact.title == "Bauleiterin"
    assert contact.emails == ["anna.keller@kellerbau.de"]
    assert [(p.number, p.kind) for p in contact.phones] == [
        ("+4930901820", PhoneKind.WORK),
        ("+4915123456789", PhoneKind.MOBILE),
    ]
    assert contact.websites == ["www.kellerbau.de"]
    assert contact.address == "Hauptstr. 5, 10115 Berlin, Deutschland"


def test_a_broken_vcard_is_no_evidence() -> None:
    extraction = Extraction(Contact(name="Anna Keller"))
    assert apply_qr(extraction, "BEGIN:VCARD\r\nFN;;;broken", "DE") == []
    assert extraction.contact == Contact(name="Anna Keller")
