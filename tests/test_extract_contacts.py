"""Emails, websites and social profiles, including typical OCR noise."""

from __future__ import annotations

import pytest

from cardscan.extract import extract
from cardscan.extract.synth import make_ocr
from cardscan.model import Box, Contact, OcrLine, OcrResult, OcrWord


def _contact(*lines: str) -> Contact:
    return extract(make_ocr(list(lines))).contact


# --- emails -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("E: jane.doe@acme.com", "jane.doe@acme.com"),
        ("Email:jane.doe@acme.com", "jane.doe@acme.com"),
        ("jane.doe@ACME.COM", "jane.doe@acme.com"),  # domain lowercased
        ("Jane.Doe@Acme.com", "jane.doe@acme.com"),  # all lowercased (OCR caps at line start)
        ("jane.doe @ acme.com", "jane.doe@acme.com"),  # OCR spaces around @
        ("jane.doe@acme . com", "jane.doe@acme.com"),  # and around a dot
        ("jane.doe (at) acme.com", "jane.doe@acme.com"),
        ("jane [at] acme [dot] co.uk", "jane@acme.co.uk"),
        ("mail: jane.doe@acme.com.", "jane.doe@acme.com"),  # trailing punctuation
        ("@ jane@acme.com", "jane@acme.com"),  # mail icon read as "@"
        ("j.o'neil+cards@sub.acme-robotics.de;", "j.o'neil+cards@sub.acme-robotics.de"),
        ("jane.doe@acme,com", "jane.doe@acme.com"),  # dot read as comma
        ("jane,doe@acme,com", "jane.doe@acme.com"),  # ... in the local part too
        ("Email,jane@acme.com", "jane@acme.com"),  # a label and a comma: still a label
        ("a|ice@acme.com", "alice@acme.com"),  # "|" read for "l"
    ],
)
def test_email_variants(line: str, expected: str) -> None:
    assert _contact(line).emails == [expected]


def test_email_does_not_swallow_next_capitalised_word() -> None:
    assert _contact("jane@acme.com. Mobile 0171").emails == ["jane@acme.com"]


def test_a_comma_between_two_emails_stays_a_separator() -> None:
    assert _contact("jane@acme.com,john@acme.com").emails == ["jane@acme.com", "john@acme.com"]


def test_emails_deduplicated_case_insensitively() -> None:
    c = _contact("jane@acme.com", "E: JANE@acme.com", "sales@acme.com")
    assert c.emails == ["jane@acme.com", "sales@acme.com"]


def test_no_email_without_tld() -> None:
    assert _contact("jane@acme", "@ home").emails == []


# --- labels glued to an email, and addresses that only look like one ---------------


@pytest.mark.parametrize(
    "line",
    [
        "E-mailjane.doe@acme.com",
        "E-Mail.jane.doe@acme.com",
        "e-mail:jane.doe@acme.com",
        "E-maiijane.doe@acme.com",  # OCR's i for l
        "E-mai1.jane.doe@acme.com",
        "Emailjane.doe@acme.com",
        "EMAILjane.doe@acme.com",
        "E.mail.jane.doe@acme.com",
        "Mail.jane.doe@acme.com",
        "Email. jane.doe@acme.com",
        "E. jane.doe@acme.com",
        "E-post: jane.doe@acme.com",
        "Correo.jane.doe@acme.com",
        "邮箱jane.doe@acme.com",
        "이메일jane.doe@acme.com",
    ],
)
def test_a_label_glued_to_an_email_is_not_part_of_it(line: str) -> None:
    assert _contact(line).emails == ["jane.doe@acme.com"]


@pytest.mark.parametrize(
    "address",
    [
        "e.mail@acme.com",  # the label is the whole address: nothing to strip
        "email@acme.com",
        "mail@acme.com",
        "emailme@acme.com",  # glued and lower case: could be an address's own start
        "mail.room@acme.com",
        "e.smith@acme.com",  # an initial, not a label
        "contact@acme.com",
        "Mailbox@acme.com",  # capitalised as a line starts, but glued: a word
        "Contactus@acme.com",
    ],
)
def test_addresses_that_start_like_a_label_survive(address: str) -> None:
    assert _contact(address).emails == [address.lower()]


