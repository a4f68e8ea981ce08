"""Outcomes of rounds, with minority statements and challenges."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from consensus.models.rounds import Round


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
