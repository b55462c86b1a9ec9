"""Postal address: street, postcode/city and country lines, joined in card order.

A segment is an address line when it has a street word next to a number, or a
postcode in one of the common national shapes, or is a country name. Neighbouring
address segments in the same column are chained into one address; a plain city
line sandwiched between two address lines ("London") joins the chain too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cardscan.extract.layout import (
    Found,
    Segment,
    above,
    below,
    boxes,
    score,
)
from cardscan.extract.lexicon import LEGAL_RE, legal_suffix_end, org_word_count, title_score
from cardscan.extract.region import country_in
from cardscan.words import fold, tokens, wordset

# Whole folded tokens that name a street, building part or post box.
STREET_WORDS = wordset(
    """street st str road rd avenue ave av avda blvd boulevard bd lane ln drive dr way
    court ct place pl square sq suite ste floor fl unit building bldg highway hwy
    parkway pkwy terrace crescent close row mews circle cir plaza box pobox postfach
    strasse weg platz allee gasse ring damm ufer chaussee markt stock og
    rue chemin impasse quai cours route etage bp cedex
    calle avenida paseo piso planta carrera camino ronda apartado
    rua travessa tv praca alameda largo rodovia estrada andar sala conjunto caixa
    via viale piazza corso vicolo piano
    straat laan plein gracht kade singel dijk steeg dreef
    sokak sok sokagi cadde cad caddesi bulvar bulvari mahallesi mah
    ul ulica aleja jl jln jalan gg lorong persiaran lebuh soi thanon brgy barangay duong
    carrer passeig avinguda ctra pza callejon cuesta glorieta pasaje rambla travesia vial
    canada carretera urbanizacion
    praia vila vereda chacara ladeira morro nucleo passarela residencial quadra viela
    esplanada parque jardim setor
    ward dist district sector marg nagar chowk gali
    ул улица пр проспект просп пер переулок д дом офис оф корп корпус стр строение наб
    набережная ш шоссе пл площадь бульвар мкр микрорайон вул вулиця"""
)
# Building words: an address line when a house number leads ("703, Lotus
# Apartment", "418, Riverside Shopping Center"), and a building line above an address
# ("Hoshino Tower Bldg.", "Mehra House") that joins it.
BUILDING_WORDS = wordset(
    """apartment apartments apt chambers tower towers complex estate society market
    centre center house plaza mall building bldg bld mansion mansions heights arcade
    residency enclave park bhavan bhawan cottage lodge manor rectory vicarage grange"""
)
# Romanised Japanese and Korean district suffixes: "Chiyoda-ku", "Osaka-shi",
# "Sakura-cho", "Hanbit-ro", "Jung-gu", "Gangnam-daero".
ASIAN_SUFFIX_RE = re.compile(
    r"[^\W\d_]{2,}-(?:ku|shi|cho|machi|gun|gu|ro|gil|dong|daero|si|eup|myeon)\b", re.IGNORECASE
)
# Flats and floors count only right before their number: "Flat 24", "Studio 78G",
# "Apt. 817", "Level 9" (not "Foxglove Studio").
BUILDING_RE = re.compile(
    r"(?<!\w)(?:(?:flat|apt|apartment|level|studio|penthouse|shop|plot|lot|room|unit|block)\.?"
    r"\s?(?:no\.?\s?)?"
    # India's house numbers: "H.No. 107", "H No 12-3", "House No. 5" ("no" required).
    r"|(?:h\.?|house)\s?no\.?\s?)"
    # A block's letter before the number: "Plot No. G-9", "Flat A/302", "Lot A2".
    r"(?:[a-z]{1,2}[-/]?)?\d{1,4}[a-z]?(?!\w)",
    re.IGNORECASE,
)
# India's numbered roads and layouts: "3rd Cross", "2nd Main", "1st Stage", "4th Block",
# "2nd Phase" (Bengaluru and others); with the line's house number, a street line.
ORDINAL_ROAD_RE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)\s+(?:cross|main|stage|block|phase|sector)\b", re.IGNORECASE
)
# A house number written "No. 12," or "#12," to start a line: "No. 12, 3rd Cross",
# "#45, Residency Road".
NUMBERED_HOUSE_RE = re.compile(r"^(?:No\.?|#)\s?\d{1,5}[A-Za-z]?(?:[-/]\d{1,4})?\s*,\s*\w")
# Vietnam's address words, with the letters only Vietnamese writes (so "Quan" or "So" in
# another language is none): "Số 8", "Tầng 5", "Tòa nhà", "Phường", "Quận", "Huyện",
# "Ngõ", "Hẻm", "Đường", "Phố", "Thành phố", "Tỉnh", "Khu công nghiệp"; and the
# abbreviations P. (ward), Q. (district), TP. (city) on a line in Vietnamese.
VIETNAMESE_ADDRESS_RE = re.compile(
    r"(?<!\w)(?:Số|Tầng|T[òo]a\s+nh[àa]|Phường|Quận|Huyện|Ngõ|Ngách|Hẻm|Đường|Phố|"
    r"Thành\s+phố|Tỉnh|Thị\s+xã|Khu\s+công\s+nghiệp|Lô)(?!\w)"
    r"|(?<!\w)(?:P|Q|TP|Tp)\.\s?[\dA-ZĐ]",
)
VIETNAMESE_LETTERS_RE = re.compile(r"[ơưđƠƯĐ\u1ea0-\u1ef9]")
# Written where a house number would be: "Rua Monteiro, S/N" (sin/sem número).
NO_NUMBER_RE = re.compile(r"\b[Ss]/[Nn]\b")
# Token endings of compound street names ("Hauptstraße", "Keizersgracht").
STREET_SUFFIXES = (
    "strasse", "str", "weg", "platz", "allee", "gasse", "straat", "laan", "plein", "ring",
    "gracht", "kade", "steeg", "dijk", "singel", "damm", "ufer", "chaussee", "dreef",
    "baan", "hof",
    # Nordic, Finnish, Hungarian, Czech and Slovene: "Drottninggatan", "Nørregade",
    # "Mannerheimintie", "Aleksanterinkatu", "Váci utca".
    "gatan", "gata", "gade", "vej", "vegen", "veien", "vagen", "katu", "tie", "kuja",
    "torget", "utca", "ulice", "cesta",
)  # fmt: skip
# Not "pad" (Dutch "Kerkpad"): English "Launchpad", "Keypad" name companies and products.
POSTCODE_RES = (
    re.compile(r"\b[A-Z]{2}\.?\s+\d{5}(?:-\d{4})?\b"),  # US: "CA 94105"
    # A region spelt out after the city: "Mountain View, California 94043".
    re.compile(r",\s*(?P<word>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+\d{5}(?:-\d{4})?$"),
    re.compile(r"\b(?:ACT|NSW|NT|QLD|SA|TAS|VIC|WA),?\s+\d{4}\b"),  # Australia: "VIC 3000"
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),  # UK: "NW1 6XE"
    re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"),  # Canada: "M5V 2T6"
    re.compile(r"\b\d{5}-\d{3}\b"),  # Brazil CEP
    re.compile(r"\b\d{2}-\d{3}\s+(?P<word>[^\W\d_]{3,})"),  # Poland: "00-590 Warszawa"
    # Sweden, Czechia, Slovakia, Greece: "111 51 Stockholm", "110 00 Praha 1".
    re.compile(r"(?:^|[\s,])\d{3}\s\d{2}\s+(?P<word>[^\W\d_]{3,})"),
    re.compile(r"\b[A-HJ-NP-Z]\d{4}[A-Z]{3}\b"),  # Argentina's CPA: "C1043AAZ"
    # Ireland's Eircode: "D18 X5K7", "A65 F4E2".
    re.compile(r"\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?[0-9AC-FHKNPRTV-Y]{4}\b"),
    re.compile(r"\bC\.?\s?P\.?\s*\d{5}\b"),  # Mexico (and Spain): "C.P. 64000"
    re.compile(r"\b\d{4}-\d{3}\b"),  # Portugal
    re.compile(r"\b\d{4}\s?[A-Z]{2}\s+[A-Z]"),  # Netherlands: "1012 AB Amsterdam"
    # Continental Europe: "10115 Berlin", "D-10115 Berlin", "CH-8001 Zürich".
    re.compile(r"(?:^|[\s,])(?:[A-Z]{1,2}-)?\d{4,5}\s+[^\W\d_][\w'-]+", re.UNICODE),
    # City first: "Albacete, 05410", "Madrid, 28001".
    re.compile(r"^[^\W\d_][\w'’. -]*,\s*\d{4,5}$"),
    # Brazil, CEP without its dash: "01310100 São Paulo / SP".
    re.compile(r"\b\d{8}\s+[^\W\d_].*/\s*[A-Z]{2}$"),
    # Japan: "〒107-0052", "Tokyo 102-0071", "Osaka,550-0005,Japan" (a place name
    # before it, never a phone label: "Fax 555-1234" is checked in _postcode_ok).
    re.compile(r"〒\s?\d{3}-?\d{4}"),
    re.compile(r"(?P<word>[^\W\d_]{2,})\.?[\s,]+\d{3}-\d{4}(?![\d-])"),
    # India's PIN after a city: "Pune-411 001", "NEW DELHI-110017", "Nagpur 440 010",
    # "(Guj.) 394 518", "India - 400604".
    re.compile(r"(?P<word>[^\W\d_]{3,})[.)]?\s?[-–]?\s?[1-9]\d{2}\s?\d{3}(?![\d\s-]*\d)"),
    # A city of one to three words, then five digits, alone on its line: "Jakarta
    # Selatan 12190", "Bangkok 10330" (Indonesia, Thailand and others).
    re.compile(r"^(?P<word>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})\s+\d{5}$"),
    re.compile(r"\b\d{7}\b(?=,?\s*Israel\b)"),  # Israel: "Tel Aviv 6688112, Israel"
)
# A number next to the country it is the postcode of: "Seoul, Korea 04516",
# "Taichung City 407001, Taiwan". Not a year ("Since 1965, England").
NUMBER_RE = re.compile(r"(?<![\d-])(?!(?:19|20)\d\d(?![\d-]))\d{4,6}(?![\d-])")
# Words that make the number after them a phone number, not a postcode.
PHONE_WORDS = wordset(
    """tel tél phone ph fax mob mobile cell hp direct dir office off call tele telefon
    telefono telephone handy celular movil whatsapp hotline toll free ext
    iso reg gst gstin cin pan tax vat code fssai ref license licence"""
)
# East Asian addresses: units from the prefecture or province down to the building
# and floor ("東京都千代田区内神田3-4-5", "台北市中山區民生路12號3樓", "서울시 마포구 한빛로 45").
CJK_UNITS_RE = re.compile(
    r"[都道府県省市区區郡町村鎮镇鄉乡路街巷弄號号樓楼階丁目番地]|ビル"
    r"|(?<=[\uac00-\ud7a3])(?:시|도|구|군|동|로|길|읍|면|층|호)(?=\s|\d|$)"
)
# The postcode of an East Asian address line: "〒107-0052", "107-0052 東京都",
# "105台北市" (Taiwan's and China's leading digits).
CJK_POSTAL_RE = re.compile(r"〒\s?\d|\b\d{3}-\d{4}\b|^\D{0,3}\d{3,6}(?=[^\d\s-])")
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")
# A building and its floor or room, in Japanese, Chinese or Korean (빌딩 building,
# 타워 tower, 층 floor, 호 room: "H스퀘어 N동 7층").
CJK_BUILDING_RE = re.compile(
    r"ビル|階|樓|楼|大廈|大厦|タワー|号室|號室|\dF\b|빌딩|타워|\d\s?층|\d\s?호(?![\uac00-\ud7af])"
)
# A prefecture, province, city or ward; in Korean a word ending in 시, 도, 구 or 군.
CJK_REGION_RE = re.compile(r"[都道府県省市区區郡]|[\uac00-\ud7af][시도구군](?![\uac00-\ud7af])")
# An office's name before the postal mark: "東京〒110-0005 …", "大阪 〒541-…".
CJK_OFFICE_RE = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff]{1,6}\s*(?=〒)")
# "12", "12a", "4-2", "31/12", Japan's block numbers "2-10-14"
_NUMBER = r"\d{1,5}[a-zA-Z]?(?:[-/]\d{1,4}[a-zA-Z]?){0,2}"
# A flat or suite after the house number: "Via Balla, 264 Appartamento 8".
_UNIT = (
    r"(?:,?\s(?i:apt|apto|appartamento|suite|ste|unit|flat|piso|andar|int|interno)\.?\s?\w{1,4}"
    # Denmark's floor and side: "Strøget 12, 2. sal", "Nørregade 5, 3. th."
    r"|,?\s\d{1,2}\.\s?(?i:sal|th|tv|mf)\.?)?"
)
HOUSE_RE = re.compile(
    rf"^(?:[^\W\d_][\w'’.\-]*(?:\s[^\W\d_][\w'’.\-]*){{0,4}},?\s{_NUMBER}{_UNIT}"
    rf"|{_NUMBER},?(?:,?\s[^\W\d_][\w'’.\-]*){{1,5}},?)$"
)
# A house number alone on the line over its street: "88/401", "12-B".
HOUSE_NUMBER_LINE_RE = re.compile(rf"^{_NUMBER},?$")
# Japan's chome-banchi-go first: "3-4-5, Kanda", "4-1-2 Umeda".
BLOCK_NUMBER_RE = re.compile(r"^\d{1,4}-\d{1,2}-\d{1,3}(?!\d)[,\s]+[^\W\d_]")
# A landmark that Indian (and other) addresses give: "Near City Mall", "Opp. Bus Stand".
LANDMARK_RE = re.compile(
    r"^(?:near|nr|opp|opposite|above|behind|beside|besides|next to)\b\.?", re.I
)
ADDRESS_LABEL_RE = re.compile(
    r"^\s*(?:(?:head|main|registered|regd|corporate|branch|business|h)\.?\s*(?:office|o|0)\.?"
    r"|address|addr|add|adresse|anschrift|direccion|direcci[oó]n|endere[cç]o|indirizzo|"
    r"adres|sede|office|a|地址|住所|주소|本社|社|总部|總部|đ[iị]a\s?ch[iỉ]|đc)\s*[:.：]\s*",
    re.IGNORECASE,
)
# "Head Office 2-10-14, ..." without a colon: a label word run before a house number.
OFFICE_LABEL_RE = re.compile(
    r"^\s*(?:(?:head|main|registered|branch)\s+office\s+(?=\d)"
    # Korean: head office, branch, factory, lab, address before the address, no colon.
    r"|(?:본사|지사|공장|연구소|주소)\s+(?=[\uac00-\ud7af\d]))",
    re.I,
)
MAX_BRIDGE_WORDS = 6  # "Bela Vista, São Paulo - SP" between street and postcode
# Icons read as text in front of a line: "* ", "¢ ", "« ", "e Travessa ...".
ICON_RE = re.compile(r"^(?:[^\w\s]{1,2}\s+|[a-z]\s+(?=[A-Z\d]))+")
UK_GLUED_RE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)(\d[ABD-HJLNP-UW-Z]{2})\b")
ORDINAL_DEGREE_RE = re.compile(r"(?<![\d.])(\d{1,2}\.?)°(?=\s|[^\W\d_]|,|$)")
# India's post office and district in an address: "HAZIRA, P.O.: O.N.G.C.L.", "Dist. Surat".
POST_OFFICE_RE = re.compile(r"\bP\.\s?O\.(?!\s?Box)|\bDist\.", re.IGNORECASE)
# A capital I standing alone between two parts of an address line: a bar ("|") read as I.
BAR_AS_I_RE = re.compile(r"(?<=\S) I (?=\S)")
ARTICLE_L_AS_I_RE = re.compile(r"\b([AE])I(?=[ -][A-ZÀ-Þ][a-zà-ÿ])")
ORDINAL_RE = re.compile(r"\b\d{1,2}[ªº°]")  # "1ª Seção" in a district name
MAX_BRIDGES = 2  # "Flat 5 / Foster Fork / Mandyport / CM4A 2FN": two plain lines between
RULE_FULL = 0.9  # street and postcode
RULE_PARTIAL = 0.8  # one of them and a country
RULE_STREET = 0.65
RULE_POSTCODE = 0.6
RULE_LOCALITY = 0.5  # only "City, Country"
# rank() of a Latin-script address that a bilingual card's field takes over its CJK one.
LATIN_FORM_PARTS = 3


def has_street_word(text: str) -> bool:
    """A street/building word as a whole token ("rue", "Flat") or compound ending."""
    if re.match(r"\s*C\s?/\s?[^\W\d_]", text):
        return True  # Spain's "C/ Mayor": calle (carrer)
    for i, raw in enumerate(re.split(r"[\s,;/]+", text.strip())):
        # Leading letters only: "21st" is an ordinal, "Bahnhofstr.5" a street.
        m = re.match(r"[^\W\d_]+", raw)
        if not m:
            continue
        tok = fold(m.group(0))
        whole = len(m.group(0)) == len(raw.rstrip(".:"))
        if i == 0 and tok == "dr":
            continue  # "Dr. Coat": a doctor first; a drive comes after its name
        if whole and tok in STREET_WORDS:
            return True
        if any(
            len(tok) > len(s) + 2 and tok.endswith(s) for s in STREET_SUFFIXES
        ) and not _english_ring(tok):
            return True
    return False


def _english_ring(tok: str) -> bool:
    """ "Engineering", "Catering": an English word ending in a vowel and "ring", no
    German ring road ("Kaiserring", "Westring")."""
    return tok.endswith("ring") and tok[-5] in "aeiou" and not tok.endswith("rring")


def has_building_word(text: str) -> bool:
    return any(fold(w.rstrip(".")) in BUILDING_WORDS for w in re.findall(r"[^\W\d_]+\.?", text))


def is_street(text: str) -> bool:
    """A street word next to a house number (or "S/N"), a numbered flat or shop, a
    building after its number, or a romanised Japanese/Korean district with a number."""
    if "@" in text:
        return False
    if BUILDING_RE.search(text):
        return True
    # "12, Sunrise Apartments", "B-204, Sunrise Apartments": a number, then a building.
    if re.match(r"\s*(?:[A-Z]{1,2}[-/]?)?\d{1,5}(?:[-/]\d{1,5})*[a-zA-Z]?\s*,", text) and (
        has_building_word(text)
    ):
        return True
    if BLOCK_NUMBER_RE.match(text) or NUMBERED_HOUSE_RE.match(text):
        return True
    numbered = bool(re.search(r"\d", text) or NO_NUMBER_RE.search(text))
    return numbered and (
        has_street_word(text)
        or bool(ASIAN_SUFFIX_RE.search(text))
        or bool(ORDINAL_ROAD_RE.search(text))
        or is_vietnamese_address(text)
    )


def is_vietnamese_address(text: str) -> bool:
    """A line in Vietnamese naming an address's parts (VIETNAMESE_ADDRESS_RE)."""
    return bool(VIETNAMESE_LETTERS_RE.search(text) and VIETNAMESE_ADDRESS_RE.search(text))


