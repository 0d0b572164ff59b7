"""The bot's front door: a request in, a reply out; the one place errors become polite text."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from bot.commands import ALL
from bot.context import Context
from bot.errors import UsageError
from bot.parsing import split_command
from bot.registry import Command, Registry
from bot.reply import Action, Reply, Status
from bot.request import Request, clean_input
from knowledge.base import KnowledgeBase
from knowledge.errors import BriefbotError

if TYPE_CHECKING:
    from bot.digest.store import DigestStore
    from knowledge.store.database import Store

__all__ = ["Bot", "utc_now"]

log = logging.getLogger(__name__)

# Told of every answer (the request, the reply, the seconds it took): how adapters count and time requests.
Observer = Callable[[Request, Reply, float], None]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Bot:
    """Answers requests from any platform against one knowledge base."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        commands: Iterable[Command] = ALL,
        store: Store | None = None,
        digests: DigestStore | None = None,
        observers: Iterable[Observer] = (),
    ) -> None:
        self.kb = kb
        self.clock = clock
        self.registry = Registry(commands)
        self.store = store
        self.digests = digests
        self.observers = list(observers)

    def answer(self, request: Request | str) -> Reply:
        """The reply to `request`; never raises, whatever the input."""
        if isinstance(request, str):
            request = Request(text=request)
        elif clean_input(request.text) != request.text:
            # A copy made with model_copy(update=…) skips validation: cleaned here so no command sees raw text.
            request = request.model_copy(update={"text": clean_input(request.text)})
        started = time.perf_counter()
        reply = self._answer(request)
        for observe in self.observers:
            try:
                observe(request, reply, time.perf_counter() - started)
            except Exception:
                log.exception("an answer observer failed; the reply goes out regardless")
        return reply

    def _answer(self, request: Request) -> Reply:
        name = "?"
        try:
            name, args = split_command(request.text)
            found = self.registry.get(name)
            if found is None:
                raise UsageError(self._unknown_command(name))
            context = Context(
                kb=self.kb,
                now=self.clock(),
                request=request,
                registry=self.registry,
                store=self.store,
                digests=self.digests,
            )
            return found.handler(args, context)
        except UsageError as error:
            return _error_reply(name, request.text, str(error), "usage", error.usage)
        except BriefbotError as error:
            return _error_reply(name, request.text, str(error), "data", None)
        except Exception:
            # The user gets an apology, the log gets the traceback; the input is kept out of the log line.
            log.exception(
                "command /%s failed on a %d-character request from %s",
                name,
                len(request.text),
                request.platform,
            )
            return _error_reply(
                name,
                request.text,
                "Sorry, something went wrong on our side; it has been logged.",
                "internal",
                None,
            )

    def delivered(self, reply: Reply, *, accepted: bool = True) -> None:
        """What the platform did with the post of `reply`: a digest sent now is recorded and its cursor moves once
        accepted; refused, its claim is given back so that it can be sent again at once."""
        if reply.delivery is None or self.digests is None:
            return
        if accepted:
            self.digests.record(now=self.clock(), sent=True, **reply.delivery)
        else:
            where = reply.delivery
            self.digests.release(where["subscription_id"], where["period"], worker=where["worker"])

    def brief(self, request: Request) -> Reply:
        """Brief me on this message: the entities any text names (a chat message, not a command); never raises."""
        # The question reader is imported when first needed: a start that answers /who never loads it.
        from bot.ask import brief_message

        try:
            context = Context(kb=self.kb, now=self.clock(), request=request, registry=self.registry)
            return brief_message(request.text, context)
        except BriefbotError as error:
            return _error_reply("brief", request.text, str(error), "data", None)
        except Exception:
            log.exception("briefing a %d-character message from %s failed", len(request.text), request.platform)
            return _error_reply(
                "brief", request.text, "Sorry, something went wrong on our side; it has been logged.", "internal", None
            )

    def _unknown_command(self, name: str) -> str:
        guesses = self.registry.suggest(name)
        hint = f" Did you mean /{guesses[0]}?" if guesses else ""
        return f"There is no command /{name}.{hint} Type /help for the list."


def _error_reply(command: str, query: str, message: str, kind: str, usage: str | None) -> Reply:
    return Reply(
        command=command,
        query=query[:200],
        status=Status.ERROR,
        title=message,
        subtitle=f"Usage: {usage}" if usage else None,
        actions=[Action(label="Help", command="/help")],
        error_kind=kind,
    )
