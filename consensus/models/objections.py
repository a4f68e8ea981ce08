"""Objections: the register's entries, their states and carried answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consensus.models.rounds import Ballot, Round
from deliberation.models import ProposalVersion
from stakeholders.models import StakeholderGroup


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
    # A restricted objector's objection counts only once a facilitator acknowledges it
    # (docs/design.md §6).
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
