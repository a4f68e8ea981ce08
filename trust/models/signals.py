"""Signal runs and the advisory signals they found."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SignalKind(models.TextChoices):
    OBSTRUCTION = "obstruction", _("Obstruction")
    COORDINATION = "coordination", _("Coordination")
    SYBIL = "sybil", _("Sybil suspicion")
    FLAGS = "flags", _("Flags from users")


class SignalRunQuerySet(models.QuerySet["SignalRun"]):
    def latest_run(self) -> "SignalRun | None":
        return self.order_by("-id").first()


class SignalRun(models.Model):
    """One computation of every signal over the whole platform."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("the schedule")
        ADMIN = "admin", _("an admin, on demand")
        COMMAND = "command", _("the compute_signals command")

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rounds = models.PositiveIntegerField()
    ballots = models.PositiveIntegerField()
    flagged = models.PositiveIntegerField(help_text=_("Signals at or above their threshold."))
    cases_opened = models.PositiveIntegerField()

    objects = SignalRunQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("signal computation")
        verbose_name_plural = _("signal computations")

    def __str__(self) -> str:
        return f"Signals {self.pk} at {self.started_at:%Y-%m-%d %H:%M}"


class Signal(models.Model):
    """An advisory, machine-computed indication about a user, with the evidence to judge it."""

    run = models.ForeignKey(SignalRun, on_delete=models.CASCADE, related_name="signals")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signals"
    )
    kind = models.CharField(max_length=14, choices=SignalKind.choices)
    score = models.FloatField()
    flagged = models.BooleanField()
    evidence = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-run_id", "kind", "-score", "user_id"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.UniqueConstraint(fields=["run", "user", "kind"], name="one_signal_per_run"),
            models.CheckConstraint(
                condition=Q(kind__in=SignalKind.values), name="signal_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["run", "flagged", "kind"], name="signal_flagged")]

    def __str__(self) -> str:
        return f"{self.kind} {self.score:.2f} for {self.user_id}"
