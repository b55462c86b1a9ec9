"""The review page: one HTML file to check a batch in a minute and fix what was misread.

Written beside the book as `<book stem>.review.html` after every ingest, and by
`cardscan review`. It needs no server and nothing from the internet: the style and the
script are inline (review.css, review.js beside this file), and the card images are
the crops kept in `.cardscan/crops/`, linked relatively (or inlined as data: URIs with
`--inline`, for a page that travels alone). Linking keeps the page small and quick
however big the batch (a 500-card page would otherwise weigh some 60 MB); the page is
meant to be opened where it was written, beside the book and its photos.

Everything read from a card is escaped (a card could carry `<script>`), and a
Content-Security-Policy lets only this page's own script run and nothing load from
the network.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from PIL import Image

from cardscan import fields as contact_fields
from cardscan.book import Book
from cardscan.book import columns as col
from cardscan.book.safety import atomic_write
from cardscan.calibration import threshold
from cardscan.errors import BookError, InputError
from cardscan.state.batches import Batch, Entry, Outcome, crop_path, load_batches
from cardscan.state.batches import default_page as default_page  # where the page goes
from cardscan.state.corrections import (
    EDITABLE,
    FIELD_OF,
    MULTI,
    PHONE_KIND,
    CorrectionStore,
    reading_cells,
)

Warn = Callable[[str], None]

# Status -> (order on the page, icon, words). The icon is decoration; the words say it.
STATUSES: dict[str, tuple[int, str, str]] = {
    "needs_review": (0, "⚠", "Needs review"),
    "failed": (1, "✗", "Failed"),
    "ok": (2, "✓", "OK"),
    Outcome.UNCHANGED: (3, "=", "Already in the book"),
}
# Fields always shown; the others only when they hold something or are flagged.
SHOWN = (col.NAME, col.TITLE, col.COMPANY, col.EMAILS, col.MOBILE, col.WORK_PHONE)
# The columns that show their field's confidence: each field's first (not the name's
# parts), and every phone column (cardscan.fields).
PRIMARY = {f.columns[0] for f in contact_fields.FIELDS}


@dataclass
class CardView:
    entry: Entry
    batch: Batch
    reading: dict[str, Any] | None  # the entry's own, or an earlier batch's for the photo
    row: int | None = None  # the sheet row holding the card now
    book_row: dict[str, str] | None = None
    corrected: dict[str, str] = field(default_factory=dict)
    checked: bool = False

    @property
    def status(self) -> str:
        return self.entry.status


def write_page(
    book: Path,
    target: Path,
    *,
    batch: str = "last",
    inline: bool = False,
    warn: Warn | None = None,
) -> Path:
    """Write the review page of `batch` ("last", "all" or an id) of the book to `target`."""
    real = book.resolve()
    batches = load_batches(real, warn)
    chosen, label = select(batches, batch, book)
    views = _views(chosen, batches)
    _add_book(views, book)
    corrections = CorrectionStore.load(real)
    for view in views:
        view.corrected = corrections.fields(view.entry.card_id)
        view.checked = corrections.checked(view.entry.card_id)
    text = render(views, chosen, label, book, target, inline)
    data = text.encode("utf-8")
    # The page shows the book's contacts: no more people may read it than the book.
    atomic_write(target, lambda tmp: tmp.write_bytes(data), like=real)
    return target


def select(batches: list[Batch], which: str, book: Path) -> tuple[list[Batch], str]:
    """The batches `which` names, and how the page calls them."""
    if not batches:
        raise InputError(
            f"no ingest of {book} is recorded for review",
            f"run `cardscan ingest PHOTOS --book {book}` first",
        )
    if which == "last":
        # The last batch with cards to review, as the page an ingest left shows it: a
        # batch that added nothing (only failed) does not replace it (state.batches).
        last = next((b for b in reversed(batches) if b.added), batches[-1])
        return [last], f"batch {last.id}"
    if which == "all":
        return batches, f"all {len(batches)} batches"
    found = [b for b in batches if b.id == which]
    if not found:
        known = ", ".join(b.id for b in batches[-5:])
        raise InputError(
            f"no batch {which!r} is recorded for {book}",
            f"use last, all, or one of the latest: {known}",
        )
    return found, f"batch {which}"


def _views(chosen: list[Batch], every: list[Batch]) -> list[CardView]:
    """One view per photo; in several batches, the photo's latest reading wins."""
    readings: dict[str, dict[str, Any]] = {}  # card id -> its latest reading, any batch
    for batch in every:
        for entry in batch.entries:
            if entry.card_id and entry.reading is not None and entry.action != Outcome.FAILED:
                readings[entry.card_id] = entry.reading
    views: dict[str, CardView] = {}
    for batch in chosen:
        for entry in batch.entries:
            key = entry.card_id or f"path:{entry.photo}"
            earlier = views.get(key)
            if earlier is not None and _rank(entry) < _rank(earlier.entry):
                continue  # "already in the book" does not hide the batch that added it
            reading = entry.reading if entry.reading is not None else readings.get(entry.card_id)
            views.pop(key, None)  # re-inserted: the latest batch's order
            views[key] = CardView(entry, batch, reading)
            if entry.action != Outcome.FAILED:
                views.pop(f"path:{entry.photo}", None)  # a photo that failed, read since
    ordered = list(views.values())
    ordered.sort(key=lambda v: STATUSES[v.status][0])  # stable: input order within
    return ordered


