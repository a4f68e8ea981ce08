"""App configuration for consensus."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsensusConfig(AppConfig):
    name = "consensus"
    verbose_name = _("Consensus")

    def ready(self) -> None:
        from consensus import mail

        mail.connect()  # ballots by e-mail (stakeholders.inbound's registry)
