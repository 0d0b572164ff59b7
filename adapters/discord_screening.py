"""/screen on Discord: names in a modal or a CSV/XLSX attachment screened, the result in a thread, decided by button."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import time
from typing import Any

import discord
from discord import app_commands

from adapters.discord_render import render_embeds
from adapters.screen_cli import screener_for
from bot.errors import UsageError
from bot.screening.audit import DECISIONS
from bot.screening.engine import Hit, ScreenedRow
from bot.screening.rows import MAX_FILE_BYTES
from bot.screening.service import Screener, ScreeningOutcome, Who
from bot.service import Bot
from knowledge.errors import BriefbotError

__all__ = ["DecisionButton", "ScreenGroup", "decision_views", "may_decide"]

log = logging.getLogger(__name__)

PLATFORM = "discord"
NO_MENTIONS = discord.AllowedMentions.none()
# Discord's limits: 100 characters of custom id, 5 rows of buttons a message, 4,000 characters in a modal's field.
_CUSTOM_ID = 100
CANDIDATES_PER_MESSAGE = 5
DECISION_MESSAGES = 8
PASTE_LIMIT = 4000
PROGRESS_EVERY_S = 2.0
_STYLE = {"not-same": discord.ButtonStyle.secondary, "escalate": discord.ButtonStyle.danger}


def _channel(interaction: discord.Interaction) -> str | None:
    """The channel a screening, its deciders and its decisions belong to: a thread's parent, since the decision
    buttons are posted in a thread started from the summary in the channel where /screen ran."""
    parent = getattr(getattr(interaction, "channel", None), "parent_id", None)
    channel = parent or interaction.channel_id
    return str(channel) if channel else None


def _who(interaction: discord.Interaction) -> Who:
    return Who(
        PLATFORM,
        str(interaction.user.id),
        str(interaction.guild_id) if interaction.guild_id else "dm",
        _channel(interaction),
    )


def may_decide(screener: Screener, interaction: discord.Interaction) -> str | None:
    """None when the user holds a role that may decide in this channel; else why not. Read from Discord each time."""
    if screener.audit is None:
        return "Decisions need the screening record, and this bot runs without a store."
    who = _who(interaction)
    roles = screener.audit.deciders(platform=PLATFORM, workspace=who.workspace or "", channel=who.channel or "")
    if not roles:
        return (
            "No one may decide on screening hits in this channel yet; someone who manages it sets who may, with "
            "/screen deciders."
        )
    held = {str(role.id) for role in getattr(interaction.user, "roles", [])}
    if held & set(roles):
        return None
    return "Only members of " + ", ".join(f"<@&{r}>" for r in roles) + " may decide here."


class ReasonModal(discord.ui.Modal, title="Why?"):
    reason: discord.ui.TextInput = discord.ui.TextInput(
        label="Reason, for the record", style=discord.TextStyle.paragraph, max_length=1000
    )

    def __init__(self, screener: Screener, choice: dict[str, Any]) -> None:
        super().__init__(title=DECISIONS[choice["decision"]][:45])
        self.screener = screener
        self.choice = choice

    async def on_submit(self, interaction: discord.Interaction) -> None:
        refused = may_decide(self.screener, interaction)
        if refused:
            await interaction.response.send_message(refused, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        try:
            decision = await asyncio.to_thread(
                self.screener.decide,
                screening_id=self.choice["screening"],
                row_number=int(self.choice["row"]),
                reference=self.choice["reference"],
                decision=self.choice["decision"],
                reason=str(self.reason.value or ""),
                who=_who(interaction),
            )
        except BriefbotError as error:
            await interaction.response.send_message(str(error), ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        await interaction.response.send_message(
            f"Recorded: **{DECISIONS[decision.decision]}** on row {decision.row_number} "
            f"({decision.entity_reference}) by <@{decision.decided_by}>: {decision.reason}",
            allowed_mentions=NO_MENTIONS,
        )


class DecisionButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"briefbot:decide:(?P<screening>[0-9a-f]+):(?P<row>\d+):(?P<decision>[a-z-]+):(?P<reference>.+)",
):
    """A decision on one candidate of one row, carried in the button: any process, after any restart, takes it."""

    def __init__(self, screening: str, row: int, decision: str, reference: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=DECISIONS[decision],
                style=_STYLE.get(decision, discord.ButtonStyle.primary),
                custom_id=f"briefbot:decide:{screening}:{row}:{decision}:{reference}",
            )
        )
        self.choice = {"screening": screening, "row": row, "decision": decision, "reference": reference}

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> DecisionButton:
        return cls(match["screening"], int(match["row"]), match["decision"], match["reference"])

    async def callback(self, interaction: discord.Interaction) -> None:
        group = interaction.client.tree.get_command("screen")  # type: ignore[attr-defined]
        screener: Screener = group.screener
        refused = may_decide(screener, interaction)
        if refused:
            await interaction.response.send_message(refused, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        await interaction.response.send_modal(ReasonModal(screener, self.choice))


def _candidate_line(screened: ScreenedRow, hit: Hit) -> str:
    return (
        f"**Row {screened.row.number}** “{screened.row.shown}” → **{hit.caption}** (`{hit.reference}`), matched "
        f"“{hit.matched}” ({hit.how} {hit.score:.2f}): {hit.why}"
    )[:1000]


def decision_views(outcome: ScreeningOutcome) -> list[tuple[str, discord.ui.View | None]]:
    """(text, buttons) messages for the possible matches: a row of three buttons per candidate."""
    screening = outcome.screening
    pending = [
        (row, hit)
        for row, hit in screening.to_decide()
        if len(f"briefbot:decide:{screening.id}:{row.row.number}:not-same:{hit.reference}") <= _CUSTOM_ID
    ]
    shown = pending[: CANDIDATES_PER_MESSAGE * DECISION_MESSAGES]
    messages: list[tuple[str, discord.ui.View | None]] = []
    for start in range(0, len(shown), CANDIDATES_PER_MESSAGE):
        view = discord.ui.View(timeout=None)
        lines = []
        for n, (row, hit) in enumerate(shown[start : start + CANDIDATES_PER_MESSAGE]):
            lines.append(_candidate_line(row, hit))
            for key in DECISIONS:
                button = DecisionButton(screening.id, row.row.number, key, hit.reference)
                button.item.row = n
                view.add_item(button)
        messages.append(("\n".join(lines)[:2000], view))
    left = len(screening.to_decide()) - len(shown)
    if left:
        messages.append(
            (
                f"{left:,} more candidates are in the result file; record decisions on them with "
                f"`briefbot audit decide {screening.id} ROW REFERENCE`.",
                None,
            )
        )
    return messages


class NamesModal(discord.ui.Modal, title="Screen names"):
    names: discord.ui.TextInput = discord.ui.TextInput(
        label="One name a line; ; country ; date of birth optional",
        style=discord.TextStyle.paragraph,
        max_length=PASTE_LIMIT,
    )
    as_of: discord.ui.TextInput = discord.ui.TextInput(
        label="As of (YYYY-MM-DD), for the lists of that date", required=False, max_length=10
    )

    def __init__(self, group: ScreenGroup) -> None:
        super().__init__()
        self.group = group

    async def on_submit(self, interaction: discord.Interaction) -> None:
        text = str(self.names.value or "")
        if self.as_of.value:
            text += f"\nas of {self.as_of.value}"
        who = _who(interaction)
        await self.group.run(
            interaction, lambda progress: self.group.screener.screen_pasted(text, who, progress=progress)
        )


class ScreenGroup(app_commands.Group):
    """/screen names | file | deciders; holds the screener its buttons use."""

    def __init__(self, bot: Bot) -> None:
        # The registry's help text is the description everywhere.
        summary = next(c.summary for c in bot.registry if c.name == "screen")
        super().__init__(name="screen", description=summary[:100])
        self.screener = screener_for(bot)

        async def names(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(NamesModal(self))

        async def file(interaction: discord.Interaction, upload: discord.Attachment, as_of: str | None = None) -> None:
            await self.screen_file(interaction, upload, as_of)

        async def deciders(interaction: discord.Interaction, role: discord.Role | None = None) -> None:
            await self.set_deciders(interaction, role)

        self.add_command(app_commands.Command(name="names", description="Paste names to screen", callback=names))
        file_command = app_commands.Command(name="file", description="Screen a CSV or XLSX file", callback=file)
        app_commands.describe(
            upload="A CSV or XLSX file: a column of names, and country and date of birth if any",
            as_of="YYYY-MM-DD: screen against the lists in use that day",
        )(file_command)
        self.add_command(file_command)
        deciders_command = app_commands.Command(
            name="deciders", description="Who may decide on hits here: a role (or see who may)", callback=deciders
        )
        self.add_command(deciders_command)

    async def screen_file(
        self, interaction: discord.Interaction, upload: discord.Attachment, as_of: str | None
    ) -> None:
        if upload.size > MAX_FILE_BYTES:
            await interaction.response.send_message(
                f"“{upload.filename}” is over {MAX_FILE_BYTES // 1024 // 1024} MB; split it.", ephemeral=True
            )
            return
        data = await upload.read()
        who = _who(interaction)
        await self.run(
            interaction,
            lambda progress: self.screener.screen_upload(data, upload.filename, who, as_of=as_of, progress=progress),
        )

    async def set_deciders(self, interaction: discord.Interaction, role: discord.Role | None) -> None:
        audit = self.screener.audit
        who = _who(interaction)
        where = {"platform": PLATFORM, "workspace": who.workspace or "", "channel": who.channel or ""}
        if audit is None:
            text = "Decisions need the screening record, and this bot runs without a store."
        elif role is None:
            current = audit.deciders(**where)
            text = (
                "Members of " + ", ".join(f"<@&{r}>" for r in current) + " may decide here."
                if current
                else "No one may decide on screening hits in this channel yet."
            )
        elif not (interaction.permissions.manage_channels or interaction.permissions.manage_guild):
            text = "Only someone allowed to manage this channel may set who decides here."
        else:
            audit.set_deciders(**where, groups=[str(role.id)], set_by=who.user or "", now=self.screener.now())
            text = f"From now on, members of <@&{role.id}> may decide here."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def run(self, interaction: discord.Interaction, screen: Any) -> None:
        """Defer, screen on a worker thread (progress in the deferred message), then the summary in the channel,
        a thread with the files and the decision buttons."""
        await interaction.response.defer(thinking=True)
        loop = asyncio.get_running_loop()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            if total < 500 or time.monotonic() - last[0] < PROGRESS_EVERY_S:
                return
            last[0] = time.monotonic()
            edit = interaction.edit_original_response(content=f"Screening… {done:,} of {total:,} rows done")
            asyncio.run_coroutine_threadsafe(edit, loop)

        try:
            outcome: ScreeningOutcome = await asyncio.to_thread(screen, progress)
        except (UsageError, BriefbotError) as error:
            await interaction.followup.send(f"Nothing was screened: {error}", ephemeral=True)
            return
        summary = await interaction.followup.send(
            embeds=render_embeds(outcome.reply), allowed_mentions=NO_MENTIONS, wait=True
        )
        where: Any = interaction.followup
        try:
            where = await summary.create_thread(name=f"Screening {outcome.screening.id}")
        except (discord.DiscordException, AttributeError) as error:
            # A DM, or no right to start threads: the files and buttons follow the summary instead.
            log.info("no thread for screening %s: %s", outcome.screening.id, error)
        files = [discord.File(io.BytesIO(data), filename=name) for name, data in outcome.files.items()]
        await where.send("The result, every row: CSV for the spreadsheet, HTML to read.", files=files)
        for text, view in decision_views(outcome):
            await where.send(text, allowed_mentions=NO_MENTIONS, **({"view": view} if view else {}))
