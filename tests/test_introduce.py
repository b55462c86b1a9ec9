"""`cardscan introduce`: pairs with common ground, on the samples book and small CSV books."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from cardscan.book import columns as col
from cardscan.cli.main import cli
from cardscan.introduce import common_ground, industries, profile, topics
from tests.conftest import run_cli
from tests.test_followups import edit_book, row_of

PRIYA = "Priya Raman (Brightloop Labs)"
GRACE = "Grace Liu (Foxglove Studio)"
MARCUS = "Marcus J. Whitfield (Northwind Logistics)"
SAMUEL = "Samuel Adeyemi (Keystone Industrial Supply)"
AUTO = "2026-11-28, Design Week: card b.jpg has a new title: CEO (the Title column still says X)"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["introduce", *args])


def lines(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout.splitlines()


def tag_and_note(book: Path) -> None:
    edit_book(
        book,
        {
            "Priya Raman": {"Tags": "python; AI"},
            "Grace Liu": {"Tags": "Python, design"},
            "Marcus J. Whitfield": {"Notes": f"2026-11-21: two kids, loves fishing\n{AUTO}"},
            "Samuel Adeyemi": {"Notes": f"2026-12-01: going fishing in Alaska in June.\n{AUTO}"},
        },
    )


def test_a_shared_tag_pair_comes_first_with_its_reasons(samples_book: Path) -> None:
    tag_and_note(samples_book)
    done = run_cli("introduce", "--book", str(samples_book), cwd=samples_book.parent)
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0] == f"{PRIYA} + {GRACE}: both tagged python; both met at Chicago Tech Mixer"


def test_a_shared_interest_in_notes_is_found_without_dates_stop_words_or_auto_notes(
    samples_book: Path,
) -> None:
    tag_and_note(samples_book)
    out = lines(invoke("--book", str(samples_book)))
    pair = next(line for line in out if line.startswith(f"{MARCUS} + {SAMUEL}"))
    # Not "ceo" (both have the same auto-note), nor "loves", "going", dates or months.
    assert pair == (
        f"{MARCUS} + {SAMUEL}: both notes mention fishing; both met at Chicago Tech Mixer"
    )
    assert out.index(pair) == 1  # a shared tag (3) beats a shared word (2)


def test_industry_pairs_from_company_title_and_domain(samples_book: Path) -> None:
    out = lines(invoke("--book", str(samples_book), "--limit", "50"))
    assert out, "the samples alone have people in the same industry"
    assert all("both met at" not in line.split(": ", 1)[1].split(";")[0] for line in out)
    assert (
        "Chloe Nguyen (Southern Cross Civil Pty Ltd) + Thomas R. Lindqvist (Cascade Ridge "
        "Engineering, Inc.): both in engineering; both met at Chicago Tech Mixer"
    ) in out
    assert (
        "Rafael Albuquerque Santos (Vale Verde Alimentos Ltda.) + Harrow & Finch Coffee "
        "Roasters: both in food and drink; both met at Chicago Tech Mixer"
    ) in out


def test_person_filter_keeps_only_their_pairs_with_them_first(samples_book: Path) -> None:
    tag_and_note(samples_book)
    out = lines(invoke("grace liu", "--book", str(samples_book)))
    # Grace's own spelling of the tag, as she comes first.
    assert out[0] == f"{GRACE} + {PRIYA}: both tagged Python; both met at Chicago Tech Mixer"
    assert all(line.startswith(f"{GRACE} + ") for line in out)
    assert any("both in design" in line for line in out)  # Hannah, Marisol
    assert not any(MARCUS in line for line in out)


def test_a_person_matching_nobody_is_refused(samples_book: Path) -> None:
    result = invoke("Nobody Atall", "--book", str(samples_book))
    assert result.exit_code == 10
    assert "nobody in" in result.stderr and "matches 'Nobody Atall'" in result.stderr


def test_colleagues_are_never_paired(samples_book: Path) -> None:
    edit_book(
        samples_book,
        {
            "Priya Raman": {"Tags": "python"},
            "Daniel Okafor": {"Tags": "python", "Company": "Brightloop Labs Inc."},
            "Grace Liu": {"Tags": "python", "Emails": "grace@brightlooplabs.io"},
        },
    )
    out = lines(invoke("Priya Raman", "--book", str(samples_book)))
    assert not any("Daniel" in line or "Grace" in line for line in out)


def test_json_and_limit(samples_book: Path) -> None:
    tag_and_note(samples_book)
    result = invoke("--book", str(samples_book), "--json", "--limit", "2")
    assert result.exit_code == 0
    pairs: list[dict[str, Any]] = json.loads(result.stdout)
    assert len(pairs) == 2
    first = pairs[0]
    assert (first["a"]["name"], first["b"]["name"]) == ("Priya Raman", "Grace Liu")
    assert first["a"]["row"] == row_of(samples_book, "Priya Raman")
    assert first["b"]["email"] == "grace@foxglove.studio"
    assert [r["kind"] for r in first["reasons"]] == ["tags", "event"]
    assert first["reasons"][0]["shared"] == ["python"]
    assert first["score"] > pairs[1]["score"]

    more = lines(invoke("--book", str(samples_book), "--limit", "1"))
    assert len(more) == 2 and more[1].startswith("… and ") and "more pairs" in more[1]


def test_the_book_is_only_read(samples_book: Path) -> None:
    tag_and_note(samples_book)
    before = hashlib.sha256(samples_book.read_bytes()).hexdigest()
    assert invoke("--book", str(samples_book)).exit_code == 0
    assert hashlib.sha256(samples_book.read_bytes()).hexdigest() == before


# --- nothing found -----------------------------------------------------------------------


def csv_book(path: Path, people: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=[col.NAME, col.COMPANY, col.EMAILS, col.EVENT,
                                                col.NOTES, col.TAGS])  # fmt: skip
        writer.writeheader()
        writer.writerows(people)
    return path


def test_nothing_in_common_says_why_and_what_helps(tmp_path: Path) -> None:
    book = csv_book(
        tmp_path / "c.csv",
        [
            {"Name": "Ann Lee", "Company": "Lee Bakery", "Event": "Expo", "Tags": "vip",
             "Notes": "2026-12-01: loves opera"},
            {"Name": "Bo Chen", "Company": "Chen Freight", "Event": "Expo", "Tags": "golf",
             "Notes": "2026-12-01: runs marathons; met at the Expo in December"},
        ],
    )  # fmt: skip
    result = invoke("--book", str(book))
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        "No introductions found: no two people at different companies share a tag, a topic "
        "in your notes or an industry; add tags or notes with `cardscan tag` / "
        "`cardscan note` to find common ground."
    )
    ann = invoke("ann", "--book", str(book), "--json")
    assert ann.exit_code == 0 and json.loads(ann.stdout) == []
    assert ann.stderr.startswith("No introductions found for Ann Lee (Lee Bakery), row 2:")


def test_nothing_in_a_book_without_tags_or_notes(tmp_path: Path) -> None:
    book = csv_book(
        tmp_path / "c.csv",
        [
            {"Name": "Ann Lee", "Company": "Lee Bakery"},
            {"Name": "Bo Chen", "Company": "Chen Freight"},
        ],
    )
    out = lines(invoke("--book", str(book)))
    assert out == [
        "No introductions found: nobody has tags or notes yet, and no industry is shared; add "
        "tags or notes with `cardscan tag` / `cardscan note` to find common ground."
    ]


# --- the parts -------------------------------------------------------------------------


def test_topics_keep_interests_and_phrases_not_filler() -> None:
    words, phrases = topics(
        ["two kids, loves trail running and machine learning", "met on Dec 3rd, call 2026-12-10"]
    )
    assert set(words) == {"kid", "trail", "running", "machine", "learning"}
    assert set(phrases) == {"trail running", "machine learning"}
    assert words["kid"] == "kids"


def test_shared_phrase_is_named_once_and_words_inside_it_not_repeated() -> None:
    a = profile({"Name": "A", "Notes": "into machine learning and sailing"}, 0)
    b = profile({"Name": "B", "Notes": "2026-12-01: machine learning; sailing boats"}, 1)
    pair = common_ground(a, b)
    assert pair is not None
    assert pair.reasons[0].text == "both notes mention machine learning and sailing"


def test_industries_from_title_company_and_domain() -> None:
    assert industries({"Company": "Whitaker Hayes LLP"}) == {"law"}
    assert "law" in industries({"Emails": "e@whitakerhayes-law.com"})
    assert "logistics" in industries({"Website": "www.northwindlogistics.com"})
    assert "real estate" in industries({"Title": "Licensed Real Estate Broker"})
    assert industries({"Company": "Lawn Care Bros"}) == frozenset()  # "law" is a whole word
    assert industries({}) == frozenset()


def test_same_name_rows_are_not_paired() -> None:
    a = profile({"Name": "Jane Doe", "Tags": "python"}, 0)
    b = profile({"Name": "Jane  Doe", "Tags": "python"}, 1)
    assert common_ground(a, b) is None
