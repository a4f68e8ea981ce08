"""Ballots sent by e-mail: kept as received, counted once confirmed (docs/design.md §2.6)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailBallotState(models.TextChoices):
    PENDING = "pending", _("waiting for its confirmation link")
    CONFIRMED = "confirmed", _("counted")
    SUPERSEDED = "superseded", _("replaced by a later e-mail")


class EmailBallotConfirmation(models.TextChoices):
    LINK = "link", _("the confirmation link was followed")
    AUTHENTICATED = "authenticated", _("opted in, and the sender's domain was authenticated")


class EmailBallot(models.Model):
    """A ballot as read from an e-mail; its `ballot` is the one cast when it was confirmed."""

    round = models.ForeignKey(
        "consensus.Round", on_delete=models.PROTECT, related_name="email_ballots"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="email_ballots"
    )
    position = models.CharField(max_length=10)
    rationale = models.TextField(blank=True, max_length=10000)
    inbound = models.ForeignKey(
        "stakeholders.InboundMessage", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=EmailBallotState.choices, default=EmailBallotState.PENDING
    )
    confirmed_by = models.CharField(
        max_length=14, choices=EmailBallotConfirmation.choices, blank=True
    )
    # A foreign key, not one-to-one: the same words e-mailed twice confirm the same ballot.
    ballot = models.ForeignKey(
        "consensus.Ballot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="email_ballots",
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=Q(state="pending"),
                name="one_pending_email_ballot",
            ),
            models.CheckConstraint(
                condition=Q(state="confirmed", ballot__isnull=False) | ~Q(state="confirmed"),
                name="confirmed_email_ballot_has_ballot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.position} by e-mail in round {self.round_id}"
