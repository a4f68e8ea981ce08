"""Rows of plain numbers written to PostgreSQL as one binary COPY, packed by numpy."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

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


def _wire_type(field: models.Field) -> str:  # type: ignore[type-arg]
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    kind = target.get_internal_type()
    if kind not in _WIRE_TYPES:
        raise TypeError(f"binary COPY does not write {kind} ({field.name})")
    return _WIRE_TYPES[kind]


def _wire_values(field: models.Field, values: object) -> np.ndarray:  # type: ignore[type-arg]
    if isinstance(values, datetime):  # one moment for every row
        return np.int64((values - _EPOCH) // timedelta(microseconds=1))
    return np.asarray(values)


def copy_rows(model: type[models.Model], columns: Mapping[str, object], rows: int) -> None:
    """Insert `rows` rows into `model`'s table: `columns` maps field names to a sequence of
    `rows` values (numbers or booleans) or to one datetime shared by every row.

    NULLs are not supported: every field written is NOT NULL. One `bytes` buffer holds the whole
    COPY (about 100 bytes per row for the trust scores), built without a Python loop per row.
    """
    fields = [model._meta.get_field(name) for name in columns]
    wire = np.dtype(
        [("count", ">i2")]
        + [
            item
            for index, field in enumerate(fields)
            for item in ((f"n{index}", ">i4"), (f"v{index}", _wire_type(field)))  # type: ignore[arg-type]
        ]
    )
    packed = np.zeros(rows, dtype=wire)
    packed["count"] = len(fields)
    for index, (field, values) in enumerate(zip(fields, columns.values(), strict=True)):
        packed[f"n{index}"] = wire.fields[f"v{index}"][0].itemsize
        packed[f"v{index}"] = _wire_values(field, values)  # type: ignore[arg-type]
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)  # type: ignore[attr-defined]
    statement = f"COPY {model._meta.db_table} ({names}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        copy.write(_SIGNATURE + packed.tobytes() + _TRAILER)
