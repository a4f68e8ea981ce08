"""`manage.py migrate`, run as the owner role whatever role the site itself connects as."""

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand

from record.dbroles import as_owner


class Command(MigrateCommand):
    help = MigrateCommand.help + " Runs as the owner role (DATABASE_OWNER_URL)."

    def handle(self, *args: Any, **options: Any) -> None:
        with as_owner(options["database"]):
            super().handle(*args, **options)
