"""/ask on Discord at its edges: the "Brief me on this" message menu and mentions of the bot, through discord.py."""

from types import SimpleNamespace

import discord
import pytest

import test_discord
from adapters.discord_app import BRIEF_MENU, answer_mention, command_payload
from adapters.discord_render import check_embeds
from ask_questions import CASES
from bot.service import Bot
from test_discord import interaction, run

# The Discord tests' own client fixture: the real command tree over the bundled knowledge base.
client = test_discord.client

ME = SimpleNamespace(id=1000)


class Replies:
    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def reply(self, **kwargs) -> SimpleNamespace:
        self.sent.append(kwargs)
        # The message Discord posts: the bot's answer, replying to the question.
        return SimpleNamespace(id=5000 + len(self.sent), author=ME, reference=None)


def message(text: str, *, mentions=(ME,), guild=True, bot=False, replying_to=None) -> SimpleNamespace:
    replies = Replies()
    return SimpleNamespace(
        content=text,
        author=SimpleNamespace(id=7, bot=bot),
        mentions=list(mentions),
        guild=SimpleNamespace(id=42) if guild else None,
        channel=SimpleNamespace(id=99),
        reference=SimpleNamespace(resolved=replying_to, message_id=getattr(replying_to, "id", None)),
        reply=replies.reply,
        replies=replies,
    )


def _everything(sent: dict) -> str:
    return _fields(sent) + " " + " ".join(e.description or "" for e in sent["embeds"])


def _fields(sent: dict) -> str:
    return " ".join([e.title or "" for e in sent["embeds"]] + [f.value for e in sent["embeds"] for f in e.fields])


def test_brief_me_on_this_is_a_message_command_in_the_registered_json(client):
    [menu] = [c for c in command_payload(client.tree) if c.get("type") == discord.AppCommandType.message.value]
    assert menu["name"] == BRIEF_MENU


def test_brief_me_on_this_answers_privately_with_the_entities_the_message_names(client):
    menu = client.tree.get_command(BRIEF_MENU, type=discord.AppCommandType.message)
    call = interaction(client)
    run(menu.callback(call, SimpleNamespace(content="Did you see the UK sanctions on i-Soon and Integrity Tech?")))
    [sent] = call.response.sent
    assert sent["ephemeral"] is True
    text = _fields(sent)
    assert "names 2 entities" in text and "UK (FCDO): UK cyber sanctions" in text and "designated 2025-12-09" in text
    assert check_embeds(sent["embeds"]) == []
    labels = [b.item.label for b in sent["view"].children]
    assert "Brief me on i-Soon" in labels


def test_brief_me_on_a_message_naming_nothing_says_so(client):
    menu = client.tree.get_command(BRIEF_MENU, type=discord.AppCommandType.message)
    call = interaction(client)
    run(menu.callback(call, SimpleNamespace(content="standup moved to 10:30")))
    assert "no entity" in call.response.sent[0]["embeds"][0].title


def test_a_mention_of_the_bot_goes_through_ask_and_replies_without_pinging(client):
    said = message("<@1000> who operates Raptor Train?")
    assert run(answer_mention(client.briefbot, said, ME)) is True
    [sent] = said.replies.sent
    assert "Integrity Technology Group" in _fields(sent)
    assert sent["mention_author"] is False and sent["allowed_mentions"].users is False


def test_a_direct_message_is_a_question_without_a_mention(client):
    said = message("what did the Treasury designate in March 2025?", mentions=(), guild=False)
    assert run(answer_mention(client.briefbot, said, ME)) is True
    text = _fields(said.replies.sent[0])
    assert "Zhou Shuai" in text and "Shanghai Heiying" in text


def test_messages_not_for_the_bot_and_messages_from_bots_are_left_alone(client):
    assert run(answer_mention(client.briefbot, message("who is i-Soon?", mentions=()), ME)) is False
    assert run(answer_mention(client.briefbot, message("<@1000> who is i-Soon?", bot=True), ME)) is False


