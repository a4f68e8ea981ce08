"""Rows of plain numbers written to PostgreSQL as one binary COPY, packed by numpy."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.db import connection, models

# PostgreSQL's binary COPY: signature, flags, header extension length; and the end marker.
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_TRAILER = b"\xff\xff"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # binary timestamps count microseconds from here

# The big-endian wire type of each model field kind this writer knows.
_WIRE_TYPES = {
    "BigAutoField": ">i8",
    "BigIntegerField": ">i8",
    "IntegerField": ">i4",
    "PositiveIntegerField": ">i4",
    "FloatField": ">f8",
    "BooleanField": "?",
    "DateTimeField": ">i8",
}


def _column(model: type[models.Model], name: str) -> tuple[str, str]:
    """The table column of field `name` and the wire type of its values."""
    field: Any = model._meta.get_field(name)
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    if kind not in _WIRE_TYPES:
        raise TypeError(f"binary COPY does not write {kind} ({name})")
    return str(field.column), _WIRE_TYPES[kind]


def _wire_values(values: object) -> object:
    if isinstance(values, datetime):  # one moment for every row
        return (values - _EPOCH) // timedelta(microseconds=1)
    return np.asarray(values)


def copy_rows(model: type[models.Model], columns: Mapping[str, object], rows: int) -> None:
    """Insert `rows` rows into `model`'s table: `columns` maps field names to a sequence of
    `rows` values (numbers or booleans) or to one datetime shared by every row.

    NULLs are not supported: every field written is NOT NULL. One `bytes` buffer holds the whole
    COPY (about 100 bytes per row for the trust scores), built without a Python loop per row.
    """
    described = [_column(model, name) for name in columns]
    layout: list[tuple[str, str]] = [("count", ">i2")]
    for index, (_name, wire_type) in enumerate(described):
        layout += [(f"n{index}", ">i4"), (f"v{index}", wire_type)]
    packed = np.zeros(rows, dtype=np.dtype(layout))
    packed["count"] = len(described)
    for index, values in enumerate(columns.values()):
        packed[f"n{index}"] = packed.dtype[f"v{index}"].itemsize
        packed[f"v{index}"] = _wire_values(values)
    names = ", ".join(connection.ops.quote_name(column) for column, _wire in described)
    statement = f"COPY {model._meta.db_table} ({names}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        copy.write(_SIGNATURE + packed.tobytes() + _TRAILER)
