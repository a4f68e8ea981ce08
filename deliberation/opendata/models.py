"""The stored open-data bundle of a process: which state of the process it holds, and where."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BundleStatus(models.TextChoices):
    BUILDING = "building", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class OpenDataBundle(models.Model):
    """One per process. `stamp` fingerprints the rows the file holds (registry.Section.stamp);
    while `wanted` differs from `stamp` a newer bundle is being built."""

    process = models.OneToOneField(
        "deliberation.Process", on_delete=models.PROTECT, related_name="open_data"
    )
    status = models.CharField(
        max_length=10, choices=BundleStatus.choices, default=BundleStatus.BUILDING
    )
    stamp = models.CharField(max_length=64, blank=True)
    wanted = models.CharField(max_length=64, blank=True)
    file = models.CharField(max_length=300, blank=True)
    size = models.BigIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "deliberation"
        verbose_name = _("open-data bundle")
        verbose_name_plural = _("open-data bundles")

    def __str__(self) -> str:
        return f"open data of process {self.process_id}"

    @property
    def ready(self) -> bool:
        return bool(self.file) and self.stamp == self.wanted
