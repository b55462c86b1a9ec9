"""Who to follow up with: the people not yet followed up, most overdue first.

A person is followed up once anything is in their Followed up on cell (`cardscan done`
writes the date; a "yes" typed by hand counts too) other than a plain no ("no", "0",
"-", "not yet"). The rest are listed by their
Follow up by date (ingest sets it to the day after the first meeting; the user may
change it): the longest overdue first, then the ones due soonest, then those with no
date at all (or text that is not a YYYY-MM-DD date), in sheet order. A row needs a
name, a company or an email to be listed: a shop's card with only a company and an
info@ address is someone to follow up too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from cardscan.book import columns as col
from cardscan.book.cells import parse_date, split_cell
from cardscan.book.notelines import latest_note


@dataclass(frozen=True)
class FollowUp:
    """One person to follow up, as the book has them."""

    index: int  # 0-based data row (the sheet's row index + 2)
    name: str
    given_name: str
    company: str
    title: str
    emails: tuple[str, ...]
    events: tuple[str, ...]  # every event, oldest first, as in the Event cell
    met_on: date | None  # the first meeting
    last_met: date | None  # the latest meeting (Last met, else Met on)
    due: date | None  # Follow up by
    due_text: str  # the Follow up by cell as typed (shown when it is not a date)
    note: str  # the user's latest note, without its date
    card_ids: tuple[str, ...]
    days_overdue: int | None  # today - due: 0 is due today, < 0 not yet due

    @property
    def sheet_row(self) -> int:
        return self.index + 2

    @property
    def email(self) -> str:
        return self.emails[0] if self.emails else ""

    @property
    def event(self) -> str:
        """The latest event: the follow-up is about the last time you met."""
        return self.events[-1] if self.events else ""

    @property
    def label(self) -> str:
        """Name (Company), or the company alone for a card without a person."""
        if self.name and self.company:
            return f"{self.name} ({self.company})"
        return self.name or self.company or self.email or f"row {self.sheet_row}"

    @property
    def is_due(self) -> bool:
        return self.days_overdue is not None and self.days_overdue >= 0

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.sheet_row,
            "name": self.name or None,
            "company": self.company or None,
            "title": self.title or None,
            "email": self.email or None,
            "emails": list(self.emails),
            "event": self.event or None,
            "events": list(self.events),
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "last_met": self.last_met.isoformat() if self.last_met else None,
            "follow_up_by": self.due.isoformat() if self.due else (self.due_text or None),
            "days_overdue": self.days_overdue,
            "note": self.note or None,
        }


def is_person(row: Mapping[str, str]) -> bool:
    """Whether a row names someone to contact (not a blank spacer row)."""
    return any(row.get(c, "").strip() for c in (col.NAME, col.COMPANY, col.EMAILS))


# What a person may type in Followed up on that still means "not yet".
NOT_YET = frozenset({"", "no", "n", "false", "0", "-", "not yet"})


def followed_up(row: Mapping[str, str]) -> bool:
    """Anything in Followed up on (a date, "yes", "emailed") but a plain no."""
    return " ".join(row.get(col.FOLLOWED_UP_ON, "").split()).casefold() not in NOT_YET


def follow_up(row: Mapping[str, str], index: int, today: date) -> FollowUp:
    """The row as a FollowUp, its lateness counted from `today`."""
    due_text = row.get(col.FOLLOW_UP_BY, "").strip()
    due = parse_date(due_text)
    met_on = parse_date(row.get(col.MET_ON, ""))
    return FollowUp(
        index=index,
        name=row.get(col.NAME, "").strip(),
        given_name=row.get(col.GIVEN_NAME, "").strip(),
        company=row.get(col.COMPANY, "").strip(),
        title=row.get(col.TITLE, "").strip(),
        emails=tuple(split_cell(row.get(col.EMAILS, ""))),
        events=tuple(split_cell(row.get(col.EVENT, ""))),
        met_on=met_on,
        last_met=parse_date(row.get(col.LAST_MET, "")) or met_on,
        due=due,
        due_text=due_text,
        note=latest_note(row),
        card_ids=tuple(c.lower() for c in split_cell(row.get(col.CARD_IDS, ""))),
        days_overdue=(today - due).days if due else None,
    )


@dataclass(frozen=True)
class FollowUps:
    """The people listed, and what was left out (for the summary line)."""

    listed: list[FollowUp]
    not_yet_due: int  # not followed up, due after today (left out unless --all)
    undated: int  # not followed up, no Follow up by date (left out unless --all)
    done: int  # already followed up
    people: int  # rows naming someone


def pending(rows: Sequence[Mapping[str, str]], today: date, *, everyone: bool) -> FollowUps:
    """The people not yet followed up: due by `today`, or everyone with `everyone`.

    Ordered most overdue first (earliest Follow up by), then by sheet row; with
    `everyone`, those not yet due follow (soonest first), then those without a date.
    """
    items: list[FollowUp] = []
    done = people = 0
    for index, row in enumerate(rows):
        if not is_person(row):
            continue
        people += 1
        if followed_up(row):
            done += 1
            continue
        items.append(follow_up(row, index, today))
    dated = sorted((f for f in items if f.due), key=lambda f: (f.due, f.index))
    undated = [f for f in items if not f.due]
    due = [f for f in dated if f.is_due]
    later = [f for f in dated if not f.is_due]
    listed = [*due, *later, *undated] if everyone else due
    return FollowUps(
        listed=listed,
        not_yet_due=len(later),
        undated=len(undated),
        done=done,
        people=people,
    )
