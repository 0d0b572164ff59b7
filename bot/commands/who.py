"""/who NAME: the briefing card of an entity."""

import dataclasses

from bot.as_of import as_of_fact, split_as_of, view_on
from bot.cards import entity_card
from bot.context import Context
from bot.list_dates import ages_now
from bot.registry import Option, command
from bot.reply import Reply, Status
from bot.resolve import resolve

__all__ = ["WHO"]

USAGE = "/who NAME [as of YYYY-MM-DD]"


@command(
    "who",
    usage=USAGE,
    options=(Option("name", "Company, person, group or operation, e.g. i-Soon", required=True, autocomplete=True),),
    examples=("/who i-Soon", "/who Salt Typhoon", "/who ZHAO Guangzong", "/who Wuhan Xiaoruizhi as of 2024-03-22"),
)
def WHO(args: str, context: Context) -> Reply:
    """Brief me on an entity: names, sanctions, allegations, links and sources.

    Finds the entity by any of its names (aliases, former names, Chinese script, vendor names for threat
    actors), tolerating typos, and says which name matched and how. "as of DATE" answers from the list
    editions in use on that date.
    """
    name, day = split_as_of(args)
    if day is not None:
        view = view_on(context, day)
        then = dataclasses.replace(context, kb=view.kb)
        found = resolve(name, then, command="who", usage=USAGE)
        if isinstance(found, Reply) and found.status is Status.NOT_FOUND:
            # Not in the view of that day: where today's data holds the name, the editions stored may only fail to
            # date it (a list that states no listing date). A bare "no entity" would be a false no.
            now = resolve(name, context, command="who", usage=USAGE)
            if not isinstance(now, Reply):
                reply = entity_card(context.kb, now.entity, now, command="who", query=args, ages=ages_now(context))
                reply.subtitle = (
                    f"Not found in the list editions in use on {day.isoformat()}; today's data holds it, shown below "
                    "as of today. Where a list states no listing date, the editions stored cannot tell whether it was "
                    f"listed on {day.isoformat()}."
                )
                reply.facts.insert(0, as_of_fact(view))
                return reply
        reply = (
            found if isinstance(found, Reply) else entity_card(view.kb, found.entity, found, command="who", query=args)
        )
        reply.facts.insert(0, as_of_fact(view))
        return reply
    found = resolve(args, context, command="who", usage=USAGE)
    if isinstance(found, Reply):
        return found
    return entity_card(context.kb, found.entity, found, command="who", query=args, ages=ages_now(context))
