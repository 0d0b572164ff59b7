"""The lists' settings in the environment, checked once at start-up: a bad value is one message, not an error on
every card or refresh that reads it."""

from __future__ import annotations

import os

from knowledge.errors import BriefbotError, UsageError
from knowledge.lists.catalogue import CATALOGUE, URL_VARIABLE
from knowledge.lists.freshness import STALE_VARIABLE, expected_days
from knowledge.lists.guard import RemovalPolicy
from knowledge.lists.schedule import EVERY_VARIABLE, refresh_every

__all__ = ["check_list_settings"]

# Variables named per list: BRIEFBOT_STALE_AFTER_DAYS_OFAC_SDN and the like.
_PER_LIST = (STALE_VARIABLE, EVERY_VARIABLE, URL_VARIABLE)


def _suffix(source: str) -> str:
    return source.upper().replace("-", "_")


def check_list_settings() -> None:
    """Raise a UsageError naming every list setting that cannot be read, or that names no list."""
    problems = []
    lists = {_suffix(name) for name in CATALOGUE}
    for variable in sorted(os.environ):
        for prefix in _PER_LIST:
            if variable.startswith(prefix + "_") and variable.removeprefix(prefix + "_") not in lists:
                known = ", ".join(f"{prefix}_{s}" for s in sorted(lists))
                problems.append(f"{variable} names no list; the per-list settings are {known}.")
    try:
        RemovalPolicy.from_environment()
    except BriefbotError as error:
        problems.append(str(error))
    for name in CATALOGUE:
        for read in (expected_days, refresh_every):
            try:
                read(name)
            except BriefbotError as error:
                if str(error) not in problems:
                    problems.append(str(error))
    if problems:
        raise UsageError(" ".join(problems))
