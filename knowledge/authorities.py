"""Sanctioning authorities and their regimes: stable keys, readable names, and the words users type for them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.models import Sanction

__all__ = [
    "AUTHORITIES",
    "EXPORT_CONTROLS",
    "REGIMES",
    "SANCTIONS",
    "Authority",
    "Regime",
    "designation_label",
    "find_authority",
    "find_regime",
    "is_export_control",
    "listing_verb",
    "order_lapsed",
    "programme_words",
    "regime_words",
]

# What a listing by an authority is: a sanction, or an export control (a licence requirement or a denial of export
# privileges), which is never counted or worded as a sanction.
SANCTIONS = "sanctions"
EXPORT_CONTROLS = "export controls"


@dataclass(frozen=True, slots=True)
class Authority:
    key: str
    label: str
    country: str
    entity: str
    words: tuple[str, ...]
    measure: str = SANCTIONS
    # The body a listing is said to come from ("US Commerce BIS"), where the label is not already that.
    body: str = ""
    # How a sentence names the authority's lists: "no EU list is loaded".
    short: str = ""


@dataclass(frozen=True, slots=True)
class Regime:
    key: str
    authority: str
    label: str
    summary: str
    words: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()


AUTHORITIES: dict[str, Authority] = {
    a.key: a
    for a in (
        Authority(
            "GB-FCDO",
            "UK (FCDO)",
            "GB",
            "gb-fcdo",
            ("uk", "gb", "fcdo", "ofsi", "hmt", "britain", "united kingdom"),
            short="UK",
        ),
        Authority(
            "US-OFAC", "US (OFAC)", "US", "us-ofac", ("us", "usa", "ofac", "treasury", "united states"), short="OFAC"
        ),
        Authority("UN-SC", "UN Security Council", "UN", "un-sc", ("un", "unsc", "united nations"), short="UN"),
        Authority("EU", "European Union", "EU", "eu", ("eu", "european union", "eu fsf"), short="EU"),
        # The lists trade.gov's Consolidated Screening List brings together, each under the body that keeps it.
        Authority(
            "US-BIS",
            "US (BIS export controls)",
            "US",
            "us-bis",
            ("bis", "commerce", "entity list", "export controls", "us commerce", "bureau of industry and security"),
            EXPORT_CONTROLS,
            "US Commerce BIS",
            "BIS",
        ),
        Authority(
            "US-DDTC",
            "US (State DDTC export controls)",
            "US",
            "us-ddtc",
            ("ddtc", "itar", "aeca", "itar debarred"),
            EXPORT_CONTROLS,
            "US State Department DDTC",
            "DDTC",
        ),
        Authority(
            "US-ISN",
            "US (State ISN sanctions)",
            "US",
            "us-isn",
            ("isn", "state department", "nonproliferation"),
            SANCTIONS,
            "US State Department ISN",
            "State Department nonproliferation",
        ),
        # Sanctions that aggregated data (OpenSanctions) attributes to an authority we do not model separately.
        Authority("OTHER", "Other authority", "", "", ("other",)),
    )
}

REGIMES: dict[str, Regime] = {
    r.key: r
    for r in (
        Regime(
            "GB-CYB",
            "GB-FCDO",
            "UK cyber",
            "UK cyber sanctions, The Cyber (Sanctions) (EU Exit) Regulations 2020",
            ("cyber",),
        ),
        Regime(
            "US-CYB",
            "US-OFAC",
            "US cyber",
            "US cyber-related sanctions, EO 13694 as amended",
            ("cyber",),
            ("CYBER", "CYBER2", "CYBER3", "CYBER4"),
        ),
        Regime(
            "EU-CYB",
            "EU",
            "EU cyber",
            "EU cyber-attacks sanctions, Council Regulation (EU) 2019/796",
            ("cyber",),
            ("CYB",),
        ),
        # The export-control lists of trade.gov's Consolidated Screening List: listings, never sanctions.
        *(
            Regime(key, authority, name, f"{name} (export controls)", words)
            for key, authority, name, words in (
                ("US-BIS-EL", "US-BIS", "Entity List", ("entity list", "el")),
                ("US-BIS-DPL", "US-BIS", "Denied Persons List", ("denied persons", "dpl")),
                ("US-BIS-UVL", "US-BIS", "Unverified List", ("unverified list", "uvl")),
                ("US-BIS-MEU", "US-BIS", "Military End-User List", ("military end user", "meu")),
                ("US-DDTC-DTC", "US-DDTC", "ITAR Debarred list", ("itar debarred", "debarred", "aeca")),
            )
        ),
    )
}

# The EU's programme codes (the FSF file's `programme` attribute) in words, after the titles of the EU Sanctions Map.
_EU_PROGRAMMES = {
    "AFG": "EU Afghanistan (Taliban) sanctions",
    "BDI": "EU Burundi sanctions",
    "BIH": "EU Bosnia and Herzegovina sanctions",
    "BLR": "EU Belarus sanctions",
    "CAF": "EU Central African Republic sanctions",
    "COD": "EU Democratic Republic of the Congo sanctions",
    "CW": "EU chemical weapons sanctions",
    "CYB": "EU cyber-attacks sanctions, Council Regulation (EU) 2019/796",
    "EGY": "EU Egypt (misappropriation of state funds) sanctions",
    "GIN": "EU Guinea sanctions",
    "GTM": "EU Guatemala sanctions",
    "HR": "EU global human rights sanctions",
    "HTI": "EU Haiti sanctions",
    "IRN": "EU Iran (nuclear proliferation) sanctions",
    "IRQ": "EU Iraq sanctions",
    "LBN": "EU Lebanon sanctions",
    "LBY": "EU Libya sanctions",
    "MDA": "EU Moldova sanctions",
    "MLI": "EU Mali sanctions",
    "MMR": "EU Myanmar (Burma) sanctions",
    "NIC": "EU Nicaragua sanctions",
    "PRK": "EU North Korea (DPRK) sanctions",
    "RUS": "EU Russia sanctions (actions destabilising Ukraine)",
    "SDN": "EU Sudan sanctions",
    "SOM": "EU Somalia sanctions",
    "SSD": "EU South Sudan sanctions",
    "SYR": "EU Syria sanctions",
    "TAQA": "EU ISIL (Da'esh) and Al-Qaida sanctions",
    "TERR": "EU terrorist list sanctions (Common Position 2001/931/CFSP)",
    "TUN": "EU Tunisia (misappropriation of state funds) sanctions",
    "UKR": "EU Ukraine territorial integrity sanctions",
    "VEN": "EU Venezuela sanctions",
    "YEM": "EU Yemen sanctions",
    "ZWE": "EU Zimbabwe sanctions",
}


def _plain(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("(", " ").replace(")", " ").split())


def is_export_control(authority: str) -> bool:
    """Whether listings by this authority are export controls rather than sanctions."""
    found = AUTHORITIES.get(authority)
    return found is not None and found.measure == EXPORT_CONTROLS


def listing_verb(authority: str) -> str:
    """What a listing by this authority is called: an export control (the Entity List, a Denied Persons order) is
    listed, never designated as a sanction is."""
    return "listed" if is_export_control(authority) else "designated"


def order_lapsed(sanction: Sanction) -> bool:
    """Whether an export-control order ended on the end date its list gives (a Denied Persons order): it lapsed, no one
    delisted it. Not one that went between two editions, nor one ending later."""
    return bool(
        sanction.ended_on
        and not sanction.ends_later
        and sanction.ended_on_known
        and not sanction.ended_after
        and is_export_control(sanction.authority)
    )


def find_authority(text: str) -> Authority | None:
    """The authority a user means by `text` ("UK", "ofac", "US-OFAC"), or None."""
    wanted = _plain(text)
    for authority in AUTHORITIES.values():
        if wanted in (_plain(authority.key), _plain(authority.label), *authority.words):
            return authority
    return None


def find_regime(text: str, authority: str | None = None) -> list[Regime]:
    """The regimes a user means by `text` (a key such as "US-CYB", or a word such as "cyber")."""
    wanted = _plain(text)
    found = []
    for regime in REGIMES.values():
        if authority is not None and regime.authority != authority:
            continue
        programmes = tuple(p.casefold() for p in regime.programmes)
        if wanted in (_plain(regime.key), _plain(regime.label), *regime.words, *programmes):
            found.append(regime)
    return found


# OFAC programme tags in words (OFAC's "Sanctions Programs and Country Information" and tag definitions). Only
# what the tag definitions say: CYBER4 is the tag OFAC uses after a further 2025 amendment, so it is named by tag.
_OFAC_PROGRAMMES = {
    "CYBER": "US cyber-related sanctions (EO 13694)",
    "CYBER2": "US cyber-related sanctions (EO 13694 as amended by EO 13757)",
    "CYBER3": "US cyber-related sanctions (EO 13694 as amended by EO 14144)",
    "CYBER4": "US cyber-related sanctions (EO 13694 as further amended, OFAC tag CYBER4)",
    "SDGT": "US counter-terrorism sanctions, Specially Designated Global Terrorists (EO 13224)",
    "FTO": "US Foreign Terrorist Organizations (State Department)",
    "SDNT": "US narcotics trafficking sanctions (EO 12978)",
    "SDNTK": "US Foreign Narcotics Kingpin Designation Act sanctions",
    "ILLICIT-DRUGS": "US illicit drug trade sanctions",
    "TCO": "US transnational criminal organizations sanctions (EO 13581)",
    "NPWMD": "US non-proliferation sanctions, weapons of mass destruction (EO 13382)",
    "GLOMAG": "US Global Magnitsky sanctions (EO 13818)",
    "MAGNIT": "US Sergei Magnitsky Act sanctions",
    "IRAN": "US Iran sanctions (Iranian Transactions and Sanctions Regulations)",
    "IFSR": "US Iran sanctions (Iranian Financial Sanctions Regulations)",
    "IRGC": "US Iran sanctions (Islamic Revolutionary Guard Corps)",
    "IRAN-HR": "US Iran human-rights sanctions",
    "IRAN-TRA": "US Iran Threat Reduction Act sanctions",
    "IFCA": "US Iran Freedom and Counter-Proliferation Act sanctions",
    "HRIT-IR": "US Iran human-rights abuses via information technology (EO 13606)",
    "HRIT-SY": "US Syria human-rights abuses via information technology (EO 13606)",
    "DPRK": "US North Korea sanctions",
    "DPRK2": "US North Korea sanctions (EO 13687)",
    "DPRK3": "US North Korea sanctions (EO 13722)",
    "DPRK4": "US North Korea sanctions (EO 13810)",
    "DPRK-NKSPEA": "US North Korea Sanctions and Policy Enhancement Act sanctions",
    "SYRIA": "US Syria sanctions",
    "SYRIA-CAESAR": "US Caesar Syria Civilian Protection Act sanctions",
    "CUBA": "US Cuba sanctions",
    "BALKANS": "US Western Balkans sanctions",
    "BELARUS": "US Belarus sanctions",
    "BURMA": "US Burma sanctions",
    "CAATSA": "US Countering America's Adversaries Through Sanctions Act sanctions",
    "CAR": "US Central African Republic sanctions",
    "DRCONGO": "US Democratic Republic of the Congo sanctions",
    "LEBANON": "US Lebanon sanctions",
    "LIBYA2": "US Libya sanctions (EO 13566)",
    "LIBYA3": "US Libya sanctions",
    "IRAQ2": "US Iraq sanctions",
    "IRAQ3": "US Iraq sanctions",
    "SOMALIA": "US Somalia sanctions",
    "SOUTH SUDAN": "US South Sudan sanctions",
    "DARFUR": "US Darfur sanctions",
    "NICARAGUA": "US Nicaragua sanctions",
    "NICARAGUA-NHRAA": "US Nicaragua Human Rights and Anticorruption Act sanctions",
    "VENEZUELA": "US Venezuela-related sanctions",
    "YEMEN": "US Yemen sanctions",
    "ZIMBABWE": "US Zimbabwe sanctions",
    "ELECTION": "US foreign interference in US elections sanctions",
    "HOSTAGES": "US hostage-taking and wrongful detention sanctions",
    "PEESA": "US Protecting Europe's Energy Security Act sanctions",
}
# Tags made of a country or subject and an executive order: "RUSSIA-EO14024" -> Russia-related, EO 14024.
_OFAC_SUBJECTS = {
    "RUSSIA": "Russia-related",
    "BPI-RUSSIA": "Russia-related (blocking pending investigation)",
    "UKRAINE": "Ukraine-/Russia-related",
    "VENEZUELA": "Venezuela-related",
    "BELARUS": "Belarus",
    "BURMA": "Burma-related",
    "IRAN": "Iran",
    "SYRIA": "Syria",
    "SUDAN": "Sudan",
    "ETHIOPIA": "Ethiopia-related",
    "BALKANS": "Western Balkans",
    "WEST-BANK": "West Bank",
    "HOSTAGES": "hostage-taking and wrongful detention",
    "ELECTION": "election-interference",
    "PEESA": "European energy security",
    "ILLICIT-DRUGS": "illicit drug trade",
    "HK": "Hong Kong-related",
    "CHINA": "Chinese military companies",
    "MALI": "Mali-related",
    "IRAN-CON-ARMS": "Iran conventional arms",
}
_EO_TAG = re.compile(r"^(.*?)-EO[ -]?(\d{5})$")


def programme_words(authority: str, programme: str) -> str:
    """A programme tag in words: "RUSSIA-EO14024" -> "US Russia-related sanctions (EO 14024)"."""
    tag = programme.strip().upper()
    if authority == "EU":
        return _EU_PROGRAMMES.get(tag, f"EU sanctions programme {tag}")
    if authority != "US-OFAC":
        return programme
    if tag in _OFAC_PROGRAMMES:
        return _OFAC_PROGRAMMES[tag]
    match = _EO_TAG.match(tag)
    if match:
        subject = _OFAC_SUBJECTS.get(match.group(1))
        if subject:
            return f"US {subject} sanctions (EO {match.group(2)})"
        return f"US sanctions under EO {match.group(2)} (OFAC tag {tag})"
    if tag.removesuffix("-EO") in _OFAC_SUBJECTS:
        return f"US {_OFAC_SUBJECTS[tag.removesuffix('-EO')]} sanctions (OFAC tag {tag})"
    return f"US sanctions programme tagged {tag} by OFAC"


def regime_words(authority: str, regime: str, regime_name: str | None, programmes: tuple[str, ...] = ()) -> str:
    """A designation's regime in words, each programme once, never a raw key beside it."""
    known = REGIMES.get(regime)
    if authority == "US-OFAC" and programmes:
        words = list(dict.fromkeys(programme_words(authority, p) for p in programmes))
        return "; ".join(words)
    if known:
        return known.summary
    if authority == "EU":
        codes = programmes or tuple((regime_name or regime.removeprefix("EU-")).split(", "))
        return "; ".join(dict.fromkeys(programme_words(authority, code) for code in codes))
    if AUTHORITIES.get(authority) is not None and AUTHORITIES[authority].measure == EXPORT_CONTROLS:
        return f"{regime_name or regime} (export controls)"
    if authority == "US-ISN":
        named = f" ({regime_name})" if regime_name else ""
        return f"US State Department nonproliferation sanctions{named}"
    if authority == "US-OFAC":
        tag = regime.removeprefix("US-")
        return programme_words(authority, tag)
    if authority == "GB-FCDO":
        return _uk_regime_words(regime_name) if regime_name else f"UK sanctions regime {regime}"
    if authority == "UN-SC":
        return f"UN Security Council {regime_name} sanctions" if regime_name else "UN Security Council sanctions"
    return regime_name or regime


def _uk_regime_words(regime_name: str) -> str:
    # The ConList names most regimes by their subject ("Libya", "The ISIL (Da'esh) and Al-Qaida organisations"), but
    # some in full already ("UK Freezing Orders", made under a 2001 Act, not a sanctions regime): never "UK UK ...".
    name = regime_name.strip()
    if name.startswith("UK "):
        return name
    return f"UK {name.removeprefix('The ')} sanctions regime"


# The UK's designations come on two lists: the FCDO's UK Sanctions List, and HM Treasury's OFSI Consolidated List.
# Both are the UK's (a question about the UK counts both); each is labelled with who published its list.
_PUBLISHED_BY = {"uk-conlist": "UK (OFSI)"}


def designation_label(sanction: Sanction) -> str:
    """Who a designation is by, as its list's publisher names itself: "UK (OFSI)" for the ConList's."""
    cited = sanction.list_source or sanction.source or ""
    return _PUBLISHED_BY.get(cited.partition("@")[0]) or AUTHORITIES[sanction.authority].label
