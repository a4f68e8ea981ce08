"""The AuditEvent: one link of the tamper-evident, append-only public record."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def public(self) -> "AuditEventQuerySet":
        return self.filter(public=True)

    def head(self) -> "AuditEvent | None":
        return self.order_by("-seq").first()


class AuditEvent(models.Model):
    """`hash = sha256(prev_hash + canonical JSON of (seq, at, actor, action, object, data))`.

    Database triggers refuse UPDATE, DELETE and TRUNCATE on this table (migrations 0002, 0003),
    and the application's database role may only SELECT and INSERT it (record/dbroles.py).

    `process`, `people` and `veiled` say who may read an event (record/disclosure.py); they are
    not part of the hash, which covers exactly what docs/design.md §8 says.
    """

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.BigIntegerField(null=True, blank=True, help_text=_("User id of who acted."))
    action = models.CharField(max_length=80)
    object = models.CharField(max_length=120, help_text=_("What changed, as 'app.model:id'."))
    data = models.JSONField(default=dict)
    public = models.BooleanField(default=True)
    process = models.BigIntegerField(
        null=True,
        blank=True,
        help_text=_("Id of the process the event belongs to: only its readers see the event."),
    )
    people = ArrayField(
        models.BigIntegerField(),
        default=list,
        blank=True,
        help_text=_("User ids the event names, its actor included."),
    )
    veiled = models.BooleanField(
        default=False,
        help_text=_("The people it names are shown by group only whatever they chose."),
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object}"