# --- a domain run into what follows it, a dot lost, a last label on the next line --


@pytest.mark.parametrize(
    ("lines", "emails", "websites"),
    [
        (["jane@acme.org|www.acme.org"], ["jane@acme.org"], ["www.acme.org"]),
        (["jane@acme.orglwww.acme.org"], ["jane@acme.org"], ["www.acme.org"]),
        (["jane@acme.orgl"], ["jane@acme.org"], []),  # a bar read as l
        (["jane@acme.comTel"], ["jane@acme.com"], []),
        (["jane@acme.edumarketing.acme.edu"], ["jane@acme.edu"], ["marketing.acme.edu"]),
        (["jane@acme.cojp"], ["jane@acme.co.jp"], []),
        (["jane@snu.ac", "www.snu.ac.kr"], ["jane@snu.ac.kr"], ["www.snu.ac.kr"]),
        (["jane@snu.ac", "kr"], ["jane@snu.ac.kr"], []),
        (["jane@snu.ac.", "kr"], ["jane@snu.ac.kr"], []),
        (["jane@acme.com", ".au"], ["jane@acme.com.au"], []),
    ],
)
def test_a_domain_is_repaired_on_clear_evidence(
    lines: list[str], emails: list[str], websites: list[str]
) -> None:
    contact = _contact(*lines)
    assert (contact.emails, contact.websites) == (emails, websites)


@pytest.mark.parametrize(
    ("lines", "emails"),
    [
        # Two real domains a company may hold both of.
        (["jane@acme.com", "www.acme.com.au"], ["jane@acme.com"]),
        (["jane@acme.com", "au"], ["jane@acme.com"]),  # a generic TLD, no break shown
        (["jane@acme.co", "in"], ["jane@acme.co"]),  # LinkedIn's badge under it
        (["jane@snu.ac", "kr 02-880-1234"], ["jane@snu.ac"]),  # not the rest of it
        (["jane@acme.comcast.net"], ["jane@acme.comcast.net"]),  # a host, not a run-in
        (["jane@acme.cox"], []),  # broken, and nothing says how: left out
    ],
)
def test_without_clear_evidence_nothing_is_repaired(lines: list[str], emails: list[str]) -> None:
    assert _contact(*lines).emails == emails


# --- websites -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("HOMEPAGEwww.acme.co.kr", "www.acme.co.kr"),  # a label glued in front
        ("URLhttp://www.acme.com", "http://www.acme.com"),
        ("www.acme.comTel", "www.acme.com"),  # a label run into its end
        ("www.acme.orgl", "www.acme.org"),
        ("http://acme.com/>", "http://acme.com/"),
    ],
)
def test_website_with_a_label_glued_to_it(line: str, expected: str) -> None:
    assert _contact(line).websites == [expected]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("www.acme.co.uk", "www.acme.co.uk"),
        ("W: WWW.ACME.COM", "www.acme.com"),
        ("acme.com", "acme.com"),
        ("https://acme.io/team", "https://acme.io/team"),
        ("Visit www.Acme.com/Careers.", "www.acme.com/Careers"),
        ("www. acme-robotics.de", "www.acme-robotics.de"),  # OCR space after www.
        ("web: shop.acme.fr,", "shop.acme.fr"),
    ],
)
def test_website_variants(line: str, expected: str) -> None:
    assert _contact(line).websites == [expected]


def test_email_domain_is_not_a_website() -> None:
    c = _contact("jane.doe@acme.com")
    assert c.websites == []


def test_website_and_email_on_one_line() -> None:
    c = _contact("jane@acme.com | www.acme.com")
    assert c.emails == ["jane@acme.com"]
    assert c.websites == ["www.acme.com"]


@pytest.mark.parametrize(
    "line",
    ["Dr.Med. Jane Doe", "Acme S.A.", "Mr.Smith", "Tel.No. 12", "e.g. this", "Price 12.50"],
)
def test_dotted_words_are_not_websites(line: str) -> None:
    assert _contact(line).websites == []