def test_an_unanswerable_question_offers_rephrasings_as_buttons_that_keep_the_question(client):
    said = message("<@1000> who founded Integrity Tech?")
    run(answer_mention(client.briefbot, said, ME))
    commands = [b.custom_id for b in said.replies.sent[0]["view"].children]
    assert commands and all(c.startswith("briefbot:run:/ask ") and "Integrity Technology Group" in c for c in commands)


@pytest.mark.parametrize("question", [c.question for c in CASES])
def test_every_answer_to_the_question_set_fits_discord_and_pings_no_one(client, question):
    said = message(f"<@1000> {question}")
    run(answer_mention(client.briefbot, said, ME))
    [sent] = said.replies.sent
    assert check_embeds(sent["embeds"]) == []


def _posted(asked: SimpleNamespace, number: int) -> SimpleNamespace:
    """The answer as Discord gives it back in a reply's reference: the bot's message, with the embeds it sent."""
    [sent] = asked.replies.sent
    return SimpleNamespace(
        id=number, author=ME, embeds=sent["embeds"], reference=SimpleNamespace(resolved=asked, message_id=1)
    )


def test_a_reply_to_the_bots_answer_is_about_the_entity_that_answer_was_about(client):
    asked = message("<@1000> who is i-Soon?")
    run(answer_mention(client.briefbot, asked, ME))
    assert asked.replies.sent[0]["embeds"][0].footer.text.startswith("Card: curated:isoon\n")
    follow = message("<@1000> who sanctioned them?", replying_to=_posted(asked, 5001))
    assert run(answer_mention(client.briefbot, follow, ME)) is True
    text = _everything(follow.replies.sent[0])
    assert "“them” = i-Soon (the thread's subject" in text and "2025-12-09" in text


def test_two_replicas_answering_in_turn_each_read_the_subject_from_the_answer_replied_to(client):
    # Two bots over the same data, as two processes would be: neither keeps anything of the other's answers.
    replica_a, replica_b = client.briefbot, Bot(client.briefbot.kb)
    first = message("<@1000> who is i-Soon?")
    run(answer_mention(replica_a, first, ME))
    second = message("<@1000> and Integrity Tech?", replying_to=_posted(first, 6001))
    run(answer_mention(replica_b, second, ME))
    third = message("<@1000> who founded it?", replying_to=_posted(second, 6002))
    run(answer_mention(replica_b, third, ME))
    assert "“it” = Integrity Technology Group" in _everything(third.replies.sent[0])
    # The question replica B answered last names nothing: only the answer itself says what it was about.
    fourth = message("<@1000> who sanctioned them?", replying_to=_posted(third, 6003))
    run(answer_mention(replica_a, fourth, ME))
    text = _everything(fourth.replies.sent[0])
    assert "“them” = Integrity Technology Group (the thread's subject" in text


def test_a_reply_to_an_answer_this_process_does_not_remember_is_about_the_entity_its_question_named(client):
    question = SimpleNamespace(id=10, content="<@1000> who is Wu Haibo?")
    posted = SimpleNamespace(id=11, author=ME, reference=SimpleNamespace(resolved=question, message_id=10))
    follow = message("<@1000> what is he charged with?", replying_to=posted)
    assert run(answer_mention(client.briefbot, follow, ME)) is True
    text = _everything(follow.replies.sent[0])
    assert "“he” = Wu Haibo" in text and "charged Wu Haibo" in text


def test_a_reply_to_someone_elses_message_is_not_tied_to_any_entity(client):
    other = SimpleNamespace(id=12, author=SimpleNamespace(id=8), reference=None)
    follow = message("<@1000> who sanctioned them?", replying_to=other)
    run(answer_mention(client.briefbot, follow, ME))
    assert "thread's subject" not in _everything(follow.replies.sent[0])
