"""Cards photographed on both sides: pairing the photos, joining the two readings, the
book's row, and the real CLI on real sample pairs (cardscan.backs)."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shutil
import sys
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
from conftest import BACK_SAMPLES, ROOT, SAMPLES, SeedReadings, run_cli

from cardscan.backs import CardPhotos, back_delta, join_sides, merge_back, pair_photos
from cardscan.book import Book
from cardscan.book import columns as col
from cardscan.extract import extract
from cardscan.extract.synth import make_ocr
from cardscan.model import CardResult, Contact, Issue, Phone, PhoneKind, Status
from cardscan.state.readings import result_from_json

SCAN = datetime(2026, 11, 21, 21, 0)

# --- pairing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "back", ["IMG_0042-back.jpg", "IMG_0042_back.jpg", "IMG_0042 back.jpg", "IMG_0042 (back).jpg"]
)
def test_a_back_marker_pairs_a_photo_with_its_front(back: str) -> None:
    photos = [Path("p/IMG_0041.jpg"), Path(f"p/{back}"), Path("p/IMG_0042.jpg")]
    pairing = pair_photos(sorted(photos))
    assert CardPhotos(Path("p/IMG_0042.jpg"), Path(f"p/{back}")) in pairing.cards
    assert CardPhotos(Path("p/IMG_0041.jpg")) in pairing.cards
    assert len(pairing.cards) == 2 and pairing.with_backs == 1
    assert pairing.warnings == []


def test_pairing_ignores_case_and_mixed_extensions_and_keeps_the_fronts_order() -> None:
    photos = [
        Path("p/Jane Doe (Back).PNG"),
        Path("p/Jane Doe.heic"),
        Path("p/a.jpg"),
        Path("p/a-BACK.jpeg"),
        Path("p/z.jpg"),
    ]
    pairing = pair_photos(photos)
    assert pairing.cards == [
        CardPhotos(Path("p/Jane Doe.heic"), Path("p/Jane Doe (Back).PNG")),
        CardPhotos(Path("p/a.jpg"), Path("p/a-BACK.jpeg")),
        CardPhotos(Path("p/z.jpg")),
    ]


def test_a_back_without_its_front_is_a_card_of_its_own_with_a_warning() -> None:
    pairing = pair_photos([Path("p/x-back.jpg"), Path("q/x.jpg"), Path("p/feedback.jpg")])
    # Another folder's x.jpg is not its front; "feedback" has no marker.
    assert pairing.cards == [
        CardPhotos(Path("p/x-back.jpg")),
        CardPhotos(Path("q/x.jpg")),
        CardPhotos(Path("p/feedback.jpg")),
    ]
    [warning] = pairing.warnings
    assert warning.startswith("p/x-back.jpg: named as the back of a card, but there is no ")
    assert "read as a card of its own" in warning


def test_two_backs_or_two_fronts_leave_the_doubtful_photo_a_card_of_its_own() -> None:
    second = pair_photos([Path("x.jpg"), Path("x-back.jpg"), Path("x_back.png")])
    assert second.cards[0] == CardPhotos(Path("x.jpg"), Path("x-back.jpg"))
    assert CardPhotos(Path("x_back.png")) in second.cards
    assert "x.jpg already has a back (x-back.jpg)" in second.warnings[0]
    both = pair_photos([Path("x.jpg"), Path("x.png"), Path("x-back.jpg")])
    assert len(both.cards) == 3 and both.with_backs == 0
    assert "several photos could be its front (x.jpg, x.png)" in both.warnings[0]
    # A photo named as a back is never a front, even of a "back back".
    chain = pair_photos([Path("x.jpg"), Path("x-back.jpg"), Path("x-back-back.jpg")])
    assert chain.with_backs == 1 and len(chain.warnings) == 1


def test_pairs_takes_photos_two_at_a_time_per_folder_and_warns_of_an_odd_one() -> None:
    photos = [Path(f"a/{n}.jpg") for n in (1, 2, 3)] + [Path(f"b/{n}.jpg") for n in (4, 5)]
    pairing = pair_photos(photos, consecutive=True)
    assert pairing.cards == [
        CardPhotos(Path("a/1.jpg"), Path("a/2.jpg")),
        CardPhotos(Path("a/3.jpg")),
        CardPhotos(Path("b/4.jpg"), Path("b/5.jpg")),
    ]
    [warning] = pairing.warnings
    assert warning.startswith("a/3.jpg: --pairs takes photos two at a time")
    assert "odd number (3)" in warning
    # Names do not matter with --pairs.
    named = pair_photos([Path("x-back.jpg"), Path("x.jpg")], consecutive=True)
    assert named.cards == [CardPhotos(Path("x-back.jpg"), Path("x.jpg"))]


# --- joining two readings -----------------------------------------------------------


def _reading(
    source: str,
    contact: Contact,
    other_text: list[str] | None = None,
    confidence: dict[str, float] | None = None,
    issues: list[Issue] | None = None,
) -> CardResult:
    """A reading of `source`, whose card id is its first letter repeated."""
    return CardResult(
        source,
        source[0] * 64,
        Status.NEEDS_REVIEW if issues else Status.OK,
        contact=contact,
        confidence=dict(confidence or {}),
        issues=list(issues or []),
        region="US",
        other_text=list(other_text or []),
    )


def _front(**changes: object) -> CardResult:
    contact = Contact(
        name="Jordan Ellis",
        given_name="Jordan",
        family_name="Ellis",
        title="Sustainability Consultant",
        company="Ellis Greenworks",
        emails=["jordan@ellisgreenworks.com"],
        phones=[Phone("+13125550126", PhoneKind.WORK, "(312) 555-0126")],
    )
    for key, value in changes.items():
        setattr(contact, key, value)
    return _reading("front.jpg", contact, confidence={"name": 0.9, "emails": 0.95})


def _back(
    contact: Contact,
    other_text: list[str] | None = None,
    confidence: dict[str, float] | None = None,
    issues: list[Issue] | None = None,
) -> CardResult:
    return _reading("back.jpg", contact, other_text, confidence, issues)


def test_the_back_fills_empty_fields_adds_new_details_and_keeps_the_rest_as_notes() -> None:
    back = _back(
        Contact(
            name="Ellis Greenworks",  # the company in big letters, read as a name
            company="Ellisgreenworks",
            address="401 N Wabash Ave, Chicago, IL 60611",
            emails=["Jordan@EllisGreenworks.com", "bookings@ellisgreenworks.com"],
            phones=[
                Phone("+13125550126", PhoneKind.OTHER, "312.555.0126"),
                Phone("+13125550148", PhoneKind.MOBILE, "(312) 555-0148"),
            ],
            websites=["www.ellisgreenworks.com"],
            social={"linkedin": "linkedin.com/in/jellis"},
        ),
        ["Greener buildings, lower bills", "MET AT GREENBUILD, BOOTH 14", "ELLIS GREENWORKS"],
        confidence={"address": 0.7, "phones": 0.8},
        issues=[
            Issue("low_confidence", "address is uncertain (70%); check it", "address"),
            Issue("no_name", "no person's name found on the card", "name"),
        ],
    )
    card = merge_back(_front(), back)
    c = card.contact
    assert (c.name, c.title, c.company) == (
        "Jordan Ellis",
        "Sustainability Consultant",
        "Ellis Greenworks",
    )
    assert c.address == "401 N Wabash Ave, Chicago, IL 60611"  # empty on the front
    assert c.emails == ["jordan@ellisgreenworks.com", "bookings@ellisgreenworks.com"]
    assert [p.number for p in c.phones] == ["+13125550126", "+13125550148"]
    assert c.phones[0].kind is PhoneKind.WORK  # the front's kind of a number on both
    assert c.websites == ["www.ellisgreenworks.com"]
    assert c.social == {"linkedin": "linkedin.com/in/jellis"}
    # What repeats the front (the company, in any case) is no note.
    assert card.card_notes == ["Greener buildings, lower bills", "MET AT GREENBUILD, BOOTH 14"]
    assert card.back is back and (card.source, card.card_id) == ("front.jpg", "f" * 64)
    assert [r.source for r in card.photos] == ["front.jpg", "back.jpg"]
    # The back's doubt about a field it gave counts; its other issues do not.
    assert [i.message for i in card.issues] == [
        "back back.jpg: address is uncertain (70%); check it"
    ]
    assert card.status is Status.NEEDS_REVIEW
    assert card.confidence == {"name": 0.9, "emails": 0.95, "address": 0.7, "phones": 0.8}


def test_a_different_name_on_the_back_is_flagged_and_one_in_another_script_is_a_note() -> None:
    other = merge_back(_front(), _back(Contact(name="Morgan Blake")))
    assert other.contact.name == "Jordan Ellis"
    assert [i.code for i in other.issues] == ["back_name_differs"]
    assert "the back back.jpg names Morgan Blake; the front's Jordan Ellis is kept" in (
        other.issues[0].message
    )
    translated = merge_back(
        _front(),
        _back(Contact(name="渡辺 健二", title="海外営業部 部長", company="光精密株式会社")),
    )
    assert translated.contact.name == "Jordan Ellis" and translated.issues == []
    assert translated.card_notes == ["渡辺 健二", "海外営業部 部長", "光精密株式会社"]
    assert translated.status is Status.OK


def test_what_the_front_lacked_is_judged_again_on_the_whole_card() -> None:
    front = _front(name=None, given_name=None, family_name=None, phones=[], emails=[])
    front.issues = [
        Issue("no_name", "no person's name found on the card", "name"),
        Issue("no_contact_point", "no email or phone number found on the card", None),
    ]
    front.status = Status.NEEDS_REVIEW
    back = _back(
        Contact(
            name="Jordan Ellis",
            given_name="Jordan",
            family_name="Ellis",
            phones=[Phone("+13125550148", PhoneKind.MOBILE)],
        )
    )
    card = merge_back(front, back)
    assert (card.contact.given_name, card.contact.family_name) == ("Jordan", "Ellis")
    assert card.issues == [] and card.status is Status.OK


def _failed(source: str, code: str, message: str) -> CardResult:
    return CardResult(source, source[0] * 64, Status.FAILED, issues=[Issue(code, message, None)])


def test_a_side_that_fails_leaves_the_other_and_a_blank_one_is_only_listed() -> None:
    front = _front()
    broken = _failed("back.jpg", "unreadable", "back.jpg: file is empty (0 bytes)")
    sides = join_sides(front, broken)
    assert sides.card is front and sides.blank == []
    assert sides.failed[0].issues[0].message == (
        "back.jpg: file is empty (0 bytes) (the back of front.jpg, which went in alone)"
    )
    blank = _failed("back.jpg", "no_text", "back.jpg: no text found")
    sides = join_sides(front, blank)
    assert sides.card is not None and sides.card.back is blank and sides.failed == []
    assert sides.card.contact == front.contact and sides.blank == [blank]
    # A front already in the book and a blank back: only the photo is added.
    known = join_sides(front, blank, front_in_book=True).card
    assert known is not None and known.contact == Contact("Jordan Ellis", "Jordan", "Ellis")
    # The front failed: the back goes in alone, as the card.
    back = _back(Contact(name="Jordan Ellis", emails=["j@e.com"]))
    bad = _failed("front.jpg", "unreadable", "front.jpg: image data is corrupt")
    sides = join_sides(bad, back)
    assert sides.card is back and "(the front of back.jpg, which went in alone)" in (
        sides.failed[0].issues[0].message
    )
    # Nothing read on either side: the card failed.
    nothing = join_sides(_failed("front.jpg", "no_text", "front.jpg: no text found"), blank)
    assert nothing.card is None and [r.source for r in nothing.failed] == ["front.jpg"]
    assert nothing.blank == [blank]


def test_back_delta_is_only_what_the_back_adds_to_a_front_in_the_book() -> None:
    back = _back(
        Contact(
            company="Globex Partners",
            address="401 N Wabash Ave",
            emails=["bookings@ellisgreenworks.com"],
        ),
        ["Greener buildings"],
    )
    delta = back_delta(_front(), back)
    assert delta.contact == Contact(
        name="Jordan Ellis",
        given_name="Jordan",
        family_name="Ellis",
        address="401 N Wabash Ave",
        emails=["bookings@ellisgreenworks.com"],
    )
    assert delta.card_notes == ["Globex Partners", "Greener buildings"]
    assert delta.issues == [] and delta.back is back


def test_the_day_met_comes_from_whichever_side_has_a_photo_date() -> None:
    back = dataclasses.replace(_back(Contact()), taken_on=date(2026, 10, 3))
    assert merge_back(_front(), back).taken_on == date(2026, 10, 3)
    front = dataclasses.replace(_front(), taken_on=date(2026, 10, 2))
    assert merge_back(front, back).taken_on == date(2026, 10, 2)


def test_a_card_with_its_back_round_trips_through_the_stored_json() -> None:
    card = merge_back(_front(), _back(Contact(emails=["b@e.com"]), ["a tagline"]))
    again = result_from_json(json.loads(json.dumps(card.to_json())))
    assert again.card_notes == ["a tagline"] and again.back is not None
    assert again.back.other_text == ["a tagline"] and again.contact == card.contact
    assert card.to_json()["back"]["source"] == "back.jpg"


def test_unused_text_is_kept_but_logo_letters_and_badges_are_not() -> None:
    ex = extract(
        make_ocr(
            [
                ("HF", 40),
                ("Harrow & Finch Coffee", 30),
                "Speciality coffee since 2011",
                "in",
                "T 0161 496 0735",
                "info@harrowandfinch.co.uk",
                "微信 hf",
            ]
        ),
        "GB",
    )
    assert ex.contact.company == "Harrow & Finch Coffee"
    assert ex.other_text == ["Speciality coffee since 2011", "微信 hf"]


# --- the book -----------------------------------------------------------------------


def test_a_card_with_its_back_is_one_row_and_a_back_added_later_joins_it(tmp_path: Path) -> None:
    back = _back(Contact(phones=[Phone("+13125550148", PhoneKind.MOBILE)]), ["Greener buildings"])
    with Book.open(tmp_path / "contacts.csv") as book:
        book.add_card(merge_back(_front(), back), met_on=date(2026, 11, 21), scanned_at=SCAN)
        book.save()
        [row] = book.rows()
    assert row[col.SOURCE_PHOTOS] == "front.jpg; back.jpg"
    assert row[col.CARD_IDS] == f"{'f' * 64}; {'b' * 64}"
    assert row[col.MOBILE] == "+1 312-555-0148"
    assert row[col.CARD_NOTES] == "Greener buildings" and row[col.NOTES] == ""
    with Book.open(tmp_path / "contacts.csv") as book:
        # Either photo again: the same card, nothing changes.
        assert book.card_outcome("b" * 64) is not None
        outcome = book.add_card(_front(), met_on=date(2026, 11, 25), scanned_at=SCAN)
        assert outcome.action == "unchanged"
        # A second back for the card (say, photographed again): it joins the row, with
        # no meeting counted and no "new ... on card" flags, its notes accumulate.
        later = CardResult(
            "back2.jpg",
            "c" * 64,
            Status.OK,
            contact=Contact(emails=["bookings@ellisgreenworks.com"]),
            other_text=["Greener buildings", "Solar pilot 2027"],
        )
        outcome = book.add_card(
            back_delta(_front(), later), met_on=date(2026, 11, 25), scanned_at=SCAN
        )
        assert outcome.action == "merged" and outcome.reasons == []
        [row] = book.rows()
    assert row[col.EMAILS] == "jordan@ellisgreenworks.com; bookings@ellisgreenworks.com"
    assert row[col.CARD_NOTES] == "Greener buildings; Solar pilot 2027"
    assert row[col.TIMES_MET] == "1" and row[col.LAST_MET] == "2026-11-21"
    assert row[col.NEEDS_REVIEW] == "" and row[col.NOTES] == ""


# --- the real CLI on the sample pairs ------------------------------------------------


def _pair(stem: str) -> tuple[Path, Path]:
    return SAMPLES / f"{stem}.jpg", SAMPLES / f"{stem}-back.jpg"


def _truth(stem: str) -> dict:
    return json.loads((SAMPLES / f"{stem}-back.json").read_text(encoding="utf-8"))


def _csv_rows(book: Path) -> list[dict[str, str]]:
    with open(book, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _folded(text: str) -> str:
    """Text as a note is compared: no case, spacing or punctuation (OCR drops some)."""
    return re.sub(r"[\W_]+", "", text.casefold())


def test_ingest_makes_one_row_of_a_sample_pair_and_reads_nothing_again(
    tmp_path: Path, seed_readings: SeedReadings
) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    for path in _pair("us-consultant-note"):
        shutil.copy(path, photos / path.name)
    shutil.copy(SAMPLES / "us-classic-wood.jpg", photos / "IMG_7.jpg")
    (photos / "IMG_7-back.jpg").write_bytes(b"")  # a back that did not copy
    book = tmp_path / "contacts.csv"
    user_row = {"Name": "Ada Byron", "Emails": "ada@example.org", "Notes": "met in 2025"}
    with open(book, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["Name", "Emails", "Notes", "My column"])
        writer.writeheader()
        writer.writerow({**user_row, "My column": "keep me"})
    # Pairing and merging are under test, not reading: the three readings are the
    # samples ingest's (the empty back has none, and fails as it would).
    seed_readings(book, sorted(photos.iterdir()))

    done = run_cli(
        "ingest", "photos", "--book", "contacts.csv", "--met-on", "2026-11-21", cwd=tmp_path
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert done.stdout.startswith(
        "Read 4 card photos (2 cards with front and back): 2 new, 0 merged into existing "
        "contacts, 0 need review, 1 failed."
    )
    assert (
        "  photos/IMG_7-back.jpg: file is empty (0 bytes): copy the photo again "
        "(the back of IMG_7.jpg, which went in alone)"
    ) in done.stdout
    rows = _csv_rows(book)
    assert len(rows) == 3
    assert {k: rows[0][k] for k in ("Name", "Emails", "Notes", "My column")} == {
        **user_row,
        "My column": "keep me",
    }
    assert rows[0]["Card IDs"] == rows[0]["Source photos"] == ""
    truth = _truth("us-consultant-note")
    [pair] = [r for r in rows if r["Name"] == "Jordan Ellis"]
    assert pair["Emails"] == "; ".join(truth["merged"]["emails"])
    assert pair["Mobile"] == "+1 312-555-0148" and pair["Work phone"] == "+1 312-555-0126"
    assert (
        pair["Source photos"] == "photos/us-consultant-note.jpg; photos/us-consultant-note-back.jpg"
    )
    assert len(pair["Card IDs"].split("; ")) == 2
    notes = _folded(pair["Card notes"])
    assert all(_folded(line) in notes for line in truth["card_notes"]), pair["Card notes"]
    assert pair["Notes"] == "" and pair["Needs review"] == ""
    [wood] = [r for r in rows if r["Name"] == "Marcus J. Whitfield"]
    assert wood["Source photos"] == "photos/IMG_7.jpg" and wood["Card notes"] == ""
    before = book.read_bytes()

    again = run_cli("ingest", "photos", "--book", "contacts.csv", cwd=tmp_path)
    assert again.returncode == 3, again.stdout + again.stderr
    # The pair is in the book: neither photo is read or taken from the store. The
    # front whose back failed is taken from the store, and its back fails again.
    assert again.stdout.startswith(
        "Read 4 card photos (2 cards with front and back): 0 new, 0 merged into existing "
        "contacts, 2 already in the book, 0 need review, 1 failed."
    )
    assert "Took 1 earlier reading from" in again.stdout
    assert book.read_bytes() == before


def test_pairs_option_joins_consecutive_photos_and_a_japanese_back(
    tmp_path: Path, seed_readings: SeedReadings
) -> None:
    front, back = _pair("jp-hikari-bilingual")
    shutil.copy(front, tmp_path / "IMG_0001.jpg")
    shutil.copy(back, tmp_path / "IMG_0002.jpg")
    shutil.copy(SAMPLES / "us-vertical-social.jpg", tmp_path / "IMG_0003.jpg")
    seed_readings(tmp_path / "contacts.csv", sorted(tmp_path.glob("*.jpg")))
    done = run_cli("ingest", ".", "--pairs", "--book", "contacts.csv", "--dry-run", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "  IMG_0001.jpg + IMG_0002.jpg: new row 2: Kenji Watanabe" in done.stdout
    assert "cardscan: warning: IMG_0003.jpg: --pairs takes photos two at a time" in done.stderr
    assert not (tmp_path / "contacts.csv").exists()

    done = run_cli("ingest", ".", "--pairs", "--book", "contacts.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Read 3 card photos (1 card with front and back): 2 new")
    rows = _csv_rows(tmp_path / "contacts.csv")
    [card] = [r for r in rows if r["Name"] == "Kenji Watanabe"]
    truth = _truth("jp-hikari-bilingual")
    assert card["Fax"] == "+81 3-5555-0124"  # only on the Japanese side
    assert card["Company"] == "Hikari Precision Co., Ltd."
    # The card in Japanese (name, title, company, address) is in Card notes.
    notes = _folded(card["Card notes"])
    assert all(_folded(line) in notes for line in truth["card_notes"]), card["Card notes"]
    # Needs review is the calibrated verdict's (tests/test_calibration.py): the English
    # side's address is not read today, and the verdict rightly doubts it.
    assert card["Notes"] == ""
    assert rows[1]["Source photos"] == "IMG_0003.jpg"


def _blank_card_photo(path: Path) -> None:
    """A photo of a card with nothing printed on it (the generator, no text)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tools.cardgen.photo import photograph
    from tools.cardgen.render import render_card
    from tools.cardgen.spec import CardSpec, PhotoSpec

    card = render_card(CardSpec("US"), scale=2.0)
    photo = photograph(card, PhotoSpec("wood", tilt_x=5, roll=2), np.random.default_rng(3))
    photo.image.save(path, quality=88)


