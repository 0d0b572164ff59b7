"""/status in chat and `briefbot status`: the lists loaded, their editions and freshness, the last refresh and digest;
`--json` on status, sources and snapshots."""

import datetime as dt
import json

from adapters.cli import console_request, main
from adapters.slack_app import command_text
from bot.digest.store import DigestStore
from bot.reply import Status
from bot.service import Bot
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store.database import Store
from knowledge.store.refresh_state import RefreshState

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _bot(tmp_path) -> tuple[Bot, Store]:
    store = Store.open(str(tmp_path / "status.sqlite3"))
    prepare_store(store, now=NOW)
    return Bot(load_knowledge(store), store=store, digests=DigestStore(store.engine), clock=lambda: NOW), store


def test_status_names_every_list_in_use_with_its_edition_and_freshness(tmp_path):
    bot, _ = _bot(tmp_path)
    reply = bot.answer("/status")
    assert reply.status is Status.OK and reply.command == "status"
    text = reply.text
    for snapshot in bot.kb.snapshots:
        assert f"as of {snapshot.as_of.isoformat()}" in text
        assert f"{snapshot.record_count:,} records" in text
    assert "UK Sanctions List as of 2025-08-11 (extract shipped with briefbot; possibly out of date" in text
    assert "Last refresh: never from a publisher" in text
    assert "Last digest: never (0 channel subscriptions)" in text


def test_status_tells_the_last_refresh_with_its_error_and_the_last_digest(tmp_path):
    bot, store = _bot(tmp_path)
    state = RefreshState(store.engine, migrated=True)
    state.record("un-sc", now=NOW - dt.timedelta(hours=2), next_due=None, error="HTTP 503 from the publisher")
    assert bot.answer(console_request("/digest subscribe UK")).status is Status.OK
    report = json.loads(json.dumps(bot.answer("/status").to_json()))
    assert "Last refresh: 2026-03-01 10:00 UTC (un-sc, failed: HTTP 503 from the publisher)" in report["text"]
    assert "Last digest: never (1 channel subscription)" in report["text"]
    un = next(item for item in report["items"] if item["source"] == "un-sc")
    assert un["loaded"] is False and un["last_refresh_error"] == "HTTP 503 from the publisher"


def test_slack_reaches_status_through_brief_since_slack_keeps_slash_status_for_itself():
    assert command_text("brief", "status") == "/status"


def test_briefbot_status_json_is_one_document(capsys):
    assert main(["status", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {"now", "entities", "lists", "possibly_out_of_date", "last_refresh", "digests"} <= set(document)
    sdn = next(item for item in document["lists"] if item["source"] == "ofac-sdn")
    assert sdn["edition"] == "2025-11-02" and sdn["bundled_extract"] is True
    assert sdn["freshness"]["expected_days"] >= 1


def test_sources_and_snapshots_print_json(capsys):
    assert main(["sources", "--json"]) == 0
    sources = json.loads(capsys.readouterr().out)
    uk = next(item for item in sources["lists"] if item["source"] == "uk-sanctions-list")
    assert uk["licence"] == "Open Government Licence v3.0" and uk["records"] > 0
    assert sources["counts"]["entities"] > 1000 and sources["notices"].strip()
    assert main(["snapshots", "--json", "un-sc"]) == 0
    assert json.loads(capsys.readouterr().out) == {"source": "un-sc", "snapshots": []}
    assert main(["snapshots", "--json"]) == 0
    snapshots = json.loads(capsys.readouterr().out)["snapshots"]
    assert {s["source"] for s in snapshots} >= {"ofac-sdn", "uk-sanctions-list"}
    assert all(s["status"] in ("in use", "held back", "history") for s in snapshots)
