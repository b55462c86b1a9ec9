"""Follow-up emails as drafts: one .eml file per person, from a template the user can replace.

A template is plain text: header lines first (Subject: is required; From:, Cc:, Bcc: and
Reply-To: may follow), a blank line, then the body. Placeholders are string.Template's
($name or ${name}; $$ for a dollar sign); PLACEHOLDERS says what each holds. A line in
which a placeholder comes out empty is left out, so an optional sentence ("I enjoyed
hearing about $note.") goes on a line of its own and leaves nothing dangling for a
person without a note. Several Subject: lines are alternatives: the first whose
placeholders are all filled is used (else the last, with the empty ones blank).

The drafts are RFC 5322 messages written by the stdlib email package (CRLF line ends,
UTF-8 text, encoded-word headers for accented names) with To (the person's first
email), Subject, Date and X-Unsent: 1, which makes Outlook open the file as a message
to edit and send; Thunderbird opens it with "Edit as New Message", Apple Mail by
double-click. There is no From unless the template has one: the mail client fills it
in when the draft is sent.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

from nameparser import HumanName

from cardscan.book.people import fold
from cardscan.errors import InputError
from cardscan.followup import FollowUp

# Placeholder -> what it holds (also the help text of `--template`).
PLACEHOLDERS: dict[str, str] = {
    "first_name": "the person's first name (Given name, else the first word of Name)",
    "name": "the person's full name as in the book",
    "title": "their job title",
    "company": "their company",
    "email": "their (first) email address",
    "event": "the event where you last met (the last one in Event)",
    "met_on": "the date you last met, as 21 November 2026",
    "note": "your latest note about them, without its date or final full stop",
}

HEADERS = ("Subject", "From", "Cc", "Bcc", "Reply-To")

DEFAULT_TEMPLATE = """\
Subject: Good to meet you at $event
Subject: Good to meet you

Hi $first_name,

It was good to meet you at $event.
I enjoyed hearing about $note.
I'd be glad to stay in touch: let me know if you would like to carry on
the conversation over a call or a coffee.

Best regards,
"""

_HEADER = re.compile(r"^([A-Za-z][A-Za-z-]*):\s?(.*)$")
_EMAIL = re.compile(r"[^\s<>;,()\"']+@[^\s<>;,()\"']+\.[^\s<>;,()\"']+")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(day: date) -> str:
    """21 November 2026: the same in every country, unlike 11/21."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def first_name(item: FollowUp) -> str:
    if item.given_name:
        return item.given_name
    if not item.name:
        return ""
    human = HumanName(item.name)
    return human.first or item.name.split()[0]


def values(item: FollowUp) -> dict[str, str]:
    """What each placeholder stands for, for one person ("" when the book has nothing)."""
    return {
        "first_name": first_name(item),
        "name": item.name,
        "title": item.title,
        "company": item.company,
        "email": item.email,
        "event": item.event,
        "met_on": long_date(item.last_met) if item.last_met else "",
        "note": item.note.rstrip().rstrip(".").rstrip(),
    }


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based line of the template file, for messages
    text: str

    def render(self, filled: dict[str, str]) -> str | None:
        """The line filled in, or None when a placeholder in it comes out empty."""
        if any(not filled[name].strip() for name in string.Template(self.text).get_identifiers()):
            return None
        return string.Template(self.text).substitute(filled)


