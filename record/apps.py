"""App configuration for the public record."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RecordConfig(AppConfig):
    name = "record"
    verbose_name = _("Public record")

    def ready(self) -> None:
        from record import dbroles

        post_migrate.connect(dbroles.on_post_migrate, sender=self, dispatch_uid="record_grants")