def _rank(entry: Entry) -> int:
    return {Outcome.UNCHANGED: 0, Outcome.FAILED: 1}.get(entry.action, 2)


def _add_book(views: list[CardView], book: Path) -> None:
    """The rows holding the cards now (the book may have changed since the batch)."""
    if not book.is_file():
        return
    try:
        with Book.open(book, read_only=True) as contacts:
            rows = contacts.rows()
    except BookError:
        return  # the page still shows what was read
    where: dict[str, int] = {}
    for index, row in enumerate(rows):
        for card_id in re.split(r"[;\s]+", row.get(col.CARD_IDS, "").lower()):
            if card_id:
                where.setdefault(card_id, index)
    for view in views:
        found = where.get(view.entry.card_id.lower()) if view.entry.card_id else None
        if found is not None:
            view.row, view.book_row = found + 2, rows[found]


# --- rendering -------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _asset(name: str) -> str:
    return (resources.files("cardscan.review") / "assets" / name).read_text(encoding="utf-8")


def _href(path: str, base: Path) -> str:
    """A relative link from the page's folder to `path` (bytes a name cannot hold escaped)."""
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive (Windows)
        return Path(path).as_uri()
    return quote(os.fsencode(rel).replace(os.sep.encode(), b"/"))


def render(
    views: list[CardView],
    batches: list[Batch],
    label: str,
    book: Path,
    target: Path,
    inline: bool,
) -> str:
    script = _asset("review.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = (
        "default-src 'none'; img-src data: file: 'self'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; form-action 'none'; base-uri 'none'"
    )
    base = target.resolve().parent
    events = sorted({b.event for b in batches if b.event})
    batch_id = batches[-1].id if len(batches) == 1 else "all"
    apply_cmd = f"cardscan apply FILE --book {shlex.quote(str(book.resolve()))}"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
        f"<title>Review: {_e(book.name)}, {_e(label)}</title>",
        f"<style>{_asset('review.css')}</style></head>",
        f'<body data-book="{_e(book.name)}" data-batch="{_e(batch_id)}" '
        f'data-apply="{_e(apply_cmd)}">',
        '<a class="skip" href="#cards">Skip to the cards</a>',
        _summary(views, batches, label, book),
        _toolbar(views, events),
        '<main id="cards">',
        *(_card(view, base, inline, book.resolve()) for view in views),
        '<p id="none-shown" class="empty" hidden>No card matches these filters.</p>',
        "</main>",
        f"<script>{script}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _count(views: Iterable[CardView], test: Callable[[CardView], bool]) -> int:
    return sum(1 for v in views if test(v))


