"""ATT&CK's Enterprise, Mobile and ICS domains as lists side by side, on the real files: loading Mobile never
replaces the Enterprise groups in use, and a group both describe is one card."""

import pytest

from bot.service import Bot
from conftest import REAL, TODAY
from knowledge.errors import DataError
from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.importers.mitre_attack import parse_mitre_attack
from knowledge.lists.refresh import detect_source, refresh_files
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store.database import Store

ENTERPRISE = REAL / "mitre_attack" / "cti-enterprise-attack-v18.1-intrusion-set"
MOBILE = REAL / "mitre_attack" / "mobile-attack-17.1.stix21.json"


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    store = Store.open(str(tmp_path_factory.mktemp("attack") / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    enterprise = refresh_files(store, None, [ENTERPRISE], now=TODAY)
    mobile = refresh_files(store, None, [MOBILE], now=TODAY)
    return store, enterprise, mobile


def test_each_domain_is_told_from_its_files():
    assert detect_source([ENTERPRISE]) == "mitre-attack"
    assert detect_source([MOBILE]) == "mitre-attack-mobile"
    assert {n for n in CATALOGUE if n.startswith("mitre-attack")} == {
        "mitre-attack",
        "mitre-attack-mobile",
        "mitre-attack-ics",
    }


def test_loading_mobile_leaves_the_enterprise_groups_in_use(both):
    store, enterprise, mobile = both
    assert (enterprise.source, mobile.source) == ("mitre-attack", "mitre-attack-mobile")
    active = {s.source: s.record_count for s in store.active()}
    assert active["mitre-attack"] == enterprise.snapshot.record_count > 150
    assert active["mitre-attack-mobile"] == mobile.snapshot.record_count == 15
    # Nothing was delisted from Enterprise by the Mobile load.
    assert [e for e in store.events(source="mitre-attack") if e.kind.value == "removed"] == []


def test_a_group_in_both_domains_is_one_card_and_a_mobile_only_group_opens(both):
    store, _, _ = both
    bot = Bot(load_knowledge(store), clock=lambda: TODAY)
    apt41 = bot.answer("/who APT41")
    assert {r["list"] for r in apt41.entity["records"]} >= {"mitre-attack", "mitre-attack-mobile"}
    golf = bot.answer("/who Bouncing Golf")
    lists = {r["list"] for r in golf.entity["records"]}
    assert "mitre-attack-mobile" in lists and "mitre-attack" not in lists
    assert "MITRE ATT&CK Mobile" in golf.text


def test_the_mobile_bundle_is_refused_as_the_enterprise_list():
    with pytest.raises(DataError, match=r"--source mitre-attack-mobile"):
        parse_mitre_attack([MOBILE], source="mitre-attack")


def test_a_damaged_mobile_bundle_is_refused_naming_the_file(tmp_path):
    damaged = tmp_path / MOBILE.name
    damaged.write_bytes(MOBILE.read_bytes()[:-20000])
    with pytest.raises(DataError, match=rf"^{damaged.name}: not JSON"):
        parse_mitre_attack([damaged], source="mitre-attack-mobile")


def test_a_no_about_a_group_names_the_sanctioned_body_att_ck_attributes_it_to(ask):
    # ATT&CK: "APT28 is a threat group that has been attributed to Russia's General Staff Main Intelligence Directorate
    # (GRU) 85th Main Special Service Center (GTsSS) military unit 26165". The UK sanctions the GTsSS (CYB0012),
    # OFAC the GRU: "has the UK sanctioned APT28?" was a flat no.
    reply = ask("/ask has the UK sanctioned APT28?")
    assert reply.title == (
        "The loaded data records no sanction of APT28 by UK (FCDO); MITRE ATT&CK Enterprise attributes it to 85th Main "
        "Special Service Centre (GTsSS), sanctioned by UK (FCDO) (below)."
    ), reply.title
    anyone = ask("/ask is APT28 sanctioned?")
    assert "attributes it to MAIN INTELLIGENCE DIRECTORATE, sanctioned by US (OFAC)" in anyone.title, anyone.title
    # The body's card names the group, as the catalogue's word.
    card = ask("/who GTsSS")
    assert card.title == "85th Main Special Service Centre (GTsSS)", card.text
    assert "APT28 (threat actor) — said to be behind (per MITRE ATT&CK Enterprise" in card.text
