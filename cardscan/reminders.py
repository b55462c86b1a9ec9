"""Follow-up reminders as an iCalendar file (RFC 5545) for any calendar program.

One all-day VEVENT per person on their Follow up by date, "Follow up: Name (Company)",
with their email, title, event, met-on date and latest note in the description, and a
display alarm at 09:00 that day (calendars that import alarms remind you; the others
still show the day). VEVENT rather than VTODO because Google Calendar and Outlook
import events but drop tasks. Events are TRANSPARENT: a reminder does not make you
look busy.

The UID is derived from the row's first card id (the sha256 of its photo), which stays
with the person wherever the row is moved, so importing a newer file updates the
reminders instead of duplicating them; a row typed in by hand (no card id) gets a UID
from its name, company and email. Written with vobject: CRLF line ends, lines folded
at 75 octets without splitting a UTF-8 character, text escaped, VERSION, PRODID and a
DTSTAMP on every event.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import vobject
from dateutil import tz

from cardscan import __version__
from cardscan.book.people import fold
from cardscan.book.safety import atomic_write
from cardscan.drafts import long_date
from cardscan.errors import InputError
from cardscan.followup import FollowUp

PRODID = f"-//cardscan//cardscan {__version__} follow-ups//EN"
UID_DOMAIN = "followup.cardscan"
ALARM_AT = timedelta(hours=9)  # after the start of the all-day event: 09:00 that day


def uid(item: FollowUp) -> str:
    """Stable per person: the same row gives the same UID in every file written."""
    if item.card_ids:
        key = item.card_ids[0][:32]
    else:
        who = "\n".join(fold(x) for x in (item.name, item.company, item.email))
        key = hashlib.sha256(who.encode("utf-8")).hexdigest()[:32]
    return f"{key}@{UID_DOMAIN}"


def summary(item: FollowUp) -> str:
    return f"Follow up: {item.label}"


def description(item: FollowUp, book: str) -> str:
    lines = []
    if item.emails:
        lines.append(f"Email: {', '.join(item.emails)}")
    if item.title:
        lines.append(f"Title: {item.title}")
    if item.event:
        met = f" on {long_date(item.last_met)}" if item.last_met else ""
        lines.append(f"Met at: {item.event}{met}")
    elif item.last_met:
        lines.append(f"Met on: {long_date(item.last_met)}")
    if item.note:
        lines.append(f"Latest note: {item.note}")
    lines.append(f"Row {item.sheet_row} of {book}; `cardscan done` once followed up.")
    return "\n".join(lines)


def calendar(items: list[FollowUp], book: str, now: datetime) -> vobject.base.Component:
    """The calendar for the people with a Follow up by date (the others have no day)."""
    cal = vobject.iCalendar()
    cal.add("prodid").value = PRODID
    cal.add("calscale").value = "GREGORIAN"
    cal.add("method").value = "PUBLISH"
    cal.add("x-wr-calname").value = "Follow-ups"
    stamp = now.astimezone(tz.UTC).replace(microsecond=0)
    for item in items:
        if item.due is None:
            continue
        event = cal.add("vevent")
        event.add("uid").value = uid(item)
        event.add("dtstamp").value = stamp
        event.add("dtstart").value = item.due
        event.add("dtend").value = item.due + timedelta(days=1)
        event.add("summary").value = summary(item)
        event.add("description").value = description(item, book)
        event.add("transp").value = "TRANSPARENT"
        if item.emails:
            event.add("url").value = f"mailto:{item.emails[0]}"
        alarm = event.add("valarm")
        alarm.add("action").value = "DISPLAY"
        alarm.add("description").value = summary(item)
        alarm.add("trigger").value = ALARM_AT
    return cal


def check_path(path: Path) -> None:
    """Refuse an --ics path that cannot be written, before anything is done."""
    if path.is_dir():
        raise InputError(
            f"--ics {path} is a folder", "give a file name for the calendar, e.g. followups.ics"
        )
    if not path.parent.is_dir():
        raise InputError(
            f"the folder of --ics {path} does not exist", "create it, or choose another path"
        )


def write_ics(items: list[FollowUp], path: Path, book: str, now: datetime) -> int:
    """Write the reminders (replacing the file); the number of events written.

    Nothing is written when no one has a date: a calendar file must hold at least one
    event (RFC 5545), and an empty one would not remove earlier reminders anyway.
    """
    check_path(path)
    dated = [item for item in items if item.due is not None]
    if not dated:
        return 0
    data = calendar(dated, book, now).serialize().encode("utf-8")
    try:
        atomic_write(path, lambda tmp: tmp.write_bytes(data))
    except OSError as exc:
        raise InputError(
            f"cannot write the calendar {path} ({exc.strerror or exc})",
            "check free disk space and that you can write in its folder",
        ) from exc
    return len(dated)
