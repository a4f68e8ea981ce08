"""The AuditEvent: one link of the tamper-evident, append-only public record."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def public(self) -> "AuditEventQuerySet":
        return self.filter(public=True)

    def head(self) -> "AuditEvent | None":
        return self.order_by("-seq").first()


class AuditEvent(models.Model):
    """`hash = sha256(prev_hash + canonical JSON of (seq, at, actor, action, object, data))`.

    A database trigger refuses UPDATE and DELETE on this table (migration 0002).
    """

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.BigIntegerField(null=True, blank=True, help_text=_("User id of who acted."))
    action = models.CharField(max_length=80)
    object = models.CharField(max_length=120, help_text=_("What changed, as 'app.model:id'."))
    data = models.JSONField(default=dict)
    public = models.BooleanField(default=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object}"
