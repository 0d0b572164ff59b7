"""Digests: subscriptions, filters, rendering, and delivery exactly once, all on an injected clock."""

import datetime as dt
import logging
import shutil
import threading
from pathlib import Path

import pytest

from bot.digest.delivery import ChannelGone, DigestRunner, SendFailed
from bot.digest.schedule import due_period
from bot.digest.store import DigestStore
from bot.digest.subscriptions import Subscription, parse_subscription
from bot.reply import Reply, Status
from bot.request import Request
from bot.service import Bot
from conftest import REAL, TODAY
from knowledge.lists.refresh import refresh_files
from knowledge.loading import load_knowledge
from knowledge.store.database import Store
from knowledge.store.refresh_state import RefreshState

OFAC = REAL / "ofac"
MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand; nothing here waits for real time."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class RecordingSender:
    max_lines = 40

    def __init__(self, failures: list[Exception] | None = None) -> None:
        self.sent: list[tuple[str, Reply, str]] = []
        self.failures = list(failures or [])
        self.lock = threading.Lock()

    def send(self, subscription: Subscription, reply: Reply, *, key: str) -> None:
        if self.failures:
            raise self.failures.pop(0)
        with self.lock:
            self.sent.append((subscription.channel, reply, key))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the OFAC list of 2024-03-22 loaded, built once and copied for each test."""
    path = tmp_path_factory.mktemp("digest") / "template.sqlite3"
    store = Store.open(str(path))
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-03-22.csv"], now=TODAY, as_of=dt.date(2024, 3, 22))
    DigestStore(store.engine)
    store.engine.dispose()
    return path


@pytest.fixture
def world(template: Path, tmp_path: Path):
    path = tmp_path / "digest.sqlite3"
    shutil.copyfile(template, path)
    store = Store.open(str(path))
    digests = DigestStore(store.engine)
    clock = Clock(MONDAY_9AM)
    return store, digests, clock


_KNOWLEDGE: dict[tuple, object] = {}


def knowledge(store: Store):
    """The knowledge base for the store as it is now, built once per state (as a running bot holds one).

    Keyed by content, not by file: each test copies one template and loads the same real files in the same order,
    so tests reaching the same state share one build (a build of the full OFAC list takes seconds)."""
    snapshots = tuple((s.id, s.source, s.content_hash, s.active, s.as_of_known, s.held_back) for s in store.snapshots())
    key = (snapshots, store.last_event_id())
    if key not in _KNOWLEDGE:
        if len(_KNOWLEDGE) >= 4:
            _KNOWLEDGE.pop(next(iter(_KNOWLEDGE)))
        _KNOWLEDGE[key] = load_knowledge(store)
    return _KNOWLEDGE[key]


def subscribe(store, digests, clock, text: str, channel: str = "C1", manage: bool = True) -> Reply:
    bot = Bot(knowledge(store), clock=clock, store=store, digests=digests)
    request = Request(
        text=text, platform="slack", workspace="T1", channel=channel, user="U1", can_manage_channel=manage
    )
    return bot.answer(request)


def runner(store, digests, clock, sender, worker="w1", sleep=None) -> DigestRunner:
    waits: list[float] = []
    made = DigestRunner(
        digests=digests,
        store=store,
        knowledge=lambda: knowledge(store),
        senders={"slack": sender},
        worker=worker,
        clock=clock,
        sleep=sleep or waits.append,
    )
    made.waits = waits  # type: ignore[attr-defined]
    return made


def load_march_25(store: Store) -> None:
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-03-25.csv"], now=TODAY, as_of=dt.date(2024, 3, 25))


def preview_after_may_3(store, digests, clock, watch: str) -> str:
    """The digest a channel watching `watch` would get over OFAC's editions of 25 March and 3 May 2024."""
    subscribe(store, digests, clock, f'/digest subscribe 08:00 watch:"{watch}"')
    load_march_25(store)
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-05-03.csv"], now=TODAY, as_of=dt.date(2024, 5, 3))
    return subscribe(store, digests, clock, "/digest preview").text


def test_a_us_cyb_subscription_gets_only_the_three_cyber2_designations_with_their_programme(world):
    store, digests, clock = world
    reply = subscribe(store, digests, clock, "/digest subscribe 08:00 UTC US-CYB")
    assert reply.status is Status.OK and "regime US-CYB" in reply.text
    load_march_25(store)
    clock.advance(days=1)
    sender = RecordingSender()
    assert runner(store, digests, clock, sender).run_once() == ["sent 1"]
    [(_, digest, key)] = sender.sent
    names = {item["entity"] for item in digest.items}
    assert names == {"WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY, LIMITED", "ZHAO, Guangzong", "NI, Gaobin"}
    assert digest.text.count("US cyber-related sanctions (EO 13694 as amended by EO 13757)") == 3
    lines = " ".join(line.text for section in digest.sections for line in section.lines)
    assert "CYBER2" not in lines and "US-CYB" not in lines
    assert "US (OFAC) — New designations (3)" in digest.text
    assert all(line.command.startswith("/who ") for s in digest.sections for line in s.lines)
    assert key == "digest:1:2026-11-24"


