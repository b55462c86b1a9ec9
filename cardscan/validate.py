"""Check an Extraction and normalise what can be normalised, offline.

validate() returns the problems it found as Issues (it does not append them to
extraction.issues: the caller merges both lists). It edits extraction.contact in
place only to normalise: phone validity flags, duplicate phones, email spelling.
It never raises and never touches the network.
"""

from __future__ import annotations

from collections.abc import Callable

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from cardscan.extract.domains import brand_label, clean_host, is_webmail, registrable
from cardscan.extract.phones import merge_duplicates
from cardscan.model import Extraction, Issue, Phone


def _region_of(phone: Phone, default: str) -> str:
    """The region a phone belongs to, for messages: its country code's, else the card's."""
    if phone.number.startswith("+"):
        try:
            cc = phonenumbers.parse(phone.number, None).country_code or 0
        except phonenumbers.NumberParseException:
            return default
        region = phonenumbers.region_code_for_country_code(cc)
        return region if region not in ("ZZ", "001") else default
    return default


def _check_phone(phone: Phone, region: str) -> bool:
    """Re-parse and set phone.valid; a local number that now parses becomes E.164."""
    try:
        num = phonenumbers.parse(phone.number, None if phone.number.startswith("+") else region)
    except phonenumbers.NumberParseException:
        phone.valid = False
        return False
    phone.valid = phonenumbers.is_valid_number(num)
    if phone.valid:
        phone.number = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    return phone.valid


def _phones(ex: Extraction) -> list[Issue]:
    issues: list[Issue] = []
    for p in ex.contact.phones:
        if not _check_phone(p, ex.region):
            shown = p.raw or p.number
            issues.append(
                Issue(
                    "phone_invalid",
                    f"phone '{shown}' is not a valid number for {_region_of(p, ex.region)}",
                    "phones",
                )
            )
    ex.contact.phones = merge_duplicates(ex.contact.phones, lambda p: p)
    return issues


def _emails(ex: Extraction) -> list[Issue]:
    issues: list[Issue] = []
    out: list[str] = []
    for email in ex.contact.emails:
        try:
            value = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as err:
            value = email
            issues.append(Issue("email_invalid", f"email '{email}' looks wrong: {err}", "emails"))
        if value.lower() not in {e.lower() for e in out}:
            out.append(value)
    ex.contact.emails = out
    return issues


def _domains(ex: Extraction) -> list[Issue]:
    """Website and email domains that share nothing hint at a misread or a stale card."""
    sites = {registrable(w) for w in ex.contact.websites if clean_host(w)}
    mails = {
        registrable(e.rsplit("@", 1)[1])
        for e in ex.contact.emails
        if "@" in e and not is_webmail(e.rsplit("@", 1)[1])
    }
    if not sites or not mails:
        return []
    brands = {brand_label(d) for d in sites}
    if sites & mails or brands & {brand_label(d) for d in mails}:
        return []
    return [
        Issue(
            "domain_mismatch",
            f"website {', '.join(sorted(sites))} and email domain "
            f"{', '.join(sorted(mails))} differ; check both",
            "websites",
        )
    ]


def validate(extraction: Extraction) -> list[Issue]:
    """Issues found in an extraction; normalises phones and emails in place.

    Whether a field is likely right at all is the calibration's to say
    (cardscan.calibration), which takes these issues into account.
    """
    issues: list[Issue] = []
    checks: tuple[Callable[[Extraction], list[Issue]], ...] = (_phones, _emails, _domains)
    for check in checks:
        try:
            issues += check(extraction)
        except Exception as err:  # a check must never break a batch
            name = getattr(check, "__name__", "check").strip("_<>")
            issues.append(Issue("validate_error", f"{name} failed: {err}", None))
    return issues