def _postcode_ok(match: re.Match[str]) -> bool:
    word = match.groupdict().get("word")
    return word is None or fold(word) not in PHONE_WORDS


def is_postcode(text: str) -> bool:
    if any(_postcode_ok(m) for r in POSTCODE_RES for m in r.finditer(text)):
        return True
    # A number beside a country name ends an address: "Seoul, Korea 04516".
    numbers = list(NUMBER_RE.finditer(text))
    if numbers and not _after_phone_word(text, numbers[0].start()):
        head = text[: numbers[-1].start()].strip(" ,")
        tail = NUMBER_RE.sub("", text).strip(" ,.")
        if country_in(head) is not None or country_in(tail) is not None:
            return True
        # A building before them: "OCBC Centre Singapore 049513".
        last = head.split()
        return text.rstrip(" .").endswith(numbers[-1].group()) and any(
            country_in(" ".join(last[-k:])) is not None for k in (1, 2, 3) if len(last) > k
        )
    return False


def _after_phone_word(text: str, at: int) -> bool:
    words = re.findall(r"[^\W\d_]+", text[:at])
    return bool(words) and fold(words[-1]) in PHONE_WORDS


def is_cjk_address(text: str) -> bool:
    """An East Asian address line: a postal mark, or two administrative units of the
    country's script around a number ("東京都千代田区内神田3-4-5", "台北市中山區民生路12號")."""
    if "@" in text or not CJK_RE.search(text):
        return False
    if "〒" in text:
        return True
    units = CJK_UNITS_RE.findall(text)
    return len(units) >= 2 and bool(re.search(r"\d", text))


