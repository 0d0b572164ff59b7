"""trade.gov's Consolidated Screening List on the real file: a 115-row sample of the 2019 CSV that moov-io/watchman
kept as a test fixture, not the whole list (SOURCES.md, section 9), so its figures are the sample's. No real JSON
file is at hand: the JSON reader is tested on the same real rows converted field by field into the API's shape."""

import csv
import datetime as dt
import io
import json

import pytest

from bot.briefs import brief_stix, build_brief
from bot.digest.render import render_digest
from bot.digest.subscriptions import parse_subscription
from bot.screening.engine import Verdict, screen_row
from bot.screening.rows import InputRow
from bot.service import Bot
from conftest import REAL, TODAY
from knowledge.authorities import AUTHORITIES, is_export_control
from knowledge.errors import DataError
from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.importers.us_csl import COLUMNS, parse_us_csl
from knowledge.lists.refresh import detect_source, refresh_files
from knowledge.loading import load_knowledge, prepare_store
from knowledge.models import EntityKind
from knowledge.store.database import Store

# The sample: 115 rows of a list of thousands (see the module docstring).
SAMPLE = REAL / "csl" / "watchman_testdata_csl_SAMPLE_2019-12-03.csv"


@pytest.fixture(scope="module")
def parsed():
    return parse_us_csl(SAMPLE)


