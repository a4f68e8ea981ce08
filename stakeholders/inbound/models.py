"""Inbound e-mail rows: every raw message as received, per-person reply keys, mail preferences."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("received, not yet processed")
    PROCESSED = "processed", _("processed")
    IGNORED = "ignored", _("ignored (bounce or auto-reply)")
    REJECTED = "rejected", _("refused, and the sender told why")
    FAILED = "failed", _("failed, to be retried")


class InboundSource(models.TextChoices):
    SMTP = "smtp", _("SMTP listener")
    WEBHOOK = "webhook", _("HTTP webhook")


class InboundMessageQuerySet(models.QuerySet["InboundMessage"]):
    def retryable(self, *, max_attempts: int) -> "InboundMessageQuerySet":
        """Messages never processed (their task was lost) or failed under max_attempts times."""
        return self.filter(
            Q(status=InboundStatus.RECEIVED)
            | Q(status=InboundStatus.FAILED, attempts__lt=max_attempts)
        )


class InboundMessage(models.Model):
    """One e-mail as it arrived, stored before anything reads it, so that nothing is ever lost."""

    raw = models.BinaryField()
    size = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=InboundSource.choices)
    envelope_from = models.CharField(max_length=320, blank=True)
    envelope_to = models.JSONField(default=list)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=InboundStatus.choices, default=InboundStatus.RECEIVED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    sender = models.CharField(max_length=320, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    answered = models.BooleanField(default=False)

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(status__in=["received", "failed"]),
                name="inbound_to_retry",
            ),
            models.Index(fields=["user", "received_at"], name="inbound_by_user"),
            models.Index(fields=["sender", "received_at"], name="inbound_by_sender"),
        ]

    def __str__(self) -> str:
        return f"inbound {self.pk} ({self.status})"


class ReplyKey(models.Model):
    """One person's reply address for one thread (`reply+<key>.<signature>@domain`).

    Like Discourse's reply keys: stored, so each can be revoked on its own, and signed, so that
    a guessed or altered address is refused before any lookup.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reply_keys"
    )
    purpose = models.CharField(max_length=20)
    target_id = models.BigIntegerField()
    key = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose", "target_id"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_reply_key_per_thread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.target_id} for {self.user_id}"


class MailPreference(models.Model):
    """How a person takes part by e-mail; no row means the defaults (confirm ballots by link)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference"
    )
    immediate_ballots = models.BooleanField(
        _("count my e-mailed ballots at once when my mail server's signature checks pass"),
        default=False,
    )

    def __str__(self) -> str:
        return f"mail preference of {self.user_id}"
