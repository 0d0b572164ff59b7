"""Refresh from publishers against a stand-in on loopback: conditional requests, gzip, failures, the due pass."""

import datetime as dt

import pytest

from conftest import REAL, TODAY, run_briefbot
from knowledge.lists.schedule import FetchSettings, Outcome, refresh_due, refresh_lists
from knowledge.store.database import Store
from knowledge.store.refresh_state import RefreshState

UN_AUGUST = (REAL / "un" / "UN_consolidated_2018-08-24.xml").read_bytes()
UN_OCTOBER = (REAL / "un" / "UN_consolidated_2018-10-29.xml").read_bytes()
CONLIST_APRIL = (REAL / "uk" / "hmt_conlist_2018-04-13.csv").read_bytes()


class Waits(list):
    """Stands in for time.sleep: the backoff is recorded, never waited."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def quick(waits: Waits | None = None) -> FetchSettings:
    return FetchSettings(timeout=1.0, attempts=3, backoff=2.0, sleep=waits if waits is not None else Waits())


@pytest.fixture
def sqlite_store(tmp_path) -> Store:
    return Store.open(str(tmp_path / "schedule.sqlite3"))


def status(store: Store, source: str):
    return RefreshState(store.engine, migrated=True).statuses()[source]


def test_an_unchanged_list_costs_one_small_conditional_request(store: Store, publisher):
    publisher.serve("/un/consolidated.xml", UN_AUGUST)
    [first] = refresh_lists(store, ["un-sc"], now=TODAY, settings=quick()).outcomes
    assert first.outcome is Outcome.CHANGED and first.result.snapshot.record_count == 701 + 397
    [again] = refresh_lists(store, ["un-sc"], now=TODAY + dt.timedelta(hours=7), settings=quick()).outcomes
    assert again.outcome is Outcome.UNCHANGED
    full, conditional = publisher.requests_to("/un/consolidated.xml")
    assert full.status == 200 and full.headers["Accept-Encoding"] == "gzip"
    assert full.sent_bytes < len(UN_AUGUST) / 4  # it came gzipped
    assert conditional.status == 304 and conditional.sent_bytes == 0
    assert conditional.headers["If-None-Match"] and conditional.headers["If-Modified-Since"]
    assert len(store.snapshots("un-sc")) == 1
    assert status(store, "un-sc").last_success == TODAY + dt.timedelta(hours=7)


def test_a_new_copy_at_the_publisher_is_fetched_whole_and_its_changes_recorded(sqlite_store: Store, publisher):
    publisher.serve("/un/consolidated.xml", UN_AUGUST)
    refresh_lists(sqlite_store, ["un-sc"], now=TODAY, settings=quick())
    publisher.serve("/un/consolidated.xml", UN_OCTOBER)
    [outcome] = refresh_lists(sqlite_store, ["un-sc"], now=TODAY + dt.timedelta(hours=7), settings=quick()).outcomes
    assert outcome.outcome is Outcome.CHANGED
    assert [s.as_of.isoformat() for s in sqlite_store.active()] == ["2018-10-29"]
    assert publisher.requests_to("/un/consolidated.xml")[-1].status == 200


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("404", "404 Not Found"),
        ("500", "500 Internal Server Error (gave up after 3 attempts)."),
        ("timeout", "timed out"),
        ("cut-with-length", "ended after"),
        ("cut-without-length", "consolidated.xml: not well-formed XML"),
        ("html-200", "sent a web page"),
    ],
)
def test_a_failing_publisher_is_reported_and_recorded_and_the_list_in_use_stays(
    sqlite_store: Store, publisher, how, message
):
    publisher.hang_seconds = 2.0
    publisher.serve("/un/consolidated.xml", UN_AUGUST)
    # The setup fetch succeeds however busy the machine: only the failing fetch has the short time-out.
    refresh_lists(sqlite_store, ["un-sc"], now=TODAY, settings=FetchSettings(timeout=30.0, sleep=Waits()))
    publisher.serve("/un/consolidated.xml", UN_OCTOBER)
    publisher.fail("/un/consolidated.xml", how)
    later = TODAY + dt.timedelta(hours=7)
    report = refresh_lists(sqlite_store, ["un-sc"], now=later, settings=quick())
    [outcome] = report.outcomes
    assert outcome.outcome is Outcome.FAILED and report.failed
    assert message in outcome.message
    assert [s.as_of.isoformat() for s in sqlite_store.active()] == ["2018-08-24"]
    assert sqlite_store.last_event_id() == 0
    recorded = status(sqlite_store, "un-sc")
    assert recorded.last_attempt == later and recorded.last_success == TODAY
    assert message in recorded.last_error
    # Tried again within the hour, not at the next six-hourly turn.
    assert recorded.next_due == later + dt.timedelta(hours=1)


def test_a_server_error_is_retried_with_a_growing_wait_and_then_succeeds(sqlite_store: Store, publisher):
    publisher.serve("/un/consolidated.xml", UN_AUGUST)
    publisher.fail("/un/consolidated.xml", "500", times=2)
    waits = Waits()
    [outcome] = refresh_lists(sqlite_store, ["un-sc"], now=TODAY, settings=quick(waits)).outcomes
    assert outcome.outcome is Outcome.CHANGED
    assert waits == [2.0, 4.0]
    assert [s.status for s in publisher.requests_to("/un/consolidated.xml")] == [500, 500, 200]


def test_one_failing_publisher_never_stops_the_others(sqlite_store: Store, publisher, monkeypatch):
    monkeypatch.setenv("BRIEFBOT_URL_UK_CONLIST", f"{publisher.url}/uk/ConList.csv")
    publisher.fail("/un/consolidated.xml", "500")
    publisher.serve("/uk/ConList.csv", CONLIST_APRIL)
    report = refresh_lists(sqlite_store, ["un-sc", "uk-conlist"], now=TODAY, settings=quick())
    assert report.of(Outcome.FAILED) == ["un-sc"] and report.of(Outcome.CHANGED) == ["uk-conlist"]
    assert report.lines()[-1] == "In all: changed: uk-conlist; failed: un-sc."
    assert [s.source for s in sqlite_store.active()] == ["uk-conlist"]


def test_the_due_pass_refreshes_a_list_only_when_its_interval_has_passed(sqlite_store: Store, publisher, monkeypatch):
    publisher.serve("/un/consolidated.xml", UN_AUGUST)
    first = refresh_due(sqlite_store, now=TODAY, settings=quick())
    assert first.of(Outcome.CHANGED) == ["un-sc"]
    due = status(sqlite_store, "un-sc").next_due
    # Six hours, moved by up to 10% either way so that installs do not all call the publisher at once.
    assert dt.timedelta(hours=5.4) <= due - TODAY <= dt.timedelta(hours=6.6)
    assert refresh_due(sqlite_store, now=TODAY + dt.timedelta(hours=5), settings=quick()).outcomes == []
    assert len(publisher.requests_to("/un/consolidated.xml")) == 1
    assert refresh_due(sqlite_store, now=due, settings=quick()).of(Outcome.UNCHANGED) == ["un-sc"]
    monkeypatch.setenv("BRIEFBOT_REFRESH_EVERY_UN_SC", "2d")
    assert refresh_due(sqlite_store, now=due + dt.timedelta(hours=7), settings=quick()).outcomes == []
    monkeypatch.setenv("BRIEFBOT_REFRESH_EVERY", "off")
    assert refresh_due(sqlite_store, now=due + dt.timedelta(days=3), settings=quick()).lines() == [
        "Scheduled refresh is off (BRIEFBOT_REFRESH_EVERY=off)."
    ]


def test_one_replica_at_a_time_runs_the_due_pass(store: Store, publisher):
    publisher.serve("/un/consolidated.xml", UN_AUGUST)
    other = Store(store.engine) if store.engine.dialect.name == "sqlite" else Store.open(str(store.engine.url))
    with other.exclusive("refresh-pass") as mine:
        assert mine
        report = refresh_due(store, now=TODAY, settings=quick())
    assert report.busy and report.outcomes == []
    assert publisher.requests_to("/un/consolidated.xml") == []
    assert refresh_due(store, now=TODAY, settings=quick()).of(Outcome.CHANGED) == ["un-sc"]


def test_a_bad_interval_is_refused_naming_the_variable(sqlite_store: Store, publisher, monkeypatch):
    monkeypatch.setenv("BRIEFBOT_REFRESH_EVERY_UN_SC", "often")
    with pytest.raises(Exception, match="BRIEFBOT_REFRESH_EVERY_UN_SC='often' is not an interval"):
        refresh_due(sqlite_store, now=TODAY, settings=quick())


def test_refresh_due_and_sources_from_the_command_line(publisher, tmp_path):
    publisher.serve("/un/consolidated.xml", UN_AUGUST)
    publisher.fail("/uk/ConList.csv", "404")
    env = {
        "BRIEFBOT_DB": str(tmp_path / "cli.sqlite3"),
        "BRIEFBOT_URL_UK_CONLIST": f"{publisher.url}/uk/ConList.csv",
        "BRIEFBOT_REFRESH_EVERY_UK_CONLIST": "6h",
    }
    ran = run_briefbot("refresh", "--due", "--timeout", "2", env=env)
    assert ran.returncode == 3, ran.stderr
    assert "un-sc: 1,098 records as of 2018-08-24" in ran.stdout
    assert "uk-conlist: failed:" in ran.stdout and "404 Not Found" in ran.stdout
    assert "In all: changed: un-sc; failed: uk-conlist." in ran.stdout
    again = run_briefbot("refresh", "--due", env=env)
    assert again.returncode == 0 and again.stdout.strip() == "No list is due for a refresh."
    sources = run_briefbot("sources", env=env).stdout
    assert "last attempt" in sources and "last success" in sources
    assert "uk-conlist" in sources and "last success never; last error: uk-conlist: failed:" in sources
    usage = run_briefbot("refresh", "--due", "--source", "un-sc", env=env)
    assert usage.returncode == 2 and "--due takes every list" in usage.stderr


def test_a_first_download_that_looks_cut_is_held_back_until_a_whole_copy_comes(
    sqlite_store: Store, publisher, monkeypatch
):
    # Nothing of the user's to compare with: the file's own sign of a cut (its last row has no line break) holds it.
    monkeypatch.setenv("BRIEFBOT_URL_UK_CONLIST", f"{publisher.url}/uk/ConList.csv")
    cut = CONLIST_APRIL.rstrip(b"\r\n")[:-2]  # inside the last field, the Group ID
    assert not cut.endswith(b"\n")
    publisher.serve("/uk/ConList.csv", cut)
    [held] = refresh_lists(sqlite_store, ["uk-conlist"], now=TODAY, settings=quick()).outcomes
    assert held.outcome is Outcome.HELD_BACK and "looks cut off" in held.message
    assert not [s for s in sqlite_store.active() if s.source == "uk-conlist"]
    publisher.serve("/uk/ConList.csv", CONLIST_APRIL)
    later = TODAY + dt.timedelta(hours=7)
    [whole] = refresh_lists(sqlite_store, ["uk-conlist"], now=later, settings=quick()).outcomes
    assert whole.outcome is Outcome.CHANGED
    assert [s.source for s in sqlite_store.active()] == ["uk-conlist"]
