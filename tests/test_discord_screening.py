"""/screen on Discord at its edges: discord.py's real command tree, modals and buttons with a stand-in interaction;
decisions enforced by role, shown on the next screening, and exported."""

import asyncio
import re
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from adapters.discord_app import BriefbotClient
from adapters.discord_screening import DecisionButton, NamesModal, ReasonModal
from bot.screening.audit import AuditStore
from bot.service import Bot
from conftest import TODAY
from knowledge.loading import load_knowledge, prepare_store
from knowledge.store.database import Store

ROLE = 555


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> BriefbotClient:
    store = Store.open(str(tmp_path_factory.mktemp("discord-screening") / "store.sqlite3"))
    prepare_store(store, now=TODAY)
    return BriefbotClient(Bot(load_knowledge(store), clock=lambda: TODAY, store=store))


class Place:
    """Where messages go (a response, a follow-up webhook, a thread), recording what is sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.modals: list[discord.ui.Modal] = []
        self.deferred: list[dict[str, Any]] = []
        self.threads: list[Place] = []

    async def send_message(self, content: str | None = None, **kwargs: Any) -> None:
        self.sent.append({"content": content, **kwargs})

    async def send(self, content: str | None = None, **kwargs: Any) -> SimpleNamespace:
        self.sent.append({"content": content, **kwargs})
        return SimpleNamespace(create_thread=self._thread)

    async def _thread(self, *, name: str) -> "Place":
        thread = Place()
        thread.name = name
        self.threads.append(thread)
        return thread

    async def send_modal(self, modal: discord.ui.Modal) -> None:
        self.modals.append(modal)

    async def defer(self, **kwargs: Any) -> None:
        self.deferred.append(kwargs)


def interaction(
    client: BriefbotClient,
    *,
    user: int = 7,
    roles: tuple[int, ...] = (),
    manage: bool = False,
    channel: int = 99,
    parent: int | None = None,
):
    async def edit_original_response(**kwargs: Any) -> None:
        pass

    return SimpleNamespace(
        client=client,
        user=SimpleNamespace(id=user, roles=[SimpleNamespace(id=r) for r in roles]),
        guild_id=42,
        channel_id=channel,
        # discord.py gives a thread's interaction a Thread, whose parent_id is the channel it was started in.
        channel=SimpleNamespace(id=channel, parent_id=parent),
        permissions=discord.Permissions(manage_channels=manage),
        response=Place(),
        followup=Place(),
        edit_original_response=edit_original_response,
    )


def run(coroutine):
    return asyncio.run(coroutine)


def screen_names(client: BriefbotClient, text: str):
    """/screen names, the modal filled in and sent: the interaction of the sending."""
    asked = interaction(client)
    run(client.tree.get_command("screen").get_command("names").callback(asked))
    [modal] = asked.response.modals
    assert isinstance(modal, NamesModal)
    modal.names._value = text
    sent = interaction(client)
    run(modal.on_submit(sent))
    return sent


def buttons_of(sent) -> list[discord.ui.Item]:
    [thread] = sent.followup.threads
    return [item for message in thread.sent if message.get("view") for item in message["view"].children]


def test_pasted_names_get_a_summary_a_thread_with_the_files_and_buttons(client):
    sent = screen_names(client, "Wuhan Xiaoruizhi\nBank of China\nZHAO Guangzong; China")
    assert sent.response.deferred == [{"thinking": True}]
    summary = sent.followup.sent[0]["embeds"][0]
    assert summary.title == "Screened 3 rows: 1 match, 1 possible match, 1 no match"
    [thread] = sent.followup.threads
    files = thread.sent[0]["files"]
    assert sorted(f.filename.rsplit(".", 1)[1] for f in files) == ["csv", "html"]
    buttons = buttons_of(sent)
    assert [b.item.label for b in buttons] == ["Not the same", "Same: escalate", "Watch"]
    assert all(len(b.custom_id) <= 100 for b in buttons)


def test_setting_who_decides_needs_the_right_to_manage_the_channel(client):
    deciders = client.tree.get_command("screen").get_command("deciders")
    refused = interaction(client, manage=False)
    run(deciders.callback(refused, SimpleNamespace(id=ROLE)))
    assert "Only someone allowed to manage" in refused.response.sent[0]["content"]
    allowed = interaction(client, manage=True)
    run(deciders.callback(allowed, SimpleNamespace(id=ROLE)))
    assert allowed.response.sent[0]["content"] == f"From now on, members of <@&{ROLE}> may decide here."


def test_a_decision_by_role_through_the_modal_is_shown_on_the_next_screening(client):
    run(
        client.tree.get_command("screen")
        .get_command("deciders")
        .callback(interaction(client, manage=True), SimpleNamespace(id=ROLE))
    )
    sent = screen_names(client, "Wuhan Xiaoruizhi")
    button = buttons_of(sent)[0]
    # Another process takes the click: it has only the button's custom id.
    match = re.fullmatch(DecisionButton.__discord_ui_compiled_template__, button.custom_id)
    rebuilt = run(DecisionButton.from_custom_id(None, discord.ui.Button(custom_id=button.custom_id), match))
    outsider = interaction(client, user=8)
    run(rebuilt.callback(outsider))
    assert outsider.response.modals == [] and f"<@&{ROLE}>" in outsider.response.sent[0]["content"]
    member = interaction(client, user=9, roles=(ROLE,))
    run(rebuilt.callback(member))
    [modal] = member.response.modals
    assert isinstance(modal, ReasonModal)
    modal.reason._value = "A bakery in Wuhan, not the listed firm"
    # Checked again on sending: a member who lost the role meanwhile is refused.
    lost = interaction(client, user=9)
    run(modal.on_submit(lost))
    assert "may decide here" in lost.response.sent[0]["content"]
    done = interaction(client, user=9, roles=(ROLE,))
    run(modal.on_submit(done))
    assert done.response.sent[0]["content"].startswith("Recorded: **Not the same** on row 1")
    again = screen_names(client, "wuhan xiaoruizhi")
    embed = again.followup.sent[0]["embeds"][0]
    text = " ".join([embed.description or "", *(f.value for f in embed.fields)])
    assert "standing decision: Not the same — decided by 9" in text
    assert buttons_of(again) == []
    store = client.briefbot.store
    decisions = [r for kind, r in AuditStore(store.engine).export(since=TODAY) if kind == "decision"]
    assert [(d["decided_by"], d["platform"]) for d in decisions] == [("9", "discord")]


def attach(client: BriefbotClient, name: str, data: bytes):
    """/screen file with an attachment of `data`: the interaction, with what was sent."""

    async def read() -> bytes:
        return data

    call = interaction(client)
    upload = SimpleNamespace(filename=name, size=len(data), read=read)
    run(client.tree.get_command("screen").get_command("file").callback(call, upload, None))
    return call


def test_an_attached_csv_is_screened(client):
    call = attach(client, "customers.csv", b"name\nZHAO Guangzong\n")
    assert call.followup.sent[0]["embeds"][0].title == "Screened 1 row: 1 match, 0 possible matches, 0 no match"


def test_a_bad_attachment_is_answered_in_a_sentence(client):
    call = attach(client, "names.pdf", b"%PDF-1.7 not names")
    assert call.followup.sent[0]["content"].startswith("Nothing was screened: “names.pdf” is a PDF")
    assert call.followup.sent[0]["ephemeral"] is True


def test_a_decision_clicked_in_the_screenings_thread_is_governed_by_the_channels_deciders(client):
    channel, thread = 300, 301
    deciders = client.tree.get_command("screen").get_command("deciders")
    run(deciders.callback(interaction(client, manage=True, channel=channel), SimpleNamespace(id=ROLE)))
    asked = interaction(client, channel=channel)
    run(client.tree.get_command("screen").get_command("names").callback(asked))
    [modal] = asked.response.modals
    modal.names._value = "Wuhan Xiaoruizhi; Egypt"
    sent = interaction(client, channel=channel)
    run(modal.on_submit(sent))
    button = buttons_of(sent)[0]
    member = interaction(client, user=9, roles=(ROLE,), channel=thread, parent=channel)
    run(button.callback(member))
    [reason] = member.response.modals
    reason.reason._value = "An Egyptian trading house, not the listed firm"
    done = interaction(client, user=9, roles=(ROLE,), channel=thread, parent=channel)
    run(reason.on_submit(done))
    assert done.response.sent[0]["content"].startswith("Recorded: **Not the same** on row 1")
