"""App configuration for stakeholders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self) -> None:
        from stakeholders import credentials, sessions

        sessions.connect()
        credentials.connect()
        # Inbound mail is queued by task name from processes that run no worker (the SMTP
        # listener, the web): its tasks must be registered there too.
        from stakeholders import tasks  # noqa: F401