def test_an_unfiltered_digest_counts_every_change_and_summarises_past_the_limit(world):
    store, digests, clock = world
    subscribe(store, digests, clock, "/digest subscribe 08:00")
    load_march_25(store)
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-05-03.csv"], now=TODAY, as_of=dt.date(2024, 5, 3))
    clock.advance(days=1)
    sender = RecordingSender()
    runner(store, digests, clock, sender).run_once()
    [(_, digest, _)] = sender.sent
    assert digest.subtitle == "473 new designations · 15 delistings · 11 amendments"
    assert "… and" in digest.text and "more: /sanctions since 2024-03-25" in digest.text
    assert sum(len(s.lines) for s in digest.sections) <= RecordingSender.max_lines + 3


def test_a_vessels_amendment_in_the_digest_shows_its_new_call_sign_and_flag(world):
    text = preview_after_may_3(*world, "SAINT LIGHT")
    assert "SAINT LIGHT (OFAC SDN list 39693" in text
    assert "names: YOUNG YONG → SAINT LIGHT" in text
    assert "call sign: — → 8RAR1" in text and "vessel flag: Djibouti → Guyana" in text


def test_a_delisting_between_two_editions_reads_as_between_them_in_the_digest(world):
    # 25690 (JW JEWEL) is in OFAC's edition of 25 March 2024 and not in that of 3 May: it went between them.
    text = preview_after_may_3(*world, "JW JEWEL")
    assert "JW JEWEL (OFAC SDN list" in text
    assert "delisted between 2024-03-25 and 2024-05-03 (by the editions loaded)" in text
    assert "no longer listed as of 2024-05-03" not in text


def test_nothing_is_sent_twice_and_nothing_is_lost(world):
    store, digests, clock = world
    subscribe(store, digests, clock, "/digest subscribe 08:00")
    clock.advance(days=1)
    sender = RecordingSender()
    run = runner(store, digests, clock, sender)
    assert run.run_once() == ["quiet 1"]  # no changes yet: nothing sent, the day is done
    assert run.run_once() == []
    load_march_25(store)
    clock.advance(days=1)
    assert run.run_once() == ["sent 1"]
    clock.advance(hours=1)
    assert run.run_once() == []
    assert len(sender.sent) == 1 and len(sender.sent[0][1].items) == 23


def test_after_downtime_one_catch_up_digest_covers_the_whole_gap(world):
    store, digests, clock = world
    subscribe(store, digests, clock, "/digest subscribe 08:00")
    load_march_25(store)
    clock.advance(days=1)
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-05-03.csv"], now=TODAY, as_of=dt.date(2024, 5, 3))
    clock.advance(days=4)  # the process was down for four mornings
    sender = RecordingSender()
    assert runner(store, digests, clock, sender).run_once() == ["sent 1"]
    [(_, digest, _)] = sender.sent
    assert len(digest.items) == 23 + 450 + 15 + 11
    assert [row.period for row in digests.deliveries()] == ["2026-11-28"]


def test_a_sender_that_crashes_between_claiming_and_recording_is_delivered_once_after_restart(world):
    store, digests, clock = world
    subscribe(store, digests, clock, "/digest subscribe 08:00")
    load_march_25(store)
    clock.advance(days=1)
    crashed = runner(store, digests, clock, RecordingSender(), worker="crashed")
    subscription = digests.enabled()[0]
    period = due_period(subscription, clock(), set())
    assert digests.claim(subscription.id, period, worker="crashed", now=clock(), lease=crashed.lease)
    # ... and the process dies here, before sending and recording.
    sender = RecordingSender()
    restarted = runner(store, digests, clock, sender, worker="restarted")
    assert restarted.run_once() == []  # the lease still holds
    clock.advance(minutes=6)
    assert restarted.run_once() == ["sent 1"]
    assert restarted.run_once() == []
    assert len(sender.sent) == 1
    assert [(row.period, row.worker) for row in digests.deliveries()] == [(period, "restarted")]


