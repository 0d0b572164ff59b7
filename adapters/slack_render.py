"""The neutral reply as a Slack Block Kit message, within Slack's limits, with every user or data text escaped."""

from __future__ import annotations

from typing import Any

from bot.reply import Candidate, Line, Reply, Status

__all__ = [
    "LIMITS",
    "PICTURE_ACTION",
    "add_picture_buttons",
    "check_message",
    "escape",
    "parse_picture_value",
    "render_message",
]

# Slack's limits (api.slack.com/reference/block-kit): slack_sdk checks only some of them.
LIMITS = {
    "blocks": 50,
    "header": 150,
    "section": 3000,
    "fields": 10,
    "field": 2000,
    "context_elements": 10,
    "context_text": 3000,
    "actions_elements": 25,
    "button_text": 75,
    "button_value": 2000,
    "action_id": 255,
    "text": 40000,
}
SHARE_ACTION = "briefbot_share"
RUN_ACTION = "briefbot_run"
# The fallback text is what notifications and screen readers show; Slack truncates very long ones anyway.
FALLBACK_CHARS = 3000
_CANDIDATE_BUTTONS = 5


def escape(text: str) -> str:
    """Slack's three control characters as entities: no text from a user or a list can mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _marks(line: Line) -> str:
    return "".join(f"[{n}]" for n in line.sources)


def _section_blocks(title: str, lines: list[str]) -> list[dict[str, Any]]:
    """A titled list as section blocks, each under Slack's 3,000 characters, split between lines."""
    blocks, current = [], f"*{escape(title)}*"
    for line in lines:
        entry = "\n• " + line
        if len(current) + len(entry) > LIMITS["section"]:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": current}})
            current = _cut("• " + line, LIMITS["section"])
        else:
            current += entry
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": current}})
    return blocks


def _button(text: str, value: str, action_id: str, *, primary: bool = False) -> dict[str, Any]:
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": _cut(escape(text), LIMITS["button_text"]), "emoji": False},
        "value": _cut(value, LIMITS["button_value"]),
        "action_id": action_id,
    }
    if primary:
        button["style"] = "primary"
    return button


def _candidate_block(candidate: Candidate, number: int) -> dict[str, Any]:
    """One choice: its label and what tells it apart (how it holds the name, lists, programmes) in a section,
    a button beside it. A button's 75 characters cannot hold the detail, so the button says which record."""
    text = f"*{escape(candidate.name)}* ({candidate.score:.2f})"
    if candidate.detail:
        text += "\n" + escape(candidate.detail)
    opens = candidate.command.partition(" ")[2] or candidate.command
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": _cut(text, LIMITS["section"])},
        "accessory": _button(f"Open {opens}", candidate.command, f"{RUN_ACTION}_{number}"),
    }


