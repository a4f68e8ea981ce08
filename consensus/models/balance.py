"""Balance snapshots and participation support requests."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consensus.models.rounds import Round
from deliberation.models import Process
from stakeholders.models import Funding, StakeholderGroup


class SnapshotTrigger(models.TextChoices):
    PERIODIC = "periodic", _("Periodic")
    ROUND_CLOSE = "round_close", _("Round closed")
    ON_DEMAND = "on_demand", _("Taken by a facilitator")


class BalanceSnapshot(models.Model):
    """The participation balance of a process at one moment (docs/design.md §4), kept to plot it
    over time.

    ``dimensions`` holds the docs/design.md §11 shape: ``{dimension: {index, categories: {category:
    {contributions, participants, share, ratio}}, alerts: [{kind, category, message}]}}``, the
    message in the language active when it was computed (pages re-render it from kind and
    category). ``totals`` counts the contributions by kind and the distinct participants.
    """

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="balance_snapshots")
    computed_at = models.DateTimeField(default=timezone.now)
    trigger = models.CharField(max_length=12, choices=SnapshotTrigger.choices)
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, null=True, blank=True, related_name="balance_snapshots"
    )
    dimensions = models.JSONField()
    totals = models.JSONField(default=dict)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["process", "-computed_at"], name="snapshot_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger__in=SnapshotTrigger.values), name="snapshot_trigger_valid"
            ),
            # A redelivered task, the sweep and the demo may race to take it: one wins.
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(trigger="round_close"),
                name="one_round_close_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"Balance of {self.process_id} at {self.computed_at:%Y-%m-%d %H:%M}"


class SupportKind(models.TextChoices):
    TRAVEL = "travel", _("Travel")
    CONNECTIVITY = "connectivity", _("Connectivity")
    INTERPRETATION = "interpretation", _("Interpretation")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    STIPEND = "stipend", _("Stipend")


class SupportStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SupportRequest(models.Model):
    """A stakeholder asks for participation support in a process; facilitators decide.

    The requester's stakeholder group, region, economy and funding are copied when the request is
    made, so its place in the queue (docs/design.md §4) never moves when a profile is edited later.
    """

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="support_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_requests"
    )
    kind = models.CharField(_("kind of support"), max_length=16, choices=SupportKind.choices)
    description = models.TextField(_("what you need, and why"), max_length=4000)
    amount_requested = models.DecimalField(
        _("amount requested"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    status = models.CharField(
        max_length=10, choices=SupportStatus.choices, default=SupportStatus.REQUESTED
    )
    amount_granted = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    decision_reason = models.TextField(blank=True, max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    stakeholder_group = models.CharField(max_length=24, choices=StakeholderGroup.choices)
    region = models.CharField(max_length=32, blank=True)
    developing = models.BooleanField(null=True)
    funding = models.CharField(max_length=20, choices=Funding.choices)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["process", "status"], name="support_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SupportKind.values), name="support_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SupportStatus.values), name="support_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__gte=0), name="support_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(status=SupportStatus.GRANTED)
                | Q(amount_granted__isnull=False, amount_granted__gte=0),
                name="granted_support_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(status=SupportStatus.DECLINED) | ~Q(decision_reason=""),
                name="declined_support_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Support request {self.pk} ({self.kind}, {self.status})"

    def get_absolute_url(self) -> str:
        return reverse("balance:support", args=[self.process.slug]) + f"#request-{self.pk}"

    @property
    def pending(self) -> bool:
        return self.status == SupportStatus.REQUESTED