def test_websites_deduplicated_ignoring_scheme_and_www() -> None:
    c = _contact("www.acme.com", "https://acme.com/")
    assert c.websites == ["www.acme.com"]


# --- social -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ("linkedin.com/in/janedoe", "linkedin", "linkedin.com/in/janedoe"),
        ("https://www.linkedin.com/in/jane-doe-42/", "linkedin", "linkedin.com/in/jane-doe-42"),
        ("de.linkedin.com/in/janedoe", "linkedin", "linkedin.com/in/janedoe"),
        ("in/janedoe", "linkedin", "linkedin.com/in/janedoe"),
        ("twitter.com/janedoe", "twitter", "twitter.com/janedoe"),
        ("x.com/janedoe", "twitter", "x.com/janedoe"),
        ("instagram.com/jane.doe", "instagram", "instagram.com/jane.doe"),
        ("fb.com/acmebakery", "facebook", "fb.com/acmebakery"),
        ("facebook.com/acmebakery", "facebook", "facebook.com/acmebakery"),
        ("github.com/janedoe", "github", "github.com/janedoe"),
        ("xing.com/profile/Jane_Doe", "xing", "xing.com/profile/Jane_Doe"),
        ("Twitter: @janedoe", "twitter", "@janedoe"),
        ("X: @janedoe", "twitter", "@janedoe"),
        ("IG: jane.doe", "instagram", "@jane.doe"),
        ("Instagram @janedoe", "instagram", "@janedoe"),
        ("TikTok: @janedoe", "tiktok", "@janedoe"),
        ("LinkedIn: jane-doe", "linkedin", "linkedin.com/in/jane-doe"),
        ("@janedoe", "other", "@janedoe"),
        # Messengers: their IDs are kept as printed, without an "@".
        ("Skype: jane.doe", "skype", "jane.doe"),
        ("WeChat ID: janedoe88", "wechat", "janedoe88"),
        ("微信：janedoe88", "wechat", "janedoe88"),
        ("LINE ID: janedoe", "line", "janedoe"),
        ("KakaoTalk: janedoe", "kakaotalk", "janedoe"),
    ],
)
def test_social_profiles(line: str, key: str, value: str) -> None:
    c = _contact(line)
    assert c.social == {key: value}
    assert c.websites == []


def test_a_phones_direct_line_is_no_line_id() -> None:
    c = _contact("Direct Line +44 20 7946 0958")
    assert c.social == {}
    assert _contact("微信 hf").social == {}  # shorter than any WeChat ID: a note
    assert [p.number for p in c.phones] == ["+442079460958"]


def test_social_urls_and_handles_not_confused_with_phone_extension_or_names() -> None:
    c = _contact("T +1 415 555 2671 x240", "Li Wei")
    assert c.social == {}


def test_several_networks_on_one_card() -> None:
    c = _contact("in/janedoe   @janedoe_ig", "twitter.com/jdoe", "www.acme.com")
    assert c.social == {
        "linkedin": "linkedin.com/in/janedoe",
        "other": "@janedoe_ig",
        "twitter": "twitter.com/jdoe",
    }
    assert c.websites == ["www.acme.com"]


# --- OCR spacing inside emails and web addresses ------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("nico. vilar@acme.es", "nico.vilar@acme.es"),  # space after a dot in the local part
        ("Email. jane@acme.com", "jane@acme.com"),  # ... but a label in front is not kept
        ("kputz@junckstiftung de", "kputz@junckstiftung.de"),  # space read for the TLD dot
        ("amanda@ walker ca", "amanda@walker.ca"),
        ("d.lee@acme com au", "d.lee@acme.com.au"),
        ("|.vasconcelos@azevedo.com.br", "l.vasconcelos@azevedo.com.br"),  # "|" initial
        ("fboucher@|aurentcoste. fr", "fboucher@laurentcoste.fr"),  # "|" after the "@"
    ],
)
def test_email_ocr_spacing(line: str, expected: str) -> None:
    assert _contact(line).emails == [expected]


