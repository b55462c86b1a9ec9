"""Word lists and word folding shared by OCR, extraction and export.

The PP-OCR reader decides spacing and label lines with the same phone labels the phone
finder uses, and the address export recognises the same country names the region
finder does. They live here, below ocr/, extract/ and export/, so that each of those
imports this module and none has to import another's package: the stages agree on
what a label or a country is, and no stage depends on a later one.

Everything is folded (fold: lowercase, no accents) before a look-up.
"""

from __future__ import annotations

import re
import unicodedata

from cardscan.model import PhoneKind

# Marks that are part of a letter, not an accent on it: the kana voicing marks (が is
# not か). Kept, and recomposed with the Hangul syllables NFKD takes apart into jamo.
_NOT_ACCENTS = frozenset("\u3099\u309a")


_BASE_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d"})


def fold(text: str) -> str:
    """Lowercase and strip accents, for lexicon look-ups ("Tél." -> "tél." -> "tel.").

    Hangul syllables and voiced kana come back whole (NFC): NFKD takes "서" apart into
    its jamo, and the lexicons hold the syllables (before 2026-12-07 no Korean name
    the names lexicon holds was ever found in it)."""
    # Letters with no decomposition folded as their base letter: Turkish ı, Polish ł,
    # Nordic ø, South Slavic đ ("Yılmaz", "Właściciel", "Søren", "Đorđe").
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_BASE_LETTERS))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c in _NOT_ACCENTS)
    return kept if kept.isascii() else unicodedata.normalize("NFC", kept)


_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def wordset(text: str) -> frozenset[str]:
    """A lexicon written as whitespace-separated words."""
    return frozenset(text.split())


def tokens(text: str) -> list[str]:
    """Folded letter-only tokens: "Tel./Fax:" -> ["tel", "fax"]."""
    return _WORD_RE.findall(fold(text))


# Phone labels, folded -> the kind of number they announce: the phone finder reads
# them, and PP-OCR keeps a label line apart by them. Label words -> kind. Single
# letters only count right before a number.
PHONE_LABEL_WORDS = {
    PhoneKind.MOBILE: "m mob mobile cell cel cellular celular movil mobil handy portable port "
    "tlm tm telemovel cellulare gsm mobiel c cellphone natel mobilnummer mobiltelefon "
    "mobilfunk movel whatsapp telm tlmv hp cp handphone "
    # Polish "tel. kom." (telefon komórkowy), Czech and Slovak "mob.", Hungarian "mobil".
    "kom komorka komorkowy",
    PhoneKind.FAX: "f fax telefax telecopie telecopieur facsimile",
    PhoneKind.WORK: "t tel tl phone ph p o office work direct d dd telefon telefone telefono "
    "fon bureau ufficio kantoor fixo main zentrale switchboard tele telephone business "
    "festnetz fijo landline tlf tfno tfn fone telefoon direkt durchwahl",
    PhoneKind.OTHER: "h home privat private casa domicile res resi residence",
}
# Labels in Chinese, Japanese and Korean, printed without spaces and often run into the
# words around them ("携帯電話", "(02)8787-0615傳真："): looked for inside a token.
# "HP"/"H.P." (hand phone) and "C.P." are mobiles across Asia; a lone "H" stays home.
CJK_PHONE_LABEL_WORDS = {
    PhoneKind.MOBILE: "手機 手机 行動 行动 携帯 ケータイ 移動 移动 휴대폰 핸드폰 휴대전화 모바일",
    PhoneKind.FAX: "傳真 传真 ファックス ファクス 팩스",
    PhoneKind.WORK: "電話 电话 專線 专线 直通 代表 總機 总机 座機 座机 전화 직통 대표",
    PhoneKind.OTHER: "自宅 住宅 宅電",
}
PHONE_LABELS: dict[str, PhoneKind] = {
    fold(w): k
    for table in (PHONE_LABEL_WORDS, CJK_PHONE_LABEL_WORDS)
    for k, ws in table.items()
    for w in ws.split()
}

