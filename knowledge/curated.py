"""Loads the curated briefing data shipped in `knowledge/data/` and checks every reference it makes."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from knowledge.authorities import AUTHORITIES, REGIMES
from knowledge.errors import DataError
from knowledge.models import Allegation, Entity, Relation, Sanction, Source

__all__ = ["CuratedData", "curated_facts", "fact_payloads", "load_curated"]

M = TypeVar("M")


@dataclass(frozen=True, slots=True)
class CuratedData:
    sources: dict[str, Source]
    entities: dict[str, Entity]
    sanctions: list[Sanction]
    allegations: list[Allegation]
    relations: list[Relation]


def load_curated(directory: Path | None = None) -> CuratedData:
    """The curated data; raises DataError naming the file and record of the first broken reference."""
    folder = directory or Path(str(resources.files("knowledge") / "data"))
    sources = _index(_read(folder / "sources.toml", "source", Source), folder / "sources.toml")
    entities = _index(_read(folder / "entities.toml", "entity", Entity), folder / "entities.toml")
    sanctions = _read(folder / "sanctions.toml", "sanction", Sanction)
    allegations = _read(folder / "allegations.toml", "allegation", Allegation)
    relations = _read(folder / "relations.toml", "relation", Relation)
    data = CuratedData(sources, entities, sanctions, allegations, relations)
    _check_references(data, folder)
    return data


def _read(path: Path, table: str, model: type[M]) -> list[M]:
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DataError(f"{path.name}: cannot be read: {error}") from error
    records = []
    for number, record in enumerate(raw.get(table, []), start=1):
        try:
            records.append(TypeAdapter(model).validate_python(record))
        except ValidationError as error:
            label = record.get("id", f"#{number}")
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            raise DataError(f"{path.name}: {table} {label!r}: {problems}") from error
    return records


def _index(records: list[M], path: Path) -> dict[str, M]:
    found: dict[str, M] = {}
    for record in records:
        key = record.id  # type: ignore[attr-defined]
        if key in found:
            raise DataError(f"{path.name}: duplicate id {key!r}")
        found[key] = record
    return found


def _check_references(data: CuratedData, folder: Path) -> None:
    def need(ok: bool, file: str, table: str, record: str, what: str) -> None:
        if not ok:
            raise DataError(f"{folder.name}/{file}: {table} {record!r}: {what}")

    sources, entities = data.sources, data.entities
    for entity in entities.values():
        for source in entity.sources:
            need(source in sources, "entities.toml", "entity", entity.id, f"cites unknown source {source!r}")
        for name in entity.names:
            need(
                name.source is None or name.source in sources,
                "entities.toml",
                "entity",
                entity.id,
                f"name {name.value!r} cites unknown source {name.source!r}",
            )
    for sanction in data.sanctions:
        where = ("sanctions.toml", "sanction", sanction.id)
        need(sanction.entity in entities, *where, f"names unknown entity {sanction.entity!r}")
        need(sanction.source in sources, *where, f"cites unknown source {sanction.source!r}")
        need(
            sanction.list_source is None or sanction.list_source in sources,
            *where,
            f"cites unknown list source {sanction.list_source!r}",
        )
        need(sanction.authority in AUTHORITIES, *where, f"names unknown authority {sanction.authority!r}")
        need(sanction.regime in REGIMES, *where, f"names unknown regime {sanction.regime!r}")
    for allegation in data.allegations:
        where = ("allegations.toml", "allegation", allegation.id)
        need(allegation.subject in entities, *where, f"names unknown subject {allegation.subject!r}")
        need(allegation.source in sources, *where, f"cites unknown source {allegation.source!r}")
        for accuser in allegation.alleged_by_entities:
            need(accuser in entities, *where, f"names unknown accuser {accuser!r}")
    for relation in data.relations:
        where = ("relations.toml", "relation", relation.id)
        need(relation.subject in entities, *where, f"names unknown subject {relation.subject!r}")
        need(relation.object in entities, *where, f"names unknown object {relation.object!r}")
        need(relation.source in sources, *where, f"cites unknown source {relation.source!r}")


def curated_facts(data: CuratedData) -> dict[str, dict[str, Any]]:
    """Every sanction, allegation and relation of the curated data, by id, as plain values (for change detection)."""
    facts: dict[str, dict[str, Any]] = {}
    for kind, items in (("sanction", data.sanctions), ("allegation", data.allegations), ("relation", data.relations)):
        for item in items:
            facts[f"{kind}:{item.id}"] = TypeAdapter(type(item)).dump_python(item, mode="json", exclude_defaults=True)
    return facts


def fact_payloads(facts: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The curated facts as the store keeps them: each as JSON, keys sorted."""
    return {fact_id: json.dumps(fact, sort_keys=True, default=str) for fact_id, fact in facts.items()}
