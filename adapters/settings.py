"""Every setting of the processes, the knowledge layer's and the platforms' (tokens, addresses, ports, logging), as
one validated settings object (read as knowledge.settings reads its own); tokens are SecretStr, so no log line or
error message ever shows them."""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from knowledge.settings import environment_key, load, settings_model

__all__ = ["SECRETS", "app_settings", "app_settings_model", "setting"]

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMATS = ("text", "json")
# Variables whose values are never repeated, in errors or logs.
SECRETS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN")
_SHAPES = {
    "slack_bot_token": (r"xoxb-[A-Za-z0-9-]{10,}", "a bot token (xoxb-…)"),
    "slack_app_token": (r"xapp-[A-Za-z0-9-]{10,}", "an app-level token (xapp-…)"),
    "slack_signing_secret": (r"[0-9a-fA-F]{16,}", "the app's signing secret (hex)"),
    "discord_token": (r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}", "a bot token from the Developer Portal"),
}


def _port(value: object) -> int | None:
    text = str(value).strip()
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError("is not a port number (1-65535).")
    return int(text)


@lru_cache(maxsize=1)
def app_settings_model() -> type:
    """The knowledge layer's settings with the platforms' added: one class, so one read validates them all."""

    class AppSettings(settings_model()):  # type: ignore[misc]
        log_level: str | None = Field(None, validation_alias="BRIEFBOT_LOG_LEVEL")
        log_format: str = Field("text", validation_alias="BRIEFBOT_LOG_FORMAT")
        port: int | None = Field(None, validation_alias="PORT")
        health_port: int | None = Field(None, validation_alias="BRIEFBOT_HEALTH_PORT")
        slack_bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
        slack_app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
        slack_signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
        slack_api_url: str | None = Field(None, validation_alias="SLACK_API_URL")
        slack_commands: str = Field("", validation_alias="BRIEFBOT_SLACK_COMMANDS")
        discord_token: SecretStr | None = Field(None, validation_alias="DISCORD_TOKEN")
        discord_api_url: str | None = Field(None, validation_alias="DISCORD_API_URL")
        discord_gateway_url: str | None = Field(None, validation_alias="DISCORD_GATEWAY_URL")
        # OFAC's record-keeping rule keeps records for ten years (31 CFR 501.601).
        audit_retention_years: int = Field(10, ge=1, le=100, validation_alias="BRIEFBOT_AUDIT_RETENTION_YEARS")

        @field_validator("log_level", "log_format", mode="before")
        @classmethod
        def _word(cls, value: object, info: ValidationInfo) -> str:
            # Levels are written in capitals and formats in small letters, whichever way they were typed.
            what, choices = ("level", LEVELS) if info.field_name == "log_level" else ("format", FORMATS)
            text = str(value).strip()
            text = text.upper() if what == "level" else text.lower()
            if text not in choices:
                raise ValueError(f"is not a {what}; use one of {', '.join(choices)}.")
            return text

        @field_validator("port", "health_port", mode="before")
        @classmethod
        def _ports(cls, value: object) -> int | None:
            return _port(value)

        @field_validator(*_SHAPES, mode="before")
        @classmethod
        def _shape(cls, value: object, info: ValidationInfo) -> SecretStr:
            text = value.get_secret_value() if isinstance(value, SecretStr) else str(value).strip()
            pattern, what = _SHAPES[info.field_name]
            if re.fullmatch(pattern, text) is None:
                raise ValueError(f"does not look like {what} (check that the whole value was copied).")
            return SecretStr(text)

    return AppSettings


@lru_cache(maxsize=4)
def _cached(key: tuple[object, ...]) -> object:
    return load(app_settings_model(), secret=SECRETS)


def app_settings():
    """Every setting as the environment and the `.env` file give them now; UsageError naming what is wrong (a
    token's name, never its value)."""
    return _cached(environment_key())


def setting(variable: str) -> object:
    """The value of the setting read from `variable` (SLACK_BOT_TOKEN, PORT…); None where it is unset."""
    fields = app_settings_model().model_fields
    name = next(name for name, info in fields.items() if info.validation_alias == variable)
    return getattr(app_settings(), name)
