"""/ask QUESTION: a question in plain words, answered only from what the data says, with sources."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UsageError
from bot.registry import Option, command
from bot.reply import Reply

__all__ = ["ASK"]

USAGE = "/ask QUESTION"
ASK_EXAMPLE = "/ask which governments have sanctioned Integrity Tech?"


@command(
    "ask",
    usage=USAGE,
    options=(Option("question", "e.g. which governments have sanctioned Integrity Tech?", required=True),),
    examples=(
        "/ask which governments have sanctioned Integrity Tech?",
        "/ask who operates Raptor Train?",
        "/ask what did the Treasury designate in March 2025?",
        "/ask what do i-Soon and Integrity Tech have in common?",
    ),
)
def ASK(args: str, context: Context) -> Reply:
    """Ask in plain words; I answer only what the data says, with its sources, and say so when it does not.

    Names anywhere in the question, in any case or script, typos forgiven. Asks: who is X; who sanctioned X, when
    and why; is X sanctioned by the UK; what is X accused of; who founded or operates X; what is X linked to; who
    was sanctioned over X; what X and Y have in common; X's former names; where X is based; how many … (quoted
    from the statement that says it); what the US/UK/UN/EU designated in a period ("in March 2025", "this year").
    """
    # The question reader (a tenth of a second of imports) is loaded on the first question, not at every start.
    from bot.ask import answer, read_question
    from bot.ask.common import with_freshness

    text = args.strip()
    if not text:
        raise UsageError(f"Ask me something, e.g. {ASK_EXAMPLE}", usage=USAGE)
    question = read_question(text, context.kb, context.today, about=context.request.about)
    return with_freshness(answer(question, context), question, context)