def looks_like_address(text: str) -> bool:
    return is_street(text) or is_postcode(text)


def _kind(seg: Segment) -> str | None:
    text = _clean(seg.text)
    if is_cjk_address(text):
        return "full" if CJK_POSTAL_RE.search(text) else "street"
    if is_street(text):
        # "12 Park Road, London NW1 6XE": a whole address on one line ends there (the
        # postcode after a comma: "1200 Ocean Dr." is a house number and a street).
        _, comma, rest = text.partition(",")
        return "full" if comma and is_postcode(rest) else "street"
    if is_postcode(text):
        return "postcode"
    if country_in(text):
        return "country"
    return None


def _is_bridge(seg: Segment) -> bool:
    """A bare city/district/state line: a few capitalised words, no house number."""
    return _is_bridge_text(_strip_icons(seg.text))


def _is_bridge_text(text: str) -> bool:
    # A district's side in brackets ("Andheri (W)") is part of its name.
    text = re.sub(r"\((?:[NSEW]|North|South|East|West)\)", " ", text)
    words = [w for w in text.replace(",", " ").split() if re.search(r"[^\W\d_]", w)]
    return (
        0 < len(words) <= MAX_BRIDGE_WORDS
        and not re.search(r"@", text)
        and not re.search(r"\d", ORDINAL_RE.sub("", text))
        and all(w[:1].isupper() for w in words)
    )


