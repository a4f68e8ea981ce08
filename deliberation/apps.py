"""App configuration for deliberation: the glossary's cache follows every change of a term."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self) -> None:
        from deliberation import notifications  # noqa: F401 - registers its kinds
        from deliberation.disclosure import audit_disclosure
        from deliberation.glossary import glossary_changed
        from deliberation.models import GlossaryTerm
        from record import disclosure

        disclosure.register(audit_disclosure)

        from deliberation.opendata.sections import register_sections

        register_sections()

        from deliberation.following.sources import register_sources

        register_sources()

        def forget_glossary(**kwargs: Any) -> None:
            glossary_changed()

        for signal in (post_save, post_delete):
            signal.connect(forget_glossary, sender=GlossaryTerm, weak=False)
