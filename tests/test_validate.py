"""validate(): phone validity and duplicates, email normalisation, domain mismatch (no
verdict on raw confidences). It edits the contact in place only to normalise and never
raises."""

from __future__ import annotations

import pytest

from cardscan.model import Contact, Extraction, Issue, Phone, PhoneKind
from cardscan.validate import validate


def _ex(region: str = "US", confidence: dict[str, float] | None = None, **fields) -> Extraction:
    return Extraction(Contact(**fields), confidence=confidence or {}, region=region)


def _codes(issues: list[Issue]) -> list[tuple[str, str | None]]:
    return [(i.code, i.field) for i in issues]


# --- phones -------------------------------------------------------------------------


def test_valid_phone_passes_and_is_marked_valid() -> None:
    ex = _ex(phones=[Phone("+14155552671", PhoneKind.WORK, "(415) 555-2671", valid=False)])
    assert validate(ex) == []
    assert ex.contact.phones[0].valid is True


def test_invalid_phone_is_kept_and_reported() -> None:
    phone = Phone("+447700900123", PhoneKind.MOBILE, "07700 900123")
    ex = _ex(region="GB", phones=[phone])
    issues = validate(ex)
    assert issues == [
        Issue("phone_invalid", "phone '07700 900123' is not a valid number for GB", "phones")
    ]
    assert ex.contact.phones == [phone]
    assert phone.valid is False


def test_invalid_message_names_the_numbers_own_country() -> None:
    ex = _ex(region="US", phones=[Phone("+4912", PhoneKind.OTHER, "+49 12")])
    assert validate(ex)[0].message == "phone '+49 12' is not a valid number for DE"


def test_unparseable_digits_are_invalid_not_an_error() -> None:
    ex = _ex(phones=[Phone("12345678", PhoneKind.FAX, "12345678", valid=False)])
    assert _codes(validate(ex)) == [("phone_invalid", "phones")]
    assert ex.contact.phones[0].number == "12345678"


def test_local_digits_that_parse_under_region_become_e164() -> None:
    ex = _ex(region="DE", phones=[Phone("0301234567", PhoneKind.WORK, "030 1234567", False)])
    assert validate(ex) == []
    assert ex.contact.phones[0].number == "+49301234567"
    assert ex.contact.phones[0].valid


def test_exact_duplicates_removed_keeping_first_specific_kind() -> None:
    ex = _ex(
        phones=[
            Phone("+14155552671", PhoneKind.OTHER, "415 555 2671"),
            Phone("+14155552671", PhoneKind.MOBILE, "+1 415 555 2671"),
            Phone("+14155552671", PhoneKind.WORK, "+1 415 555 2671"),
            Phone("+14155552671", PhoneKind.WORK, "+1 415 555 2671", extension="240"),
        ]
    )
    validate(ex)
    assert [(p.kind, p.extension) for p in ex.contact.phones] == [
        (PhoneKind.MOBILE, None),
        (PhoneKind.WORK, "240"),
    ]
    assert ex.contact.phones[0].raw == "415 555 2671"


# --- emails -------------------------------------------------------------------------


def test_email_normalised() -> None:
    ex = _ex(emails=["jane.doe@ACME.com"])
    assert validate(ex) == []
    assert ex.contact.emails == ["jane.doe@acme.com"]


@pytest.mark.parametrize(
    "email", ["jane..doe@acme.com", "jane@acme", "jane@-acme.com", "@acme.com"]
)
def test_invalid_email_kept_and_reported(email: str) -> None:
    ex = _ex(emails=[email])
    assert _codes(validate(ex)) == [("email_invalid", "emails")]
    assert ex.contact.emails == [email]


def test_emails_deduplicated_after_normalising() -> None:
    ex = _ex(emails=["jane@acme.com", "jane@ACME.COM"])
    validate(ex)
    assert ex.contact.emails == ["jane@acme.com"]


# --- domains ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("websites", "emails", "mismatch"),
    [
        (["www.acme.com"], ["jane@other.org"], True),
        (["www.acme.com"], ["jane@acme.com"], False),
        (["https://www.acme.com/team"], ["jane@mail.acme.com"], False),
        (["www.acme.de"], ["jane@acme.com"], False),  # same brand, other TLD
        (["www.acme.com"], ["jane@gmail.com"], False),  # webmail says nothing
        (["www.acme.com"], [], False),
        ([], ["jane@other.org"], False),
        (["www.acme.com"], ["jane@other.org", "sales@acme.com"], False),
        # Domains under a multi-label public suffix are told apart by their own name,
        # not by the suffix they share ("ac.in"), and a subdomain is the same domain.
        (["www.iisc.ac.in"], ["jane@iitb.ac.in"], True),
        (["www.cse.iitb.ac.in"], ["jane@iitb.ac.in"], False),
        (["www.beltis.com.br"], ["jane@beltis.com.br"], False),
    ],
)
def test_domain_mismatch(websites: list[str], emails: list[str], mismatch: bool) -> None:
    issues = validate(_ex(websites=websites, emails=emails))
    assert (("domain_mismatch", "websites") in _codes(issues)) is mismatch


# --- weak fields --------------------------------------------------------------------


def test_raw_confidences_are_left_to_the_calibration() -> None:
    # Whether a field is likely right is cardscan.calibration's verdict (on calibrated
    # chances, tests/test_calibration.py): validate() no longer judges raw scores.
    ex = _ex(
        name="Jane Doe",
        company="Acme",
        phones=[Phone("+14155552671", PhoneKind.WORK, "x")],
        confidence={"name": 0.9, "company": 0.1, "phones": 0.2},
    )
    assert "low_confidence" not in {code for code, _field in _codes(validate(ex))}
    assert ex.confidence == {"name": 0.9, "company": 0.1, "phones": 0.2}


def test_validate_does_not_touch_extraction_issues() -> None:
    ex = _ex(emails=["bad@"])
    ex.issues.append(Issue("no_name", "x", "name"))
    validate(ex)
    assert _codes(ex.issues) == [("no_name", "name")]


def test_garbage_never_raises() -> None:
    ex = _ex(
        region="ZZ",
        phones=[Phone("", PhoneKind.OTHER), Phone("+", PhoneKind.OTHER), Phone("abc")],
        emails=["", "@", "a@b@c"],
        websites=["", "http://", "..."],
    )
    issues = validate(ex)
    assert all(i.code != "validate_error" for i in issues)
    assert len([i for i in issues if i.code == "phone_invalid"]) == 3
