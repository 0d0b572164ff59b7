"""Data tables for name matching: legal forms, particles, titles, nicknames, number words and common words.

The legal forms are a selection from rigour's resources/names/org_types.yml (MIT licence, © OpenSanctions
Datenbanken GmbH; credited in NOTICE), keeping its generic classes (LLC, JSC, ...), with transliterated Russian,
Ukrainian, Romanian and Polish spellings added. Forms are written as they appear in names, in their own script:
the normaliser reads them through the same steps as any name, so a table entry and a listed name always agree.
"""

from __future__ import annotations

__all__ = [
    "ABBREVIATIONS",
    "GENERIC_WORDS",
    "HAN_LEGAL_FORMS",
    "LEGAL_FORMS",
    "NICKNAMES",
    "NUMBER_WORDS",
    "ORDINAL_WORDS",
    "PARTICLES",
    "PARTICLE_SPELLINGS",
    "STOPWORDS",
    "TENS_WORDS",
    "TITLES",
]

# Generic class -> spellings (abbreviated, dotted, long, transliterated). The class is the compare form: two
# names whose forms are of different classes (a limited liability company, a joint-stock company, a non-profit)
# are told apart by it; two spellings of one class are the same form.
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "llc": (
        "llc", "l.l.c.", "limited liability company", "foreign limited liability company", "ltd", "limited",
        "ltd co", "limited company", "private limited company", "private limited liability company",
        "company limited", "co ltd", "co., ltd.", "coltd", "pte ltd", "pty ltd", "proprietary limited", "pvt ltd",
        "private limited", "gmbh", "g.m.b.h.", "gesellschaft mit beschränkter haftung",
        "gesellschaft mit beschraenkter haftung", "gmbh & co kg", "ug", "sarl", "s.a.r.l.",
        "société à responsabilité limitée", "sas", "société par actions simplifiée", "eurl", "bv", "b.v.",
        "besloten vennootschap", "bvba", "srl", "s.r.l.", "societatea cu răspundere limitată",
        "societate cu răspundere limitată", "società a responsabilità limitata",
        "sociedad de responsabilidad limitada", "s de rl", "s. de r.l.", "sl", "s.l.", "ltda", "limitada",
        "sp z oo", "sp. z o.o.", "spółka z ograniczoną odpowiedzialnością", "spolka z ograniczona odpowiedzialnoscia",
        "sro", "s.r.o.", "spol s r o", "doo", "d.o.o.", "kft", "oy", "aps", "sdn bhd", "bhd", "fze", "fzco", "fzc",
        "fz llc", "dmcc", "ooo", "o.o.o.", "ооо", "общество с ограниченной ответственностью",
        "obshchestvo s ogranichennoy otvetstvennostyu", "obshchestvo s ogranichennoi otvetstvennostiu",
        "tov", "тов", "товариство з обмеженою відповідальністю", "tovarystvo z obmezhenoyu vidpovidalnistyu",
        "too", "тоо", "товарищество с ограниченной ответственностью", "uab", "sia", "mchj", "ооод", "eood",
    ),
    "jsc": (
        "jsc", "joint stock company", "joint-stock company", "js co", "ojsc", "open joint stock company",
        "cjsc", "closed joint stock company", "pjsc", "public joint stock company", "pao", "пао",
        "публичное акционерное общество", "publichnoye aktsionernoye obshchestvo", "oao", "оао",
        "открытое акционерное общество", "otkrytoe aktsionernoe obshchestvo", "otkrytoye aktsionernoye obshchestvo",
        "zao", "зао", "закрытое акционерное общество", "zakrytoe aktsionernoe obshchestvo",
        "zakrytoye aktsionernoye obshchestvo", "ao", "ао", "акционерное общество", "aktsionernoe obshchestvo",
        "aktsionernoye obshchestvo", "pat", "пат", "prat", "прат", "публічне акціонерне товариство",
        "приватне акціонерне товариство", "акціонерне товариство", "aktsionerne tovarystvo", "vat", "ват",
        "відкрите акціонерне товариство", "akb", "акб", "акционерный коммерческий банк", "plc", "p.l.c.",
        "public limited company", "ag", "aktiengesellschaft", "aktien gesellschaft", "sa", "s.a.",
        "société anonyme", "sociedad anonima", "sociedad anónima", "sociedade anónima", "sociedade anônima",
        "societate pe acțiuni", "societatea pe actiuni", "spółka akcyjna", "sa de cv", "s.a. de c.v.",
        "sab de cv", "sapi de cv", "spa", "s.p.a.", "società per azioni", "nv", "n.v.", "naamloze vennootschap",
        "se", "societas europaea", "as", "a.s.", "aktieselskab", "ab", "aktiebolag", "oyj", "kk", "kabushiki kaisha",
        "tbk", "pt tbk", "ad", "a.d.", "dd", "d.d.", "ead", "еад",
    ),
    "partnership": (
        "llp", "limited liability partnership", "lp", "l.p.", "limited partnership", "gp", "general partnership",
        "kg", "kommanditgesellschaft", "kgaa", "ohg", "snc", "société en nom collectif", "scs", "sp k", "sp j",
    ),
    "nonprofit": (
        "ngo", "ano", "ано", "автономная некоммерческая организация", "avtonomnaya nekommercheskaya organizatsiya",
        "autonomous non-profit organization", "autonomous non-profit organisation", "nko", "нко",
        "некоммерческая организация", "np", "нп", "некоммерческое партнерство", "ev", "e.v.", "eingetragener verein",
        "asbl", "vzw", "fondation", "foundation", "stiftung", "fond", "фонд", "charitable trust",
        "obshchestvennaya organizatsiya", "общественная организация",
    ),
    "state": (
        "soe", "state enterprise", "state unitary enterprise", "federal state unitary enterprise", "fgup", "фгуп",
        "gup", "гуп", "федеральное государственное унитарное предприятие", "государственное унитарное предприятие",
        "gosudarstvennoye unitarnoye predpriyatiye", "державне підприємство", "dp", "дп", "fgbu", "фгбу",
        "federal state budgetary institution",
    ),
    "cooperative": ("coop", "co-op", "cooperative", "eg", "e.g.", "genossenschaft", "кооператив"),
    "bank": ("na", "n.a.", "national association"),
    # Words that say "a company" without saying which kind: the same form as each other, never a conflict.
    "company": (
        "co", "company", "corp", "corporation", "inc", "incorporated", "inc.", "corp.", "co.", "pt", "p.t.",
        "perseroan terbatas", "cia", "compañía", "compania", "sti", "şti", "ltd sti",
    ),
}
# Classes that say nothing about what kind of company it is: they never tell two names apart.
NEUTRAL_LEGAL_CLASSES = frozenset({"company"})

