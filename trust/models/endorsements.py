"""Endorsements: one person vouching for another."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EndorsementQuerySet(models.QuerySet["Endorsement"]):
    def active(self) -> "EndorsementQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class Endorsement(models.Model):
    """One user vouching for another's good faith: a directed edge; withdrawing keeps the row."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements_given"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements_received"
    )
    note = models.CharField(_("note (optional)"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["from_user", "to_user"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_endorsement_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(from_user=F("to_user")), name="no_self_endorsement"
            ),
        ]
        indexes = [
            models.Index(
                fields=["to_user", "-created_at"],
                condition=Q(withdrawn_at__isnull=True),
                name="endorsement_received_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_user_id} → {self.to_user_id}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None
