"""/who NAME: the briefing card of an entity."""

from bot.cards import entity_card
from bot.context import Context
from bot.list_dates import ages_now
from bot.registry import Option, command
from bot.reply import Reply
from bot.resolve import resolve

__all__ = ["WHO"]

USAGE = "/who NAME"


@command(
    "who",
    usage=USAGE,
    options=(Option("name", "Company, person, group or operation, e.g. i-Soon", required=True, autocomplete=True),),
    examples=("/who i-Soon", "/who Salt Typhoon", "/who ZHAO Guangzong"),
)
def WHO(args: str, context: Context) -> Reply:
    """Brief me on an entity: names, sanctions, allegations, links and sources.

    Finds the entity by any of its names (aliases, former names, Chinese script, vendor names for threat
    actors), tolerating typos, and says which name matched and how.
    """
    found = resolve(args, context, command="who", usage=USAGE)
    if isinstance(found, Reply):
        return found
    return entity_card(context.kb, found.entity, found, command="who", query=args, ages=ages_now(context))