def _strip_icons(text: str) -> str:
    return ICON_RE.sub("", text.strip())


def _is_street_above(seg: Segment) -> bool:
    """A line right above a postcode line (or its city/district lines) that reads as a
    street without a known street word: "12 Name", "Name 12", "boulevard Raymond"."""
    text = _clean(seg.text)
    return bool(HOUSE_RE.match(text)) or (has_street_word(text) and "@" not in text)


def _right_of(seg: Segment, segs: Sequence[Segment]) -> Segment | None:
    return next((s for s in segs if s.line_no == seg.line_no and s.col == seg.col + 1), None)


def _left_of(seg: Segment, segs: Sequence[Segment]) -> Segment | None:
    return next((s for s in segs if s.line_no == seg.line_no and s.col == seg.col - 1), None)


def _company_first(text: str) -> str:
    """ "Acme Technologies Pvt. Ltd., 12 MG Road, Bengaluru": the company before its
    address on one line (its legal form, a comma, then a street) is no part of it."""
    end = legal_suffix_end(text)
    if end is None or re.search(r"\d", text[:end]) or not re.match(r"\s*,\s*\S", text[end:]):
        return text
    rest = text[end:].lstrip(" ,")
    return rest if is_street(rest) else text  # not "Annaville, SA, 2675" (a state)