@dataclass(frozen=True)
class Template:
    source: str  # the file, or "the default template", for messages
    headers: tuple[tuple[str, _Line], ...]  # (canonical header name, line)
    body: tuple[_Line, ...]

    @classmethod
    def default(cls) -> Template:
        return cls.parse(DEFAULT_TEMPLATE, "the default template")

    @classmethod
    def load(cls, path: Path) -> Template:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"the template {path} is not UTF-8 text", "save it as UTF-8 (plain text)"
            ) from exc
        except OSError as exc:
            raise InputError(
                f"cannot read the template {path} ({exc.strerror or exc})",
                "check the path (`cardscan followups --print-template > my.txt` makes one)",
            ) from exc
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, source: str) -> Template:
        """Split and check a template; InputError naming the line and the fix if it is bad."""
        lines = text.splitlines()
        canonical = {h.casefold(): h for h in HEADERS}
        headers: list[tuple[str, _Line]] = []
        first = _HEADER.match(lines[0]) if lines else None
        at = 0
        if first and first.group(1).casefold() in canonical:
            while at < len(lines) and lines[at].strip():
                m = _HEADER.match(lines[at])
                if not m or m.group(1).casefold() not in canonical:
                    raise InputError(
                        f"the template {source} line {at + 1} is not a header line "
                        f"({lines[at].strip()[:40]!r})",
                        f"headers are {', '.join(HEADERS)} (one per line); put a blank "
                        "line between the headers and the body",
                    )
                headers.append((canonical[m.group(1).casefold()], _Line(at + 1, m.group(2))))
                at += 1
            at += 1  # the blank line
        if not any(name == "Subject" for name, _ in headers):
            raise InputError(
                f"the template {source} has no Subject: line",
                "start it with a line such as 'Subject: Good to meet you at $event', then "
                "a blank line, then the body (`cardscan followups --print-template` shows one)",
            )
        body = tuple(_Line(at + 1 + n, line.rstrip()) for n, line in enumerate(lines[at:]))
        if not any(line.text.strip() for line in body):
            raise InputError(
                f"the template {source} has no body",
                "write the message under the blank line that follows the Subject: line",
            )
        template = cls(source, tuple(headers), body)
        for line in [h for _, h in template.headers] + list(body):
            template._check(line)
        return template

    def _check(self, line: _Line) -> None:
        known = ", ".join(f"${p}" for p in PLACEHOLDERS)
        for m in string.Template.pattern.finditer(line.text):
            name = m.group("named") or m.group("braced")
            if m.group("invalid") is not None:
                bad = line.text[m.start() : m.start() + 12].split()[0]
                raise InputError(
                    f"the template {self.source} line {line.number}: '{bad}' is not a placeholder",
                    f"use one of {known} (${{name}} inside a word), or $$ for a dollar sign",
                )
            if name is not None and name not in PLACEHOLDERS:
                raise InputError(
                    f"the template {self.source} line {line.number}: unknown placeholder ${name}",
                    f"use one of {known}",
                )

    def render(self, filled: dict[str, str]) -> tuple[dict[str, str], str]:
        """(headers, body) for one person: see the module's rules on empty placeholders."""
        headers: dict[str, str] = {}
        subjects = [line for name, line in self.headers if name == "Subject"]
        subject = next((s for s in (line.render(filled) for line in subjects) if s), None)
        if subject is None:
            subject = string.Template(subjects[-1].text).substitute(filled)
        headers["Subject"] = " ".join(subject.split())
        for name, line in self.headers:
            if name == "Subject":
                continue
            value = line.render(filled)
            if value and value.strip():
                headers[name] = " ".join(value.split())
        kept = [text for text in (line.render(filled) for line in self.body) if text is not None]
        body: list[str] = []
        for text in kept:
            if text.strip() or (body and body[-1].strip()):
                body.append(text)  # a dropped paragraph leaves no double blank line
        while body and not body[-1].strip():
            body.pop()
        return headers, "\n".join(body) + "\n"


def email_address(item: FollowUp) -> Address | None:
    """The person's first usable email as a To address (with their name), or None."""
    for cell in item.emails:
        found = _EMAIL.search(cell)
        if not found:
            continue
        try:
            return Address(display_name=item.name, addr_spec=found.group(0))
        except (ValueError, IndexError):
            continue
    return None


def message(item: FollowUp, template: Template, now: datetime) -> EmailMessage:
    """The draft for one person as an email message (To left out when they have no email)."""
    headers, body = template.render(values(item))
    msg = EmailMessage(policy=SMTP)
    to = email_address(item)
    for name in ("From", "Reply-To"):
        if name in headers:
            msg[name] = headers[name]
    if to is not None:
        msg["To"] = to
    for name in ("Cc", "Bcc"):
        if name in headers:
            msg[name] = headers[name]
    msg["Subject"] = headers["Subject"]
    msg["Date"] = format_datetime(now)
    msg["X-Unsent"] = "1"
    # Plain 8-bit UTF-8 reads as is in any text editor; RFC 5322 allows lines up to 998
    # octets, so a long note only needs quoted-printable beyond that.
    longest = max((len(line.encode("utf-8")) for line in body.splitlines()), default=0)
    msg.set_content(body, cte="8bit" if 78 < longest <= 998 else None)
    return msg


def file_name(item: FollowUp) -> str:
    """A safe, unique file name: the person's name as a slug, and their sheet row."""
    label = item.name or item.company or item.email.split("@")[0]
    slug = re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")[:40].strip("-") or "contact"
    return f"{slug}-row{item.sheet_row}.eml"


@dataclass
class DraftsWritten:
    folder: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # already there: left as they were
    without_email: list[FollowUp] = field(default_factory=list)  # written with no To


def check_folder(folder: Path) -> None:
    """Refuse a --draft folder that cannot be one, before anything is written."""
    if folder.exists() and not folder.is_dir():
        raise InputError(
            f"--draft {folder} is a file, not a folder",
            "give a folder for the drafts (it is created if missing)",
        )


def write_drafts(
    items: list[FollowUp],
    folder: Path,
    template: Template,
    now: datetime,
) -> DraftsWritten:
    """One .eml per person in `folder` (created if missing); existing files are never replaced.

    A draft already in the folder (same person, same row) is kept as it is, edits and all,
    and reported: delete it to draft again. A person without a usable email still gets a
    draft, without To, so the address can be filled in by hand.
    """
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the drafts folder {folder} ({exc.strerror or exc})",
            "choose a folder you can write in",
        ) from exc
    done = DraftsWritten(folder)
    for item in items:
        msg = message(item, template, now)
        path = folder / file_name(item)
        try:
            with open(path, "xb") as fh:
                fh.write(msg.as_bytes())
        except FileExistsError:
            done.kept.append(path)
            continue
        except OSError as exc:
            raise InputError(
                f"cannot write the draft {path} ({exc.strerror or exc})",
                "check free disk space and that you can write in the folder",
            ) from exc
        done.written.append(path)
        if "To" not in msg:
            done.without_email.append(item)
    return done
