"""OFAC's "Linked To: NAME" remarks read as links to the record of that name on the same list."""

from __future__ import annotations

from knowledge.lists.records import ListedRecord, RecordLink, replaced

__all__ = ["LINKED_TO", "with_linked_to"]

LINKED_TO = "linked to"
_MARK = "linked to:"


def _key(name: str) -> str:
    return " ".join(name.rstrip(".").split()).casefold()


def _linked_names(remarks: str) -> list[str]:
    """The names after "Linked To:" in OFAC's remarks: "…; Linked To: HIZBALLAH." in the CSV files, "(Linked To:
    NIOC INTERNATIONAL AFFAIRS (LONDON) LIMITED)" in the XML."""
    names = []
    for part in remarks.split(";"):
        part = part.strip().lstrip("(").strip()
        if not part.casefold().startswith(_MARK):
            continue
        name = part[len(_MARK) :].strip()
        if name.count(")") > name.count("("):
            name = name[: name.rindex(")")].strip()
        names.append(name.rstrip(".").strip())
    return [n for n in names if n]


def with_linked_to(records: list[ListedRecord]) -> list[ListedRecord]:
    """The records, each with a link to every record its remarks say it is linked to, where the list has exactly
    one record of that primary name (a name on another list, or held twice, links nothing)."""
    holders: dict[str, list[str]] = {}
    for record in records:
        holders.setdefault(_key(record.name), []).append(record.record_id)
    out = []
    for record in records:
        targets = [
            ids[0]
            for name in _linked_names(record.remarks or "")
            if len(ids := holders.get(_key(name), [])) == 1 and ids[0] != record.record_id
        ]
        if targets:
            links = (*record.links, *(RecordLink(target=t, type=LINKED_TO) for t in dict.fromkeys(targets)))
            record = replaced(record, links=links)
        out.append(record)
    return out
