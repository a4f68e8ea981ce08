"""A person's secret feed token and digest choice (one row each, created on first use)."""

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_feed_key() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret in the addresses of a person's own feed and calendar; resetting replaces it, so
    every old address answers 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    key = models.CharField(max_length=64, unique=True, default=new_feed_key)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "stakeholders"

    def __str__(self) -> str:
        return f"feed token of {self.user_id}"


class DigestFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, one e-mail per notification")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")
    NEVER = "never", _("No e-mail")


class DigestPreference(models.Model):
    """How notifications reach a person by e-mail. No row: immediately, every kind they want by
    e-mail (NotificationSetting). `kinds` empty: every kind."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest"
    )
    frequency = models.CharField(
        _("how often"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.IMMEDIATE,
    )
    kinds = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "stakeholders"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(frequency__in=DigestFrequency.values),
                name="digest_frequency_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"