@pytest.fixture(scope="module")
def csl_bot(tmp_path_factory):
    store = Store.open(str(tmp_path_factory.mktemp("csl") / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    refresh_files(store, None, [SAMPLE], now=TODAY)
    return Bot(load_knowledge(store), clock=lambda: TODAY)


def _as_api_json(path):
    """The CSV's rows in the shape trade.gov's JSON documents: lists as arrays, ids as objects; each address kept
    whole in `address` (the CSV joins its parts with commas that addresses also contain, so no split is faithful)."""
    results = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            item = {k: v for k, v in row.items()}
            for field in ("programs", "alt_names", "citizenships", "dates_of_birth", "nationalities"):
                item[field] = [p.strip() for p in row[field].split(";") if p.strip()]
            item["addresses"] = [{"address": p.strip()} for p in row["addresses"].split(";") if p.strip()]
            ids = []
            for part in (p.strip() for p in row["ids"].split(";") if p.strip()):
                pieces = part.split(", ")
                if len(pieces) >= 3 and len(pieces[0]) == 2 and pieces[0].isupper():
                    ids.append({"country": pieces[0], "number": ", ".join(pieces[1:-1]), "type": pieces[-1]})
                else:
                    ids.append({"number": ", ".join(pieces[:-1]), "type": pieces[-1]})
            item["ids"] = ids
            results.append(item)
    return {"total": len(results), "results": results}


def test_the_sample_gives_one_record_per_party_and_list(parsed):
    # 115 rows: the Entity List repeats Gunther Migeotte on five rows (eight addresses between them), the Denied
    # Persons List AL NASER WINGS AIRLINES on two.
    assert len(parsed.records) == 110 and parsed.as_of is None
    counts = {}
    for record in parsed.records:
        key = record.regime or "US-OFAC"
        counts[key] = counts.get(key, 0) + 1
    assert counts == {
        "US-OFAC": 68,
        "US-BIS-EL": 18,
        "US-DDTC-DTC": 10,
        "US-BIS-DPL": 7,
        "US-BIS-UVL": 4,
        "US-ISN": 3,
    }
    migeotte = next(r for r in parsed.records if r.name == "Gunther Migeotte")
    assert len(migeotte.addresses) == 8


def test_the_entity_list_rows_read_as_export_controls_never_as_sanctions(parsed):
    entity_list = [r for r in parsed.records if r.regime == "US-BIS-EL"]
    assert len(entity_list) == 18
    assert all(r.authority == "US-BIS" and is_export_control(r.authority) for r in entity_list)
    assert AUTHORITIES["US-BIS"].label == "US (BIS export controls)"
    group = next(r for r in entity_list if r.name == "32 Group China Ltd.")
    assert group.country == "HK" and str(group.listed_on) == "2015-11-12"
    assert "licence policy: Presumption of denial" in group.measures
    assert not is_export_control("US-OFAC") and not is_export_control("US-ISN")


def test_treasury_rows_keep_ofacs_entry_number_and_programmes(parsed):
    vtb_like = next(r for r in parsed.records if r.record_id == "SSI-18792")
    assert vtb_like.authority == "US-OFAC" and vtb_like.programmes == ("UKRAINE-EO13662",)
    assert vtb_like.cross_refs == ("ofac:18792",) and vtb_like.identifiers["Tax ID"] == "5030056754"
    kunlun = next(r for r in parsed.records if r.record_id == "CAP-15268")
    assert kunlun.identifiers["SWIFT/BIC"] == "CKLBCNBJ" and len(kunlun.addresses) == 4
    haniya_list = next(r for r in parsed.records if r.name == "ABDUL JAWAD, Naser")
    assert haniya_list.kind is EntityKind.PERSON and haniya_list.identifiers["Date of birth"] == "1965"


def test_a_card_reads_on_the_entity_list_export_controls_us_commerce_bis(csl_bot):
    reply = csl_bot.answer("/who 32 Group China Ltd.")
    assert "on the Entity List (export controls), US Commerce BIS" in reply.text
    assert "Export controls (not sanctions)" in reply.text
    assert "Sanctions: none recorded in the loaded data" in reply.text
    assert "designated 2015-11-12" not in reply.text and "listed 2015-11-12" in reply.text


def test_asked_whether_it_is_sanctioned_the_answer_counts_no_export_control_but_says_it(csl_bot):
    reply = csl_bot.answer("is 32 Group China Ltd. sanctioned?")
    assert reply.status.value == "not_found"
    assert reply.text.startswith("The loaded data records no sanction of 32 Group China Ltd.")
    assert "on the Entity List (export controls), US Commerce BIS" in reply.text
    assert "Lists loaded:" in reply.text and "trade.gov Consolidated Screening List loaded on" in reply.text


def test_sanctions_lists_export_controls_apart(csl_bot):
    listings = csl_bot.answer("/sanctions BIS")
    assert listings.text.startswith("29 export-control listings — US (BIS export controls)")
    everything = csl_bot.answer("/sanctions")
    assert "export-control listings (the Entity List and the other lists of BIS and DDTC) match as well" in (
        everything.text
    )
    assert "(export controls)" not in everything.text.split("Not counted")[0]


def test_the_json_form_gives_the_same_records_as_the_csv(parsed, tmp_path):
    converted = tmp_path / "consolidated.json"
    converted.write_text(json.dumps(_as_api_json(SAMPLE)), encoding="utf-8")
    assert detect_source([converted]) == "us-csl"
    from_json = {r.record_id: r for r in parse_us_csl(converted).records}
    assert from_json.keys() == {r.record_id for r in parsed.records}
    for record in parsed.records:
        other = from_json[record.record_id]
        same = ("name", "names", "kind", "authority", "regime", "programmes", "identifiers", "addresses", "listed_on")
        assert all(getattr(record, f) == getattr(other, f) for f in same)


def test_the_csv_is_told_from_its_content_and_has_trade_govs_download_as_default():
    assert detect_source([SAMPLE]) == "us-csl"
    assert CATALOGUE["us-csl"].urls == (
        "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
    )


def _damaged(how):
    data = SAMPLE.read_bytes()
    if how == "cut inside a row":
        return data[: len(data) // 2]
    if how == "a row without a name":
        lines = data.split(b"\n")
        cells = next(csv.reader([lines[5].decode("utf-8")]))
        cells[COLUMNS.index("name")] = ""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(cells)
        lines[5] = buffer.getvalue().rstrip("\n").encode("utf-8")
        return b"\n".join(lines)
    if how == "an unknown source list":
        return data.replace(b"Unverified List (UVL) - Bureau of Industry and Security", b"Somebody's list (XYZ)")
    if how == "not the csl":
        return b"name,address\nACME,1 Main Street\n"
    if how == "json without results":
        return b'{"total": 0}'
    return b""


@pytest.mark.parametrize(
    "how",
    [
        "cut inside a row",
        "a row without a name",
        "an unknown source list",
        "not the csl",
        "json without results",
        "empty",
    ],
)
def test_a_damaged_copy_is_refused_naming_the_file(how, tmp_path):
    damaged = tmp_path / "damaged-csl.csv"
    damaged.write_bytes(_damaged(how))
    with pytest.raises(DataError, match=rf"^{damaged.name}"):
        parse_us_csl(damaged)


def test_a_digest_of_a_csl_edition_files_entity_list_additions_as_export_controls_apart(tmp_path):
    store = Store.open(str(tmp_path / "s.sqlite3"))
    text = SAMPLE.read_text(encoding="utf-8")
    header, *rows = text.splitlines(keepends=True)
    first = tmp_path / "csl-first.csv"
    first.write_text(header + "".join(r for r in rows if not r.startswith("Entity List (EL)")), encoding="utf-8")
    refresh_files(store, "us-csl", [first], now=TODAY)
    refresh_files(store, "us-csl", [SAMPLE], now=TODAY)
    events = store.events(source="us-csl")
    assert len(events) == 18 and all(e.authority == "US-BIS" for e in events)
    subscription = parse_subscription("BIS", platform="cli", workspace="w", channel="c", user=None)
    digest = render_digest(events, load_knowledge(store), subscription, since=None, now=TODAY)
    assert "US (BIS export controls) — New export-control listings (not sanctions) (18)" in digest.text
    assert "Entity List (export controls)" in digest.text and "New designations" not in digest.text


def test_the_stix_brief_labels_an_entity_list_party_export_controlled_not_sanctioned(csl_bot):
    kb = csl_bot.kb
    entity_id = csl_bot.answer("/who 32 Group China Ltd.").entity["id"]
    bundle = brief_stix(kb, build_brief(kb, entity_id))
    [party] = [o for o in bundle["objects"] if o.get("name") == "32 Group China Ltd."]
    assert party["labels"] == ["export-controlled"]
    assert any(
        "on the Entity List (export controls), US Commerce BIS" in r["description"]
        for r in party["external_references"]
    )


@pytest.mark.parametrize(
    "question", ["is 32 Group China Ltd. on the Entity List?", "has BIS listed 32 Group China Ltd.?"]
)
def test_asked_about_the_entity_list_the_answer_is_its_listing_as_export_controls(csl_bot, question):
    reply = csl_bot.answer(question)
    assert reply.status.value == "found"
    assert reply.text.startswith("Yes: 32 Group China Ltd. is listed by US (BIS export controls): export controls")
    assert "on the Entity List (export controls), US Commerce BIS" in reply.text
    assert "sanctioned" not in reply.text.split("\n")[0]


def test_a_party_not_on_the_entity_list_gets_a_no_that_says_the_loaded_copy_is_a_sample(csl_bot):
    reply = csl_bot.answer("is 183rd Guard Air Defense Missile Regiment on the Entity List?")
    assert reply.status.value == "not_found"
    assert reply.text.startswith("The loaded data records no listing of")
    assert "Sanctions (not export controls)" in reply.text  # State's nonproliferation sanction, apart


def test_with_no_export_control_list_loaded_the_entity_list_question_says_so_never_a_bare_no(tmp_path):
    store = Store.open(str(tmp_path / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    bot = Bot(load_knowledge(store), clock=lambda: TODAY)
    reply = bot.answer("is i-Soon on the Entity List?")
    assert reply.text.startswith("The loaded data records no listing of i-Soon by US (BIS export controls).")
    assert "No BIS export-control list is loaded, so the data cannot say what is or is not on it." in reply.text
    assert "No BIS export-control list is loaded" in bot.answer("what did BIS add to the Entity List in 2019?").text


def test_a_sample_beside_a_whole_list_of_the_authority_makes_no_no_partial(csl_bot):
    # The sample (110 records) is part of the trade.gov list, which states OFAC's listings too; OFAC's own list is
    # loaded beside it (the bundled SDN list): a "no" about OFAC rests on that, yet said the US list loaded was "only
    # part of it".
    reply = csl_bot.answer("is i-Soon sanctioned by OFAC?")
    assert "only part of it" not in reply.text, reply.text
    assert "(only 110 records: part of the list)" in reply.text


def test_a_denied_persons_order_past_its_end_date_is_said_to_have_ended(csl_bot):
    # The sample's ADRIAN MANUEL HERNANDEZ: DPL order from 2017-10-16, end_date 2020-10-13. The card said "listed
    # 2017-10-16" alone: the record's end date was read and dropped by the merge, and an export desk took it as current.
    card = csl_bot.answer("/who Adrian Manuel Hernandez")
    assert "US Commerce BIS (ended) — listed 2017-10-16" in card.text, card.text
    assert "ENDED: the order's end date the list gives, 2020-10-13" in card.text
    # The timeline had said "delisted": no one delisted him, the order lapsed.
    assert "2020-10-13 — US (BIS export controls): order ended (the end date the list gives)" in card.text


def test_screening_a_name_whose_only_order_has_ended_asks_a_person_and_says_why(csl_bot):
    # ADRIAN MANUEL HERNANDEZ's order ended 2020-10-13: screened, his name had been a "match", as a current hit.
    ended = screen_row(csl_bot.kb, InputRow(2, "ADRIAN MANUEL HERNANDEZ"), TODAY.date())
    assert ended.verdict is Verdict.POSSIBLE
    assert (
        ended.note
        == "the name is a listed name, but every listing of this entity on the lists loaded has ended: decide"
    )
    assert "Denied Persons List (export controls), listed 2017-10-16, ended 2020-10-13" in ended.hits[0].lists[0]
    # A near spelling of it says so too.
    near = screen_row(csl_bot.kb, InputRow(3, "Adrian Manuel Hernandes"), TODAY.date())
    assert near.verdict is Verdict.POSSIBLE
    assert near.note == "every listing of ADRIAN MANUEL HERNANDEZ on the lists loaded has ended"
    # Looked back to a day the order was in force, it is a match, its end given as to come.
    then = screen_row(csl_bot.kb, InputRow(2, "ADRIAN MANUEL HERNANDEZ"), dt.date(2019, 1, 1))
    assert then.verdict is Verdict.MATCH
    assert "listed 2017-10-16, ends 2020-10-13" in then.hits[0].lists[0]
    # ABDULAH AL NASSER's order runs to 2056: a match.
    standing = screen_row(csl_bot.kb, InputRow(3, "ABDULAH AL NASSER"), TODAY.date())
    assert standing.verdict is Verdict.MATCH, (standing.note, standing.hits)


def test_an_entity_list_party_gone_from_a_later_edition_is_delisted_not_an_order_ended(tmp_path):
    # The sample again without one Entity List row (A. Leib Ltd.): the party went from the later copy. It was delisted
    # (on a day the undated copies cannot give), not an order that lapsed on an end date the list gives.
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    later = tmp_path / "csl_later.csv"
    later.write_text("".join(line for line in lines if ",A. Leib Ltd.," not in line), encoding="utf-8")
    store = Store.open(str(tmp_path / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    refresh_files(store, None, [SAMPLE], now=TODAY - dt.timedelta(days=7))
    refresh_files(store, None, [later], now=TODAY)
    card = Bot(load_knowledge(store), clock=lambda: TODAY).answer("/who A. Leib Ltd.")
    assert "DELISTED: not in the copy of the list loaded on 2026-11-25 (publisher's date unknown)" in card.text
    assert "ENDED" not in card.text and "order ended" not in card.text
    # Its co-listed parties are on the Entity List only: export controls, never "Sanctioned".
    assert "Gulf Gate Sea Cargo LLC (company) — co-listed (export controls) with" in card.text
    assert "Export controls: on the Entity List (export controls), US Commerce BIS — listed 2016-06-21" in card.text
    assert "Sanctioned:" not in card.text


def test_an_exact_hit_that_has_ended_shows_the_standing_listed_name_near_it(tmp_path):
    # AL NASER WINGS AIRLINES: a Denied Persons order that ended 2019-12-03, and near it OFAC's standing AL-NASER
    # AIRLINES (SDGT). The row said only that every designation had ended, steering a reviewer to clear it.
    store = Store.open(str(tmp_path / "s.sqlite3"))
    prepare_store(store, now=TODAY)
    refresh_files(store, None, [SAMPLE], now=TODAY)
    refresh_files(store, "ofac-sdn", [REAL / "ofac" / "sdn_2024-05-03.csv"], now=TODAY, as_of=dt.date(2024, 5, 3))
    screened = screen_row(load_knowledge(store), InputRow(2, "AL NASER WINGS AIRLINES"), TODAY.date())
    assert screened.verdict is Verdict.POSSIBLE
    assert screened.note.endswith("has ended: decide; closest standing listed name: AL-NASER AIRLINES (0.76)")
