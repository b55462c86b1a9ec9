"""QR codes: decoded from real rendered codes, and used only to fill, never to replace."""

from __future__ import annotations

import cv2
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


class _Blind:
    """OpenCV's classic detector, finding nothing (as on the codes it misses)."""

    def detectAndDecode(self, image: np.ndarray) -> tuple[str, None, None]:
        return "", None, None


class _Crashing:
    def detectAndDecode(self, image: np.ndarray) -> tuple[str, None, None]:
        raise cv2.error("malformed code")


@pytest.mark.parametrize("dark_card", [False, True])
def test_the_aruco_detector_reads_what_the_classic_one_misses(
    dark_card: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cv2, "QRCodeDetector", _Blind)
    card = _card_with_code("https://www.kellerbau.de", dark_card)
    assert read_qr(card) == "https://www.kellerbau.de"
    monkeypatch.setattr(cv2, "QRCodeDetectorAruco", _Blind)
    assert read_qr(card) is None


def test_a_detector_that_fails_on_a_code_gives_no_opinion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cv2, "QRCodeDetector", _Crashing)
    monkeypatch.setattr(cv2, "QRCodeDetectorAruco", _Crashing)
    assert read_qr(_card_with_code("https://www.kellerbau.de")) is None


def test_a_web_address_fills_a_missing_website() -> None:
    extraction = Extraction(Contact(name="Anna Keller"))
    assert apply_qr(extraction, "https://www.kellerbau.de/", "DE") == ["websites"]
    assert extraction.contact.websites == ["www.kellerbau.de"]
    assert extraction.confidence["websites"] >= 0.9


def test_a_web_address_already_read_changes_nothing_and_a_social_link_is_social() -> None:
    extraction = Extraction(Contact(websites=["kellerbau.de"]))
    assert apply_qr(extraction, "https://www.kellerbau.de/kontakt", "DE") == []
    assert apply_qr(extraction, "https://www.linkedin.com/in/annakeller", "DE") == ["social"]
    assert apply_qr(extraction, "https://www.linkedin.com/in/someoneelse", "DE") == []
    assert apply_qr(extraction, "just some text", "DE") == []
    assert extraction.contact.websites == ["kellerbau.de"]
    assert extraction.contact.social == {"linkedin": "linkedin.com/in/annakeller"}
    assert extraction.issues == []


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


def _vcard(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""])


def _rejected(extraction: Extraction) -> list[tuple[str | None, str]]:
    return [(i.field, i.message) for i in extraction.issues if i.code == "qr_rejected"]


def test_vcard_text_is_one_line_without_control_characters_and_not_endless() -> None:
    extraction = Extraction(Contact())
    text = _vcard(
        "FN:Anna\\nKeller\x1b[2J\u202e",
        "TITLE:" + "Director " * 40,
        "ORG:Keller\tBau GmbH",
    )
    assert apply_qr(extraction, text, "DE") == ["company", "name"]
    assert extraction.contact.name == "Anna Keller [2J"  # the escape cannot act any more
    assert extraction.contact.company == "Keller Bau GmbH"
    assert extraction.contact.title is None
    ((field, message),) = _rejected(extraction)
    assert field == "title"
    assert message.startswith("QR code: title 'Director Director")
    assert message.endswith("…' is 359 characters long (at most 150); left out")


