"""Domains split by the Public Suffix List (tldextract's snapshot), offline and cache-free."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cardscan.extract import extract
from cardscan.extract.domains import (
    brand_label,
    is_public_tld,
    public_suffix,
    region_for_host,
    registrable,
)
from cardscan.extract.synth import make_ocr


@pytest.mark.parametrize(
    ("host", "domain", "brand"),
    [
        ("snu.ac.kr", "snu.ac.kr", "snu"),
        ("cs.snu.ac.kr", "snu.ac.kr", "snu"),
        ("www.iitb.ac.in", "iitb.ac.in", "iitb"),
        ("tata-steel.co.in", "tata-steel.co.in", "tata-steel"),
        ("mail.beltis.com.br", "beltis.com.br", "beltis"),
        ("https://www.sony.co.jp/en/", "sony.co.jp", "sony"),
        ("incometax.gov.in", "incometax.gov.in", "incometax"),
        ("acme.org.tw", "acme.org.tw", "acme"),
        ("acme.co.uk", "acme.co.uk", "acme"),
        ("shop.acme.com", "acme.com", "acme"),
        ("acme.de", "acme.de", "acme"),
    ],
)
def test_multi_label_suffixes_are_never_cut_short(host: str, domain: str, brand: str) -> None:
    assert registrable(host) == domain
    assert brand_label(host) == brand


def test_a_host_without_a_public_suffix_keeps_its_last_two_labels() -> None:
    assert registrable("intranet.acme.local") == "acme.local"
    assert public_suffix("intranet.acme.local") == ""


def test_public_tlds_come_from_the_list() -> None:
    assert all(is_public_tld(t) for t in ("com", "kr", "se", "museum", "KR"))
    assert not any(is_public_tld(t) for t in ("co.jp", "cojp", "", "acme"))
    # Country TLDs the list knows only by the rules under them ("co.za", "*.bd").
    assert all(is_public_tld(t) for t in ("za", "bd", "np", "kh", "mm", "jm"))


@pytest.mark.parametrize(
    "domain", ["acme.co.za", "acme.com.bd", "acme.com.np", "acme.org.za", "ayalaland.com.ph"]
)
def test_an_email_keeps_a_suffix_whose_tld_has_no_rule_of_its_own(domain: str) -> None:
    # (".ph" is also the "Ph" of a phone label: a multi-label suffix keeps it.)
    contact = extract(make_ocr([("Thabo Mbeki", 30), f"thabo@{domain}"]), "ZA").contact
    assert contact.emails == [f"thabo@{domain}"]


def test_the_company_fallback_names_the_registrable_domain_not_its_suffix() -> None:
    contact = extract(make_ocr(["Minsu Kim", "minsu.kim@hanbit.ac.kr"]), "KR").contact
    assert contact.company == "Hanbit"  # the old list knew no "ac.kr": it said "Ac"


def test_the_country_of_a_multi_label_suffix_is_its_last_label() -> None:
    assert region_for_host("snu.ac.kr") == "KR"
    assert region_for_host("beltis.com.br") == "BR"


# The list is read from the snapshot inside the package, never fetched, and nothing is
# written: run in a fresh process whose sockets all fail, with an empty home, an
# environment that asks tldextract to fetch, and no cache folder set.
_OFFLINE = """
import socket

def refuse(*args, **kwargs):
    raise OSError("network used")

socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from cardscan.extract.domains import registrable, is_public_tld
print(registrable("cs.snu.ac.kr"), registrable("mail.beltis.com.br"), is_public_tld("kr"))
"""


@pytest.mark.parametrize("with_home", [True, False])
def test_the_suffix_list_is_read_offline_and_writes_no_cache(
    tmp_path: Path, with_home: bool
) -> None:
    import tldextract

    package_cache = Path(tldextract.__file__).parent / ".suffix_cache"
    had_package_cache = package_cache.exists()
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TLDEXTRACT", "XDG"))}
    env["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = "https://publicsuffix.org/list/"
    env.pop("HOME", None)
    if with_home:
        env["HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-c", _OFFLINE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["snu.ac.kr", "beltis.com.br", "True"]
    assert "network used" not in done.stderr
    assert list(home.rglob("*")) == []  # no ~/.cache/python-tldextract
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]
    assert package_cache.exists() == had_package_cache  # nor beside the package


def test_an_email_right_on_a_government_suffix() -> None:
    # India's government mail: nic.in and gov.in are suffixes of the list and mail domains.
    for domain in ("nic.in", "gov.in"):
        contact = extract(make_ocr([("Rajesh Kumar", 30), f"rajesh.kumar@{domain}"]), "IN").contact
        assert contact.emails == [f"rajesh.kumar@{domain}"]
    # Nobody's mailbox sits right on a shared second level.
    assert extract(make_ocr([("Jane Doe", 30), "jane@co.uk"]), "GB").contact.emails == []