def _summary(views: list[CardView], batches: list[Batch], label: str, book: Path) -> str:
    counts = [
        ("cards", len(views)),
        ("new", _count(views, lambda v: v.entry.action == Outcome.NEW)),
        ("merged", _count(views, lambda v: v.entry.action == Outcome.MERGED)),
        ("need review", _count(views, lambda v: v.status == "needs_review")),
        ("failed", _count(views, lambda v: v.status == "failed")),
    ]
    unchanged = _count(views, lambda v: v.status == Outcome.UNCHANGED)
    if unchanged:
        counts.append(("already in the book", unchanged))
    items = "".join(f"<li><strong>{n}</strong> {_e(what)}</li>" for what, n in counts)
    if len(batches) == 1:
        b = batches[0]
        about = [f"ingest of {b.started_at:%Y-%m-%d %H:%M}"]
        about += [f"event: {b.event}"] if b.event else []
        about += [f"where: {b.where}"] if b.where else []
        about += ["interrupted (Ctrl-C): the cards read before are here"] if b.interrupted else []
    else:
        first, last = batches[0].started_at, batches[-1].started_at
        about = [f"ingests from {first:%Y-%m-%d} to {last:%Y-%m-%d}"]
    failed = [v for v in views if v.status == "failed"]
    failed_html = ""
    if failed:
        lines = "".join(
            f'<li><a href="#{_anchor(v)}">{_e(v.entry.source)}</a>: {_e(_failure(v))}</li>'
            for v in failed
        )
        failed_html = f'<h2>Failed</h2><ul class="failed">{lines}</ul>'
    return (
        '<header class="summary">'
        f"<h1>Review of {_e(book.name)}</h1>"
        f'<p class="about">{_e(label)} · {_e(" · ".join(about))}</p>'
        f'<ul class="counts">{items}</ul>'
        f"{failed_html}"
        '<details class="help"><summary>How to use this page</summary>'
        "<p>Cards that need review come first. Hover over a field (or move into it) to "
        "outline on the card the words it was read from; click the card to open the "
        "original photo.</p>"
        '<ul><li><span class="mark doubt">? doubtful</span>: less likely right than '
        "cardscan asks (the reason follows); check it.</li>"
        '<li><span class="mark issue">! problem</span>: a check failed (an invalid '
        "number, an email that looks wrong, a field missing).</li>"
        '<li><span class="mark fixed">✎ corrected</span>: you corrected it before.</li>'
        '<li><span class="mark edited">✎ edited</span>: changed on this page, not '
        "saved yet.</li></ul>"
        "<p>Correct a field by typing in it (several values: separate them with "
        "<kbd>;</kbd>), then press <em>Save corrections</em>: it downloads a file. "
        "Apply it to the book with the command the page shows. Your corrections are "
        "kept: cardscan never writes over them.</p>"
        "<p>Keys: <kbd>j</kbd> or <kbd>↓</kbd> next card, <kbd>k</kbd> or <kbd>↑</kbd> "
        "previous card, <kbd>Esc</kbd> leaves a field.</p></details>"
        "</header>"
    )


def _toolbar(views: list[CardView], events: list[str]) -> str:
    statuses = [s for s in STATUSES if any(v.status == s for v in views)]
    status_options = "".join(
        f'<option value="{_e(s)}">{_e(STATUSES[s][2])}</option>' for s in statuses
    )
    event_select = ""
    if events:
        options = "".join(f'<option value="{_e(e)}">{_e(e)}</option>' for e in events)
        event_select = (
            '<label>Event <select id="filter-event"><option value="">All events</option>'
            f"{options}</select></label>"
        )
    return (
        '<nav class="toolbar" aria-label="Filters and saving">'
        '<label>Status <select id="filter-status"><option value="">All</option>'
        f"{status_options}</select></label>"
        f"{event_select}"
        '<span id="shown" aria-live="polite"></span>'
        '<button type="button" id="save">Save corrections</button>'
        '<span id="edits" aria-live="polite">No corrections yet.</span>'
        '<p id="saved" aria-live="polite" hidden></p>'
        "</nav>"
    )