def _clean(text: str) -> str:
    text = _company_first(text)
    text = OFFICE_LABEL_RE.sub("", ADDRESS_LABEL_RE.sub("", _strip_icons(text)))
    text = POSTAL_AS_TE_RE.sub("〒", text)  # "テ690-0826": the postal mark read as katakana
    text = CJK_OFFICE_RE.sub("", text)  # "東京〒110-0005 …": the office's name off
    # "M11DN": a British postcode whose space the OCR dropped (the inward code is always
    # a digit and two letters); "2.°": an ordinal's º read as a degree sign.
    text = UK_GLUED_RE.sub(r"\1 \2", ORDINAL_DEGREE_RE.sub(r"\1º", text))
    # "AI Piano", "AI-Ain", "Calle EI Sol": the article "Al"/"El" with its l read as I.
    text = ARTICLE_L_AS_I_RE.sub(r"\1l", text)
    return text.strip(" ,;·|-")


def _is_building_above(seg: Segment) -> bool:
    """A building's name over the first address line: "Hoshino Tower Bldg.",
    "Mehra House", "Sakura Park Building,"; a few capitalised words."""
    text = _strip_icons(seg.text)
    words = text.replace(",", " ").split()
    return (
        0 < len(words) <= 5
        and "@" not in text
        and has_building_word(text)
        and all(w[:1].isupper() or w[:1].isdigit() for w in words)
    )


