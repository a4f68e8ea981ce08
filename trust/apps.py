"""App configuration for trust."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = _("Trust")

    def ready(self) -> None:
        # django-rules autodiscovers trust/rules.py only; moderation keeps its rules beside it.
        from trust import following, notifications, panels  # noqa: F401 - notifications: kinds
        from trust.moderation import rules  # noqa: F401

        panels.register()
        following.register_sources()