@pytest.mark.parametrize("line", ["jane@acme for you", "mail: jane@acme hq"])
def test_space_before_a_non_tld_is_no_email(line: str) -> None:
    assert _contact(line).emails == []


def test_email_domain_space_tld_does_not_take_the_next_word() -> None:
    assert _contact("jane@acme.com de la Paz").emails == ["jane@acme.com"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("www junckstiftung.de", "www.junckstiftung.de"),
        ("www .barkholzkgaa.de", "www.barkholzkgaa.de"),
        ("Wwww.mineriadel.es", "www.mineriadel.es"),  # doubled w
        ("www.nogueirafilhos. pt", "www.nogueirafilhos.pt"),  # space after the last dot
        ("WWwW.marshallsons,.ca", "www.marshallsons.ca"),  # comma and dot
    ],
)
def test_website_ocr_spacing(line: str, expected: str) -> None:
    assert _contact(line).websites == [expected]


def test_www_with_space_needs_a_known_tld() -> None:
    assert _contact("www acme.zzqx").websites == []


@pytest.mark.parametrize("icon", ["X", "xX", "x |", "×"])
def test_x_icon_left_of_handle_is_twitter(icon: str) -> None:
    c = _contact(f"{icon}    @janedoe")
    assert c.social == {"twitter": "@janedoe"}


def test_x_icon_read_as_a_line_of_its_own_labels_the_handle_beside_it() -> None:
    """PP-OCR reads the icon a gap away as a line of its own, after the handle's."""
    handle = OcrLine([OcrWord("@janedoe", 90, Box(300, 200, 320, 40))])
    icon = OcrLine([OcrWord("X", 90, Box(150, 204, 36, 34))])
    name = OcrLine(
        [OcrWord("Jane", 90, Box(150, 60, 160, 60)), OcrWord("Doe", 90, Box(330, 60, 120, 60))]
    )
    ocr = OcrResult([name, handle, icon], 1050, 600)
    assert extract(ocr).contact.social == {"twitter": "@janedoe"}
    # An icon far from the handle, or on another line, labels nothing.
    far = OcrLine([OcrWord("X", 90, Box(150, 320, 36, 34))])
    assert extract(OcrResult([name, handle, far], 1050, 600)).contact.social == {
        "other": "@janedoe"
    }


def test_x_icon_run_into_the_handle_is_twitter() -> None:
    assert _contact("x@janedoe").social == {"twitter": "@janedoe"}
    assert _contact("×@janedoe").social == {"twitter": "@janedoe"}  # read as a sign
    c = _contact("x@acme.com")  # an email, not a handle
    assert c.emails == ["x@acme.com"] and c.social == {}


def test_handle_without_icon_stays_unlabelled() -> None:
    assert _contact("@janedoe").social == {"other": "@janedoe"}


# An email's "@" read as a letter in small print (contacts.lost_at / take_lost_at).
def test_lost_at_splits_at_each_lookalike() -> None:
    from cardscan.extract.contacts import AtSplit, lost_at

    assert lost_at("abdulgdattabarman.co.in") == [AtSplit("abdul", "dattabarman.co.in", "g")]
    assert AtSplit("qreina", "angelvalero.es", "lf") in lost_at("qreinalfangelvalero.es")
    assert lost_at("www.acme.com") == []
    assert lost_at("g.com") == []  # no local part
    assert lost_at("janedoegmail.com")[0] == AtSplit("janedoe", "gmail.com", "")


def test_an_email_whose_at_was_read_g_is_an_email_of_the_cards_domain() -> None:
    c = _contact("Abdul Datta", "abdulgdattabarman.co.in", "www.dattabarman.co.in")
    assert c.emails == ["abdul@dattabarman.co.in"]
    assert c.websites == ["www.dattabarman.co.in"]


def test_a_dotted_local_part_keeps_its_dot() -> None:
    c = _contact(
        "Graziella Trussardi",
        "graziella.trussardiganguissolacamilleri.it",
        "www.anguissolacamilleri.it",
    )
    assert c.emails == ["graziella.trussardi@anguissolacamilleri.it"]


