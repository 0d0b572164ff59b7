"""/screen on Slack: pasted names or an uploaded file screened, the result in a thread, decisions by button."""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.screen_cli import screener_for
from adapters.slack_render import LIMITS, render_message
from bot.errors import UsageError
from bot.screening.audit import DECISIONS
from bot.screening.engine import Hit, ScreenedRow
from bot.screening.rows import MAX_FILE_BYTES
from bot.screening.service import Screener, ScreeningOutcome, Who
from bot.service import Bot
from knowledge.errors import BriefbotError

__all__ = ["DECIDE_ACTION", "DECISION_VIEW", "SCREEN_COMMAND", "SlackScreening", "register"]

log = logging.getLogger(__name__)

PLATFORM = "slack"
SCREEN_COMMAND = "/screen"
DECIDE_ACTION = "briefbot_decide"
DECISION_VIEW = "briefbot_decision"
# Candidates per message of decision buttons (two blocks each, under Slack's 50), and messages per screening:
# beyond them, the result file lists every candidate and `briefbot audit decide` records the rest.
CANDIDATES_PER_MESSAGE = 10
DECISION_MESSAGES = 5
# A progress message is updated at most this often: Slack allows about one chat.update a second per channel.
PROGRESS_EVERY_S = 2.0
# Slack writes a user group mentioned in a command as <!subteam^S0123|@handle>; bare ids are taken too.
_GROUP = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>|\b(S[A-Z0-9]{6,})\b")
_FILE_WORD = re.compile(r"^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>\s*)?/?screen\b(.*)$", re.IGNORECASE | re.DOTALL)
# Slack serves uploaded files from this host; the bot token is sent to no other (but the API's own, for tests).
FILES_HOST = "files.slack.com"


