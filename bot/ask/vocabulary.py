"""The words questions are made of: never a name on their own, and the cues for what is asked."""

from __future__ import annotations

import re

from knowledge.countries import country_words
from knowledge.lists.catalogue import LIST_AUTHORITY as CATALOGUE_AUTHORITY
from knowledge.models import EntityKind

__all__ = [
    "AUTHORITY_WORDS",
    "BODY_WORDS",
    "CLAIMANT_WORDS",
    "COUNTRY_WORDS",
    "ENTITY_WORDS",
    "KIND_WORDS",
    "LIST_AUTHORITY",
    "LIST_WORDS",
    "NATION_WORDS",
    "PLACE_WORDS",
    "QUESTION_WORDS",
    "REGIME_CUES",
    "SECTOR_KINDS",
    "SECTOR_NAME_ENDINGS",
    "SECTOR_NAME_WORDS",
    "SECTOR_WORDS",
    "stem",
]

# Function words and the vocabulary of questions about sanctions. A span of the question made only of these is never
# looked up as a name: "the", "group", "who sanctioned" must not find an entity called "The Group".
QUESTION_WORDS = frozenset(
    """
    a an the this that these those it its it's they them their there here what whats what's which who whom whose
    why when where how is are was were be been being am do does did done doing has have had having can could
    would should will shall may might must of in on at by for with from to into onto over under about against
    between among after before since until during and or nor but not no yes any anyone anybody anything some
    someone all both each every either neither other others another such same own more most much many few
    than then so too very just also only even ever again already still yet else i me my we us our you your he
    him his she her tell show give list find get got know say says said me please brief summary summarise
    summarize explain describe info information details detail about regarding concerning re vs versus via
    per as if whether else one ones thing things kind kinds type types sort sorts lot lots
    check checks confirm confirms verify search lookup look up screen profile actually currently
    really truly officially formally presently ever already also even indeed
    sanction sanctions sanctioned sanctioning designate designates designated designating designation
    designations listed listing listings list lists blacklisted blacklist penalised penalized penalty penalties
    delisted delisting delist unlisted lifted removed taken off longer
    measures measure regime regimes programme program programmes programs reason reasons why stated grounds
    accused accuse accusation accusations alleged allege alleges allegation allegations allegedly charged
    charge charges indicted indictment indictments blamed blame suspected suspect crimes crime wrongdoing
    founded found founder founders founding established set started created run runs running ran operate
    operates operated operating operator operators operation's control controls controlled manage manages
    managed manager own owns owned owner owners behind responsible lead leads led head heads
    linked link links tied tie ties connected connection connections related relation relations relationship
    relationships associated association associates affiliated affiliation affiliates partner partners
    common share shares shared similar similarities difference differences compare comparison
    former formerly previous previously old earlier renamed rename called named name names known alias
    aliases aka spelled spelling spellings written
    where based located location headquartered headquarters hq country countries nationality origin
    born birth birthplace birthplaces place places nationalities citizen citizens citizenship
    happen happened happening events event news new latest recent recently today yesterday week month year
    years months weeks days day date dates time period quarter
    company companies firm firms business businesses entity entities organisation organisations
    organization organizations people person persons individual individuals man men woman women group
    groups actor actors threat threats hacker hackers hacking hack hacked apt apts gang gangs crew unit units
    government governments govt authority authorities agency agencies body bodies state states
    botnet botnets network networks device devices vessel vessels ship ships aircraft banks tanker tankers
    freighter freighters yacht yachts frigate frigates warship warships destroyer destroyers corvette corvettes
    submarine submarines
    number numbers count many much total national nationals citizen citizens employee employees staff
    data database record records source sources say according claim claims report reports reported
    did does do doing done involved involvement role part member members
    chinese china russian russia iranian iran korean korea north british american european prc dprk
    uk us usa u.s. u.k. un eu gb britain america treasury ofac fcdo ofsi hmt unsc
    cyber cyberattack cyberattacks attack attacks attacked attacking target targets targeted targeting
    concern concerns concerned impose imposed imposes imposing add adds adding remove removes removing
    change changes changed changing lift lifts lifting delists edition editions copy copies
    sdn sdns conlist nationals specially consolidated
    appear appears appeared appearing feature features featured figure figures mention mentions mentioned
    include includes included contain contains contained
    bis commerce ddtc itar export exports controls controlled
    go goes going went gone use uses using itself himself herself themselves
    """.split()
)

# The lists as analysts name them, to (authority, list): "the SDN list" is OFAC's, never an entity called "SDN".
LIST_WORDS: dict[str, tuple[str, str]] = {
    "sdn": ("US-OFAC", "ofac-sdn"),
    "sdns": ("US-OFAC", "ofac-sdn"),
    "specially designated": ("US-OFAC", "ofac-sdn"),
    # OFAC's other list, the Consolidated (non-SDN) list: "non-SDN" is one word or two as tokenised.
    "non-sdn": ("US-OFAC", "ofac-cons"),
    "non sdn": ("US-OFAC", "ofac-cons"),
    "conlist": ("GB-FCDO", "uk-conlist"),
}

