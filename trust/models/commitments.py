"""Commitments and their attestations (kept, partly kept, broken)."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models import Process


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


# The value of each verdict in the commitment record (docs/design.md §5).
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
