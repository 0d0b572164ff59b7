"""/screen: screening a list of names, where it happens on each platform (its help, everywhere)."""

from bot.context import Context
from bot.registry import command
from bot.reply import Line, Reply, Section, Status

__all__ = ["SCREEN"]

USAGE = "/screen NAMES (one a line) [as of YYYY-MM-DD]"

_WHERE = (
    "Slack: /screen with the names one a line, or a CSV or XLSX file shared with the message “screen”.",
    "Discord: /screen names (a form to paste them in), /screen file (a CSV or XLSX attachment).",
    "Console: /screen on a line of its own, the names one a line, a blank line to finish; or /screen FILE.",
    "Command line: briefbot screen FILE [--as-of YYYY-MM-DD] [--out DIR]; briefbot audit export --since DATE.",
    "Who may decide: /screen deciders @group (Slack user group) or a role (Discord), set by whoever manages the "
    "channel.",
)


@command("screen", usage=USAGE, examples=("/screen",))
def SCREEN(args: str, context: Context) -> Reply:
    """Screen names against the sanctions lists, and decide on each possible match, on the record.

    Each row (a name, and a country and date of birth if known) gets no match, possible match or match, with the
    entity, its lists, why it matched and the list editions; the result comes as a summary and a CSV and HTML file.
    Each possible match has buttons: Not the same, Same: escalate, Watch; a decision asks a reason, keeps who and
    when, and shows on later screenings of the name until the entity's record changes.
    """
    return Reply(
        command="screen",
        query=args,
        status=Status.OK,
        title="Screening runs where files and buttons can follow it:",
        sections=[Section(title="Where to screen", lines=[Line(text=text) for text in _WHERE])],
    )
