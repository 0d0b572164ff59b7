"""The publishers' notices for the data briefbot ships and loads, as the NOTICE file states them."""

from importlib import resources

__all__ = ["notices_text"]


def notices_text() -> str:
    return (resources.files("knowledge") / "data" / "NOTICE").read_text(encoding="utf-8")