def test_an_email_whose_at_was_misread_spells_the_persons_name() -> None:
    c = _contact("Quirina Reina", "Directora", "qreinalfangelvalero.es")
    assert c.emails == ["qreina@angelvalero.es"]
    assert c.websites == []


def test_a_shared_mailbox_alone_on_the_card() -> None:
    assert _contact("Miranda Lda", "Tel. 21 223 8570", "infoqmiranda.pt").emails == [
        "info@miranda.pt"
    ]


@pytest.mark.parametrize(
    "lines",
    [
        # A web address that happens to split, on a card with an email: left alone.
        ["Jane Smith", "jane@smith.com", "infoguide.com"],
        # Nothing backs the split: no such domain elsewhere, no name, no mailbox word.
        ["Acme Ltd", "Tel. 020 7946 0018", "shopgreat.co.uk"],
        # A "g" is a letter of too many names to go on a mailbox word or the name alone.
        ["Infogroup Ltd", "Tel. 020 7946 0018", "infogroup.co.uk"],
        ["John Smith", "Photographer", "johnsmithgraphics.com"],
    ],
)
def test_a_web_address_nothing_backs_as_an_email_stays_one(lines: list[str]) -> None:
    c = _contact(*lines)
    assert lines[-1] in c.websites
    assert all("@" + lines[-1] not in e for e in c.emails)


def test_a_dropped_at_before_a_webmail_domain_keeps_the_domain_whole() -> None:
    """ "janedoegmail.com": the "@" was dropped, not read as the "g" of gmail."""
    c = _contact("Jane Doe", "Consultant", "janedoegmail.com")
    assert c.emails == ["janedoe@gmail.com"]


def test_an_email_whose_suffix_was_not_read_takes_the_cards_web_domain() -> None:
    """ "…@schmiedeckegbr.a": the name of the domain read whole, its ".de" not; the
    card's web address has it."""
    c = _contact("Peggy Nohlmans", "peggy.nohlmans@schmiedeckegbr.a", "www.schmiedeckegbr.de")
    assert c.emails == ["peggy.nohlmans@schmiedeckegbr.de"]


def test_an_email_without_a_readable_suffix_or_such_a_web_address_is_left_out() -> None:
    assert _contact("Peggy Nohlmans", "peggy.nohlmans@schmiedeckegbr.a").emails == []
    c = _contact("Peggy Nohlmans", "peggy.nohlmans@gbr.a", "www.gbr.de")  # too short a name
    assert c.emails == []


@pytest.mark.parametrize(
    ("read", "name", "meant"),
    [
        ("peggy.nohimans@acme.de", "Peggy Nohlmans", "peggy.nohlmans@acme.de"),
        # As read it already spells the name: nothing to mend.
        ("emilia.rossi@acme.it", "Emilia Rossi", "emilia.rossi@acme.it"),
        # An "l" would not make it the name exactly: left as read.
        ("pnohimann@acme.de", "Peggy Nohlmans", "pnohimann@acme.de"),
    ],
)
def test_an_i_inside_the_local_part_is_read_l_when_that_spells_the_name(
    read: str, name: str, meant: str
) -> None:
    assert _contact(name, read).emails == [meant]


@pytest.mark.parametrize(
    ("printed", "emails", "websites"),
    [
        ("jane(at)acme.com", ["jane@acme.com"], []),
        ("jane@acme.c0m", ["jane@acme.com"], []),
        ("vvww.acme.com", [], ["www.acme.com"]),
        ("ww.acme.com", [], ["www.acme.com"]),
        ("vw.com", [], ["vw.com"]),  # a real domain of two letters stays
        ("www.vw.de", [], ["www.vw.de"]),
    ],
)
def test_obfuscated_at_misread_www_and_a_zero_for_an_o(
    printed: str, emails: list[str], websites: list[str]
) -> None:
    contact = extract(make_ocr([("ACME", 36), ("Jane Doe", 28), printed]), "US").contact
    assert (contact.emails, contact.websites) == (emails, websites)
