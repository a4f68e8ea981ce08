"""`manage.py makemessages -l fr -l es -l ar`: Django's, reading only the text people see."""

from typing import Any

from django.core.management.commands import makemessages

# Top-level folders whose strings never reach the interface: tests, benchmarks, documentation,
# data files, tooling, the virtualenv and what the site writes at run time.
NOT_INTERFACE = ("tests", "bench", "docs", "data", "scripts", "docker", "static", "var", "venv")


class Command(makemessages.Command):
    help = (
        "Extract the interface's strings into locale/<language>/LC_MESSAGES/django.po, leaving out "
        f"{', '.join(NOT_INTERFACE)} (and dot-folders such as .venv)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *NOT_INTERFACE]
        super().handle(*args, **options)