# Which authority publishes each list the catalogue imports (knowledge.lists.catalogue's table), grouped by
# authority as answers list them: the US, the UK, the UN, then the EU.
LIST_AUTHORITY: dict[str, str] = dict(
    sorted(CATALOGUE_AUTHORITY.items(), key=lambda item: ("US-OFAC", "GB-FCDO", "UN-SC", "EU").index(item[1]))
)

# Intelligence services and units the sources name by their short forms ("GRU units", "the MSS"): words of the
# question's topic, never looked up as names of their own (OFAC lists several unrelated "MSS"-like names).
BODY_WORDS = frozenset("gru fsb svr mss pla rgb irgc-qf".split())

# After a country's word, these make it a programme ("Russia sanctions", "under the Iran regime"), not a country.
REGIME_CUES = frozenset(
    "sanction sanctions regime regimes programme programmes program programs related -related".split()
)

# The lists' word for whatever is not an individual (the UK and UN lists' "Entity" type).
ENTITY_WORDS = frozenset("entity entities".split())

# Words for who imposed a sanction; "us" only counts written as "US" or after "the" (see reading).
AUTHORITY_WORDS: dict[str, str] = {
    "us": "US-OFAC",
    "u.s.": "US-OFAC",
    "usa": "US-OFAC",
    "america": "US-OFAC",
    "american": "US-OFAC",
    "americans": "US-OFAC",
    "washington": "US-OFAC",
    "treasury": "US-OFAC",
    "ofac": "US-OFAC",
    "united states": "US-OFAC",
    "uk": "GB-FCDO",
    "u.k.": "GB-FCDO",
    "gb": "GB-FCDO",
    "britain": "GB-FCDO",
    "great britain": "GB-FCDO",
    "british": "GB-FCDO",
    "brits": "GB-FCDO",
    "london": "GB-FCDO",
    "fcdo": "GB-FCDO",
    "ofsi": "GB-FCDO",
    "hmt": "GB-FCDO",
    "foreign office": "GB-FCDO",
    "united kingdom": "GB-FCDO",
    "un": "UN-SC",
    "unsc": "UN-SC",
    "united nations": "UN-SC",
    "security council": "UN-SC",
    "eu": "EU",
    "european union": "EU",
    "brussels": "EU",
    # Export controls, never sanctions: "is Huawei on the Entity List?" asks BIS, and a no must say so, not OFAC's.
    "bis": "US-BIS",
    "commerce": "US-BIS",
    "entity list": "US-BIS",
    "ddtc": "US-DDTC",
    "itar": "US-DDTC",
}

# Authority words that name a whole country: what "the US" says is what any US government body says, where "the
# Treasury" or "the FCDO" is that one body.
NATION_WORDS = frozenset(
    """us u.s. usa america american americans washington united states uk u.k. gb britain great britain british brits
    london united kingdom""".split()
) | {"united states", "great britain", "united kingdom"}

# The short forms people use for bodies whose statements the data quotes, to the claimant as the statements name
# it: no source document writes "DOJ", but every analyst does.
CLAIMANT_WORDS: dict[str, str] = {
    "doj": "US Department of Justice",
    "justice department": "US Department of Justice",
    "department of justice": "US Department of Justice",
}

# Countries as people name them, nouns and adjectives, to the ISO codes the data uses.
COUNTRY_WORDS: dict[str, str] = {
    "ukraine": "UA",
    "ukrainian": "UA",
    "venezuela": "VE",
    "venezuelan": "VE",
    "cuba": "CU",
    "cuban": "CU",
    "iraq": "IQ",
    "iraqi": "IQ",
    "libya": "LY",
    "libyan": "LY",
    "myanmar": "MM",
    "burma": "MM",
    "burmese": "MM",
    "haiti": "HT",
    "haitian": "HT",
    "somalia": "SO",
    "sudan": "SD",
    "yemen": "YE",
    "china": "CN",
    "chinese": "CN",
    "prc": "CN",
    "russia": "RU",
    "russian": "RU",
    "iran": "IR",
    "iranian": "IR",
    "north korea": "KP",
    "north korean": "KP",
    "dprk": "KP",
    "belarus": "BY",
    "belarusian": "BY",
    "syria": "SY",
    "syrian": "SY",
    "vietnam": "VN",
    "vietnamese": "VN",
    "pakistan": "PK",
    "pakistani": "PK",
    "india": "IN",
    "indian": "IN",
    "turkey": "TR",
    "turkish": "TR",
    "lebanon": "LB",
    "lebanese": "LB",
}
# Every other country by its name and nationality word ("Dutch", "in the Netherlands", "Nigerian"); those above win,
# and the words that name a whole authority ("American", "British") stay authorities.
COUNTRY_WORDS = {
    **{word: code for word, code in country_words().items() if word not in NATION_WORDS},
    **COUNTRY_WORDS,
}
# A question's words are read without a possessive's "'s" ("People's" is read "people"): a country's name holding one
# is read so too, whole ("Democratic People's Republic of Korea" had been read as "Republic of Korea", South Korea).
_POSSESSIVE = re.compile(r"['’]s\b")
COUNTRY_WORDS = {
    **{_POSSESSIVE.sub("", word): code for word, code in COUNTRY_WORDS.items() if _POSSESSIVE.search(word)},
    # A country's initials written with full stops ("U.A.E.": the reader keeps the inner ones, "u.a.e").
    **{".".join(word): code for word, code in COUNTRY_WORDS.items() if word.isalpha() and 2 < len(word) < 5},
    **COUNTRY_WORDS,
}