def test_a_back_added_later_joins_the_row_and_a_blank_back_is_listed(
    tmp_path: Path, seed_readings: SeedReadings
) -> None:
    front, back = _pair("gb-studio-logo")
    # The samples' readings (the blank back made below is read): joining is under test.
    seed_readings(
        tmp_path / "contacts.csv", [*_pair("gb-studio-logo"), SAMPLES / "us-classic-wood.jpg"]
    )
    shutil.copy(front, tmp_path / front.name)
    done = run_cli(
        "ingest", front.name, "--book", "contacts.csv", "--met-on", "2026-11-21", cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.copy(back, tmp_path / back.name)
    shutil.copy(SAMPLES / "us-classic-wood.jpg", tmp_path / "wood.jpg")
    _blank_card_photo(tmp_path / "wood back.jpg")
    done = run_cli("ingest", ".", "--book", "contacts.csv", "--met-on", "2026-11-28", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(
        "Read 4 card photos (2 cards with front and back): 1 new, 1 merged into existing "
        "contacts, 0 need review, 0 failed."
    )
    assert "Nothing read on 1 side of a two-sided card (blank, or a logo only; listed " in (
        done.stdout
    )
    studio, wood = _csv_rows(tmp_path / "contacts.csv")
    assert studio["Source photos"] == "gb-studio-logo.jpg; gb-studio-logo-back.jpg"
    assert _folded(studio["Card notes"]) == _folded("Brand identity · Packaging · Print")
    # The back is no new meeting, and nothing on it is news.
    assert (studio["Met on"], studio["Last met"], studio["Times met"]) == (
        "2026-11-21",
        "2026-11-21",
        "1",
    )
    assert studio["Needs review"] == "" and studio["Notes"] == ""
    assert wood["Source photos"] == "wood.jpg; wood back.jpg"
    assert len(wood["Card IDs"].split("; ")) == 2
    again = run_cli("ingest", ".", "--book", "contacts.csv", cwd=tmp_path)
    assert "0 new, 0 merged into existing contacts, 2 already in the book" in again.stdout


def test_a_blank_card_is_not_blown_up_into_specks(tmp_path: Path) -> None:
    """Paper grain is no print: without it to measure, the card keeps a scan's size, and
    the light is evened without turning the grain into specks OCR would read."""
    from cardscan.cleanup import cleanup
    from cardscan.load import load_photo

    _blank_card_photo(tmp_path / "blank.jpg")
    cleaned = cleanup(load_photo(tmp_path / "blank.jpg").pixels)
    assert cleaned.quad is not None and max(cleaned.image.shape) <= 2100
    assert float(np.percentile(cleaned.image, 5)) > 200  # no dark specks to speak of


def test_rescan_of_a_back_reads_its_card_and_updates_its_row(
    tmp_path: Path, seed_readings: SeedReadings
) -> None:
    for path in _pair("us-consultant-note"):
        shutil.copy(path, tmp_path / path.name)
    # The ingest takes the samples' readings; the rescan below reads both sides.
    seed_readings(tmp_path / "contacts.csv", _pair("us-consultant-note"))
    done = run_cli("ingest", ".", "--book", "contacts.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_cli(
        "rescan", "us-consultant-note-back.jpg", "--json", "--book", "contacts.csv", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)
    assert card["source"] == "us-consultant-note.jpg"
    assert card["back"]["source"] == "us-consultant-note-back.jpg"
    assert "+13125550148" in {p["number"] for p in card["contact"]["phones"]}
    assert any("GREENBUILD" in note.upper() for note in card["card_notes"])
    assert "Book contacts.csv: row 1 updated" in done.stderr
    [row] = _csv_rows(tmp_path / "contacts.csv")
    assert row["Notes"] == "" and len(row["Card IDs"].split("; ")) == 2


def test_bench_scores_a_pair_as_one_card_against_the_whole_card(tmp_path: Path) -> None:
    for path in _pair("us-consultant-note"):
        shutil.copy(path, tmp_path)
        shutil.copy(path.with_suffix(".json"), tmp_path)
    done = run_cli("bench", str(tmp_path), "--json", "--jobs", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["cards"] == 1 and figures["failed"] == 0
    assert figures["fields"]["emails"]["f1"] == 1.0  # both emails, from both sides
    assert figures["fields"]["phones"]["f1"] == 1.0


def test_every_sample_back_is_named_as_ingest_pairs_it() -> None:
    photos = sorted(SAMPLES.glob("*.jpg"))
    pairing = pair_photos(photos)
    assert pairing.warnings == []
    backs = {card.back.stem for card in pairing.cards if card.back is not None}
    assert backs == {s.name for s in BACK_SAMPLES}