def test_two_senders_racing_on_one_store_deliver_once_per_subscription_and_period(world):
    store, digests, clock = world
    for number in range(20):
        subscribe(store, digests, clock, "/digest subscribe 08:00", channel=f"C{number}")
    load_march_25(store)
    clock.advance(days=1)
    sender = RecordingSender()
    runners = [runner(store, DigestStore(store.engine), clock, sender, worker=f"w{n}") for n in range(2)]
    barrier = threading.Barrier(2)

    def race(one: DigestRunner) -> None:
        barrier.wait()
        one.run_once()

    threads = [threading.Thread(target=race, args=(one,)) for one in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    channels = [channel for channel, _, _ in sender.sent]
    assert sorted(channels) == sorted(f"C{n}" for n in range(20))
    assert len(digests.deliveries()) == 20


def test_send_failures_are_retried_with_backoff_and_the_platforms_retry_after(world, caplog):
    store, digests, clock = world
    subscribe(store, digests, clock, "/digest subscribe 08:00")
    load_march_25(store)
    clock.advance(days=1)
    sender = RecordingSender([SendFailed("timeout"), SendFailed("rate limited", retry_after=30.0)])
    run = runner(store, digests, clock, sender)
    with caplog.at_level(logging.WARNING):
        assert run.run_once() == ["sent 1"]
    assert run.waits == [2.0, 30.0]
    assert "retrying" in caplog.text


def test_a_send_that_keeps_failing_is_released_and_tried_on_the_next_pass(world, caplog):
    store, digests, clock = world
    subscribe(store, digests, clock, "/digest subscribe 08:00")
    load_march_25(store)
    clock.advance(days=1)
    sender = RecordingSender([SendFailed("down")] * 4)
    run = runner(store, digests, clock, sender)
    with caplog.at_level(logging.ERROR):
        assert run.run_once() == ["failed 1"]
    assert "not sent after 4 attempts" in caplog.text
    assert run.run_once() == ["sent 1"]
    assert len(sender.sent) == 1


def test_a_channel_that_no_longer_exists_disables_its_subscription_with_a_log_line(world, caplog):
    store, digests, clock = world
    subscribe(store, digests, clock, "/digest subscribe 08:00")
    load_march_25(store)
    clock.advance(days=1)
    sender = RecordingSender([ChannelGone("channel_not_found")])
    with caplog.at_level(logging.WARNING):
        assert runner(store, digests, clock, sender).run_once() == ["disabled 1"]
    assert "the channel is gone (channel_not_found); subscription disabled" in caplog.text
    assert digests.enabled() == []
    assert "disabled" in subscribe(store, digests, clock, "/digest settings").title


def test_days_without_changes_send_nothing_unless_a_heartbeat_is_asked_for(world):
    store, digests, clock = world
    subscribe(store, digests, clock, "/digest subscribe 08:00", channel="quiet")
    subscribe(store, digests, clock, "/digest subscribe 08:00 heartbeat", channel="beating")
    clock.advance(days=1)
    sender = RecordingSender()
    runner(store, digests, clock, sender).run_once()
    [(channel, reply, _)] = sender.sent
    # The OFAC list was loaded from a file and never refreshed since: the heartbeat must not say "no changes".
    assert channel == "beating"
    assert reply.title == "No changes recorded since you subscribed, but not every list was refreshed in that time."
    assert reply.subtitle.startswith("Not refreshed: OFAC SDN list as of 2024-03-22 (possibly out of date")


def test_a_heartbeat_says_no_changes_only_over_lists_refreshed_in_its_window(world):
    store, digests, clock = world
    subscribe(store, digests, clock, "/digest subscribe 08:00 heartbeat", channel="beating")
    clock.advance(hours=12)
    RefreshState(store.engine).record("ofac-sdn", now=clock.now, next_due=None, result="unchanged")
    clock.advance(hours=12)
    sender = RecordingSender()
    runner(store, digests, clock, sender).run_once()
    [(_, reply, _)] = sender.sent
    assert reply.title == "No changes on the lists you follow since you subscribed."
    assert [f.value for f in reply.facts if f.label == "Lists as of"] == ["OFAC SDN list as of 2024-03-22"]


def test_only_someone_allowed_to_manage_the_channel_may_change_its_digest(world):
    store, digests, clock = world
    refused = subscribe(store, digests, clock, "/digest subscribe 08:00", manage=False)
    assert refused.status is Status.ERROR and "manage this channel" in refused.title
    assert digests.enabled() == []
    subscribe(store, digests, clock, "/digest subscribe 08:00")
    assert subscribe(store, digests, clock, "/digest settings", manage=False).status is Status.OK
    assert subscribe(store, digests, clock, "/digest unsubscribe", manage=False).status is Status.ERROR
    assert subscribe(store, digests, clock, "/digest unsubscribe").title == "Unsubscribed: no more digests here."


def test_preview_says_what_the_next_digest_would_and_now_sends_it_once(world):
    store, digests, clock = world
    subscribe(store, digests, clock, '/digest subscribe 08:00 watch:"Wuhan Xiaoruizhi"')
    load_march_25(store)
    preview = subscribe(store, digests, clock, "/digest preview")
    assert [i["entity"] for i in preview.items] == ["WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY, LIMITED"]
    now = subscribe(store, digests, clock, "/digest now")
    assert now.in_channel and len(now.items) == 1
    # The post failed (the adapter never confirmed it): nothing is lost for the channel.
    assert len(subscribe(store, digests, clock, "/digest preview").items) == 1
    clock.advance(seconds=1)
    sent = subscribe(store, digests, clock, "/digest now")
    Bot(knowledge(store), clock=clock, store=store, digests=digests).delivered(sent)
    assert subscribe(store, digests, clock, "/digest preview").items == []
    assert [row.matched for row in digests.deliveries()] == [1]


@pytest.mark.parametrize(
    ("settings", "now", "due"),
    [
        ("08:00 UTC", "2026-11-24T07:59:00+00:00", "2026-11-23"),
        ("08:00 UTC", "2026-11-24T08:00:00+00:00", "2026-11-24"),
        ("08:00 Asia/Tokyo", "2026-11-23T23:30:00+00:00", "2026-11-24"),  # 08:30 in Tokyo
        ("08:00 America/New_York mon-fri", "2026-11-29T15:00:00+00:00", "2026-11-27"),  # a Sunday: Friday's
        # 29 March 2026: UK clocks go forward. 08:30 UTC is 09:30 BST, after the 09:00 slot; 07:30 UTC is before it.
        ("09:00 Europe/London", "2026-03-29T08:30:00+00:00", "2026-03-29"),
        ("09:00 Europe/London", "2026-03-29T07:30:00+00:00", "2026-03-28"),
    ],
)
def test_due_periods_follow_the_time_zone_and_weekdays(settings, now, due):
    subscription = parse_subscription(settings, platform="slack", workspace="T", channel="C", user=None)
    assert due_period(subscription, dt.datetime.fromisoformat(now), set()) == due


def test_a_subscription_made_after_todays_time_starts_tomorrow():
    subscription = parse_subscription("08:00", platform="slack", workspace="T", channel="C", user=None)
    subscription = subscription.model_copy(update={"created_at": MONDAY_9AM})
    assert due_period(subscription, MONDAY_9AM + dt.timedelta(hours=1), set()) is None
    assert due_period(subscription, MONDAY_9AM + dt.timedelta(hours=23), set()) == "2026-11-24"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/digest subscribe 25:00", "not a time of day"),
        ("/digest subscribe 08:00 Mars/Olympus", "not a time zone"),
        ("/digest subscribe frobnicate", "I don't understand 'frobnicate'"),
        ('/digest subscribe watch:"i-Soon', "quotation mark"),
        ("/digest explode", "Tell me what to do"),
        ("/digest settings", "no digest subscription"),
    ],
)
def test_bad_digest_commands_get_a_clear_answer(world, text, message):
    store, digests, clock = world
    reply = subscribe(store, digests, clock, text)
    assert message in reply.title


