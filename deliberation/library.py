"""The glossary and resource library shipped with Footing (deliberation/data/*.json)."""

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def shipped(name: str) -> list[dict[str, Any]]:
    """The entries of deliberation/data/<name>.json."""
    with (DATA / f"{name}.json").open(encoding="utf-8") as handle:
        entries: list[dict[str, Any]] = json.load(handle)
    return entries


def install(term_model: Any, resource_model: Any) -> None:
    """Add every shipped term and resource that is missing (by term, by address); keep edits."""
    for entry in shipped("glossary"):
        term_model.objects.get_or_create(
            term=entry["term"],
            defaults={"aliases": entry["aliases"], "definitions": entry["definitions"]},
        )
    for entry in shipped("resources"):
        resource_model.objects.get_or_create(
            url=entry["url"], defaults={k: v for k, v in entry.items() if k != "url"}
        )
