"""App configuration for deliberation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self) -> None:
        from deliberation.disclosure import audit_disclosure
        from record import disclosure

        disclosure.register(audit_disclosure)