def test_a_delisting_found_in_a_copy_without_a_stated_date_is_not_dated_by_its_load_day(world):
    # OFAC's CSV states no date: the 2024-05-03 file loaded without --as-of is dated only by its load day.
    store, digests, clock = world
    subscribe(store, digests, clock, '/digest subscribe 08:00 watch:"JW JEWEL"')
    refresh_files(store, "ofac-sdn", [OFAC / "sdn_2024-05-03.csv"], now=TODAY)
    loaded = TODAY.date().isoformat()
    removed = [e for e in store.events() if e.kind.value == "removed"]
    assert removed and not any(e.as_of_known for e in removed)
    preview = subscribe(store, digests, clock, "/digest preview")
    text = preview.text
    assert f"not in the copy of the list loaded on {loaded} (publisher's date unknown)" in text
    assert f"no longer listed as of {loaded}" not in text
    assert f"as of {loaded}" not in text
    # The card of a record that went says the same, and the record's earlier date stays the list's own.
    gone = store.delisted("ofac-sdn")[0]
    assert gone[1:] == (TODAY.date(), False)
    card = Bot(knowledge(store), clock=clock).answer(Request(text=f"/who {gone[0].name}"))
    card_text = card.text
    assert f"DELISTED: not in the copy of the list loaded on {loaded} (publisher's date unknown)" in card_text
    assert f"since {loaded}" not in card_text