MAX_HEAD_LINES = 3  # "Mehra House / Nr Lake Circle, Kothrud" over the city line
# A phone or fax number's run of digits: such a line is a contact line, not an address's.
_PHONE_RUN_RE = re.compile(r"\d[\d\s().-]{6,}\d")


def _continues(text: str) -> bool:
    """A line that ends with a comma over an address goes on into it ("Unit 5, Gala
    Complex," / "Link Road, Malad (W),"): what ends in a comma is the first part of a
    list, and no name, title, company or contact line ends so."""
    body = text.rstrip(" ,")
    return (
        text.endswith(",")
        and "@" not in text
        and not _PHONE_RUN_RE.search(text)
        and not _is_company(text)
        and title_score(body) == 0  # "Senior Partner," over the address is the title
        and len(text.split()) <= 10
        # Something of an address in it: a number, a street or building word, or parts.
        and (
            re.search(r"\d", body) is not None
            or has_street_word(body)
            or has_building_word(body)
            or "," in body
        )
    )


def _head(
    chain: list[Segment], usable: Sequence[Segment], kinds: dict[int, str | None]
) -> list[Segment]:
    """Lines over an address that belong to it though no street rule takes them alone:
    a building's name, a landmark ("Near City Mall"), a street without a number."""
    head: list[Segment] = []
    top = chain[0]
    for _ in range(MAX_HEAD_LINES):
        up = above(top, usable)
        if up is None or kinds.get(up.index) is not None:
            break
        text = _clean(up.text)
        if _is_company(text):  # "Park Avenue Partners", "Harbour House Ltd" over it
            break
        if HOUSE_NUMBER_LINE_RE.match(text):  # "88/401" over "Dar Road": the first line
            head.insert(0, up)
            break
        if not (
            _is_building_above(up)
            or _continues(_strip_icons(up.text))
            or (
                _is_bridge(up)
                and (
                    LANDMARK_RE.match(text) or has_street_word(text) or POST_OFFICE_RE.search(text)
                )
            )
        ):
            break
        head.insert(0, up)
        top = up
    return head


# A Korean address's words end in its units: 시 (city), 도 (province), 구/군 (district),
# 동/읍/면/리 (neighbourhood), 로/길 (road), 층 (floor), 호 (room).
_KOREAN_UNIT_ENDS = "시도구군동읍면리로길층호"
# A space inside a word: after Hangul that ends in no unit, before more Hangul.
_KOREAN_INNER_SPACE_RE = re.compile(
    rf"(?<=[\uac00-\ud7af])(?<![{_KOREAN_UNIT_ENDS}]) +(?=[\uac00-\ud7af])"
)
# A postcode or house number glued to the next word ("06627서울특별시"); a unit right
# after a number stays on it ("507호", "6층", "123번지", "12번길").
_NUMBER_THEN_WORD_RE = re.compile(r"(?<=\d)(?!번)(?=[\uac00-\ud7af]{2})")


def korean_spacing(text: str) -> str:
    """A Korean address spaced as it is written: Tesseract's Korean reading puts spaces
    inside words ("서 울 특별시", "대전광 역시", "강닝 대로"). A space after Hangul that
    ends in no address unit, before more Hangul, is taken out; a number glued to the
    word after it is parted from it."""
    if not re.search(r"[\uac00-\ud7af]", text):
        return text
    # "507초": 호 (a room's number) misread as 초, which follows no number in an address.
    text = re.sub(r"(?<=\d)초(?![\uac00-\ud7af])", "호", text)
    return _NUMBER_THEN_WORD_RE.sub(" ", _KOREAN_INNER_SPACE_RE.sub("", text))


