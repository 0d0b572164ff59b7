"""Slack files for issue 16: pictures uploaded where the answer goes, briefs exported to the asker's DM."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.slack_render import parse_picture_value
from bot.briefs import brief_markdown, brief_pdf, build_brief
from bot.briefs.markdown import picture_files
from bot.pictures import Picture, relationship_picture, timeline_picture
from bot.reply import Reply, Status
from knowledge.base import KnowledgeBase
from knowledge.errors import BriefbotError
from knowledge.store.database import Store

__all__ = ["SLACK_FILE_LIMIT", "attach_related_picture", "on_picture_action", "upload_picture"]

log = logging.getLogger(__name__)

# Slack's limit per uploaded file (api.slack.com/methods/files.getUploadURLExternal): 1 GB.
SLACK_FILE_LIMIT = 1_000_000_000
_CANNOT_POST = "I can't post files here; invite me first (/invite @briefbot), or ask me in a DM."


def _picture(kb: KnowledgeBase, kind: str, entity_id: str) -> Picture:
    return relationship_picture(kb, entity_id) if kind == "graph" else timeline_picture(kb, entity_id)


def _checked(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    too_big = [f["filename"] for f in files if len(f["content"]) > SLACK_FILE_LIMIT]
    if too_big:
        raise BriefbotError(f"{', '.join(too_big)} is over Slack's 1 GB file limit.")
    return [
        {"file": f["content"], "filename": f["filename"], "title": f["title"], "alt_txt": f.get("alt")} for f in files
    ]


def upload_picture(
    client: WebClient, kb: KnowledgeBase, kind: str, entity_id: str, *, channel: str, thread_ts: str | None = None
) -> None:
    """The picture as a file in the channel (in the thread when there is one), with its description as alt text."""
    picture = _picture(kb, kind, entity_id)
    [upload] = _checked(
        [
            {
                "content": picture.png,
                "filename": f"{picture.filename_stem}.png",
                "title": picture.title,
                # Slack's alt text is at most 1,000 characters.
                "alt": picture.description[:1000],
            }
        ]
    )
    client.files_upload_v2(channel=channel, thread_ts=thread_ts, **upload)


def _export(client: WebClient, kb: KnowledgeBase, entity_id: str, *, user: str, store: Store | None) -> None:
    # With the bot's store, the brief's "Lists as of" line counts refreshes exactly as the card's does.
    brief = build_brief(kb, entity_id, store=store)
    files = [
        {
            "content": brief_markdown(brief).encode(),
            "filename": f"{brief.stem}.md",
            "title": f"{brief.card.title} (Markdown)",
        },
        {"content": brief_pdf(brief), "filename": f"{brief.stem}.pdf", "title": f"{brief.card.title} (PDF)"},
    ]
    files += [{"content": png, "filename": name, "title": name} for name, png in picture_files(brief).items()]
    channel = client.conversations_open(users=user)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        file_uploads=_checked(files),
        initial_comment=f"Your brief on {brief.card.entity['name']}: Markdown (pictures beside it) and PDF.",
    )


def on_picture_action(
    kb: KnowledgeBase,
    body: dict[str, Any],
    respond: Callable[..., Any],
    client: WebClient,
    *,
    store: Store | None = None,
) -> None:
    """A picture button: posts the picture in the channel; Export sends the Markdown and PDF to the user's DM."""
    parsed = parse_picture_value(body["actions"][0].get("value", ""))
    channel = (body.get("channel") or {}).get("id")
    user = (body.get("user") or {}).get("id")
    if parsed is None or (parsed[0] != "export" and not channel) or (parsed[0] == "export" and not user):
        respond(text="That button is out of date; ask again.", response_type="ephemeral", replace_original=False)
        return
    kind, entity_id = parsed
    try:
        if kind == "export":
            _export(client, kb, entity_id, user=user, store=store)
            done = "Sent the brief (Markdown and PDF) to your direct messages with me."
        else:
            upload_picture(client, kb, kind, entity_id, channel=channel)
            done = None
    except BriefbotError as error:
        respond(text=f"I could not make that: {error}", response_type="ephemeral", replace_original=False)
        return
    except SlackApiError as error:
        log.info("upload for %s failed: %s", entity_id, error.response.get("error"))
        respond(text=_CANNOT_POST, response_type="ephemeral", replace_original=False)
        return
    if done:
        respond(text=done, response_type="ephemeral", replace_original=False)


def attach_related_picture(
    client: WebClient, kb: KnowledgeBase, reply: Reply, *, channel: str | None, thread_ts: str | None
) -> None:
    """Under a visible /related answer, its relationship picture in the same thread."""
    if reply.command != "related" or reply.status is not Status.FOUND or not reply.entity or not channel:
        return
    try:
        upload_picture(client, kb, "graph", reply.entity["id"], channel=channel, thread_ts=thread_ts)
    except SlackApiError as error:
        log.info("picture upload in %s failed: %s", channel, error.response.get("error"))