# Folded country names (dots removed) in the languages cards are printed in: the
# region finder infers a region from them, the address export splits them off.
COUNTRY_NAMES: dict[str, str] = {}
_COUNTRIES = {
    "DE": "germany deutschland allemagne alemania alemanha germania duitsland",
    "AT": "austria osterreich autriche oostenrijk",
    "CH": "switzerland schweiz suisse svizzera suiza suica zwitserland",
    "GB": "uk|united kingdom|great britain|england|scotland|wales|northern ireland|"
    "royaume-uni|reino unido|vereinigtes konigreich|regno unito|verenigd koninkrijk",
    "IE": "ireland eire irland irlanda",
    "FR": "france frankreich francia franca frankrijk",
    "ES": "spain espana espagne spanien espanha spagna spanje",
    "PT": "portugal portogallo",
    "IT": "italy italia italie italien",
    "NL": "netherlands|the netherlands|nederland|holland|niederlande|pays-bas|"
    "paises bajos|paesi bassi|paises baixos",
    "BE": "belgium belgie belgique belgien belgica belgio",
    "LU": "luxembourg luxemburg",
    "BR": "brazil brasil bresil brasilien",
    "MX": "mexico",
    "AR": "argentina",
    "CL": "chile",
    "CO": "colombia",
    "US": "usa|us|united states|united states of america|estados unidos|etats-unis",
    "CA": "canada kanada",
    "AU": "australia australien",
    "NZ": "new zealand|aotearoa",
    "IN": "india indien",
    "JP": "japan japon",
    "SG": "singapore",
    "ZA": "south africa|rsa",
    "SE": "sweden sverige",
    "NO": "norway norge",
    "DK": "denmark danmark",
    "FI": "finland suomi",
    "PL": "poland polska polen",
    "CZ": "czechia|czech republic|cesko|tschechien",
    "GR": "greece",
    "TR": "turkey turkiye",
    "IL": "israel",
    "AE": "uae|united arab emirates",
    "KR": "korea|south korea|republic of korea|rep of korea",
    "TW": "taiwan|taiwan (roc)|taiwan roc|taiwan (r o c )|taiwan (r o c)",
    "CN": "china|pr china|p r china|prc",
    "HK": "hong kong|hong kong sar",
    "VN": "vietnam|viet nam",
    "TH": "thailand",
    "MY": "malaysia",
    "ID": "indonesia",
    "PH": "philippines",
    "NP": "nepal",
    "PK": "pakistan",
    "BD": "bangladesh",
    "LK": "sri lanka|srilanka",
    "SA": "saudi arabia|ksa",
    "QA": "qatar",
    "EG": "egypt",
    "NG": "nigeria",
    "KE": "kenya",
    "RU": "russia",
    "UA": "ukraine",
    "RO": "romania",
    "HU": "hungary",
}
# More countries printed at the end of addresses (English names, and the forms cards
# use: "Kingdom of Saudi Arabia", "Sultanate of Oman"), each name of several words as
# it is; "|" parts the names. Not Georgia: "Atlanta, Georgia" is a US state.
_MORE_COUNTRIES = {
    "SA": "kingdom of saudi arabia",
    "KW": "kuwait|state of kuwait",
    "BH": "bahrain|kingdom of bahrain",
    "OM": "oman|sultanate of oman",
    "QA": "state of qatar",
    "JO": "jordan",
    "LB": "lebanon",
    "IR": "iran",
    "IQ": "iraq",
    "MA": "morocco|maroc",
    "TN": "tunisia|tunisie",
    "DZ": "algeria|algerie",
    "GH": "ghana",
    "TZ": "tanzania",
    "UG": "uganda",
    "ET": "ethiopia",
    "RW": "rwanda",
    "ZM": "zambia",
    "ZW": "zimbabwe",
    "BW": "botswana",
    "NA": "namibia",
    "MU": "mauritius",
    "KH": "cambodia",
    "MM": "myanmar",
    "LA": "laos",
    "MN": "mongolia",
    "KZ": "kazakhstan",
    "UZ": "uzbekistan",
    "MO": "macau|macao",
    "BN": "brunei|brunei darussalam",
    "MV": "maldives",
    "BT": "bhutan",
    "PE": "peru",
    "VE": "venezuela",
    "EC": "ecuador",
    "BO": "bolivia",
    "PY": "paraguay",
    "UY": "uruguay",
    "CR": "costa rica",
    "PA": "panama",
    "GT": "guatemala",
    "DO": "dominican republic|republica dominicana",
    "PR": "puerto rico",
    "JM": "jamaica",
    "TT": "trinidad and tobago|trinidad & tobago",
    "IS": "iceland",
    "EE": "estonia|eesti",
    "LV": "latvia|latvija",
    "LT": "lithuania|lietuva",
    "SK": "slovakia|slovensko",
    "SI": "slovenia|slovenija",
    "HR": "croatia|hrvatska",
    "RS": "serbia|srbija",
    "BG": "bulgaria",
    "CY": "cyprus",
    "MT": "malta",
    "LU": "grand duchy of luxembourg",
    "FJ": "fiji",
    "PG": "papua new guinea",
}

# Names of several words are listed with "|" ("sri lanka|srilanka"): split on spaces,
# "South Africa" was once "south" and "africa", neither matching the country.
for _region, _names in _COUNTRIES.items():
    for _name in _names.split("|") if "|" in _names else _names.split():
        COUNTRY_NAMES[_name] = _region
for _region, _names in _MORE_COUNTRIES.items():
    for _name in _names.split("|"):
        COUNTRY_NAMES[_name] = _region
