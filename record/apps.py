"""App configuration for the public record."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RecordConfig(AppConfig):
    name = "record"
    verbose_name = _("Public record")

    def ready(self) -> None:
        from django.apps import apps

        from record import dbroles
        from record.choices import speed_up_choice_displays

        speed_up_choice_displays(apps.get_models())

        post_migrate.connect(dbroles.on_post_migrate, sender=self, dispatch_uid="record_grants")
