"""App configuration for consensus."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsensusConfig(AppConfig):
    name = "consensus"
    verbose_name = _("Consensus")

    def ready(self) -> None:
        from consensus.opendata import register_sections

        register_sections()

        from consensus.following import register_sources

        register_sources()