def _anchor(view: CardView) -> str:
    key = view.entry.card_id or hashlib.sha256(view.entry.photo.encode("utf-8", "replace"))
    text = key if isinstance(key, str) else key.hexdigest()
    return f"card-{text[:16]}"


def _failure(view: CardView) -> str:
    """Why a photo failed, without the photo's name the message may start with."""
    issues = (view.reading or {}).get("issues") or []
    message = str(issues[0].get("message")) if issues else "could not be read"
    for name in (view.entry.source, str((view.reading or {}).get("source") or "")):
        if name and message.startswith(f"{name}: "):
            return message[len(name) + 2 :]
    return message


def _card(view: CardView, base: Path, inline: bool, real: Path) -> str:
    entry = view.entry
    _, icon, words = STATUSES[view.status]
    reading = view.reading or {}
    contact = reading.get("contact") or {}
    title = contact.get("name") or contact.get("company") or PurePath(entry.source).name
    event = view.batch.event or ""
    photo_href = _href(entry.photo, base)
    attrs = (
        f'id="{_anchor(view)}" class="card st-{_e(view.status)}" tabindex="-1" '
        f'data-card="{_e(entry.card_id)}" data-source="{_e(entry.source)}" '
        f'data-status="{_e(view.status)}" data-event="{_e(event)}"'
    )
    head = (
        f"<header><h2>{_e(title)}</h2>"
        f'<p class="status"><span class="icon" aria-hidden="true">{icon}</span> '
        f"<strong>{_e(words)}</strong>{_e(_where(view))}</p>"
        f'<p class="photo">Photo: <a href="{photo_href}">{_e(entry.source)}</a>'
        + (f" · event: {_e(event)}" if event else "")
        + "</p></header>"
    )
    if view.status == "failed":
        body = f'<p class="reason"><strong>Why:</strong> {_e(_failure(view))}</p>'
        return f"<article {attrs}>{head}{body}</article>"
    if not reading:
        body = '<p class="reason">Not read again: it was already in the book.</p>'
        return f"<article {attrs}>{head}{body}</article>"
    figure = _figure(view, base, inline, photo_href, real)
    fields = _fields(view)
    reasons = _reasons(view)
    checked = ""
    if view.status == "needs_review":
        state = " checked disabled" if view.checked else ""
        checked = (
            f'<p class="check"><label><input type="checkbox" class="checked"{state}> '
            "Checked: nothing else to fix here (clears this card's review flags in the "
            "book)</label></p>"
        )
    return (
        f"<article {attrs}>{head}{reasons}"
        f'<div class="body">{figure}<div class="fields">{fields}{checked}</div></div>'
        "</article>"
    )


def _where(view: CardView) -> str:
    action = view.entry.action
    if view.row is None:
        return " · no row in the book holds it now" if action != Outcome.FAILED else ""
    if action == Outcome.NEW:
        return f" · new contact, row {view.row}"
    if action == Outcome.MERGED:
        return f" · merged into row {view.row}"
    return f" · row {view.row}"


def _reasons(view: CardView) -> str:
    """Reasons to review that belong to no one field, and the merge's."""
    issues = (view.reading or {}).get("issues") or []
    texts = [str(i.get("message")) for i in issues if not i.get("field")]
    texts += view.entry.reasons
    if not texts:
        return ""
    items = "".join(
        f'<li><span class="mark issue"><span aria-hidden="true">!</span> {_e(t)}</span></li>'
        for t in texts
    )
    return f'<ul class="reasons" aria-label="Reasons to review">{items}</ul>'


