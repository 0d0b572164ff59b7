"""The settings of the store, the cache and the lists, read from the environment and an optional `.env` file and
validated by one pydantic model; a bad value is one message naming the variable.

Where they come from, first found wins: the process's environment, then the `.env` file (the one named by
BRIEFBOT_ENV_FILE, else `.env` in the current directory, if there is one), then the defaults. Names are read in any
case, and a variable set to nothing counts as unset."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from knowledge.errors import UsageError

__all__ = [
    "DEFAULT_ENV_FILE",
    "ENV_FILE_VARIABLE",
    "PREFIXES",
    "KnowledgeSettings",
    "env_file",
    "env_file_values",
    "environment_key",
    "list_variable",
    "load",
    "parse_interval",
    "settings",
    "settings_error",
    "settings_model",
]

ENV_FILE_VARIABLE = "BRIEFBOT_ENV_FILE"
DEFAULT_ENV_FILE = ".env"
# The variables briefbot reads begin with one of these (or are PORT): a change in any means settings read anew.
PREFIXES = ("BRIEFBOT_", "SLACK_", "DISCORD_")
DEFAULT_DEADLINE = 300.0
DEFAULT_EVERY = dt.timedelta(hours=6)
DEFAULT_SHARE = 0.02
DEFAULT_MIN_REMOVALS = 50
# An interval of zero stands for "off": never refreshed on schedule.
OFF = dt.timedelta(0)
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd]?)$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "": "hours"}
# Per-list settings: BRIEFBOT_STALE_AFTER_DAYS_OFAC_SDN, BRIEFBOT_REFRESH_EVERY_UK_CONLIST, BRIEFBOT_URL_UN_SC…
PER_LIST = {
    "stale_after_days": "BRIEFBOT_STALE_AFTER_DAYS",
    "refresh_every": "BRIEFBOT_REFRESH_EVERY",
    "url": "BRIEFBOT_URL",
}
_MESSAGES = {
    "stale_after_days": "is not a number of days; write a whole number such as 3.",
    "refresh_every": "is not an interval; write e.g. 6h, 90m, 1d or off (a bare number means hours).",
}


def list_variable(prefix: str, source: str) -> str:
    """BRIEFBOT_STALE_AFTER_DAYS + ofac-sdn -> BRIEFBOT_STALE_AFTER_DAYS_OFAC_SDN."""
    return f"{prefix}_{source.upper().replace('-', '_')}"


def parse_interval(value: object) -> dt.timedelta:
    """ "6h", "90m", "1d", "30s", a bare number of hours, or "off" (zero: never)."""
    if isinstance(value, dt.timedelta):
        return value
    text = str(value).strip().lower()
    if text in ("off", "never", "0"):
        return OFF
    match = _DURATION.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(_MESSAGES["refresh_every"])
    return dt.timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def _whole_days(value: object) -> int | None:
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise ValueError(_MESSAGES["stale_after_days"])
    return int(text)


class KnowledgeSettings(BaseModel):
    """The fields every process reads, each under the name of its variable; the per-list ones are added from the
    catalogue below."""

    # Unknown variables are someone else's.
    model_config = ConfigDict(extra="ignore", frozen=True, validate_default=False)

    db: str | None = Field(None, validation_alias="BRIEFBOT_DB", description="the store: a file path or a URL")
    cache: bool = Field(True, validation_alias="BRIEFBOT_CACHE", description="cache the built knowledge base")
    cache_dir: Path | None = Field(None, validation_alias="BRIEFBOT_CACHE_DIR")
    download_deadline: float = Field(DEFAULT_DEADLINE, validation_alias="BRIEFBOT_DOWNLOAD_DEADLINE")
    refresh_every: dt.timedelta = Field(DEFAULT_EVERY, validation_alias="BRIEFBOT_REFRESH_EVERY")
    removal_share: float = Field(DEFAULT_SHARE, validation_alias="BRIEFBOT_REMOVAL_SHARE")
    removal_min: int = Field(DEFAULT_MIN_REMOVALS, validation_alias="BRIEFBOT_REMOVAL_MIN")

    @field_validator("cache", mode="before")
    @classmethod
    def _on_or_off(cls, value: object) -> bool:
        text = str(value).strip().lower()
        if text in ("on", "1", "yes", "true"):
            return True
        if text in ("off", "0", "no", "false"):
            return False
        raise ValueError("is not on or off.")

    @field_validator("download_deadline", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> float:
        try:
            seconds = float(str(value).strip())
        except ValueError:
            seconds = 0.0
        if not 0 < seconds < math.inf:
            raise ValueError("is not a number of seconds above 0.")
        return seconds

    @field_validator("refresh_every", mode="before")
    @classmethod
    def _interval(cls, value: object) -> dt.timedelta:
        return parse_interval(value)

    @field_validator("removal_share", mode="before")
    @classmethod
    def _share(cls, value: object) -> float:
        text = str(value).strip()
        try:
            share = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            share = -1.0
        if not 0 <= share <= 1:
            raise ValueError('is not a share; write e.g. "0.02" or "2%".')
        return share

    @field_validator("removal_min", mode="before")
    @classmethod
    def _count(cls, value: object) -> int:
        text = str(value).strip()
        if not text.isdigit():
            raise ValueError("is not a count of records; write e.g. 50.")
        return int(text)

    def stale_after_days(self, source: str) -> int | None:
        """BRIEFBOT_STALE_AFTER_DAYS_<LIST>, or None where unset (then the catalogue's figure counts)."""
        return getattr(self, f"stale_after_days_{_field(source)}", None)

    def refresh_interval(self, source: str) -> dt.timedelta | None:
        """How often the list is refreshed: its own setting, else BRIEFBOT_REFRESH_EVERY; None when off."""
        own = getattr(self, f"refresh_every_{_field(source)}", None)
        every = own if own is not None else self.refresh_every
        return None if every == OFF else every

    def has_own_schedule(self, source: str) -> bool:
        """Whether the list has an address or an interval of its own (so it is refreshed though not in the default
        set)."""
        return any(getattr(self, f"{kind}_{_field(source)}", None) is not None for kind in ("refresh_every", "url"))

    def urls(self, source: str) -> tuple[str, ...]:
        """BRIEFBOT_URL_<LIST>: the addresses to download the list from instead of the publisher's (space-separated)."""
        return tuple((getattr(self, f"url_{_field(source)}", None) or "").split())


def _field(source: str) -> str:
    return source.lower().replace("-", "_")


def _list_names() -> Iterable[str]:
    from knowledge.lists.catalogue import CATALOGUE  # the catalogue reads these settings; imported when first needed

    return CATALOGUE


@lru_cache(maxsize=1)
def settings_model() -> type[KnowledgeSettings]:
    """The settings class with one field per list and per-list setting, named as the variables are."""
    fields: dict[str, Any] = {}
    validators: dict[str, Any] = {}
    for source in _list_names():
        name = _field(source)
        fields[f"stale_after_days_{name}"] = (
            int | None,
            Field(None, validation_alias=list_variable(PER_LIST["stale_after_days"], source)),
        )
        fields[f"refresh_every_{name}"] = (
            dt.timedelta | None,
            Field(None, validation_alias=list_variable(PER_LIST["refresh_every"], source)),
        )
        fields[f"url_{name}"] = (str | None, Field(None, validation_alias=list_variable(PER_LIST["url"], source)))
    validators["_days"] = field_validator(*(f for f in fields if f.startswith("stale_after_days_")), mode="before")(
        lambda cls, value: _whole_days(value)
    )
    validators["_every"] = field_validator(*(f for f in fields if f.startswith("refresh_every_")), mode="before")(
        lambda cls, value: None if value is None else parse_interval(value)
    )
    return create_model("KnowledgeSettings", __base__=KnowledgeSettings, __validators__=validators, **fields)


def env_file() -> Path | None:
    """The `.env` file to read: BRIEFBOT_ENV_FILE's (which must exist), else `.env` here if there is one."""
    named = os.environ.get(ENV_FILE_VARIABLE, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise UsageError(f"{ENV_FILE_VARIABLE}={named!r} is not a file; name a .env file, or unset it.")
        return path
    here = Path(DEFAULT_ENV_FILE)
    return here if here.is_file() else None


def env_file_values() -> dict[str, str | None]:
    """The variables the `.env` file (env_file) sets, as python-dotenv reads it; none where there is no file."""
    path = env_file()
    if path is None:
        return {}
    from dotenv import dotenv_values  # only a start with a `.env` file reads one

    return dict(dotenv_values(path, encoding="utf-8"))


def settings_error(error: ValidationError, *, secret: Iterable[str] = ()) -> UsageError:
    """One message naming every variable that cannot be read, each with its value, except secrets' values."""
    hidden = set(secret)
    problems = []
    for problem in error.errors():
        variable = str(problem["loc"][0]) if problem["loc"] else "a setting"
        message = str(problem["msg"]).removeprefix("Value error, ")
        if variable in hidden:
            problems.append(f"{variable} {message}")
        else:
            problems.append(f"{variable}={problem.get('input')!r} {message}")
    return UsageError(" ".join(problems))


def load(model: type[BaseModel] | None = None, *, secret: Iterable[str] = ()) -> Any:
    """A settings object of `model` (by default the knowledge layer's), read now; UsageError naming what is wrong."""
    model = model or settings_model()
    try:
        return model.model_validate(_variables(model))
    except ValidationError as error:
        raise settings_error(error, secret=secret) from None


def _variables(model: type[BaseModel]) -> dict[str, str]:
    """The model's variables as the `.env` file and then the environment set them (the environment wins), each
    under its own name whatever the case it was written in; empty ones left out. (pydantic-settings did this, and
    importing it took a seventh of every start.)"""
    names = {str(field.validation_alias).upper(): str(field.validation_alias) for field in model.model_fields.values()}
    found: dict[str, str] = {}
    for name, value in (*env_file_values().items(), *os.environ.items()):
        if value and name.upper() in names:
            found[names[name.upper()]] = value
    return found


def environment_key() -> tuple[object, ...]:
    """What the settings depend on: the variables that may be settings, and the `.env` file's identity."""
    variables = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(PREFIXES) or k == "PORT"))
    try:
        path = env_file()
        stamp = (str(path.resolve()), path.stat().st_mtime_ns, path.stat().st_size) if path else None
    except (UsageError, OSError) as error:
        stamp = str(error)
    return variables, stamp, str(Path.cwd())


@lru_cache(maxsize=4)
def _cached(key: tuple[object, ...]) -> KnowledgeSettings:
    return load()


def settings() -> KnowledgeSettings:
    """The knowledge layer's settings as the environment and the `.env` file give them now (read again only when
    either changed, so tests and a changed file are seen at once)."""
    return _cached(environment_key())
