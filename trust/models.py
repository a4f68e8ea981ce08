"""Endorsements, commitments and their attestations, and the stored trust computations (SPEC §5)."""

from datetime import date

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


class TrustScore(models.Model):
    """A user's trust in one computation; `components` holds every figure and count behind it.

    `components` is a dict of sections — `endorsement`, `commitments`, `tenure` today — so that
    conduct sections (objections, moderation) can be added without a migration.
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
    components = models.JSONField(default=dict)

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
