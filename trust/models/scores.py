"""Trust computations and the scores they store."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    # Derived rows, written only by the nightly job for the ids it read in the same transaction
    # and deleted with their user or computation by Django's cascade: no database-level foreign
    # key, whose per-row checks at commit cost more than the solve (docs/design.md §9), and no
    # single-column index, which the two composite ones below already serve.
    computation = models.ForeignKey(
        TrustComputation,
        on_delete=models.CASCADE,
        related_name="scores",
        db_constraint=False,
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="trust_scores",
        db_constraint=False,
        db_index=False,
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