# A Japanese postcode at the start of an address, its postal mark lost (a small glyph
# the OCR drops): "107-0052 東京都…".
_JP_BARE_POSTCODE_RE = re.compile(r"^(\d{3}-\d{4})(?=\s*[\u3400-\u9fff])")


def japanese_marks(text: str) -> str:
    """A Japanese address as it is written out in Latin punctuation: the postal mark
    before a bare postcode ("〒107-0052 東京都…", Japanese cards print it), full-width
    brackets as "(…)" with a space before ("2-7-7（上野HSビル9F）" is "2-7-7 (上野HSビル9F)")."""
    text = _JP_BARE_POSTCODE_RE.sub(r"〒\1", text)
    text = re.sub(r"\s*（\s*", " (", text).replace("）", ")")
    return text.strip()


POSTAL_AS_TE_RE = re.compile(r"テ(?=\s?\d{3}-\d{4}(?!\d))")
BRANCH_RE = re.compile(r"支社|支店|営業所|分公司|分行|지사|지점|\bbranch\b", re.IGNORECASE)


def _other_script(a: Segment, b: Segment) -> bool:
    """One line in CJK script, the other in Latin letters (a line of digits and marks,
    "〒435-0015", is in neither)."""

    def script(seg: Segment) -> str | None:
        if CJK_RE.search(seg.text):
            return "cjk"
        return "latin" if re.search(r"[A-Za-z]", seg.text) else None

    first, second = script(a), script(b)
    return first is not None and second is not None and first != second


def _cjk_building(seg: Segment) -> bool:
    """A CJK line naming a building and its floor under an address ("オリックス赤坂2丁目
    ビル2階"): no prefecture, city or ward starts a next address in it."""
    text = _clean(seg.text)
    return (
        CJK_RE.search(text) is not None
        and CJK_BUILDING_RE.search(text) is not None
        and CJK_REGION_RE.search(text) is None
        and "〒" not in text
    )


def _is_company(text: str) -> bool:
    """A legal form or an organisation word that is not also a building's."""
    words = [t for t in tokens(text) if t not in BUILDING_WORDS]
    return bool(LEGAL_RE.search(text)) or org_word_count(words) > 0


def _tail(
    last: Segment, usable: Sequence[Segment], kinds: dict[int, str | None], used: set[int]
) -> list[Segment]:
    """Lines under an address without a postcode that end it: landmarks and the
    district and city ("Near City Cinema," / "Shivaji Nagar, PUNE-5.")."""
    tail: list[Segment] = []
    for _ in range(MAX_BRIDGES):
        nxt = below(last, usable)
        if nxt is None or nxt.index in used or kinds.get(nxt.index) is not None:
            break
        text = _clean(nxt.text)
        city = re.sub(r"-\d{1,3}\.?$", "", text)  # "PUNE-5." is a city's district
        if not (LANDMARK_RE.match(text) or ("," in city and _is_bridge_text(city))):
            break
        tail.append(nxt)
        last = nxt
    return tail


