"""App configuration for trust."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = _("Trust")

    def ready(self) -> None:
        # django-rules autodiscovers trust/rules.py only; moderation keeps its rules beside it.
        from trust.following import register_sources
        from trust.moderation import rules  # noqa: F401

        register_sources()
