"""/help [COMMAND]: what the bot can do, or how to use one command."""

from bot.context import Context
from bot.errors import UsageError
from bot.registry import Option, command
from bot.reply import Line, Reply, Section, Status

__all__ = ["HELP"]


@command("help", usage="/help [COMMAND]", options=(Option("command", "A command to explain"),))
def HELP(args: str, context: Context) -> Reply:
    """List the commands, or explain one: /help who."""
    wanted = args.strip().lstrip("/").casefold()
    if not wanted:
        lines = [Line(text=f"{c.usage} — {c.summary}", command=f"/help {c.name}") for c in context.registry]
        return Reply(
            command="help",
            query=args,
            status=Status.OK,
            title="briefbot briefs you on sanctioned entities, with sources.",
            subtitle="Every answer cites its sources; allegations are reported as allegations.",
            sections=[Section(title="Commands", lines=lines)],
        )
    found = context.registry.get(wanted)
    if found is None:
        guesses = context.registry.suggest(wanted)
        hint = f" Did you mean /{guesses[0]}?" if guesses else ""
        raise UsageError(f"There is no command /{wanted}.{hint} Type /help for the list.")
    sections = [Section(title="Usage", lines=[Line(text=found.usage)])]
    if found.examples:
        sections.append(Section(title="Examples", lines=[Line(text=e, command=e) for e in found.examples]))
    return Reply(
        command="help",
        query=args,
        status=Status.OK,
        title=f"/{found.name}",
        subtitle=found.help,
        sections=sections,
    )
