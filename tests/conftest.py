"""Shared fixtures: the knowledge base from the shipped data and a bot on a fixed clock."""

import contextlib
import dataclasses
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy

from bench.slack_standin import StandIn, slack_standin
from bot.reply import Reply
from bot.service import Bot
from knowledge.base import KnowledgeBase
from knowledge.lists.catalogue import CATALOGUE
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store.database import Store
from publisher_standin import Publisher, publisher_standin

TODAY = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
# The real third-party files the importers are tested on: shared/ beside the repository (as CI lays it out), or
# wherever BRIEFBOT_REAL_DATA says.
REAL = Path(
    os.environ.get("BRIEFBOT_REAL_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"
)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_briefbot(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The `briefbot` command line, run as a user runs it, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        check=False,
    )


@pytest.fixture(scope="session", autouse=True)
def private_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test process, and the CLI runs it starts, use a store of their own, never the user's."""
    path = tmp_path_factory.mktemp("store") / "briefbot.sqlite3"
    os.environ["BRIEFBOT_DB"] = str(path)
    # Tests build hundreds of stores: none of them is cached in the user's cache directory.
    os.environ["BRIEFBOT_CACHE"] = "off"
    # Tests never reach a publisher: the clock process's scheduled refresh is off unless a test (against the
    # loopback stand-in publisher) turns it on.
    os.environ["BRIEFBOT_REFRESH_EVERY"] = "off"
    return path


@pytest.fixture(scope="session")
def seeded_store(private_store: Path) -> Store:
    store = Store.open(str(private_store))
    prepare_store(store, now=TODAY)
    return store


@pytest.fixture(scope="session")
def kb(seeded_store: Store) -> KnowledgeBase:
    """What a fresh install answers from: the curated data and the bundled list extracts."""
    return load_knowledge(seeded_store)


# Each real list once, at its newest snapshot (the whole lists, without the older editions the benchmark adds):
# OFAC's and the UK's (the banks with many links), the UN's (names in Arabic script) and OpenSanctions'
# (authorities briefbot does not model one by one; Ukrainian names; end dates set in advance).
REAL_LISTS = (
    ("ofac-sdn", ("ofac/sdn_2024-05-03.csv",), dt.date(2024, 5, 3)),
    ("uk-sanctions-list", ("uk/fcdo_uk_sanctions_list_2025-08-11_from-ods.csv",), dt.date(2025, 8, 11)),
    ("uk-conlist", ("uk/hmt_conlist_c2018-11-29_headerless.csv",), None),
    ("un-sc", ("un/UN_consolidated_2026-02-27.xml",), None),
    (
        "opensanctions",
        (
            "opensanctions/yente_zala_cluster.entities.ftm.json",
            "opensanctions/yente_t1_eu_fsf_sample.entities.ftm.json",
        ),
        None,
    ),
)


@pytest.fixture(scope="session")
def real_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The bundled data and every real list at its newest, built once per test process (it takes seconds)."""
    from knowledge.lists.refresh import refresh_files

    store = Store.open(str(tmp_path_factory.mktemp("real") / "real.sqlite3"))
    prepare_store(store, now=TODAY)
    for source, files, as_of in REAL_LISTS:
        refresh_files(store, source, [REAL / Path(f) for f in files], now=TODAY, as_of=as_of)
    return load_knowledge(store)


# Records of OFAC's SDN list of 3 May 2024 that hold one name between them: MURAD EN SONS DIAMONDS (a.k.a.
# 'M.S.D.') beside MSD DMCC, which is "MSD" once its legal form is set aside; "AZIZ, Abdul", one man's own name
# (25597) and two others' a.k.a. (GUCHAYEV 18650, NURISTANI 19671).
SHARED_NAMES_SDN = ("42337", "42339", "25597", "18650", "19671")


@pytest.fixture(scope="session")
def shared_names(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    """A bot on those rows of the real SDN file, copied as they are (the file has no header)."""
    folder = tmp_path_factory.mktemp("shared-names")
    real = REAL / "ofac" / "sdn_2024-05-03.csv"
    rows = [
        line
        for line in real.read_bytes().splitlines(keepends=True)
        if line.split(b",", 1)[0].decode() in SHARED_NAMES_SDN
    ]
    assert len(rows) == len(SHARED_NAMES_SDN)
    extract = folder / "sdn.csv"
    extract.write_bytes(b"".join(rows))
    store = Store.open(str(folder / "shared.sqlite3"))
    prepare_store(store, now=TODAY)
    from knowledge.lists.refresh import refresh_files

    refresh_files(store, "ofac-sdn", [extract], now=TODAY, as_of=dt.date(2024, 5, 3))
    return Bot(load_knowledge(store), clock=lambda: TODAY)


# The PostgreSQL server the replica tests use; CI's machine has one at this address (trust auth).
PG_URL = os.environ.get("BRIEFBOT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_problem() -> str | None:
    try:
        engine = sqlalchemy.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as error:  # any failure to reach it means: skip, and say why
        return f"no PostgreSQL at {PG_URL} ({type(error).__name__}); set BRIEFBOT_TEST_PG to run these tests"


@pytest.fixture(scope="session")
def pg_problem() -> str | None:
    return _pg_problem()


@contextlib.contextmanager
def pg_schema(prefix: str = "t") -> Iterator[str]:
    """A fresh PostgreSQL schema for one test, dropped afterwards; yields the URL that uses it."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path, pg_problem: str | None) -> Iterator[Store]:
    """An empty store for one test, on each back-end: embedded SQLite, and PostgreSQL when one is reachable."""
    if request.param == "sqlite":
        yield Store.open(str(tmp_path / "test.sqlite3"))
        return
    if pg_problem:
        pytest.skip(pg_problem)
    with pg_schema() as url:
        opened = Store.open(url)
        yield opened
        opened.engine.dispose()


@pytest.fixture(scope="session")
def bot(kb: KnowledgeBase) -> Bot:
    return Bot(kb, clock=lambda: TODAY)


@pytest.fixture(scope="session")
def ask(bot: Bot):
    def answer(text: str) -> Reply:
        return bot.answer(text)

    return answer


@pytest.fixture
def publisher(monkeypatch: pytest.MonkeyPatch) -> Iterator[Publisher]:
    """The stand-in, with the UN list at its address and every other list's schedule off."""
    with publisher_standin() as standin:
        monkeypatch.delenv("BRIEFBOT_REFRESH_EVERY", raising=False)
        monkeypatch.setenv("BRIEFBOT_URL_UN_SC", f"{standin.url}/un/consolidated.xml")
        for name in CATALOGUE:
            if name != "un-sc":
                monkeypatch.setenv(f"BRIEFBOT_REFRESH_EVERY_{name.upper().replace('-', '_')}", "off")
        yield standin


# The Slack web process as a client meets it: `briefbot slack serve --http` on loopback, Slack a stand-in.
SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "xoxb-1234567890-test-token"
STARTUP_S = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, *, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = 30) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the process exited with {process.returncode}: {log.read_text()}")
        with contextlib.suppress(OSError):
            if _get(url, timeout=5)[0] == 200:
                return
        time.sleep(0.3)
    raise AssertionError(f"{url} not answering within {STARTUP_S} s: {log.read_text()}")


@contextlib.contextmanager
def _process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", *args],
            env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclasses.dataclass
class Served:
    base: str
    standin: StandIn
    log: Path


@pytest.fixture(scope="module")
def slack_web(seeded_store, tmp_path_factory) -> Iterator[Served]:
    """`briefbot slack serve --http` in a process of its own, its Web API a stand-in on loopback."""
    port = _free_port()
    log = tmp_path_factory.mktemp("slack") / "stderr.log"
    with slack_standin() as standin:
        env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"{standin.url}/api/",
            "PORT": str(port),
            "BRIEFBOT_LOG_LEVEL": "INFO",
        }
        with _process(["slack", "serve", "--http", "--no-digests"], env, log) as process:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(f"{base}/health", process, log)
            yield Served(base, standin, log)


def _command_body(standin: StandIn, text: str, n: int) -> bytes:
    form = {
        "team_id": "T1",
        "channel_id": "C1",
        "user_id": "U1",
        "command": "/whois",
        "text": text,
        "response_url": f"{standin.url}/response/{n}",
        "trigger_id": "1.2.3",
    }
    return urllib.parse.urlencode(form).encode()