def find_address(segs: Sequence[Segment], claimed: set[int]) -> Found[str] | None:
    """The best chain of address segments, or None when there is no street/postcode."""
    usable = [s for s in segs if s.index not in claimed]
    kinds = {s.index: _kind(s) for s in usable}
    # A street-like line above a postcode line, maybe across a city or district line
    # or two, is the street even without a known street word (OCR turns
    # "Friedrichstraße 112" into "FriedrichstraRe 112"; "Passarela da Rosa, 37").
    for seg in usable:
        if kinds[seg.index] != "postcode":
            continue
        up = above(seg, usable)
        named: Segment | None = None  # a bridge line with a street word
        for _ in range(MAX_BRIDGES):
            if up is None or kinds[up.index] is not None or not _is_bridge(up):
                break
            if named is None and has_street_word(_clean(up.text)):
                named = up
            up = above(up, usable)
        if up is not None and kinds[up.index] is None and _is_street_above(up):
            kinds[up.index] = "street"
        elif named is not None:
            # No street above the bridges: "Church Lane" over "Little Wittenham" is the
            # street, without a number (a house's name may sit over it).
            kinds[named.index] = "street"
        # "Canale Cassandra, 95    43011 Busseto (PR)": the street left of it on its line.
        left = _left_of(seg, usable)
        if left is not None and kinds[left.index] is None and _is_street_above(left):
            kinds[left.index] = "street"

    def _parts(chain: list[Segment]) -> set[str | None]:
        ks = {kinds.get(s.index) for s in chain}
        return ks | {"street", "postcode"} if "full" in ks else ks

    used: set[int] = set()
    chains: list[list[Segment]] = []
    for seg in usable:
        if seg.index in used or kinds[seg.index] is None:
            continue
        chain = [seg]
        while True:
            # An address ends with its country, or with its postcode once its street is
            # in (Japan writes the postcode first): a street after that starts the next
            # address (a head office, then a branch).
            parts = _parts(chain)
            ended = "country" in parts or {"street", "postcode"} <= parts
            side = _right_of(chain[-1], usable)
            if (
                side is not None
                and side.index not in used
                and kinds.get(side.index)
                and not (ended and kinds[side.index] in ("street", "full"))
            ):
                chain.append(side)  # "Hauptstraße 5 · 10115 Berlin" on one line
                continue
            row = [s for s in chain if s.line_no == chain[-1].line_no]
            nxt = next((b for s in row if (b := below(s, usable, 2)) is not None), None)
            bridges: list[Segment] = []
            while (
                nxt is not None
                and not kinds.get(nxt.index)
                and len(bridges) < MAX_BRIDGES
                # a city or district line, or a landmark ("Above Bank of Baroda,")
                and (_is_bridge(nxt) or LANDMARK_RE.match(_clean(nxt.text)) is not None)
            ):
                bridges.append(nxt)
                nxt = below(nxt, usable, max_lines=2)
            if (
                nxt is not None
                and not bridges
                and not kinds.get(nxt.index)
                and nxt.index not in used
                and CJK_RE.search(chain[-1].text)
                and _cjk_building(nxt)
            ):
                chain.append(nxt)  # "丸の内ビル5F" under "〒100-0005 東京都千代田区丸の内1-2-3"
                break
            if nxt is None or nxt.index in used or nxt in chain or not kinds.get(nxt.index):
                break
            if ended and kinds[nxt.index] in ("street", "full") and not _cjk_building(nxt):
                break
            whole = kinds[nxt.index] in ("street", "full") or nxt.text.count(",") >= 3
            if whole and _other_script(nxt, chain[-1]):
                break  # the same address (or another office's) in the other script
            chain += [*bridges, nxt]
        if not _parts(chain) & {"postcode", "country"}:
            chain += _tail(chain[-1], usable, kinds, used)
        used.update(s.index for s in chain)
        chains.append(chain)

    def rank(chain: list[Segment]) -> tuple[int, int, int]:
        ks = _parts(chain)
        parts = 2 * ("street" in ks) + 2 * ("postcode" in ks) + ("country" in ks)
        # A branch's address ("東京支社:…", "Branch Office: …") after the head office's.
        return (parts, -bool(BRANCH_RE.search(chain[0].text)), -chain[0].index)

    def locality(chain: list[Segment]) -> bool:
        """A lone "Pokhara, Nepal" line: a place before its country."""
        text = _clean(chain[0].text)
        return len(chain) == 1 and (
            (
                _is_bridge(chain[0])
                and bool(re.match(r"[^,\-]+[,\-]", text))
                and country_in(text) is not None
            )
            # "Oud Al Touba Street, Al Ain, United Arab Emirates": streets without
            # numbers (the Gulf states) end with the country on one line.
            or (has_street_word(text) and country_in(text) is not None and "," in text)
            # "FPT Tower, 10 Pham Van Bach, Cau Giay, Ha Noi, Viet Nam": a street named
            # after a person, no street word; a house number, parts, the country.
            or (
                text.count(",") >= 3
                and re.search(r"(?<![\d+])\d{1,5}[A-Za-z]?\b", text) is not None
                and country_in(text) is not None
            )
        )

    chains = [c for c in chains if _parts(c) & {"street", "postcode"} or locality(c)]
    if not chains:
        return None
    best = max(chains, key=rank)
    if any(CJK_RE.search(s.text) for s in best):
        # A bilingual card: the address in Latin script, when it is there whole enough
        # (two of street, postcode and country), is the field; the CJK form stays in
        # the card's other text.
        latin = [c for c in chains if not any(CJK_RE.search(s.text) for s in c)]
        if latin and rank(max(latin, key=rank))[0] >= min(LATIN_FORM_PARTS, rank(best)[0]):
            best = max(latin, key=rank)
    best = _head(best, usable, kinds) + best
    ks = _parts(best)
    if {"street", "postcode"} <= ks:
        rule = RULE_FULL
    elif "country" in ks and len(best) > 1:
        rule = RULE_PARTIAL
    elif "country" in ks:
        rule = RULE_LOCALITY
    else:
        rule = RULE_STREET if "street" in ks else RULE_POSTCODE
    texts = [p for p in (_clean(s.text) for s in best) if p]
    words = [w for s in best for w in s.words]
    value = japanese_marks(korean_spacing(", ".join(texts)))
    if len(BAR_AS_I_RE.findall(value)) >= 2:
        # "G-1 I Plot A-27 I Road No.10": bars between the parts, read as capital I
        # (on one line or across the address's lines).
        value = BAR_AS_I_RE.sub(" | ", value)
    return Found(value, score(rule, words), boxes(words), {s.index for s in best})