HAN_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司")

# Particles: words that join the parts of a name (al-, bin, van, de). They weigh little in a score; the
# spellings of one particle ("ibn", "ben", "bin") are one word. Kept in a name; scored low.
PARTICLE_SPELLINGS: dict[str, str] = {
    "ibn": "bin", "ben": "bin", "bn": "bin", "binti": "bint", "bte": "bint", "el": "al", "ul": "al", "ol": "al",
}
PARTICLES = frozenset(
    """
    al bin bint abu umm van von der den de da das do dos di del della la le du st ter ten zu y e na
    """.split()
)

# Titles and honorifics, dropped from the start of a name when the name has other words ("President Barack
# Obama", "Mr. Rami Makhlouf", "M/V Snow"); a name made only of a title keeps it.
TITLES = frozenset(
    """
    mr mister mrs ms miss mx dr prof professor sir dame lord lady madam madame monsieur mme mlle herr frau senor senora
    don dona president prasident praesident presidente prezident premier minister general gen col colonel maj
    major capt captain lt lieutenant sgt admiral adm cmdr commander sheikh shaikh shaykh sheik sayyid sayed
    mullah mulla maulana maulvi mawlawi hajji hadji imam princess queen his her excellency
    hon honourable honorable rev reverend father brother sister mv m v mt ss rv fv tanker vessel
    """.split()
)
# Titles that are also given names ("Don", "Major") go only where two or more words remain.
TITLE_GIVEN_NAMES = frozenset({"don", "major", "general", "sayyid", "sayed", "sheikh", "shaikh"})

