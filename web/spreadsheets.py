"""CSV that spreadsheets open safely: the one writer every export uses.

A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return, which some spreadsheets
skip first) is read as a formula (CSV injection, OWASP); such text is written with a leading
apostrophe, which spreadsheets show as text. Numbers stay numbers.
"""

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Mapping[str, Any]], fieldnames: list[str]) -> str:
    """The rows as CSV with a header line, every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames)
    writer.writeheader()
    writer.writerows({key: neutralised(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def csv_lines(rows: Iterable[Iterable[Any]]) -> str:
    """Rows of cells as CSV without a header line (e.g. key,value files), every text cell
    neutralised."""
    buffer = io.StringIO()
    csv_write(buffer, rows)
    return buffer.getvalue()


def csv_write(
    stream: io.TextIOBase | Any, rows: Iterable[Iterable[Any]], header: list[str] | None = None
) -> None:
    """Write the rows (sequences of cells), after a header line when one is given, to a text
    stream as they come, every text cell neutralised: also for exports too large to hold in
    memory (open-data bundles)."""
    writer = csv.writer(stream)
    if header is not None:
        writer.writerow(header)
    writer.writerows([neutralised(value) for value in row] for row in rows)
