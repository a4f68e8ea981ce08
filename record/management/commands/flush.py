"""`manage.py flush`, run as the owner role: the only way to erase the public record."""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections, transaction

from record.dbroles import AUDIT_TABLE, NO_TRUNCATE_TRIGGER, as_owner, audit_table_exists


class Command(FlushCommand):
    help = FlushCommand.help + " Runs as the owner role, the record's truncate guard lifted."

    def handle(self, **options: Any) -> None:
        database = options["database"]
        with as_owner(database):
            if not audit_table_exists(database):
                super().handle(**options)
                return
            connection = connections[database]
            table = connection.ops.quote_name(AUDIT_TABLE)
            trigger = connection.ops.quote_name(NO_TRUNCATE_TRIGGER)
            # One transaction: the guard is never left lifted, whatever happens in between.
            with transaction.atomic(using=database), connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
                super().handle(**options)
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