def _place(view: CardView) -> str:
    """For a card of a photo of several: which one, and a small map of the photo with
    the card's outline where it lay (the reading's "position")."""
    place = (view.reading or {}).get("position")
    try:
        card, of = int(place["card"]), int(place["of"])  # type: ignore[index]
        corners = [(float(x), float(y)) for x, y in place["corners"]]  # type: ignore[index]
        width, height = (int(v) for v in place.get("photo") or (0, 0))  # type: ignore[union-attr]
    except (TypeError, KeyError, ValueError):
        return ""  # a photo of one card (or a record that says nothing usable)
    text = f" Card {card} of {of} in the photo."
    if width <= 0 or height <= 0 or len(corners) != 4:
        return _e(text)
    points = " ".join(f"{x:.0f},{y:.0f}" for x, y in corners)
    return (
        f"{_e(text)}"
        f'<svg class="place" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Where card {card} lay in the photo">'
        f'<rect width="{width}" height="{height}"/><polygon points="{_e(points)}"/></svg>'
    )


def _figure(view: CardView, base: Path, inline: bool, photo_href: str, real: Path) -> str:
    crop = crop_path(real, view.entry.card_id) if view.entry.card_id else None
    name = _e(PurePath(view.entry.source).name)
    if crop is None or not crop.is_file():
        return (
            f'<figure class="crop none"><a href="{photo_href}">Open the photo {name}</a>'
            "<figcaption>No straightened card kept for this photo (read by an older "
            "cardscan: <code>cardscan ingest --rescan</code> keeps one).</figcaption></figure>"
        )
    try:
        # Only ever a JPEG cardscan wrote: anything else there is not opened by format.
        with Image.open(crop, formats=["JPEG"]) as image:
            width, height = image.size
    except OSError:
        return (
            f'<figure class="crop none"><a href="{photo_href}">Open the photo {name}</a></figure>'
        )
    src = _src(crop, base, inline)
    boxes = []
    for key, items in ((view.reading or {}).get("evidence") or {}).items():
        for box in items:
            left, top, w, h = (int(v) for v in box)
            boxes.append(
                f'<rect class="box" data-field="{_e(key)}" x="{left}" y="{top}" '
                f'width="{w}" height="{h}"/>'
            )
    return (
        '<div class="figures"><figure class="crop">'
        f'<a href="{photo_href}" title="Open the original photo">'
        f'<img src="{src}" width="{width}" height="{height}" loading="lazy" '
        f'alt="The card from {name}, straightened">'
        f'<svg viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false">'
        f"{''.join(boxes)}</svg></a>"
        f"<figcaption>Click the card for the original photo.{_place(view)}</figcaption>"
        f"</figure>{_back(view, base, inline, real)}</div>"
    )


def _src(crop: Path, base: Path, inline: bool) -> str:
    if inline:
        return "data:image/jpeg;base64," + base64.b64encode(crop.read_bytes()).decode("ascii")
    return _href(str(crop), base)


def _back(view: CardView, base: Path, inline: bool, real: Path) -> str:
    """The back of a card photographed on both sides, when its crop was kept."""
    back = (view.reading or {}).get("back")
    if not isinstance(back, dict) or not back.get("card_id"):
        return ""
    crop = crop_path(real, str(back["card_id"]))
    if not crop.is_file():
        return ""
    src = _src(crop, base, inline)
    name = _e(PurePath(str(back.get("source") or "")).name)
    href = _href(view.entry.back_photo or str(back.get("source") or ""), base)
    return (
        f'<figure class="crop back"><a href="{href}" title="Open the photo of the back">'
        f'<img src="{src}" loading="lazy" alt="The back of the card, from {name}"></a>'
        f"<figcaption>The back ({name}).</figcaption></figure>"
    )


