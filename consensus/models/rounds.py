"""Rounds and their ballots: statuses, positions, exclusions and idempotency keys."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models import Process, ProposalVersion
from stakeholders.models import Affiliation, StakeholderGroup


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for ballots")
    CLOSED = "closed", _("Closed")
    DECLARED = "declared", _("Outcome declared")


class BallotVisibility(models.TextChoices):
    NAMED = "named", _("Public by name")
    GROUP_ONLY = "group_only", _("Public by stakeholder group and region only")


class RoundQuerySet(models.QuerySet["Round"]):
    def due(self) -> "RoundQuerySet":
        """Open rounds whose deadline has passed (beat closes them)."""
        return self.filter(status=RoundStatus.OPEN, closes_at__lte=timezone.now())

    def closing_soon(self, within: timedelta) -> "RoundQuerySet":
        """Open rounds whose deadline comes within `within` and was not announced yet."""
        now = timezone.now()
        return self.filter(
            status=RoundStatus.OPEN, closes_at__gt=now, closes_at__lte=now + within
        ).exclude(reminded_for=models.F("closes_at"))

    def awaiting_outcome(self) -> "RoundQuerySet":
        """Closed rounds without a computed outcome (the sweep computes them)."""
        return self.filter(status=RoundStatus.CLOSED, outcome__isnull=True)


class Round(models.Model):
    """A consensus round on exactly one proposal version: draft → open → closed → declared."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="rounds")
    version = models.ForeignKey(ProposalVersion, on_delete=models.PROTECT, related_name="rounds")
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The earlier round on this proposal whose open objections were carried over."),
    )
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    ballot_visibility = models.CharField(
        _("ballots are public"),
        max_length=12,
        choices=BallotVisibility.choices,
        default=BallotVisibility.NAMED,
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(null=True, blank=True)
    # The deadline its participants were told is near ("closes soon"), so that each deadline is
    # announced once, and a later one (an extension) again.
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    # The rules in force, copied from the process when the round opens, so that changing the
    # process's parameters later never changes this round's outcome.
    parameters = models.JSONField(default=dict, blank=True)
    expected_groups = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "closes_at"], name="round_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="round_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Round {self.pk} on {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("consensus:round", args=[self.process.slug, self.pk])

    @property
    def accepting_ballots(self) -> bool:
        """Open is data: the status says open and the deadline has not passed."""
        return self.status == RoundStatus.OPEN and self.closes_at > timezone.now()


class Position(models.TextChoices):
    SUPPORT = "support", _("Support — I support it")
    ACCEPT = "accept", _("Accept — I have concerns, but I can live with it")
    ABSTAIN = "abstain", _("Abstain — I stand aside")
    OBJECT = "object", _("Object — I cannot live with it")


class Ballot(models.Model):
    """One cast of a ballot. A change inserts a new row and marks the previous one not current.

    The stakeholder group, region and economy are copied from the hat and the person when the
    ballot is cast, so the tally never moves when a profile is edited later.
    """

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="ballots")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ballots"
    )
    affiliation = models.ForeignKey(Affiliation, on_delete=models.PROTECT, related_name="+")
    stakeholder_group = models.CharField(max_length=24, choices=StakeholderGroup.choices)
    region = models.CharField(max_length=32, blank=True)
    developing = models.BooleanField(null=True)
    position = models.CharField(max_length=10, choices=Position.choices)
    rationale = models.TextField(blank=True, max_length=10000)
    proposed_change = models.TextField(blank=True, max_length=10000)
    cast_at = models.DateTimeField(default=timezone.now)
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["cast_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], condition=Q(current=True), name="one_current_ballot"
            ),
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="ballot_position_valid"
            ),
            models.CheckConstraint(
                condition=~Q(position=Position.OBJECT) | ~Q(rationale=""),
                name="objection_needs_rationale",
            ),
        ]
        indexes = [
            models.Index(
                fields=["round", "stakeholder_group", "position"],
                condition=Q(current=True),
                name="ballot_tally",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.position} in round {self.round_id}"


class BallotExclusion(models.Model):
    """A facilitator excluded a person's ballot from a round's count, with a public reason."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="exclusions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_exclusion_per_person"),
            models.CheckConstraint(condition=~Q(reason=""), name="exclusion_needs_reason"),
        ]

    def __str__(self) -> str:
        return f"Exclusion of {self.user_id} from round {self.round_id}"


class IdempotencyKey(models.Model):
    """The first successful answer to a request that carried an `Idempotency-Key` header: one
    per (user, key, method, path), bound to the request's body (consensus/idempotency.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "method", "path"], name="one_answer_per_key_and_request"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_age")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
