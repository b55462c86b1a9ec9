"""Word lists for titles, organisations and names, in en/de/fr/es/pt/it/nl.

Every entry is folded (lowercase, no accents: "Geschäftsführer" -> "geschaftsfuhrer")
so look-ups go through words.fold/tokens. Kept apart from the finders so the lists
can grow without touching the rules.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from cardscan.extract.layout import has_phrase
from cardscan.words import fold, tokens, wordset

TITLE_WORDS = wordset(
    """
    ceo cto cfo coo cmo cio cso cpo cro chro vp svp evp avp md gm founder cofounder
    director manager engineer head president partner consultant designer developer sales
    marketing officer lead senior architect analyst attorney lawyer owner principal
    chairman chairwoman chair associate executive assistant coordinator specialist advisor
    adviser accountant administrator agent broker representative supervisor technician
    scientist researcher professor lecturer editor writer producer photographer artist
    strategist recruiter counsel paralegal nurse physician surgeon dentist therapist
    pharmacist secretary treasurer trainee intern junior ambassador evangelist programmer
    realtor planner buyer controller auditor economist notary solicitor barrister
    leader trustee student fellow proprietor proprietress
    direktur manajer kepala pengurus pengarah eksekutif pegawai penasihat
    dyrektor kierownik prezes specjalista wlasciciel menedzer reditel jednatel vedouci
    igazgato ugyvezeto vezeto vd projektledare
    mudur muduru mudiresi uzman uzmani muhendis muhendisi yonetici yoneticisi baskan
    baskani temsilci temsilcisi danisman danismani sorumlu sorumlusu sef
    reverend rabbi plumber electrician mechanic stylist hairstylist groomer trainer
    instructor teacher
    tutor installer inspector surveyor estimator appraiser caterer optometrist optician
    chiropractor physiotherapist psychologist counselor counsellor veterinarian
    nutritionist dietitian receptionist cashier clerk midwife contractor
    geschaftsfuhrer geschaftsfuhrerin leiter leiterin berater beraterin ingenieur
    ingenieurin inhaber inhaberin vorstand prokurist referent referentin sachbearbeiter
    sachbearbeiterin vertrieb entwickler entwicklerin gesellschafter rechtsanwalt
    rechtsanwaltin steuerberater steuerberaterin architekt architektin kaufmann kauffrau
    assistentin vorsitzender vorsitzende direktor direktorin leitung
    directeur directrice responsable gerant gerante chef fondateur fondatrice associe
    associee conseiller conseillere commercial commerciale charge chargee avocat avocate
    consultante comptable pdg dg delegue assistante technicien gestionnaire architecte
    developpeur developpeuse
    directora gerente jefe jefa presidenta fundador fundadora socio socia ingeniero
    ingeniera asesor asesora consultor consultora abogado abogada coordinador coordinadora
    ejecutivo ejecutiva administradora tecnico tecnica analista arquitecto arquitecta
    desarrollador contador contadora vendedor vendedora gestor gestora administrador
    encargado encargada supervisora
    diretor diretora engenheiro engenheira advogado advogada coordenador coordenadora
    executivo executiva assessor assessora arquiteto arquiteta desenvolvedor
    direttore direttrice responsabile amministratore amministratrice fondatore fondatrice
    ingegnere consulente avvocato titolare coordinatore architetto sviluppatore delegato
    adviseur eigenaar oprichter medewerker accountmanager bedrijfsleider advocaat
    vennoot projectleider teamleider verkoper ontwikkelaar beheerder
    superintendent foreman
    директор генеральный менеджер руководитель начальник заместитель специалист
    инженер бухгалтер главный президент председатель консультант юрист адвокат
    представитель эксперт аналитик администратор координатор учредитель владелец
    """
)
TITLE_PHRASES = frozenset(
    tuple(p.split())
    for p in (
        "head of", "vice president", "managing director", "general manager",
        "account executive", "chef de projet", "directeur general", "chief",
        "business development", "customer success", "product owner",
        "giam doc", "truong phong", "pho phong", "ke toan", "nhan vien",
    )
)  # fmt: skip
# Endings of compound titles ("Projektleiter", "Vertriebsingenieur").
TITLE_SUFFIXES = (
    "leiter", "leiterin", "berater", "beraterin", "entwickler", "ingenieur", "fuhrer",
    "fuhrerin", "manager", "managerin", "referent", "referentin", "direktor", "designer",
    "architekt", "leider", "adviseur", "chef", "ledare",
)  # fmt: skip
# Title words that are also department or company words; weak on their own.
WEAK_TITLE_WORDS = wordset("sales marketing commercial commerciale vertrieb associate")

ORG_WORDS = wordset(
    """
    group labs lab holding holdings company co corp partners associates studio studios
    solutions technologies technology tech software systems consulting agency bank
    bakery cafe coffee restaurant bar bistro hotel salon spa clinic dental pharmacy
    university college school institute academy foundation association store shop market
    gallery florist flowers auto motors energy electric solar health care fitness gym
    yoga photography printing print travel tours events architecture accounting finance
    financial investments advisors brewing brewery winery wines kitchen pizza grill
    boutique fashion beauty hair nails cleaning repairs plumbing garden landscaping vet
    veterinary music records films productions network networks telecom cloud data
    analytics pharma medical center centre robotics media digital capital ventures
    industries international global insurance realty properties construction logistics
    foods services service enterprises trading tools supplies supply products parts goods
    equipment hardware machines machinery materials rentals repair motors garage
    beratung technik dienstleistungen bau immobilien praxis kanzlei verlag handel
    werkstatt
    conseil societe cabinet atelier boulangerie agence
    consultoria servicios soluciones grupo empresa tienda servicos solucoes loja
    servizi soluzioni gruppo
    groep diensten advies
    filhos figli hijos sohne zonen fils sons brothers bros irmaos hermanos fratelli
    gebruder koninklijke stichting fazenda fundacao fundacion fondazione stiftung verein
    associacao asociacion associazione cooperativa instituto istituto institut
    universidad universidade universita universitat hochschule clinica klinik kliniek
    farmacia apotheke laboratorio bureau kantoor
    traders exporters importers imports exports jewellers jewelers builders
    developers contractors engineers electricals electronics hardwares textiles garments
    mills agencies distributors dealers suppliers mart emporium stores works hospital
    pharmaceuticals chemicals plastics packaging consultants consultancy
    """
)

_CI = (
    # South Africa's and Australia's "(Pty) Ltd" (before "Pty Ltd").
    r"\(pty\.?\)\s*(?:ltd\.?|limited)|"
    # Mexico's "S.A. de C.V.", "S.A.P.I. de C.V.", "S. de R.L. de C.V." (before "S.A.").
    r"s\.?\s?a\.?\s?(?:p\.?\s?i\.?\s?)?de\s+c\.?\s?v\.?|s\.\s?de\s+r\.\s?l\.(?:\s?de\s+c\.\s?v\.?)?|"
    r"gmbh(?:\s*&\s*co\.?\s*kg)?|inc\.?|incorporated|l\.l\.c\.?|llc\.?|ltd\.?|limited|plc|"
    r"corp\.?|corporation|l\.l\.p\.?|llp|ltda\.?|lda\.?|pty\.?(?:\s*ltd\.?)?|"
    r"s\.a\.r\.l\.?|sarl|s\.p\.a\.?|s\.r\.l\.?|b\.v\.?|n\.v\.?|s\.a\.(?:s\.?|u\.?)?|"
    r"s\.l\.n\.e\.?|s\.l\.u?\.?|e\.\s?v\.|e\.\s?k\.|e\.\s?g\.|mbh|kgaa|co\.,?\s*ltd\.?|"
    r"s\.\s?coop\.?|s\.\s?com\.?|s\.c\.p\.?|lda\.?"
)
_CS = (
    r"AG|KG|UG|OHG|GbR|SA|SL|SAS|SpA|SPA|Srl|SRL|BV|NV|SE|AB|AS|ApS|Oy|LP|EURL|SASU|SLU|Co\.|"
    # Russia's, Ukraine's, Kazakhstan's and Bulgaria's forms, set before the name in
    # quotes: ООО «Альфа», АО "Бета", ТОВ, ТОО, ЕООД.
    r"ООО|ОАО|ЗАО|ПАО|АО|ИП|ТОВ|ТОО|ЕООД|ООД"
)
LEGAL_RE = re.compile(rf"(?<![\w.])(?:(?i:{_CI})|{_CS})(?![\w])")
# A legal form set before the name, in quotes or not: Russia's "ООО «Альфа Строй»",
# "АО Бета"; Indonesia's "PT Maju Bersama", "CV Sinar Jaya", "UD Sumber Rejeki" (only
# first on the line, in capitals, before a word: "Jane Doe, PT" is a physiotherapist).
LEGAL_PREFIX_RE = re.compile(
    r"\s*(?:ООО|ОАО|ЗАО|ПАО|АО|ИП|ТОВ|ТОО|ЕООД|ООД|PT|CV|UD)\.?\s+[«\"„“']?[^\W\d_]"
)

HONORIFICS = wordset(
    "mr mrs ms miss mx dr prof sir dame herr frau mme mlle sr sra srta dott "
    "dottssa ing dipl rev hon mag lic arq dra mgr avv engr atty capt shri smt ir drs mudr"
)


# Honorifics only with their dot: "Eng. Carlos Souza" (engineer); "Eng" is also a name.
# The German doctorates' fields ("Dr. med.", "Dr. rer. nat.", "Dr. jur.") and the Polish
# engineer ("mgr inż.") after another honorific.
DOTTED_HONORIFICS = wordset("eng med jur phil rer nat dent vet oec inz")
# India's professional prefixes, in capitals only: "CA Rajesh Gupta" (chartered
# accountant), "CS" (company secretary), "CMA" (cost accountant).
CAPITAL_HONORIFICS = frozenset(("CA", "CS", "CMA"))
# Malaysia's and Brunei's honours and the pilgrim's title: "Dato' Ahmad Razak",
# "Datuk", "Datin", "Haji", "Hajah".
HONOUR_WORDS = wordset("dato datuk datin haji hajah hj")
# Degrees of Indonesia, written with their dots after the name and a comma ("Budi
# Santoso, S.T., M.M."): only with a dot ("Se", "Mt" alone are names or places).
DOTTED_DEGREES = wordset(
    "st se sh skom mkom mm mt msi ssi spd mpd ssos sked spsi sip ak sp mkes skm"
)


def is_honorific(word: str) -> bool:
    """ "Dr.", "Prof", the German compounds "Dipl.-Ing.", "Dr.-Ing.", "Dipl.-Wirt.-Ing."
    (an honorific, then one or two abbreviated words), and "Eng." with its dot."""
    bare = fold(word).replace(".", "").rstrip("'’")
    if bare in DOTTED_HONORIFICS:
        return word.endswith(".")
    if word.rstrip(".") in CAPITAL_HONORIFICS or bare in HONOUR_WORDS:
        return True
    parts = bare.split("-")
    return bare in HONORIFICS or (
        1 < len(parts) <= 3
        and parts[0] in HONORIFICS
        and all(p.isalpha() and len(p) <= 6 for p in parts)
    )


DEGREES = {
    "phd": "PhD", "md": "MD", "mba": "MBA", "msc": "MSc", "bsc": "BSc", "ba": "BA",
    "ma": "MA", "jr": "Jr.", "sr": "Sr.", "ii": "II", "iii": "III", "iv": "IV",
    "esq": "Esq.", "cpa": "CPA", "pe": "PE", "dds": "DDS", "rn": "RN", "llm": "LLM",
    "mph": "MPH", "cfa": "CFA", "pmp": "PMP", "mbe": "MBE", "obe": "OBE",
    # Medical and other degrees printed after (or under) names on South Asian cards.
    "mbbs": "MBBS", "bds": "BDS", "mds": "MDS", "dnb": "DNB", "frcs": "FRCS",
    "mrcp": "MRCP", "mch": "MCh", "dgo": "DGO", "dch": "DCH", "bams": "BAMS",
    "bhms": "BHMS", "llb": "LLB", "btech": "BTech", "mtech": "MTech", "mca": "MCA",
    "bcom": "BCom", "mcom": "MCom", "bba": "BBA", "facs": "FACS", "frcp": "FRCP",
}  # fmt: skip
# Lowercase name particles ("Jan van der Berg", "Ana da Silva"; Arabic and Malay
# "son/daughter of": "Aisha bint Khalid", "Siti binti Ahmad", "Omar ibn Said").
PARTICLES = wordset(
    "van von der den de da das dos do du di del della la le ter ten zu y e bin al el "
    "bint binti ibn bte"
)
# Words that never appear in a person's name but do in slogans and card chrome.
STOPWORDS = wordset(
    """and the of for with your our we us you contact www email mail business card by at
    in on to from our open daily since est und fur mit et pour avec los las para con
    ihr ihre votre nuestro nossa il per"""
)


# Job titles in Chinese, Japanese and Korean: CJK text has no spaces between words,
# so these are looked for inside a line (general knowledge of CJK business cards).
CJK_TITLES = (
    "部長", "社長", "会長", "會長", "取締役", "課長", "係長", "室長", "所長", "店長", "院長",
    "局長", "次長", "経理", "經理", "经理", "工程師", "工程师", "研究員", "研究员", "主任",
    "理事", "董事", "顧問", "顾问", "總監", "总监", "監事", "秘書", "專員", "专员", "主管",
    "組長", "组长", "總裁", "总裁", "教授", "講師", "讲师", "弁護士", "律師", "律师",
    "會計師", "会计师", "税理士", "協理", "协理", "處長", "处长", "科長", "科长", "執行役員",
    "이사", "부장", "과장", "팀장", "사장", "대표", "실장", "차장", "대리", "주임", "연구원",
    "교수", "상무", "전무", "회장", "본부장",
)  # fmt: skip
# Legal forms and institutions in CJK script ("株式会社", "有限公司", "주식회사").
CJK_COMPANY_RE = re.compile(
    "株式会社|有限会社|合同会社|合資会社|[(（]株[)）]|㈱|股份有限公司|有限公司|有限責任公司|"
    "集團|集团|研究院|大學|大学|銀行|银行|주식회사|[(（]주[)）]|㈜|유한회사"
)


def cjk_company(text: str) -> bool:
    return CJK_COMPANY_RE.search(text) is not None


# Words a slogan speaks to the reader with, never part of a job title.
SLOGAN_WORDS = wordset("your our we you votre notre nous vous ihr ihre unser unsere wir sie")


def title_score(text: str) -> float:
    """How much a text reads like a job title: 0 none, 0.5 weak, 1 strong."""
    if any(t in text for t in CJK_TITLES) and not cjk_company(text):
        return 1.0
    toks = tokens(text)
    if not toks or any(t in SLOGAN_WORDS for t in toks):
        return 0.0  # "Your Trusted Partner in Real Estate": a slogan, whatever its words
    if has_phrase(toks, TITLE_PHRASES):
        return 1.0
    strong = weak = False
    for t in toks:
        if t in TITLE_WORDS:
            strong = strong or t not in WEAK_TITLE_WORDS
            weak = weak or t in WEAK_TITLE_WORDS
        elif len(t) >= 8 and t.endswith(TITLE_SUFFIXES):
            strong = True
    return 1.0 if strong else 0.5 if weak else 0.0


def legal_suffix_end(text: str) -> int | None:
    """End offset of the first legal-form suffix ("GmbH", "Inc.", "S.A."), else None.

    Chained forms are one suffix: "AG & Co. OHG", "Stiftung & Co. KGaA", "SE & Co. KG".
    """
    m = LEGAL_RE.search(text)
    if m is None:
        return None
    end = m.end()
    while (nxt := LEGAL_RE.match(text, end + _chain_gap(text, end))) is not None:
        end = nxt.end()
    return end


def legal_form_end(text: str) -> int | None:
    """Where a line's company name with its legal form ends: the whole line when the form
    is set first ("ООО «Альфа Строй»", "PT Maju Bersama"), else the end of the suffix
    ("Acme GmbH", legal_suffix_end); None without a legal form."""
    if LEGAL_PREFIX_RE.match(text):
        return len(text)
    return legal_suffix_end(text)


def _chain_gap(text: str, pos: int) -> int:
    """Length of the " & " or " " between two chained legal-form words."""
    m = re.match(r"\s*(?:&\s*)?", text[pos:])
    return m.end() if m else 0


# Organisation words in Chinese, Japanese and Korean script, found inside a line (no
# spaces): telecom, technology, group, enterprise, industry, international, electronics,
# construction, network, information. None is part of a person's name.
CJK_ORG_WORDS = (
    "電信", "电信", "通信", "科技", "集團", "集团", "企業", "企业", "實業", "实业", "工業",
    "工业", "國際", "国际", "電子", "电子", "電機", "电机", "建設", "建设", "網路", "网络",
    "資訊", "资讯",
    # Korean: electronics, industry, construction, trading, group, bank, securities,
    # insurance, tech, software, systems, solutions, company, Korea, hospital,
    # university, institute, association, foundation, telecom, pharmaceuticals,
    # chemicals, energy, engineering, design, media, networks, global, holdings,
    # partners, law firm, accounting firm.
    "전자", "산업", "건설", "물산", "상사", "그룹", "은행", "증권", "보험", "테크", "소프트",
    "시스템", "솔루션", "컴퍼니", "코리아", "병원", "대학교", "연구소", "협회", "재단", "통신",
    "제약", "화학", "에너지", "엔지니어링", "디자인", "미디어", "네트웍스", "글로벌", "홀딩스",
    "파트너스", "법무법인", "회계법인",
)  # fmt: skip


def org_word_count(toks: Sequence[str]) -> int:
    return sum(t in ORG_WORDS or any(w in t for w in CJK_ORG_WORDS) for t in toks)


_NAMES_FILE = Path(__file__).parent / "data" / "person_names.txt.gz"


@cache
def _person_names() -> tuple[frozenset[str], frozenset[str]]:
    """(given, family) names of many countries, folded; built by tools.build_names from
    Faker's person providers, a general source (never from any card)."""
    given: set[str] = set()
    family: set[str] = set()
    with gzip.open(_NAMES_FILE, "rt", encoding="utf-8") as f:
        for line in f:
            kind, _, name = line.rstrip("\n").partition("\t")
            if kind == "g":
                given.add(name)
            elif kind == "f":
                family.add(name)
    return frozenset(given), frozenset(family)


def is_given_name(word: str) -> bool:
    return fold(word).strip(".") in _person_names()[0]


def is_family_name(word: str) -> bool:
    return fold(word).strip(".") in _person_names()[1]


def is_person_name(word: str) -> bool:
    return is_given_name(word) or is_family_name(word)