# Nicknames and cross-language forms of given names -> one shared form. A small hand-made table of common
# English, German, Romance and Slavic forms; forms too far apart to be read as one name by a screener (José and
# Yousef, Ivan and John) are left out.
NICKNAMES: dict[str, str] = {
    "bill": "william", "billy": "william", "will": "william", "willy": "william", "wilhelm": "william", "guillaume":
    "william", "guillermo": "william", "bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert", "dick":
    "richard", "rick": "richard", "ricky": "richard", "rich": "richard", "jim": "james", "jimmy": "james", "jamie":
    "james", "mike": "michael", "mikey": "michael", "mick": "michael", "michel": "michael", "michele": "michael",
    "miguel": "michael", "mikhail": "michael", "mihail": "michael", "tom": "thomas", "tommy": "thomas", "tomas":
    "thomas", "joe": "joseph", "joey": "joseph", "jose": "joseph", "giuseppe": "joseph", "josef": "joseph", "jack":
    "john", "johnny": "john", "jon": "john", "johann": "john", "johannes": "john", "juan": "john", "giovanni": "john",
    "jean": "john", "ioan": "john", "sasha": "alexander", "alex": "alexander", "aleksandr": "alexander", "alexandr":
    "alexander", "alejandro": "alexander", "alessandro": "alexander", "alexandre": "alexander", "oleksandr":
    "alexander", "sandy": "alexander", "kate": "katherine", "katie": "katherine", "catherine": "katherine", "kathy":
    "katherine", "ekaterina": "katherine", "yekaterina": "katherine", "katya": "katherine", "liz": "elizabeth", "beth":
    "elizabeth", "betty": "elizabeth", "lisa": "elizabeth", "elisabeth": "elizabeth", "elizaveta": "elizabeth",
    "peggy": "margaret", "maggie": "margaret", "margarita": "margaret", "dave": "david", "davy": "david", "davide":
    "david", "steve": "stephen", "steven": "stephen", "stefan": "stephen", "stepan": "stephen", "esteban": "stephen",
    "etienne": "stephen", "ted": "edward", "ed": "edward", "eddie": "edward", "tony": "anthony", "antonio": "anthony",
    "anton": "anthony", "antoine": "anthony", "chuck": "charles", "charlie": "charles", "carlos": "charles", "karl":
    "charles", "carl": "charles", "carlo": "charles", "dima": "dmitry", "dmitri": "dmitry", "dmitriy": "dmitry",
    "dmytro": "dmitry", "volodya": "vladimir", "volodymyr": "vladimir", "wladimir": "vladimir", "vova": "vladimir",
    "misha": "michael", "kolya": "nikolai", "nikolay": "nikolai", "mykola": "nikolai", "nicholas": "nikolai", "nick":
    "nikolai", "nicolas": "nikolai", "nicola": "nikolai", "nikolaus": "nikolai", "sergei": "sergey", "sergiy":
    "sergey", "serhiy": "sergey", "sergio": "sergey", "serge": "sergey", "seryozha": "sergey", "yevgeny": "evgeny",
    "evgeniy": "evgeny", "eugene": "evgeny", "yevhen": "evgeny", "zhenya": "evgeny", "andrei": "andrew", "andrey":
    "andrew", "andriy": "andrew", "andreas": "andrew", "andre": "andrew", "andres": "andrew", "andy": "andrew", "drew":
    "andrew", "pyotr": "peter", "petr": "peter", "petro": "peter", "pedro": "peter", "pierre": "peter", "pietro":
    "peter", "pete": "peter", "paul": "paul", "pavel": "paul", "pablo": "paul", "paolo": "paul", "pavlo": "paul",
    "grigory": "gregory", "grigoriy": "gregory", "greg": "gregory", "yuri": "george", "yury": "george", "yuriy":
    "george", "georgy": "george", "jorge": "george", "giorgio": "george", "georg": "george", "bibi": "benjamin", "ben":
    "benjamin", "benny": "benjamin", "binyamin": "benjamin", "sam": "samuel", "sammy": "samuel", "matt": "matthew",
    "matvey": "matthew", "mateo": "matthew", "matteo": "matthew", "mohammed": "muhammad", "mohammad": "muhammad",
    "mohamed": "muhammad", "muhammed": "muhammad", "mohamad": "muhammad", "mahomed": "muhammad", "osama": "usama",
    "ousama": "usama", "ossama": "usama",
}

# Number words and ordinals compared as numbers: "First International Bank" is "1st International Bank".
NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "hundred": 100, "thousand": 1000,
}
TENS_WORDS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "hundredth": 100,
}

ABBREVIATIONS: dict[str, str] = {
    "tech": "technology", "techn": "technology", "technologies": "technology", "info": "information",
    "grp": "group", "intl": "international", "sci": "science", "svcs": "services", "mfg": "manufacturing",
    "natl": "national", "dept": "department", "univ": "university", "labour": "labor",
    "organisation": "organization", "centre": "center", "st": "saint", "mt": "mount", "bros": "brothers",
    "assn": "association", "assoc": "association", "ind": "industries", "inds": "industries",
}
STOPWORDS = frozenset({"and", "the", "of", "for", "y", "et", "und"})

GENERIC_WORDS = frozenset(
    """
    technology information network science group international trading trade holding holdings industry
    industrial industries services service development investment investments import export enterprise
    enterprises global new general national company bank commercial management logistics shipping energy
    security systems system solutions software digital data cyber electronic electronics engineering
    research institute center centre bureau office department ministry state
    beijing shanghai shenzhen guangzhou wuhan chengdu tianjin hangzhou sichuan hubei guangdong china chinese
    hong kong moscow russia russian iran tehran dubai
    信息 技术 科技 网络 集团 公司 北京 上海 四川 深圳 广州 武汉 中国
    """.split()
)
