"""Settings from the environment and a `.env` file, validated in one place: what wins, and what a bad one says."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.settings import app_settings
from knowledge.errors import UsageError
from knowledge.settings import settings

BOT_TOKEN = "xoxb-1234567890-abcdefghij"


def _briefbot(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command line run from `cwd`, where a `.env` file may be, with the settings of this test process."""
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]), **(env or {})},
    )


def _expected_days(run: subprocess.CompletedProcess[str], source: str) -> int:
    assert run.returncode == 0, run.stderr
    lists = json.loads(run.stdout)["lists"]
    return next(item["freshness"]["expected_days"] for item in lists if item["source"] == source)


def test_a_dotenv_file_in_the_current_folder_is_read(tmp_path):
    (tmp_path / ".env").write_text("# per-list freshness\nBRIEFBOT_STALE_AFTER_DAYS_OFAC_SDN=30\n")
    assert _expected_days(_briefbot("status", "--json", cwd=tmp_path), "ofac-sdn") == 30


def test_the_environment_wins_over_the_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("BRIEFBOT_STALE_AFTER_DAYS_OFAC_SDN=30\n")
    run = _briefbot("status", "--json", cwd=tmp_path, env={"BRIEFBOT_STALE_AFTER_DAYS_OFAC_SDN": "9"})
    assert _expected_days(run, "ofac-sdn") == 9


def test_briefbot_env_file_names_another_file_and_a_missing_one_is_refused(tmp_path):
    elsewhere = tmp_path / "conf" / "briefbot.env"
    elsewhere.parent.mkdir()
    elsewhere.write_text("BRIEFBOT_STALE_AFTER_DAYS_UK_SANCTIONS_LIST=12\n")
    run = _briefbot("status", "--json", cwd=tmp_path, env={"BRIEFBOT_ENV_FILE": str(elsewhere)})
    assert _expected_days(run, "uk-sanctions-list") == 12
    missing = _briefbot("status", cwd=tmp_path, env={"BRIEFBOT_ENV_FILE": str(tmp_path / "nope.env")})
    assert missing.returncode == 2 and missing.stdout == ""
    assert "BRIEFBOT_ENV_FILE=" in missing.stderr and "is not a file" in missing.stderr


def test_a_bad_value_in_the_dotenv_file_is_one_line_naming_the_variable(tmp_path):
    (tmp_path / ".env").write_text("BRIEFBOT_REMOVAL_SHARE=lots\nBRIEFBOT_LOG_LEVEL=loud\n")
    run = _briefbot("ask", "/who i-Soon", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert "BRIEFBOT_REMOVAL_SHARE='lots' is not a share" in run.stderr
    assert "BRIEFBOT_LOG_LEVEL='loud' is not a level; use one of DEBUG, INFO, WARNING, ERROR, CRITICAL." in run.stderr


def test_a_per_list_variable_in_the_dotenv_file_that_names_no_list_is_said(tmp_path):
    (tmp_path / ".env").write_text("BRIEFBOT_REFRESH_EVERY_OFAC=6h\n")
    run = _briefbot("sources", cwd=tmp_path)
    assert run.returncode == 2 and "BRIEFBOT_REFRESH_EVERY_OFAC names no list" in run.stderr


def test_a_malformed_token_is_named_and_never_shown(tmp_path):
    leaked = "xoxb-oops secret-part-777"
    (tmp_path / ".env").write_text(f"SLACK_BOT_TOKEN='{leaked}'\n")
    run = _briefbot("slack", "serve", "--http", cwd=tmp_path, env={"BRIEFBOT_LOG_LEVEL": "DEBUG"})
    assert run.returncode == 2
    assert "SLACK_BOT_TOKEN does not look like a bot token (xoxb-…)" in run.stderr
    assert "secret-part-777" not in run.stderr + run.stdout


def test_tokens_are_secret_strings_that_no_repr_shows(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    read = app_settings()
    assert read.slack_bot_token.get_secret_value() == BOT_TOKEN
    assert BOT_TOKEN not in repr(read) and BOT_TOKEN not in str(read.model_dump())


def test_settings_are_read_again_when_the_environment_changes(monkeypatch):
    monkeypatch.setenv("BRIEFBOT_DOWNLOAD_DEADLINE", "12")
    assert settings().download_deadline == 12
    monkeypatch.setenv("BRIEFBOT_DOWNLOAD_DEADLINE", "0")
    with pytest.raises(UsageError, match=r"BRIEFBOT_DOWNLOAD_DEADLINE='0' is not a number of seconds above 0\."):
        settings()
    monkeypatch.delenv("BRIEFBOT_DOWNLOAD_DEADLINE")
    assert settings().download_deadline == 300


def test_intervals_shares_and_switches_are_read_as_written(monkeypatch):
    monkeypatch.setenv("BRIEFBOT_REFRESH_EVERY_UN_SC", "90m")
    monkeypatch.setenv("BRIEFBOT_REFRESH_EVERY_UK_SANCTIONS_LIST", "off")
    monkeypatch.setenv("BRIEFBOT_REMOVAL_SHARE", "5%")
    monkeypatch.setenv("BRIEFBOT_CACHE", "no")
    monkeypatch.setenv("BRIEFBOT_URL_UN_SC", "http://127.0.0.1:9/a.xml http://127.0.0.1:9/b.xml")
    read = settings()
    assert read.refresh_interval("un-sc").total_seconds() == 90 * 60
    assert read.refresh_interval("uk-sanctions-list") is None
    assert read.removal_share == 0.05 and read.cache is False
    assert read.urls("un-sc") == ("http://127.0.0.1:9/a.xml", "http://127.0.0.1:9/b.xml")
    assert read.has_own_schedule("un-sc") and not read.has_own_schedule("ofac-cons")
