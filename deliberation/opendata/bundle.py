"""Writing a bundle: a zip streamed to a temporary file section by section, never held in memory.

Each section becomes `<name>.json` (a JSON array written row by row) and `<name>.csv` (the same
rows, every text cell neutralised against formula injection by record.spreadsheets), beside
`schema.json` (every file and column described, the licence, the chain head) and `README.txt`.
"""

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from deliberation.opendata.registry import Row, Section, sections
from web.spreadsheets import csv_write


def fingerprint(process: Any) -> str:
    """A hash of every section's stamp: equal as long as none of the process's rows changed."""
    stamps = {section.name: section.stamp(process) for section in sections()}
    canonical = json.dumps([process.pk, process.title, stamps], default=str, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else value


def _write_json(entry: IO[bytes], rows: Iterator[Row]) -> int:
    count = 0
    entry.write(b"[")
    for row in rows:
        entry.write((",\n" if count else "\n").encode())
        entry.write(json.dumps(row, ensure_ascii=False, sort_keys=False).encode())
        count += 1
    entry.write(b"\n]\n")
    return count


def _write_csv(entry: IO[bytes], section: Section, rows: Iterator[Row]) -> None:
    text = io.TextIOWrapper(entry, encoding="utf-8", newline="", write_through=True)
    fields = list(section.fields)
    csv_write(text, ([_cell(row.get(field)) for field in fields] for row in rows), fields)
    text.detach()


def write_bundle(target: IO[bytes], *, process: Any, about: dict[str, Any]) -> dict[str, int]:
    """Write the zip of `process` to `target` (a seekable binary file); returns rows per section.

    Each section's rows are read twice (JSON, then CSV) rather than kept between the two files,
    so memory stays bounded by one chunk of rows whatever the size of the process.
    """
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for section in sections():
            with zf.open(f"{section.name}.json", "w", force_zip64=True) as entry:
                counts[section.name] = _write_json(entry, section.rows(process))
            with zf.open(f"{section.name}.csv", "w", force_zip64=True) as entry:
                _write_csv(entry, section, section.rows(process))
        schema = {
            **about,
            "counts": counts,
            "files": {
                section.name: {
                    "json": f"{section.name}.json",
                    "csv": f"{section.name}.csv",
                    "description": section.description,
                    "fields": section.fields,
                }
                for section in sections()
            },
        }
        zf.writestr("schema.json", json.dumps(schema, ensure_ascii=False, indent=2, default=str))
        zf.writestr("README.txt", _readme(about))
    return counts


def _readme(about: dict[str, Any]) -> str:
    licence = about["licence"]
    return (
        f'Open data of the process "{about["process"]["title"]}" ({about["process"]["url"]}).\n'
        f"Built at {about['built_at']}. Licence: {licence['name']} ({licence['url']}).\n\n"
        "Every kind of row is in <kind>.json and <kind>.csv; schema.json describes each column.\n"
        "CSV cells that a spreadsheet would read as a formula start with an apostrophe.\n"
        "People who chose to be shown by group only are named by stakeholder group and region.\n"
        "audit_events holds the process's events of the public record; chain_head in schema.json\n"
        "is the platform's chain head when the bundle was built (verify it on the record page).\n"
    )