# Every word that names a place, to the place: a country's, a nation's that is also an authority ("America",
# "British"), and "Korea", which names no one country. Beside a name's words such a word may be part of the name
# ("Bank of China", "Bank of America", "Korea Kwangson Banking Corp"), read so where a listed name holds it.
PLACE_WORDS: dict[str, str] = {
    **{word: AUTHORITY_WORDS[word] for word in NATION_WORDS if word in AUTHORITY_WORDS},
    "korea": "KP KR",
    "korean": "KP KR",
    **COUNTRY_WORDS,
}

# Sectors a question may ask about that no list records in a field of its own, but its entities' names say:
# "which banks in Iran are sanctioned?" asks for the designations of entities named a bank, in the languages the
# lists write the word in ("Bank Melli Iran", "Banco Nacional de Cuba", "Banque Centrale", "Turkiye Halk Bankasi",
# "Banca Intesa", "Commercial Banking Corp"), normalised as names are. The plural names the sector; "bank" and
# "banking" stay words of names ("Bank Melli", "Korea Kwangson Banking Corp").
# Government bodies likewise: the lists type none ("Entity"), so "which agencies in Russia are sanctioned?" asks for
# entities named a ministry, an agency, a directorate..., and those the data types as a government body.
SECTOR_WORDS: dict[str, str] = {
    "banks": "banks",
    **dict.fromkeys("agency agencies ministry ministries department departments".split(), "government bodies"),
}
SECTOR_NAME_WORDS: dict[str, tuple[str, ...]] = {
    "banks": ("bank", "banks", "banking", "banque", "banco", "banca", "bankasi", "banka", "bancorp", "bancorporation"),
    "government bodies": (
        "ministry", "agency", "department", "directorate", "bureau", "committee", "commission", "inspectorate",
        "ministries", "agencies", "departments", "directorates", "ministerstvo", "ministerio", "ministere",
        "ministero", "ministerium", "agentstvo", "departament", "upravlenie", "komitet",
    ),
}  # fmt: skip
# ... and the endings of a word that says so joined to another ("Sberbank", "Gazprombank", "Promsvyazbank").
SECTOR_NAME_ENDINGS: dict[str, tuple[str, ...]] = {"banks": ("bank",), "government bodies": ()}
# ... and the kinds of entity a sector holds whatever their names.
SECTOR_KINDS: dict[str, tuple[EntityKind, ...]] = {"banks": (), "government bodies": (EntityKind.GOVERNMENT_BODY,)}

KIND_WORDS: dict[str, tuple[EntityKind, ...]] = {
    word: kinds
    for words, kinds in (
        (
            "company companies firm firms business businesses contractor contractors vendor vendors",
            (EntityKind.COMPANY,),
        ),
        (
            "person persons people individual individuals man men woman women hacker hackers national nationals",
            (EntityKind.PERSON,),
        ),
        (
            "group groups actor actors apt apts gang gangs crew crews",
            (EntityKind.THREAT_ACTOR, EntityKind.ORGANISATION),
        ),
        ("botnet botnets", (EntityKind.BOTNET,)),
        ("operation operations campaign campaigns", (EntityKind.OPERATION, EntityKind.THREAT_ACTOR)),
        (
            "vessel vessels ship ships tanker tankers freighter freighters yacht yachts frigate frigates warship "
            "warships destroyer destroyers corvette corvettes submarine submarines",
            (EntityKind.VESSEL,),
        ),
        ("aircraft plane planes", (EntityKind.AIRCRAFT,)),
        ("organisation organisations organization organizations", (EntityKind.ORGANISATION, EntityKind.COMPANY)),
        # "GRU units", "state bodies": whatever is not an individual, as the lists' "Entity" type is.
        ("unit units body bodies", tuple(k for k in EntityKind if k is not EntityKind.PERSON)),
    )
    for word in words.split()
}

_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s")


def stem(word: str) -> str:
    """A rough stem, enough to match "leak" with "leaked" and "device" with "devices"; never shorter than 4."""
    word = word.lower().strip("'’")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word
