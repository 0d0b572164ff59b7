"""Discord files for issue 16: the relationship picture inside the /related embed, picture and Export buttons."""

from __future__ import annotations

import asyncio
import io
import re
from typing import Any

import discord

from bot.briefs import brief_markdown, brief_pdf, build_brief
from bot.briefs.markdown import picture_files
from bot.pictures import Picture, relationship_picture, timeline_picture
from bot.reply import Reply, Status
from bot.service import Bot
from knowledge.base import KnowledgeBase
from knowledge.errors import BriefbotError
from knowledge.store.database import Store

__all__ = ["UPLOAD_LIMIT", "PictureButton", "add_picture_buttons", "attach_picture"]

# What a bot may upload in one message without server boosts: 10 MiB in all (Discord's limit since 2024).
UPLOAD_LIMIT = 10 * 1024 * 1024
_CUSTOM_ID = 100
_LABELS = {"graph": "Relationship picture", "timeline": "Timeline", "export": "Export (Markdown, PDF)"}
NO_MENTIONS = discord.AllowedMentions.none()


def _picture(kb: KnowledgeBase, kind: str, entity_id: str) -> Picture:
    return relationship_picture(kb, entity_id) if kind == "graph" else timeline_picture(kb, entity_id)


def _with_picture(embed: discord.Embed, picture: Picture) -> discord.File:
    """The picture as an attachment, and the embed showing it (attachment:// names the file in the same message)."""
    filename = f"{picture.filename_stem}.png"
    embed.set_image(url=f"attachment://{filename}")
    return discord.File(io.BytesIO(picture.png), filename=filename, description=picture.description[:1024])


def attach_picture(payload: dict[str, Any], reply: Reply, kb: KnowledgeBase) -> None:
    """A /related answer about one entity carries its relationship picture inside its first embed."""
    if reply.command != "related" or reply.status is not Status.FOUND or not reply.entity or not payload["embeds"]:
        return
    picture = relationship_picture(kb, reply.entity["id"])
    if len(picture.png) <= UPLOAD_LIMIT:
        payload["files"] = [_with_picture(payload["embeds"][0], picture)]


def add_picture_buttons(view: discord.ui.View | None, reply: Reply) -> discord.ui.View | None:
    """The picture and Export buttons under a /who or /related card about one entity."""
    if reply.status is not Status.FOUND or not reply.entity or reply.command not in ("who", "related"):
        return view
    combined = discord.ui.View(timeout=None)
    for kind, label in _LABELS.items():
        if kind == "graph" and reply.command == "related":
            continue  # the /related answer shows it already
        if len(f"briefbot:{kind}:{reply.entity['id']}") <= _CUSTOM_ID:
            combined.add_item(PictureButton(kind, reply.entity["id"], label))
    # The card's own buttons ("Share in channel") come last, as without pictures.
    for item in view.children if view else []:
        combined.add_item(item)
    return combined if combined.children else None


def _export_files(kb: KnowledgeBase, entity_id: str, store: Store | None = None) -> tuple[list[discord.File], str]:
    # With the bot's store, the brief's "Lists as of" line counts refreshes exactly as the card's does.
    brief = build_brief(kb, entity_id, store=store)
    documents = [(f"{brief.stem}.md", brief_markdown(brief).encode()), (f"{brief.stem}.pdf", brief_pdf(brief))]
    pictures = list(picture_files(brief).items())
    chosen = documents + pictures
    note = f"The brief on {brief.card.entity['name']}: Markdown (its pictures beside it) and PDF."
    if sum(len(data) for _, data in chosen) > UPLOAD_LIMIT:
        chosen, note = documents, note + " The pictures did not fit Discord's upload limit; the PDF has them."
    if sum(len(data) for _, data in chosen) > UPLOAD_LIMIT:
        raise BriefbotError("The brief is over Discord's 10 MiB upload limit; use `briefbot brief` instead.")
    return [discord.File(io.BytesIO(data), filename=name) for name, data in chosen], note


class PictureButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"briefbot:(?P<kind>graph|timeline|export):(?P<entity>.+)"
):
    """A picture or Export button that carries the entity's id: any process can answer the click."""

    def __init__(self, kind: str, entity_id: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80], style=discord.ButtonStyle.secondary, custom_id=f"briefbot:{kind}:{entity_id}"
            )
        )
        self.kind = kind
        self.entity_id = entity_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> PictureButton:
        return cls(match["kind"], match["entity"], item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: Bot = interaction.client.briefbot  # type: ignore[attr-defined]
        try:
            if self.kind == "export":
                files, note = await asyncio.to_thread(_export_files, bot.kb, self.entity_id, bot.store)
                await interaction.response.send_message(note, files=files, ephemeral=True, allowed_mentions=NO_MENTIONS)
                return
            picture = await asyncio.to_thread(_picture, bot.kb, self.kind, self.entity_id)
        except BriefbotError as error:
            await interaction.response.send_message(f"I could not make that: {error}", ephemeral=True)
            return
        embed = discord.Embed(title=picture.title[:256], colour=0x1D3557)
        file = _with_picture(embed, picture)
        await interaction.response.send_message(embed=embed, file=file, ephemeral=True, allowed_mentions=NO_MENTIONS)
