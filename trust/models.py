"""Endorsements, commitments and their attestations, and the stored trust computations (SPEC §5)."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models import Process


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


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def due(self, today: date | None = None) -> "CommitmentQuerySet":
        """Commitments whose due date has come (today by default): open to attestation."""
        return self.filter(due_on__lte=today or timezone.localdate())

    def awaiting_invitations(self) -> "CommitmentQuerySet":
        return self.due().filter(invitations_sent_at__isnull=True)


class Commitment(models.Model):
    """A stakeholder's public promise ("we will publish X by June"), attested once it falls due."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commitments"
    )
    text = models.TextField(
        _("what you commit to"), max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    due_on = models.DateField(_("due date"))
    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
        verbose_name=_("process"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the due-date sweep has invited attesters, so the sweep never invites twice.
    invitations_sent_at = models.DateTimeField(null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="commitment_text_not_empty"),
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(invitations_sent_at__isnull=True),
                name="commitment_awaiting_invites",
            ),
            models.Index(fields=["author", "-due_on"], name="commitment_by_author"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("trust:commitment", args=[self.pk])

    def is_due(self, today: date | None = None) -> bool:
        return self.due_on <= (today or timezone.localdate())


class Verdict(models.TextChoices):
    KEPT = "kept", _("Kept")
    PARTLY = "partly", _("Partly kept")
    BROKEN = "broken", _("Broken")


# The value of each verdict in the commitment record (SPEC §5).
VERDICT_VALUE: dict[str, float] = {Verdict.KEPT: 1.0, Verdict.PARTLY: 0.5, Verdict.BROKEN: 0.0}


class Attestation(models.Model):
    """Another stakeholder's judgement of a due commitment, with evidence; the author may reply."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="attestations"
    )
    attester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attestations"
    )
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    evidence = models.TextField(
        _("evidence"),
        max_length=4000,
        validators=[MaxLengthValidator(4000)],
        help_text=_("What you saw: a link, a document, a meeting — so others can check."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    reply = models.TextField(
        _("the author's reply"),
        max_length=4000,
        blank=True,
        validators=[MaxLengthValidator(4000)],
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "attester"], name="one_attestation_per_person"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="attestation_verdict_valid"
            ),
            models.CheckConstraint(condition=~Q(evidence=""), name="attestation_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.verdict} on {self.commitment_id} by {self.attester_id}"

    @property
    def value(self) -> float:
        return VERDICT_VALUE[self.verdict]


class TrustComputationQuerySet(models.QuerySet["TrustComputation"]):
    def latest_run(self) -> "TrustComputation | None":
        return self.order_by("-id").first()


class TrustComputation(models.Model):
    """One run of the trust computation over the whole platform, with its global figures."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("the nightly schedule")
        ADMIN = "admin", _("an admin, on demand")
        COMMAND = "command", _("the compute_trust command")

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    users = models.PositiveIntegerField()
    endorsements = models.PositiveIntegerField()
    pretrusted = models.PositiveIntegerField(
        help_text=_("Users with a verified affiliation (0: none, so every user was pre-trusted).")
    )
    attestations = models.PositiveIntegerField()
    alpha = models.FloatField()
    iterations = models.PositiveIntegerField()
    delta = models.FloatField(help_text=_("L1 change of the last iteration."))
    converged = models.BooleanField()

    objects = TrustComputationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("trust computation")
        verbose_name_plural = _("trust computations")

    def __str__(self) -> str:
        return f"Trust computation {self.pk} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def seconds(self) -> float:
        """How long the run took, reading and writing included."""
        return (self.finished_at - self.started_at).total_seconds()


# What a TrustScore explains, by section of the trust page: each figure is a typed column of the
# score (`trust`, `percentile` and `record` are endorsement_trust, percentile, commitment_record).
SCORE_SECTIONS: dict[str, tuple[str, ...]] = {
    "endorsement": ("trust", "relative", "percentile", "endorsed_by", "endorses", "pretrusted"),
    "commitments": ("record", "made", "due", "attestations", "kept", "partly", "broken", "weight"),
    "tenure": ("processes", "days"),
}
_SCORE_ALIASES = {
    "trust": "endorsement_trust",
    "percentile": "percentile",
    "record": "commitment_record",
}


class TrustScore(models.Model):
    """A user's trust in one computation, with every figure and count behind it.

    The figures are typed columns, not a JSON document: the nightly job writes one row per user,
    and PostgreSQL's conversion of 100,000 documents to JSONB cost more than reading the graph
    and solving it (docs/design.md §9). `components` groups them by section for the page and the
    API; a new section (conduct: objections, moderation) adds its columns and its entry in
    SCORE_SECTIONS.
    """

    computation = models.ForeignKey(
        TrustComputation, on_delete=models.CASCADE, related_name="scores"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_scores"
    )
    computed_at = models.DateTimeField()
    endorsement_trust = models.FloatField()
    percentile = models.FloatField()
    commitment_record = models.FloatField()
    # endorsement
    relative = models.FloatField(default=0.0)
    endorsed_by = models.IntegerField(default=0)
    endorses = models.IntegerField(default=0)
    pretrusted = models.BooleanField(default=False)
    # commitments
    made = models.IntegerField(default=0)
    due = models.IntegerField(default=0)
    attestations = models.IntegerField(default=0)
    kept = models.IntegerField(default=0)
    partly = models.IntegerField(default=0)
    broken = models.IntegerField(default=0)
    weight = models.FloatField(default=0.0)
    # tenure
    processes = models.IntegerField(default=0)
    days = models.IntegerField(default=0)

    class Meta:
        ordering = ["-computation_id"]
        verbose_name = _("trust score")
        verbose_name_plural = _("trust scores")
        constraints = [
            models.UniqueConstraint(fields=["computation", "user"], name="one_score_per_run"),
        ]
        indexes = [
            models.Index(fields=["user", "-computation"], name="trustscore_latest"),
        ]

    def __str__(self) -> str:
        return f"Trust of {self.user_id} in run {self.computation_id}"

    @property
    def components(self) -> dict[str, dict[str, Any]]:
        """Every figure behind the score, by section (SCORE_SECTIONS)."""
        return {
            section: {name: getattr(self, _SCORE_ALIASES.get(name, name)) for name in names}
            for section, names in SCORE_SECTIONS.items()
        }


# --- bad actors: signals, flags and moderation (SPEC §6) ------------------------------------------


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


class FlagTarget(models.TextChoices):
    COMMENT = "comment", _("a comment")
    PROPOSAL = "proposal", _("a proposal")
    BALLOT = "ballot", _("a ballot rationale")
    USER = "user", _("a stakeholder")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ModerationCase(models.Model):
    """The admins' file about one user: why it was opened, the evidence, and what was done."""

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_cases"
    )
    status = models.CharField(max_length=6, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    # What opened it and what has been added since: signal kinds and/or "flags".
    reasons = models.JSONField(default=list)
    # The signals' evidence as it stood when it was added, so the file never changes under an
    # admin's decision when signals are recomputed.
    evidence = models.JSONField(default=dict)
    opened_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_reason = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        constraints = [
            models.UniqueConstraint(
                fields=["subject"], condition=Q(status="open"), name="one_open_case_per_user"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk} about {self.subject_id}"

    def get_absolute_url(self) -> str:
        return reverse("trust:case", args=[self.pk])

    @property
    def reason_labels(self) -> list[str]:
        """What opened the case, in words ("Flags from users", "Obstruction")."""
        return [str(SignalKind(r).label) if r in SignalKind.values else r for r in self.reasons]


class Flag(models.Model):
    """A user's report of content or of another user, with a reason; it feeds a case."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags_given"
    )
    target_type = models.CharField(max_length=10, choices=FlagTarget.choices)
    target_id = models.PositiveBigIntegerField()
    # The user the reported thing belongs to (its author, or the reported user).
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags_received"
    )
    reason = models.TextField(_("why you report it"), max_length=2000)
    excerpt = models.TextField(blank=True, max_length=2000)
    case = models.ForeignKey(
        ModerationCase, on_delete=models.PROTECT, related_name="flags", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"], name="one_flag_per_target"
            ),
            models.CheckConstraint(
                condition=Q(target_type__in=FlagTarget.values), name="flag_target_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="flag_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Flag of {self.target_type} {self.target_id} by {self.reporter_id}"


class ActionKind(models.TextChoices):
    """The escalation ladder of SPEC §6, mildest first."""

    NOTE = "note", _("Note")
    PRIVATE_WARNING = "private_warning", _("Private warning")
    PUBLIC_WARNING = "public_warning", _("Public warning")
    RESTRICTION = "restriction", _("Restriction")
    SUSPENSION = "suspension", _("Suspension")
    BAN = "ban", _("Ban")


# Actions with a time limit, and those whose reason the public log withholds.
TIMED_ACTIONS = (ActionKind.RESTRICTION, ActionKind.SUSPENSION)
PRIVATE_ACTIONS = (ActionKind.NOTE, ActionKind.PRIVATE_WARNING)


class ModerationActionQuerySet(models.QuerySet["ModerationAction"]):
    def in_force(self) -> "ModerationActionQuerySet":
        """Actions that change what a user may do now: not overturned, not expired, confirmed."""
        now = timezone.now()
        # Warnings and notes have no end (a constraint), so only timed actions and bans remain.
        return self.filter(revoked_at__isnull=True).filter(
            Q(kind=ActionKind.BAN, confirmed_at__isnull=False) | Q(ends_at__gt=now)
        )


class ModerationAction(models.Model):
    """One step of the ladder, taken by an admin with a written reason; it may be appealed once."""

    case = models.ForeignKey(ModerationCase, on_delete=models.PROTECT, related_name="actions")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_actions"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("action"), max_length=16, choices=ActionKind.choices)
    reason = models.TextField(_("reason"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    # A ban takes effect only when a second admin confirms it.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Set when an appeal overturns the action.
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActionKind.values), name="action_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="action_has_reason"),
            models.CheckConstraint(
                condition=Q(kind__in=TIMED_ACTIONS, ends_at__isnull=False)
                | (~Q(kind__in=TIMED_ACTIONS) & Q(ends_at__isnull=True)),
                name="action_timed_iff_ends",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("actor")),
                name="ban_confirmed_by_another_admin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.subject_id}"

    def get_absolute_url(self) -> str:
        return reverse("trust:action", args=[self.pk])

    @property
    def awaiting_confirmation(self) -> bool:
        return self.kind == ActionKind.BAN and self.confirmed_at is None and not self.revoked_at

    @property
    def is_private(self) -> bool:
        return self.kind in PRIVATE_ACTIONS


class AppealDecision(models.TextChoices):
    UPHELD = "upheld", _("Upheld: the action stands")
    OVERTURNED = "overturned", _("Overturned: the action is lifted")


class Appeal(models.Model):
    """The subject's one appeal against an action, decided by an admin who did not take it."""

    action = models.OneToOneField(ModerationAction, on_delete=models.PROTECT, related_name="appeal")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals"
    )
    text = models.TextField(_("your appeal"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=AppealDecision.choices, blank=True)
    decision_reason = models.TextField(blank=True, max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="appeal_has_text"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=AppealDecision.values),
                name="appeal_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal of action {self.action_id}"
