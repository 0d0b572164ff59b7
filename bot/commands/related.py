"""/related NAME: what an entity or operation is linked to, each link with its date and source."""

from bot.cards import related_lines
from bot.context import Context
from bot.registry import Option, command
from bot.reply import Citations, Line, Reply, Section, Status
from bot.resolve import resolve

__all__ = ["RELATED"]

USAGE = "/related NAME"


@command(
    "related",
    usage=USAGE,
    options=(Option("name", "Entity or operation, e.g. Salt Typhoon", required=True, autocomplete=True),),
    examples=("/related Salt Typhoon", "/related i-Soon"),
)
def RELATED(args: str, context: Context) -> Reply:
    """What an entity or operation is linked to, with the relation, date and source of each link.

    Entities designated in the same action, or named in the same advisory or indictment, are linked through it.
    """
    found = resolve(args, context, command="related", usage=USAGE)
    if isinstance(found, Reply):
        return found
    entity = context.kb.entity(found.entity)
    cite = Citations(context.kb)
    lines, related = related_lines(entity.id, context.kb, cite)
    return Reply(
        command="related",
        query=args,
        status=Status.FOUND,
        title=f"Related to {entity.caption} ({entity.kind.value})",
        subtitle=f"Matched “{found.name}” ({found.name_type.value}, {found.how}, score {found.score:.2f})",
        sections=[
            Section(
                title=f"{len(lines)} related",
                lines=[line for _, line in lines] or [Line(text="No links recorded in the loaded data.")],
            )
        ],
        citations=cite.as_list(),
        entity={"id": entity.id, "name": entity.caption, "kind": entity.kind.value},
        related=related,
    )