class _Refused(urllib.request.HTTPRedirectHandler):
    """urllib would carry the Authorization header to wherever a redirect points: no redirect is followed."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_NO_REDIRECTS = urllib.request.build_opener(_Refused)


class SlackScreening:
    def __init__(
        self, screener: Screener, *, can_manage: Callable[[WebClient, str, str], bool], api_url: str, token: str
    ) -> None:
        self.screener = screener
        self.can_manage = can_manage
        self._token = token
        self._hosts = {FILES_HOST, urllib.parse.urlsplit(api_url).netloc}

    # --- screening ---

    def on_command(self, body: dict[str, Any], respond: Callable[..., Any], client: WebClient) -> None:
        text = body.get("text", "")
        who = Who(PLATFORM, body.get("user_id"), body.get("team_id"), body.get("channel_id"))
        if text.strip().lower().startswith("deciders"):
            respond(text=self._deciders(text.strip()[len("deciders") :], who, client), response_type="ephemeral")
            return
        if not text.strip():
            respond(text=_USAGE, response_type="ephemeral")
            return
        self._screen(client, who, lambda progress: self.screener.screen_pasted(text, who, progress=progress), respond)

    def on_file_message(self, event: dict[str, Any], client: WebClient) -> None:
        """A CSV or XLSX file shared with the word "screen" (or "@briefbot screen"): screened, answered in thread."""
        words = _FILE_WORD.match(event.get("text", ""))
        files = event.get("files") or []
        if words is None or not files:
            return
        who = Who(PLATFORM, event.get("user"), event.get("team"), event.get("channel"))
        as_of = re.search(r"as\s+of\s+(\S+)", words.group(1), re.IGNORECASE)
        thread = event.get("thread_ts") or event.get("ts")

        def say(text: str, **_: Any) -> None:
            client.chat_postMessage(channel=who.channel or "", thread_ts=thread, text=text)

        try:
            data, name = self._download(files[0])
        except UsageError as error:
            say(str(error))
            return
        self._screen(
            client,
            who,
            lambda progress: self.screener.screen_upload(
                data, name, who, as_of=as_of.group(1) if as_of else None, progress=progress
            ),
            say,
            thread=thread,
        )

    def _download(self, file: dict[str, Any]) -> tuple[bytes, str]:
        name = str(file.get("name") or "upload.csv")
        if int(file.get("size") or 0) > MAX_FILE_BYTES:
            raise UsageError(f"“{name}” is over {MAX_FILE_BYTES // 1024 // 1024} MB; split it and upload the parts.")
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        if urllib.parse.urlsplit(url).netloc not in self._hosts:
            raise UsageError(f"“{name}” is not a file Slack holds; upload it to Slack and try again.")
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self._token}"})
        try:
            with _NO_REDIRECTS.open(request, timeout=30) as answer:  # the host is checked above
                data = answer.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            log.info("could not fetch an uploaded file: %s", error)
            raise UsageError(f"I could not fetch “{name}” from Slack; upload it again.") from None
        return data, name

    def _screen(
        self,
        client: WebClient,
        who: Who,
        run: Callable[[Callable[[int, int], None]], ScreeningOutcome],
        reply: Callable[..., Any],
        *,
        thread: str | None = None,
    ) -> None:
        """Post "screening…", update it as rows are done, then make it the summary, the files and decisions in its
        thread. A bad input is answered where it came from, in a sentence."""
        channel = who.channel or ""
        try:
            started = client.chat_postMessage(channel=channel, thread_ts=thread, text="Screening…")
        except SlackApiError as error:
            log.info("cannot post in %s: %s", channel, error.response.get("error"))
            reply(text="I can't post in this channel; invite me first (/invite @briefbot).", response_type="ephemeral")
            return
        ts = started["ts"]
        last = [0.0]

        def progress(done: int, total: int) -> None:
            if total < 2 * 250 or time.monotonic() - last[0] < PROGRESS_EVERY_S:
                return
            last[0] = time.monotonic()
            try:
                client.chat_update(channel=channel, ts=ts, text=f"Screening… {done:,} of {total:,} rows done")
            except SlackApiError as error:  # progress is a courtesy: the result still comes
                log.info("progress update failed: %s", error.response.get("error"))

        try:
            outcome = run(progress)
        except BriefbotError as error:
            client.chat_update(channel=channel, ts=ts, text=f"Nothing was screened: {error}")
            return
        summary = render_message(outcome.reply, shareable=False)
        client.chat_update(channel=channel, ts=ts, **summary)
        in_thread = thread or ts
        client.files_upload_v2(
            channel=channel,
            thread_ts=in_thread,
            initial_comment="The result, every row: CSV for the spreadsheet, HTML to read.",
            file_uploads=[{"file": data, "filename": name, "title": name} for name, data in outcome.files.items()],
        )
        for message in decision_messages(outcome):
            client.chat_postMessage(channel=channel, thread_ts=in_thread, **message)

    # --- who may decide ---

    def _deciders(self, text: str, who: Who, client: WebClient) -> str:
        groups = [a or b for a, b in _GROUP.findall(text)]
        where = {"platform": PLATFORM, "workspace": who.workspace or "", "channel": who.channel or ""}
        audit = self.screener.audit
        if audit is None:
            return "Decisions need the screening record, and this bot runs without a store."
        if not groups:
            current = audit.deciders(**where)
            if not current:
                return "No one may decide on screening hits in this channel yet. " + _SET_DECIDERS
            return "Members of " + ", ".join(f"<!subteam^{g}>" for g in current) + " may decide here. " + _SET_DECIDERS
        if not self.can_manage(client, who.user or "", who.channel or ""):
            return "Only someone allowed to manage this channel may set who decides here."
        audit.set_deciders(**where, groups=groups, set_by=who.user or "", now=self.screener.now())
        return "From now on, members of " + ", ".join(f"<!subteam^{g}>" for g in groups) + " may decide here."

    def may_decide(self, client: WebClient, who: Who) -> str | None:
        """None when the user may decide in the channel; else why not, in a sentence. Asked of Slack every time."""
        audit = self.screener.audit
        if audit is None:
            return "Decisions need the screening record, and this bot runs without a store."
        groups = audit.deciders(platform=PLATFORM, workspace=who.workspace or "", channel=who.channel or "")
        if not groups:
            return "No one may decide on screening hits in this channel yet. " + _SET_DECIDERS
        for group in groups:
            try:
                members = client.usergroups_users_list(usergroup=group).get("users", [])
            except SlackApiError as error:
                log.info("could not read user group %s: %s", group, error.response.get("error"))
                continue
            if who.user in members:
                return None
        return "Only members of " + ", ".join(f"<!subteam^{g}>" for g in groups) + " may decide here."

    # --- deciding ---

    def on_decide(self, body: dict[str, Any], respond: Callable[..., Any], client: WebClient) -> None:
        """A decision button: the modal asking the reason, for someone allowed to decide here."""
        action = body["actions"][0]
        who = _who(body)
        refused = self.may_decide(client, who)
        if refused:
            respond(text=refused, response_type="ephemeral", replace_original=False)
            return
        choice = json.loads(action["value"])
        metadata = {**choice, "c": who.channel, "t": (body.get("message") or {}).get("thread_ts")}
        client.views_open(trigger_id=body["trigger_id"], view=decision_modal(choice, json.dumps(metadata)))

    def on_decision(self, ack: Callable[..., Any], body: dict[str, Any], client: WebClient) -> None:
        """The modal sent: permission checked again, the decision recorded, said in the thread."""
        view = body["view"]
        choice = json.loads(view["private_metadata"])
        who = Who(PLATFORM, (body.get("user") or {}).get("id"), (body.get("team") or {}).get("id"), choice.get("c"))
        refused = self.may_decide(client, who)
        reason = (((view.get("state") or {}).get("values") or {}).get("reason") or {}).get("reason") or {}
        try:
            if refused:
                raise UsageError(refused)
            decision = self.screener.decide(
                screening_id=choice["s"],
                row_number=int(choice["r"]),
                reference=choice["e"],
                decision=choice["d"],
                reason=reason.get("value") or "",
                who=who,
            )
        except BriefbotError as error:
            ack(response_action="errors", errors={"reason": str(error)[:150]})
            return
        ack()
        client.chat_postMessage(
            channel=who.channel or "",
            thread_ts=choice.get("t"),
            text=f"Recorded: *{DECISIONS[decision.decision]}* on row {decision.row_number} "
            f"({choice.get('n', '')} → {decision.entity_reference}) by <@{decision.decided_by}>: {decision.reason}",
        )


_USAGE = (
    "Paste names after /screen, one a line (optionally `; country ; date of birth`), and `as of YYYY-MM-DD` on the "
    "last line for the lists of that date; or upload a CSV or XLSX file with the message “screen”."
)
_SET_DECIDERS = "Someone who manages the channel sets it with `/screen deciders @group`."


def _who(body: dict[str, Any]) -> Who:
    return Who(
        PLATFORM,
        (body.get("user") or {}).get("id"),
        (body.get("team") or {}).get("id"),
        (body.get("channel") or {}).get("id"),
    )


def _candidate_text(screened: ScreenedRow, hit: Hit) -> str:
    lists = "; ".join(hit.lists[:2])
    return (
        f"*Row {screened.row.number}* “{screened.row.shown}” → *{hit.caption}* (`{hit.reference}`), matched "
        f"“{hit.matched}” ({hit.how} {hit.score:.2f}): {hit.why}" + (f"\n{lists}" if lists else "")
    )[: LIMITS["section"]]


def decision_messages(outcome: ScreeningOutcome) -> list[dict[str, Any]]:
    """The possible matches with their three buttons, a few per message; what does not fit is said."""
    screening = outcome.screening
    pending = screening.to_decide()
    shown = pending[: CANDIDATES_PER_MESSAGE * DECISION_MESSAGES]
    messages = []
    for start in range(0, len(shown), CANDIDATES_PER_MESSAGE):
        blocks: list[dict[str, Any]] = []
        for n, (screened, hit) in enumerate(shown[start : start + CANDIDATES_PER_MESSAGE]):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _candidate_text(screened, hit)}})
            buttons = []
            for key, label in DECISIONS.items():
                value = {"s": screening.id, "r": screened.row.number, "e": hit.reference, "d": key}
                value["n"] = screened.row.shown[:100]
                buttons.append(
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": label},
                        "action_id": f"{DECIDE_ACTION}_{start + n}_{key}",
                        "value": json.dumps(value)[: LIMITS["button_value"]],
                        **({"style": "danger"} if key == "escalate" else {}),
                    }
                )
            blocks.append({"type": "actions", "elements": buttons})
        messages.append({"text": "Possible matches to decide", "blocks": blocks})
    if len(pending) > len(shown):
        messages.append(
            {
                "text": f"{len(pending) - len(shown):,} more candidates are in the result file; record decisions on "
                f"them with `briefbot audit decide {screening.id} ROW REFERENCE`."
            }
        )
    return messages


def decision_modal(choice: dict[str, Any], metadata: str) -> dict[str, Any]:
    label = DECISIONS[choice["d"]]
    return {
        "type": "modal",
        "callback_id": DECISION_VIEW,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": label[:24]},
        "submit": {"type": "plain_text", "text": "Record"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"Row {choice['r']} “{choice.get('n', '')}” against `{choice['e']}`: *{label}*. The "
                    "record keeps who, when, why, the row and the list editions; it cannot be changed afterwards.",
                },
            },
            {
                "type": "input",
                "block_id": "reason",
                "label": {"type": "plain_text", "text": "Why?"},
                "element": {"type": "plain_text_input", "action_id": "reason", "multiline": True, "max_length": 1000},
            },
        ],
    }


def register(
    app: App, bot: Bot, *, token: str, api_url: str, can_manage: Callable[[WebClient, str, str], bool]
) -> None:
    """/screen, the files shared to screen, the decision buttons and modal, on `app`."""
    handler = SlackScreening(screener_for(bot), can_manage=can_manage, api_url=api_url, token=token)
    app.command(SCREEN_COMMAND)(
        ack=_ack, lazy=[lambda body, respond, client: handler.on_command(body, respond, client)]
    )
    app.action(re.compile(rf"^{DECIDE_ACTION}_\d+_[\w-]+$"))(
        ack=_ack, lazy=[lambda body, respond, client: handler.on_decide(body, respond, client)]
    )
    app.view(DECISION_VIEW)(handler.on_decision)
    app.event({"type": "message", "subtype": "file_share"})(
        lambda event, client: handler.on_file_message(event, client)
    )


def _ack(ack: Callable[..., Any]) -> None:
    ack()
