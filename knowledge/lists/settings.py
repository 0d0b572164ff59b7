"""The lists' settings, checked once at start-up: a bad value, or a per-list variable that names no list, is one
message, not an error on every card or refresh that reads it."""

from __future__ import annotations

import os

from knowledge.errors import UsageError
from knowledge.lists.catalogue import CATALOGUE
from knowledge.settings import PER_LIST, env_file_values, list_variable, settings

__all__ = ["check_list_settings"]


def check_list_settings() -> None:
    """Raise a UsageError naming every list setting that cannot be read, or that names no list, in the environment
    or the `.env` file."""
    problems = []
    from_file = [name for name in env_file_values() if name]
    lists = {list_variable("", name)[1:] for name in CATALOGUE}
    for variable in sorted({name.upper() for name in (*os.environ, *from_file)}):
        for prefix in PER_LIST.values():
            if variable.startswith(prefix + "_") and variable.removeprefix(prefix + "_") not in lists:
                known = ", ".join(f"{prefix}_{s}" for s in sorted(lists))
                problems.append(f"{variable} names no list; the per-list settings are {known}.")
    try:
        settings()  # the read every later one reuses while the environment and the `.env` file stay as they are
    except UsageError as error:
        problems.append(str(error))
    if problems:
        raise UsageError(" ".join(problems))
