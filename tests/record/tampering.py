"""Rewriting the record as an attacker holding the owner role could: behind the triggers' back."""

import json
from typing import Any

from django.db import connection, transaction

from record.chain import link_hash
from record.dbroles import as_owner


def tamper(seq: int, data: dict[str, Any], *, rehash: bool = False) -> None:
    """Change the data of event `seq`; with `rehash`, recompute its hash and every later one, so
    the chain verifies again. Only the owner role can (the application role may not ALTER the
    table); transactional tests only, since it uses a connection of its own role."""
    with as_owner(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE record_auditevent DISABLE TRIGGER record_auditevent_append_only"
        )
        cursor.execute(
            "UPDATE record_auditevent SET data = %s::jsonb WHERE seq = %s", [json.dumps(data), seq]
        )
        if rehash:
            cursor.execute(
                "SELECT seq, at, actor, action, object, data, prev_hash FROM record_auditevent "
                "WHERE seq >= %s ORDER BY seq",
                [seq],
            )
            rows = cursor.fetchall()
            prev = rows[0][6]
            for row_seq, at, actor, action, obj, row_data, _ in rows:
                new = link_hash(
                    prev_hash=prev, seq=row_seq, at=at, actor=actor, action=action, object=obj,
                    data=json.loads(row_data) if isinstance(row_data, str) else row_data,
                )  # fmt: skip
                cursor.execute(
                    "UPDATE record_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
                    [prev, new, row_seq],
                )
                prev = new
        cursor.execute("ALTER TABLE record_auditevent ENABLE TRIGGER record_auditevent_append_only")