def _fields(view: CardView) -> str:
    reading = view.reading or {}
    cells = reading_cells(reading)
    confidence = reading.get("confidence") or {}
    issues = _issues_by_column(reading, cells)
    shown: list[str] = []
    more: list[str] = []
    for column in EDITABLE:
        read = cells.get(column, "")
        value = view.corrected.get(column, read)
        key = FIELD_OF[column]
        marks = []
        conf = confidence.get(key) if (column in PRIMARY or column in PHONE_KIND) else None
        doubtful = (
            read and column not in view.corrected and conf is not None and float(conf) < threshold()
        )
        column_issues = [] if column in view.corrected else issues.get(column, [])
        low = [i for i in column_issues if i.get("code") == "low_confidence"]
        if doubtful or low:
            pct = f" ({float(conf):.0%})" if conf is not None else ""
            # The verdict's reason, after its "...likely right): " (cardscan.calibration).
            message = str(low[0].get("message") or "") if low else ""
            why = f": {_e(message.split('): ', 1)[1])}" if "): " in message else ""
            marks.append(
                f'<span class="mark doubt"><span aria-hidden="true">?</span> doubtful{pct}'
                f"{why}</span>"
            )
        for issue in column_issues:
            if issue.get("code") != "low_confidence":
                marks.append(
                    '<span class="mark issue"><span aria-hidden="true">!</span> '
                    f"{_e(issue.get('message'))}</span>"
                )
        if column in view.corrected:
            marks.append(
                f'<span class="mark fixed"><span aria-hidden="true">✎</span> corrected '
                f"(read: {_e(read or 'nothing')})</span>"
            )
        book_value = (view.book_row or {}).get(column)
        # A multi-value cell may also hold other cards' values: only one-value cells.
        if book_value is not None and column not in MULTI and book_value != value:
            marks.append(f'<span class="mark book">In the book: {_e(book_value or "empty")}</span>')
        flagged = bool(doubtful or column_issues)
        classes = ["field"]
        classes += ["flagged"] if flagged else []
        classes += ["corrected"] if column in view.corrected else []
        ident = f"f-{_anchor(view)[5:]}-{EDITABLE.index(column)}"
        sure = (
            f'<span class="sure" title="how sure the reading is">{float(conf):.0%}</span>'
            if conf is not None and read
            else ""
        )
        row = (
            f'<div class="{" ".join(classes)}" data-field="{_e(key)}">'
            f'<label for="{ident}">{_e(column)}</label>{sure}'
            f'<input id="{ident}" type="text" name="{_e(column)}" value="{_e(value)}" '
            f'data-read="{_e(read)}" autocomplete="off" spellcheck="false" '
            f'aria-describedby="{ident}-m">'
            f'<span class="printed" aria-hidden="true">{_e(value)}</span>'
            f'<div class="marks" id="{ident}-m">{"".join(marks)}<span class="mark edited" hidden>'
            '<span aria-hidden="true">✎</span> edited</span></div></div>'
        )
        parts = column in (col.GIVEN_NAME, col.FAMILY_NAME)  # the name says them
        if flagged or column in view.corrected or (not parts and (value or column in SHOWN)):
            shown.append(row)
        else:
            more.append(row)
    extra = ""
    if more:
        extra = (
            f'<details class="more"><summary>More fields ({len(more)})</summary>'
            f"{''.join(more)}</details>"
        )
    return "".join(shown) + extra


def _issues_by_column(
    reading: Mapping[str, Any], cells: Mapping[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """Each field's issues on the column that shows it (a phone's on its kind's column)."""
    out: dict[str, list[dict[str, Any]]] = {}
    phones = (reading.get("contact") or {}).get("phones") or []
    for issue in reading.get("issues") or []:
        key = issue.get("field")
        if not key:
            continue
        column: str | None = None
        if key == "phones":
            column = _phone_column(str(issue.get("message", "")), phones, cells)
        else:
            column = next((c for c, k in FIELD_OF.items() if k == key), None)
        if column is not None:
            out.setdefault(column, []).append(issue)
    return out


def _phone_column(message: str, phones: list[dict[str, Any]], cells: Mapping[str, str]) -> str:
    for phone in phones:
        for text in (phone.get("raw"), phone.get("number")):
            if text and f"'{text}'" in message:
                kind = str(phone.get("kind") or "other")
                return next(c for c, k in PHONE_KIND.items() if str(k) == kind)
    return next((c for c in col.PHONE_COLUMNS if cells.get(c)), col.MOBILE)
