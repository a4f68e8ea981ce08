"""Hand-written reads for the busiest pages: select lists, rows, and model instances from them.

Building a query with several joins and annotations through the ORM costs a few milliseconds of
Python each time, several times what PostgreSQL takes to answer it; a page's hottest reads are
written once as SQL (module constants) and their rows turned back into model instances here.
"""

import functools
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model

M = TypeVar("M", bound=Model)


def attnames(model: type[Model], *, leave_out: Iterable[str] = ()) -> list[str]:
    """The model's concrete column attributes (`version_id`, not `version`), in field order."""
    left_out = set(leave_out)
    return [f.attname for f in model._meta.concrete_fields if f.attname not in left_out]


def select_list(model: type[Model], alias: str, prefix: str, names: Sequence[str]) -> str:
    """`alias.column AS "prefix.attname", …` for the given attributes of `model`."""
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    return ", ".join(f'{alias}."{by_attname[name]}" AS "{prefix}.{name}"' for name in names)


def rows(
    model: type[Model], sql: str, params: dict[str, Any] | Sequence[Any]
) -> list[dict[str, Any]]:
    """The rows of `sql` as dicts, read where the ORM would read `model` (the replica router)."""
    connection = connections[router.db_for_read(model)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def instance(model: type[M], row: dict[str, Any], prefix: str, names: Sequence[str]) -> M:
    """The `model` instance whose attributes `names` were selected as "prefix.name" (as "name"
    when `prefix` is empty), each value converted as the ORM converts it (JSON, for one); any
    other field is deferred, read on first access as after the ORM's `only()`."""
    alias = router.db_for_read(model)
    converting = _converters(model, alias)
    connection = connections[alias]
    names = _in_field_order(model, tuple(names))  # what from_db expects
    values = []
    for name in names:
        value = row[f"{prefix}.{name}" if prefix else name]
        if value is not None and name in converting:
            expression, converters = converting[name]
            for convert in converters:
                value = convert(value, expression, connection)
        values.append(value)
    return model.from_db(alias, list(names), values)


def objects(model: type[M], query: str, params: dict[str, Any]) -> list[M]:
    """The `model` instances of a query that selects its columns by their own names (`SELECT *`)."""
    names = attnames(model)
    return [instance(model, row, "", names) for row in rows(model, query, params)]


@functools.cache
def _in_field_order(model: type[Model], names: tuple[str, ...]) -> list[str]:
    chosen = set(names)
    return [name for name in attnames(model) if name in chosen]


@functools.cache
def _converters(model: type[Model], alias: str) -> dict[str, tuple[Any, list[Any]]]:
    """For each attribute of `model` whose database value needs converting, its column
    expression and converters (what the ORM's compiler applies to the rows it reads)."""
    connection = connections[alias]
    found = {}
    for field in model._meta.concrete_fields:
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + field.get_db_converters(
            connection
        )
        if converters:
            found[field.attname] = (expression, converters)
    return found
