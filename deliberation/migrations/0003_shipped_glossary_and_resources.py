"""Load the shipped glossary (plain-language definitions in four languages) and resources."""

from typing import Any

from django.db import migrations

from deliberation.library import install


def load(apps: Any, schema_editor: Any) -> None:
    install(
        apps.get_model("deliberation", "GlossaryTerm"), apps.get_model("deliberation", "Resource")
    )


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0002_versions_are_immutable")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
