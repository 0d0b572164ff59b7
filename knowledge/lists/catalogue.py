"""The lists and catalogues briefbot imports: names, titles, official addresses and the parser of each."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.models import Source, SourceKind

if TYPE_CHECKING:
    from knowledge.lists.importers.common import ParsedList

# MITRE ATT&CK's domains (the "domain" of its bundles) and the suffix of each one's list name: mitre-attack-ics.
DOMAINS = {"enterprise-attack": "", "mobile-attack": "-mobile", "ics-attack": "-ics"}

__all__ = [
    "CATALOGUE",
    "CATALOGUES",
    "DOMAINS",
    "LIST_AUTHORITY",
    "URL_VARIABLE",
    "ListSource",
    "is_snapshot_source",
    "snapshot_id",
    "snapshot_source",
    "urls_for",
]


def _importer(module: str, function: str) -> Callable[..., ParsedList]:
    """An importer, imported when a list is first parsed: answering a question never needs one, and importing them
    all (XML, CSV and JSON readers) would cost every start a tenth of a second."""

    def parse(*args: object, **kwargs: object) -> ParsedList:
        return getattr(import_module(f"knowledge.lists.importers.{module}"), function)(*args, **kwargs)

    return parse


parse_eu_fsf_xml = _importer("eu_fsf_xml", "parse_eu_fsf_xml")
parse_misp_galaxy = _importer("misp_galaxy", "parse_misp_galaxy")
parse_mitre_attack = _importer("mitre_attack", "parse_mitre_attack")
parse_ofac_advanced_xml = _importer("ofac_advanced_xml", "parse_ofac_advanced_xml")
parse_ofac_csv = _importer("ofac_csv", "parse_ofac_csv")
parse_ofac_enhanced_xml = _importer("ofac_enhanced_xml", "parse_ofac_enhanced_xml")
parse_ofac_xml = _importer("ofac_xml", "parse_ofac_xml")
parse_uk_conlist = _importer("uk_conlist", "parse_uk_conlist")
parse_uk_sanctions_list = _importer("uk_sanctions_list", "parse_uk_sanctions_list")
parse_un_xml = _importer("un_xml", "parse_un_xml")
parse_us_csl = _importer("us_csl", "parse_us_csl")

# OFAC's XML formats, told apart by their root element: the Enhanced and Advanced XML of its Sanctions List
# Service, and the legacy SDN.XML schema.
_OFAC_XML = {b"<sanctionsData": parse_ofac_enhanced_xml, b"<Sanctions": parse_ofac_advanced_xml}


def _ofac_xml_parser(head: bytes) -> Callable[..., ParsedList]:
    """The importer for an OFAC XML file, from its first bytes (any file not Enhanced or Advanced: legacy)."""
    return next((parse for root, parse in _OFAC_XML.items() if re.search(root + rb"[\s>]", head)), parse_ofac_xml)


def _ofac(source: str) -> Callable[[list[Path]], ParsedList]:
    def parse(paths: list[Path]) -> ParsedList:
        # The XML exports are one file; the legacy CSV set is a main file with optional companions.
        head = paths[0].read_bytes()[:4096] if len(paths) == 1 else b""
        if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
            return _ofac_xml_parser(head)(paths[0], source=source)
        return parse_ofac_csv(paths, source=source)

    return parse


def _single(parse: Callable[[Path], ParsedList], what: str) -> Callable[[list[Path]], ParsedList]:
    def parse_one(paths: list[Path]) -> ParsedList:
        if len(paths) != 1:
            raise ValueError(f"{what} is one file; got {len(paths)}.")
        return parse(paths[0])

    return parse_one


def _attack(source: str) -> Callable[[list[Path]], ParsedList]:
    def parse(paths: list[Path]) -> ParsedList:
        return parse_mitre_attack(paths, source=source)

    return parse


def _opensanctions(paths: list[Path]) -> ParsedList:
    # Delta files need the snapshot they apply to; the refresh handles them, this reads whole exports.
    from knowledge.lists.importers.opensanctions import parse_opensanctions

    return parse_opensanctions(paths)[0]


@dataclass(frozen=True, slots=True)
class ListSource:
    name: str
    title: str
    publisher: str
    by: str
    urls: tuple[str, ...]
    parse: Callable[[list[Path]], ParsedList]
    # Which record gives an entity its caption when no curated entry does: lower first.
    rank: int
    licence: str
    # In the set `briefbot refresh` and the scheduled refresh take from the publisher without being asked by name.
    in_default_set: bool = True
    # How often the publisher is expected to issue the list at most: older than this, it may be out of date.
    expected_days: int = 30
    # The authorities whose listings the list states (what a "no" about an authority names as loaded).
    authorities: tuple[str, ...] = ()
    # The words the publisher asks reusers to acknowledge it with, where its terms ask for them.
    acknowledgement: str = ""
    # A copy of fewer records than this is only part of the list, whatever it is called: each publisher's whole list
    # has held several times as many for years (a "no" from the EU's 5-record excerpt is no "no").
    whole_at_least: int = 0


_OFAC = "US Department of the Treasury, Office of Foreign Assets Control (OFAC)"
# OFAC's Sanctions List Service: each export answers with a redirect to a signed copy (see README, Publishers).
# The Enhanced XML is the default: one file per list, every detail typed, and the day each entity was listed
# (the Advanced XML states the same days at several times the size: SDN_ADVANCED.XML is over 120 MB).
_OFAC_BASE = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"

_EU_FSF = "https://webgate.ec.europa.eu/fsd/fsf/public/files"

# BRIEFBOT_URL_<LIST> replaces a list's official addresses (space-separated).
URL_VARIABLE = "BRIEFBOT_URL"

CATALOGUE: dict[str, ListSource] = {
    s.name: s
    for s in (
        ListSource(
            "ofac-sdn",
            "OFAC Specially Designated Nationals (SDN) list",
            _OFAC,
            "OFAC SDN list",
            (f"{_OFAC_BASE}/SDN_ENHANCED.XML",),
            _ofac("ofac-sdn"),
            1,
            "public domain (US Government work)",
            expected_days=3,
            whole_at_least=2_000,
            authorities=("US-OFAC",),
        ),
        ListSource(
            "uk-sanctions-list",
            "UK Sanctions List",
            "UK Foreign, Commonwealth and Development Office (FCDO)",
            "UK Sanctions List",
            ("https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv",),
            _single(parse_uk_sanctions_list, "The UK Sanctions List"),
            2,
            "Open Government Licence v3.0",
            expected_days=3,
            whole_at_least=1_000,
            authorities=("GB-FCDO",),
        ),
        ListSource(
            "un-sc",
            "UN Security Council Consolidated List",
            "United Nations Security Council",
            "UN Security Council list",
            ("https://scsanctions.un.org/resources/xml/en/consolidated.xml",),
            _single(parse_un_xml, "The UN list"),
            3,
            "UN website terms of use",
            expected_days=14,
            whole_at_least=300,
            authorities=("UN-SC",),
        ),
        ListSource(
            "eu-fsf",
            "EU consolidated list of persons, groups and entities subject to EU financial sanctions",
            "European Commission, Financial Sanctions Files (FSF)",
            "EU FSF list",
            # The FSF's public XML 1.1 address carries a token that is the same for everyone, as the public code that
            # downloads this file uses it; a personal token may serve a newer file (README, Publishers). Not tried
            # from where this was written.
            (f"{_EU_FSF}/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",),
            _single(parse_eu_fsf_xml, "The EU FSF file"),
            4,
            "EU reuse policy (Commission Decision 2011/833/EU): reuse allowed with acknowledgement of the source",
            expected_days=3,
            whole_at_least=1_000,
            authorities=("EU",),
            acknowledgement="Source: European Union, Financial Sanctions Files (FSF), consolidated list of persons, "
            "groups and entities subject to EU financial sanctions; © European Union.",
        ),
        ListSource(
            "ofac-cons",
            "OFAC Consolidated (non-SDN) list",
            _OFAC,
            "OFAC Consolidated list",
            (f"{_OFAC_BASE}/CONS_ENHANCED.XML",),
            _ofac("ofac-cons"),
            5,
            "public domain (US Government work)",
            expected_days=3,
            authorities=("US-OFAC",),
        ),
        ListSource(
            "uk-conlist",
            "HM Treasury / OFSI Consolidated List of Financial Sanctions Targets",
            "HM Treasury, Office of Financial Sanctions Implementation (OFSI)",
            "OFSI Consolidated List",
            ("https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",),
            _single(parse_uk_conlist, "The OFSI ConList"),
            6,
            "Open Government Licence v3.0",
            # OFSI closed the Consolidated List on 28 January 2026: older files still load, nothing new comes.
            in_default_set=False,
            expected_days=3,
            whole_at_least=1_000,
            authorities=("GB-FCDO",),
        ),
        ListSource(
            "opensanctions",
            "OpenSanctions sanctions collection (FollowTheMoney)",
            "OpenSanctions Datenbanken GmbH",
            "OpenSanctions",
            ("https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json",),
            _opensanctions,
            7,
            "CC BY-NC 4.0 (commercial use needs a licence from OpenSanctions)",
            # Taken only when asked for by name: its licence does not allow commercial use without one.
            in_default_set=False,
            expected_days=3,
        ),
        ListSource(
            "us-csl",
            "US Consolidated Screening List (export screening lists of Commerce, State and the Treasury)",
            "US International Trade Administration (trade.gov), for Commerce, State and the Treasury",
            "trade.gov Consolidated Screening List",
            # trade.gov's keyless bulk download (see README, Publishers: not tried from where this was written).
            ("https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",),
            _single(parse_us_csl, "The Consolidated Screening List"),
            8,
            "public domain (US Government work)",
            expected_days=3,
            whole_at_least=1_000,
            authorities=("US-BIS", "US-DDTC", "US-ISN", "US-OFAC"),
        ),
        ListSource(
            "mitre-attack",
            "MITRE ATT&CK Enterprise groups (intrusion sets)",
            "The MITRE Corporation",
            "MITRE ATT&CK Enterprise",
            (
                "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json",
            ),
            _attack("mitre-attack"),
            9,
            "ATT&CK licence (see NOTICE)",
            expected_days=365,
        ),
        ListSource(
            "mitre-attack-mobile",
            "MITRE ATT&CK Mobile groups (intrusion sets)",
            "The MITRE Corporation",
            "MITRE ATT&CK Mobile",
            (
                "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/mobile-attack/mobile-attack.json",
            ),
            _attack("mitre-attack-mobile"),
            10,
            "ATT&CK licence (see NOTICE)",
            expected_days=365,
        ),
        ListSource(
            "mitre-attack-ics",
            "MITRE ATT&CK ICS groups (intrusion sets)",
            "The MITRE Corporation",
            "MITRE ATT&CK ICS",
            ("https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/ics-attack/ics-attack.json",),
            _attack("mitre-attack-ics"),
            11,
            "ATT&CK licence (see NOTICE)",
            expected_days=365,
        ),
        ListSource(
            "misp-galaxy",
            "MISP galaxy threat-actor, surveillance-vendor and Microsoft activity-group clusters",
            "The MISP project",
            "MISP galaxy",
            tuple(
                f"https://raw.githubusercontent.com/MISP/misp-galaxy/main/clusters/{f}.json"
                for f in ("threat-actor", "surveillance-vendor", "microsoft-activity-group")
            ),
            parse_misp_galaxy,
            12,
            "CC0 1.0 or BSD 2-clause",
            expected_days=180,
        ),
    )
}

# The one authority each list publishes, for the lists that carry one authority's designations (the CSL carries
# several, the catalogues none): what an event or a question about "the EU list" is read against.
LIST_AUTHORITY: dict[str, str] = {name: e.authorities[0] for name, e in CATALOGUE.items() if len(e.authorities) == 1}


# Threat-intelligence catalogues, not official lists: their records are groups, never designations.
CATALOGUES = frozenset({*(f"mitre-attack{suffix}" for suffix in DOMAINS.values()), "misp-galaxy"})


def urls_for(source: str) -> tuple[str, ...]:
    """The official addresses of a source, or those set in BRIEFBOT_URL_<SOURCE> (space-separated)."""
    from knowledge.settings import settings  # the settings are made from this catalogue's names

    return settings().urls(source) or CATALOGUE[source].urls


def is_snapshot_source(source_id: str) -> bool:
    """Whether a citation is a list snapshot joined to a card (not a document the curated data was written from)."""
    name, at, _ = source_id.partition("@")
    return bool(at) and name in CATALOGUE


def snapshot_id(source: str, as_of: dt.date) -> str:
    """The citation id of one snapshot of a list: "ofac-sdn@2024-05-03"."""
    return f"{source}@{as_of.isoformat()}"


def snapshot_source(source: str, as_of: dt.date, *, note: str | None = None, as_of_known: bool = True) -> Source:
    """The citation for a fact read from one snapshot of a list; `as_of_known` False: `as_of` is only the day it
    was loaded, and the citation says so instead of passing it off as the list's date."""
    entry = CATALOGUE[source]
    dated = f"as of {as_of.isoformat()}" if as_of_known else f"loaded on {as_of.isoformat()}; publisher's date unknown"
    return Source(
        id=snapshot_id(source, as_of),
        title=f"{entry.title}, {dated}",
        publisher=entry.publisher,
        by=entry.by,
        kind=SourceKind.CATALOGUE if source in CATALOGUES else SourceKind.LIST,
        date=as_of if as_of_known else None,
        note=note,
    )