def test_a_name_of_thousands_of_characters_is_not_a_name() -> None:
    extraction = Extraction(Contact())
    assert apply_qr(extraction, _vcard("FN:" + "A" * 2000), "GB") == []
    assert extraction.contact.name is None
    assert [f for f, _ in _rejected(extraction)] == ["name"]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("javascript:alert(1)", "is not an http or https web address"),
        ("JavaScript:alert(1)", "is not an http or https web address"),
        ("file:///etc/passwd", "is not an http or https web address"),
        ("data:text/html;base64\\,PHNjcmlwdD4=", "is not an http or https web address"),
        ("smb://fileserver/share", "is not an http or https web address"),
        ("http:/acme.com", "is not an http or https web address"),
        ("https://user:secret@acme.com/", "carries a user name or password"),
        ("https://acme.com@evil.example/", "carries a user name or password"),
        ("https://127.0.0.1/admin", "has no valid host name"),
        ("https://intranet/", "has no valid host name"),
        ("https://-acme-.com", "has no valid host name"),
        ("https://acme.com:99999/", "is not a web address"),
        ("https://acme.com/<script>", "has characters a web address cannot hold"),
    ],
)
def test_only_http_and_https_web_addresses_are_used(url: str, why: str) -> None:
    extraction = Extraction(Contact())
    assert apply_qr(extraction, _vcard(f"URL:{url}"), "GB") == []
    assert extraction.contact.websites == [] and extraction.contact.social == {}
    ((field, message),) = _rejected(extraction)
    assert field == "websites"
    assert message.endswith(f"' {why}; left out")


def test_good_web_addresses_and_profiles_from_a_vcard() -> None:
    extraction = Extraction(Contact())
    text = _vcard(
        "URL:www.kellerbau.de/team/",
        "URL:https://www.linkedin.com/in/annakeller",
        "URL:https://bit.ly/3xYz",  # a short link is nobody's website: not used, not flagged
        "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/annakeller",
        "X-SOCIALPROFILE;TYPE=mastodon:https://chaos.social/@anna",
        "X-SOCIALPROFILE;TYPE=twitter:javascript:alert(1)",
    )
    assert apply_qr(extraction, text, "DE") == ["social", "websites"]
    assert extraction.contact.websites == ["www.kellerbau.de/team"]
    assert extraction.contact.social == {
        "linkedin": "linkedin.com/in/annakeller",
        "twitter": "twitter.com/annakeller",
        "mastodon": "chaos.social/@anna",
    }
    assert [f for f, _ in _rejected(extraction)] == ["websites"]


def test_a_code_that_is_only_a_link_is_checked_too() -> None:
    extraction = Extraction(Contact())
    assert apply_qr(extraction, "https://user:pw@kellerbau.de/", "DE") == []
    assert [f for f, _ in _rejected(extraction)] == ["websites"]
    # Text that is not an http(s) address is not contact data: ignored, not flagged.
    for text in ("javascript:alert(1)", "WIFI:T:WPA;S:guest;P:secret;;", "mailto:a@b.de"):
        assert apply_qr(extraction, text, "DE") == []
    assert len(extraction.issues) == 1 and extraction.contact.websites == []


def test_emails_pass_email_validator_and_phones_must_look_like_numbers() -> None:
    extraction = Extraction(Contact())
    text = _vcard(
        "EMAIL:Anna.Keller@KellerBau.de",
        'EMAIL:"=HYPERLINK(1)"@evil.example',
        "EMAIL:not-an-email",
        "TEL;TYPE=CELL:tel:+49-151-23456789",
        "TEL;TYPE=WORK:+1 555 0100 12",  # looks like a number, phonenumbers says no
        "TEL:+cmd|' /C calc'!A0",
        "TEL:-2+3",
    )
    assert apply_qr(extraction, text, "DE") == ["emails", "phones"]
    assert extraction.contact.emails == ["anna.keller@kellerbau.de"]
    phones = [(p.number, p.kind, p.valid) for p in extraction.contact.phones]
    assert phones == [
        ("+4915123456789", PhoneKind.MOBILE, True),
        ("+1555010012", PhoneKind.WORK, False),  # kept, and flagged by validate()
    ]
    assert [f for f, _ in _rejected(extraction)] == ["emails", "emails", "phones", "phones"]


def test_a_tel_without_a_type_takes_its_numbering_plans_kind() -> None:
    extraction = Extraction(Contact())
    text = _vcard("TEL:+49 151 23456789", "TEL:+49 30 901820", "TEL:+1 415 555 2671")
    assert apply_qr(extraction, text, "DE") == ["phones"]
    assert [(p.number, p.kind) for p in extraction.contact.phones] == [
        ("+4915123456789", PhoneKind.MOBILE),
        ("+4930901820", PhoneKind.WORK),
        ("+14155552671", PhoneKind.OTHER),  # a US number could be either
    ]
