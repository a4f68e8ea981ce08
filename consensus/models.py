"""Consensus rounds, ballots (every change kept), the objection register, outcomes, challenges."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models import Process, ProposalVersion
from stakeholders.models import Affiliation, Funding, StakeholderGroup


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


class ObjectionState(models.TextChoices):
    OPEN = "open", _("Open")
    ACCOMMODATED = "accommodated", _("Accommodated: a later version changed the text for it")
    ADDRESSED = "addressed", _("Addressed: considered and answered, not accommodated")
    WITHDRAWN = "withdrawn", _("Withdrawn by the objector")


class CarriedAnswer(models.TextChoices):
    RESOLVED = "resolved", _("The new text resolves my objection")
    STANDS = "stands", _("My objection still stands")


class Objection(models.Model):
    """An entry of the RFC 7282 objection register."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="objections")
    objector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="objections"
    )
    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stakeholder_group = models.CharField(max_length=24, choices=StakeholderGroup.choices)
    text = models.TextField(max_length=10000)
    state = models.CharField(
        max_length=14, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    response = models.TextField(blank=True, max_length=10000)
    accommodated_in = models.ForeignKey(
        ProposalVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="carried_to"
    )
    carried_answer = models.CharField(max_length=10, choices=CarriedAnswer.choices, blank=True)
    # A restricted objector's objection counts only once a facilitator acknowledges it (SPEC §6).
    acknowledged = models.BooleanField(default=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "objector"],
                condition=Q(state="open"),
                name="one_open_objection_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(state="addressed") | ~Q(response=""),
                name="addressed_needs_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="accommodated") | Q(accommodated_in__isnull=False),
                name="accommodated_names_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Objection {self.pk} ({self.state})"


class Outcome(models.Model):
    """A closed round's computed designation with every figure, and the declared one."""

    round = models.OneToOneField(Round, on_delete=models.PROTECT, related_name="outcome")
    computed_designation = models.CharField(max_length=16)
    figures = models.JSONField()
    computed_at = models.DateTimeField(default=timezone.now)
    declared_designation = models.CharField(max_length=16, blank=True)
    rationale = models.TextField(blank=True, max_length=20000)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(null=True, blank=True)
    challenge_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Outcome of round {self.round_id}"

    @property
    def declared(self) -> bool:
        return bool(self.declared_designation)

    @property
    def challenge_open(self) -> bool:
        return self.challenge_until is not None and timezone.now() < self.challenge_until


class MinorityStatement(models.Model):
    """An objector's statement, published with the outcome."""

    outcome = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, related_name="minority_statements"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "author"], name="one_statement_per_person")
        ]

    def __str__(self) -> str:
        return f"Minority statement {self.pk}"


class Challenge(models.Model):
    """A participant contests a declaration in the challenge window; it gets a written answer."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="challenges")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True, max_length=10000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Challenge {self.pk}"


class SnapshotTrigger(models.TextChoices):
    PERIODIC = "periodic", _("Periodic")
    ROUND_CLOSE = "round_close", _("Round closed")
    ON_DEMAND = "on_demand", _("Taken by a facilitator")


class BalanceSnapshot(models.Model):
    """The participation balance of a process at one moment (SPEC §4), kept to plot it over time.

    ``dimensions`` holds the SPEC §11 shape: ``{dimension: {index, categories: {category:
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
    made, so its place in the queue (SPEC §4) never moves when a profile is edited later.
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


# Statement polls live in their own subpackage; importing them here registers them with the app.
from consensus.polls.models import (  # noqa: E402, F401
    Moderation,
    OpinionMapResult,
    Poll,
    PollAttribution,
    PollParticipant,
    PollStatus,
    Statement,
    Vote,
)