def render_message(reply: Reply, *, command_text: str | None = None, shareable: bool = True) -> dict[str, Any]:
    """`{"text", "blocks"}` for chat.postMessage or a response_url; `command_text` is what "Share" re-runs."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _cut(escape(reply.title), LIMITS["header"]), "emoji": False},
        }
    ]
    if reply.subtitle:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _cut(escape(reply.subtitle), LIMITS["section"])}}
        )
    if reply.facts:
        fields = [
            {"type": "mrkdwn", "text": _cut(f"*{escape(f.label)}*\n{escape(f.value)}", LIMITS["field"])}
            for f in reply.facts[: LIMITS["fields"]]
        ]
        blocks.append({"type": "section", "fields": fields})
    body: list[dict[str, Any]] = []
    for section in reply.sections:
        lines = [
            _cut(escape(line.text) + (" " + _marks(line) if line.sources else ""), LIMITS["section"] - 10)
            for line in section.lines
        ]
        body += _section_blocks(section.title, lines)
    if reply.citations:
        sources = [
            escape(f"[{c.number}] {c.title}. {c.publisher}{', ' + c.date.isoformat() if c.date else ''}.")
            + (f" {escape(c.url)}" if c.url else "")
            for c in reply.citations
        ]
        body += _section_blocks("Sources", sources)
    tail: list[dict[str, Any]] = []
    if reply.candidates:
        label = "Which one do you mean?" if reply.status is Status.AMBIGUOUS else "Did you mean:"
        tail.append({"type": "section", "text": {"type": "mrkdwn", "text": label}})
        tail += [_candidate_block(c, i) for i, c in enumerate(reply.candidates[:_CANDIDATE_BUTTONS])]
    if shareable and command_text and reply.status is not Status.ERROR and not reply.in_channel:
        tail.append(
            {"type": "actions", "elements": [_button("Share in channel", command_text, SHARE_ACTION, primary=True)]}
        )
    room = LIMITS["blocks"] - len(blocks) - len(tail)
    if len(body) > room:
        body = body[: room - 1]
        body.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": "Shortened to fit Slack: ask a narrower question for the rest."}
                ],
            }
        )
    blocks += body + tail
    return {"text": _cut(escape(reply.text), FALLBACK_CHARS), "blocks": blocks}


def check_message(message: dict[str, Any]) -> list[str]:
    """Every way the message breaks Slack's limits or could ping or link; empty when it is fine."""
    problems = []
    blocks = message.get("blocks", [])
    if len(blocks) > LIMITS["blocks"]:
        problems.append(f"{len(blocks)} blocks (limit {LIMITS['blocks']})")
    if len(message.get("text", "")) > LIMITS["text"]:
        problems.append("fallback text too long")
    texts = [message.get("text", "")]
    for number, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "header" and len(block["text"]["text"]) > LIMITS["header"]:
            problems.append(f"block {number}: header over {LIMITS['header']}")
        if kind == "section":
            if "text" in block and len(block["text"]["text"]) > LIMITS["section"]:
                problems.append(f"block {number}: section over {LIMITS['section']}")
            fields = block.get("fields", [])
            if len(fields) > LIMITS["fields"]:
                problems.append(f"block {number}: {len(fields)} fields")
            problems += [
                f"block {number}: field over {LIMITS['field']}" for f in fields if len(f["text"]) > LIMITS["field"]
            ]
        if kind == "context" and len(block["elements"]) > LIMITS["context_elements"]:
            problems.append(f"block {number}: {len(block['elements'])} context elements")
        # A row of buttons, or the one button beside a section's text (a "which one?" choice).
        buttons = block["elements"] if kind == "actions" else [block["accessory"]] if "accessory" in block else []
        if kind == "actions" and len(buttons) > LIMITS["actions_elements"]:
            problems.append(f"block {number}: {len(buttons)} buttons")
        for button in buttons:
            if len(button["text"]["text"]) > LIMITS["button_text"] or len(button["value"]) > LIMITS["button_value"]:
                problems.append(f"block {number}: a button over its limits")
            if len(button["action_id"]) > LIMITS["action_id"]:
                problems.append(f"block {number}: action_id too long")
        texts += _texts(block)
    for text in texts:
        # Every "<" is escaped, so no <!channel>, <@U…>, <#C…> or <http…|forged> can appear.
        if "<" in text or ">" in text:
            problems.append(f"unescaped angle bracket in {text[:60]!r}")
    return problems


def _texts(block: Any) -> list[str]:
    if isinstance(block, dict):
        found = [block["text"]] if isinstance(block.get("text"), str) else []
        for key, value in block.items():
            if key != "value":
                found += _texts(value)
        return found
    if isinstance(block, list):
        return [text for item in block for text in _texts(item)]
    return []


# --- pictures and exports (issue 16) ---

PICTURE_ACTION = "briefbot_picture"
# Button values are "KIND:ENTITY_ID": any replica draws the same picture again from its own knowledge base.
PICTURE_KINDS = {"graph": "Post relationship picture", "timeline": "Post timeline", "export": "Export (Markdown, PDF)"}


def picture_value(kind: str, entity_id: str) -> str:
    return f"{kind}:{entity_id}"


def parse_picture_value(value: str) -> tuple[str, str] | None:
    kind, _, entity_id = value.partition(":")
    return (kind, entity_id) if kind in PICTURE_KINDS and entity_id else None


def picture_kinds(reply: Reply) -> list[str]:
    """Which picture buttons an answer gets: /who and /related cards about one entity."""
    if reply.status is not Status.FOUND or not reply.entity or reply.command not in ("who", "related"):
        return []
    return ["graph", "timeline", "export"]


def add_picture_buttons(message: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The message with a row of picture and export buttons, kept within Slack's 50 blocks."""
    kinds = picture_kinds(reply)
    if not kinds:
        return message
    buttons = [
        _button(PICTURE_KINDS[kind], picture_value(kind, reply.entity["id"]), f"{PICTURE_ACTION}_{kind}")
        for kind in kinds
    ]
    blocks = list(message["blocks"])
    while len(blocks) >= LIMITS["blocks"]:
        # Room is made from the body, never the header or the last rows of buttons.
        blocks.pop(-2)
    # Above the "Share in channel" row, which stays the message's last.
    shares = [i for i, b in enumerate(blocks) if b["type"] == "actions" and _has_action(b, SHARE_ACTION)]
    at = shares[-1] if shares else len(blocks)
    return {**message, "blocks": [*blocks[:at], {"type": "actions", "elements": buttons}, *blocks[at:]]}


def _has_action(block: dict[str, Any], action_id: str) -> bool:
    return any(element.get("action_id") == action_id for element in block.get("elements", []))
