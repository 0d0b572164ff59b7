"""Soak: the clock process's pass (due refresh, then digests) over days of real snapshots from a stand-in publisher,
with outages and cut files: each digest holds exactly the changes the raw rows show, once."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from bot.digest.delivery import DigestRunner
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription
from conftest import REAL
from knowledge.base import KnowledgeBase
from knowledge.lists.catalogue import CATALOGUE
from knowledge.lists.schedule import FetchSettings, refresh_due
from knowledge.store.database import Store
from knowledge.store.refresh_state import RefreshState
from publisher_standin import publisher_standin

OFAC = {day: (REAL / "ofac" / f"sdn_{day}.csv") for day in ("2024-03-22", "2024-03-25", "2024-05-03")}
CONLIST = {
    "2018-04-13": REAL / "uk" / "hmt_conlist_2018-04-13.csv",
    "2018-11-29": REAL / "uk" / "hmt_conlist_c2018-11-29_headerless.csv",
}
UN = {day: REAL / "un" / f"UN_consolidated_{day}.xml" for day in ("2018-08-24", "2018-10-29")}
PATHS = {"ofac-sdn": "/ofac/SDN.CSV", "uk-conlist": "/uk/ConList.csv", "un-sc": "/un/consolidated.xml"}
# The morning of the first day; each day the clock process wakes at 08:00 UTC.
START = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)


# --- what the raw rows say changed, read without the importers ---


def _ofac_rows(path: Path) -> dict[str, tuple[str, ...]]:
    text = path.read_bytes().decode("latin-1").rstrip("\x1a")
    return {row[0]: tuple(row) for row in csv.reader(io.StringIO(text)) if len(row) > 1}


def _conlist_rows(path: Path) -> dict[str, list[tuple[str, ...]]]:
    lines = path.read_bytes().decode("cp1252").splitlines()
    if lines[0].startswith("Last Updated"):
        lines = lines[2:]
    groups: dict[str, list[tuple[str, ...]]] = {}
    for row in csv.reader(lines):
        if len(row) > 1:
            # Spaces around a cell are layout, not content (group 9002 gains and loses some between these files).
            groups.setdefault(row[-1].strip(), []).append(tuple(cell.strip() for cell in row))
    return {group: sorted(rows) for group, rows in groups.items()}


def _un_rows(path: Path) -> dict[str, bytes]:
    root = ET.parse(path).getroot()
    found = {}
    for element in [*root.iter("INDIVIDUAL"), *root.iter("ENTITY")]:
        element.tail = None
        found[element.findtext("REFERENCE_NUMBER").strip()] = ET.tostring(element)
    return found


READERS = {"ofac-sdn": _ofac_rows, "uk-conlist": _conlist_rows, "un-sc": _un_rows}


def raw_changes(source: str, before: Path, after: Path) -> Counter:
    old, new = READERS[source](before), READERS[source](after)
    changes = Counter()
    changes.update(("added", source, key) for key in new.keys() - old.keys())
    changes.update(("removed", source, key) for key in old.keys() - new.keys())
    changes.update(("amended", source, key) for key in old.keys() & new.keys() if old[key] != new[key])
    return changes


# --- the clock process against the stand-in ---


class Channel:
    max_lines = 40

    def __init__(self) -> None:
        self.sent: list[tuple[str, object]] = []

    def send(self, subscription, reply, *, key: str) -> None:
        self.sent.append((key, reply))


@pytest.fixture
def clock_process(tmp_path, monkeypatch):
    with publisher_standin() as publisher:
        monkeypatch.delenv("BRIEFBOT_REFRESH_EVERY", raising=False)
        for name in CATALOGUE:
            variable = name.upper().replace("-", "_")
            if name in PATHS:
                monkeypatch.setenv(f"BRIEFBOT_URL_{variable}", publisher.url + PATHS[name])
                monkeypatch.setenv(f"BRIEFBOT_REFRESH_EVERY_{variable}", "6h")
            else:
                monkeypatch.setenv(f"BRIEFBOT_REFRESH_EVERY_{variable}", "off")
        # Only the three lists the publisher serves: a list in use that is never refreshed (a bundled extract)
        # would rightly keep every heartbeat from saying "no changes".
        store = Store.open(str(tmp_path / "soak.sqlite3"))
        now = [START]
        settings = FetchSettings(timeout=2.0, attempts=2, backoff=0.0, sleep=lambda _: None)
        channel = Channel()
        kb = KnowledgeBase.from_curated()
        runner = DigestRunner(
            digests=DigestStore(store.engine),
            store=store,
            knowledge=lambda: kb,
            senders={"slack": channel},
            worker="clock",
            clock=lambda: now[0],
            before_pass=lambda: refresh_due(store, now=now[0], settings=settings),
        )
        yield publisher, store, runner, channel, now


def serve(publisher, source: str, path: Path) -> None:
    publisher.serve(PATHS[source], path.read_bytes())


def digest_changes(reply) -> Counter:
    return Counter((item["kind"], item["source"], item["record_id"]) for item in reply.items)


def test_a_week_of_real_snapshots_outages_and_a_cut_file_gives_digests_of_exactly_the_raw_changes(clock_process):
    publisher, store, runner, channel, now = clock_process
    serve(publisher, "ofac-sdn", OFAC["2024-03-22"])
    serve(publisher, "uk-conlist", CONLIST["2018-04-13"])
    serve(publisher, "un-sc", UN["2018-08-24"])
    runner.run_once()  # 07:00: the first refresh; no one is subscribed yet
    # (The OFAC CSV states no date: which date it gets is the as-of rule's business, not this test's.)
    dates = {s.source: s.as_of.isoformat() for s in store.active()}
    assert sorted(dates) == ["ofac-sdn", "uk-conlist", "un-sc"]
    assert (dates["uk-conlist"], dates["un-sc"]) == ("2018-04-13", "2018-08-24")
    first_loads = store.last_event_id()
    runner.digests.save(
        Subscription(platform="slack", workspace="T1", channel="C1", heartbeat=True, cursor=first_loads),
        now=START + dt.timedelta(minutes=30),
    )

    def next_morning() -> object:
        now[0] = now[0].replace(hour=8) + dt.timedelta(days=1)
        runner.run_once()
        key, reply = channel.sent[-1]
        assert key.endswith(now[0].date().isoformat())
        return reply

    # Day 1: OFAC's next list (+23, the APT31 designations among them); the UN publisher is down all morning.
    serve(publisher, "ofac-sdn", OFAC["2024-03-25"])
    publisher.fail(PATHS["un-sc"], "500")
    day1 = next_morning()
    assert digest_changes(day1) == raw_changes("ofac-sdn", OFAC["2024-03-22"], OFAC["2024-03-25"])
    assert sum(digest_changes(day1).values()) == 23
    assert "WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY, LIMITED" in {i["entity"] for i in day1.items}

    # Day 2: the UN is back with a newer list, the ConList has moved on, and OFAC's body is cut short.
    serve(publisher, "un-sc", UN["2018-10-29"])
    serve(publisher, "uk-conlist", CONLIST["2018-11-29"])
    serve(publisher, "ofac-sdn", OFAC["2024-05-03"])
    publisher.fail(PATHS["ofac-sdn"], "cut-with-length", times=2)
    day2 = next_morning()
    expected = raw_changes("un-sc", UN["2018-08-24"], UN["2018-10-29"])
    expected += raw_changes("uk-conlist", CONLIST["2018-04-13"], CONLIST["2018-11-29"])
    assert digest_changes(day2) == expected
    assert not any(source == "ofac-sdn" for _, source, _ in digest_changes(day2))

    # Day 3: OFAC's list of 3 May arrives whole: +450 / -15 / 11 amended, nothing else changed.
    day3 = next_morning()
    assert digest_changes(day3) == raw_changes("ofac-sdn", OFAC["2024-03-25"], OFAC["2024-05-03"])
    assert Counter(kind for kind, _, _ in digest_changes(day3)) == {"added": 450, "removed": 15, "amended": 11}

    # Day 4: every publisher answers "not modified": a true "no changes".
    day4 = next_morning()
    assert day4.title.startswith("No changes on the lists you follow since")
    assert {s.status for s in publisher.seen[-3:]} == {304}

    # Day 5: every publisher is down: the heartbeat must not claim "no changes" over lists it could not read.
    for path in PATHS.values():
        publisher.fail(path, "500")
    day5 = next_morning()
    assert day5.title.startswith("No changes recorded since") and "not every list was refreshed" in day5.title

    # Nothing sent twice, and every change event in exactly one digest.
    keys = [key for key, _ in channel.sent]
    assert len(keys) == len(set(keys)) == 5
    delivered = [item["event_id"] for _, reply in channel.sent for item in reply.items]
    assert len(delivered) == len(set(delivered))
    assert sorted(delivered) == [e.id for e in store.events(after_id=first_loads) if e.source != "curated"]
    # No false delisting: the only removals are the 15 OFAC ones and those the UN and ConList rows show.
    removed = {
        (source, key) for _, reply in channel.sent for kind, source, key in digest_changes(reply) if kind == "removed"
    }
    assert removed == {(s, k) for kind, s, k in (expected + digest_changes(day3)) if kind == "removed"}


def test_a_list_cut_at_a_row_boundary_never_becomes_delistings_in_use(clock_process):
    publisher, store, runner, _channel, now = clock_process
    whole = OFAC["2024-03-25"].read_bytes()
    serve(publisher, "ofac-sdn", OFAC["2024-03-25"])
    runner.run_once()
    runner.digests.save(
        Subscription(platform="slack", workspace="T1", channel="C1", heartbeat=True, cursor=store.last_event_id()),
        now=START + dt.timedelta(minutes=30),
    )
    # `head -n 7000` of the list, served as a whole file without a length: only the file can tell it is cut.
    cut = b"\r\n".join(whole.split(b"\r\n")[:7000]) + b"\r\n"
    publisher.serve(PATHS["ofac-sdn"], cut)
    now[0] = now[0].replace(hour=8) + dt.timedelta(days=1)
    runner.run_once()
    in_use = next(s for s in store.active() if s.source == "ofac-sdn")
    assert in_use.record_count == 14_530
    assert not [e for e in store.events(source="ofac-sdn") if e.kind.value == "removed"]
    assert "held back" in (RefreshState(store.engine).statuses()["ofac-sdn"].last_error or "")
