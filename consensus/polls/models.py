"""Statement polls: polls, their participants, statements, every vote, and the computed map."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models import Process
from stakeholders.models import StakeholderGroup


class PollStatus(models.TextChoices):
    OPEN = "open", _("Open for statements and votes")
    CLOSED = "closed", _("Closed")


class PollAttribution(models.TextChoices):
    NAMED = "named", _("Statements show their author as the author chose")
    GROUP_ONLY = "group_only", _("Statements show their author's stakeholder group only")


class Moderation(models.IntegerChoices):
    """Pol.is's `moderated` column: 1 accepted, 0 waiting, −1 moderated out."""

    ACCEPTED = 1, _("Accepted")
    PENDING = 0, _("Waiting for moderation")
    REJECTED = -1, _("Rejected")


class Poll(models.Model):
    """A statement poll in a process (docs/design.md §7)."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="polls")
    title = models.CharField(_("question"), max_length=300)
    description = models.TextField(blank=True, max_length=10000)
    status = models.CharField(max_length=8, choices=PollStatus.choices, default=PollStatus.OPEN)
    attribution = models.CharField(
        _("statement authors are shown"),
        max_length=12,
        choices=PollAttribution.choices,
        default=PollAttribution.NAMED,
    )
    source_url = models.URLField(blank=True, help_text=_("Where an imported poll came from."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Moderation changes what the map is computed on: the sweep compares this with the map.
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PollStatus.values), name="poll_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("polls:poll", args=[self.process.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN


class PollParticipant(models.Model):
    """Someone who voted or wrote in a poll: a user wearing a hat, or a pseudonymous participant
    imported from Pol.is (no user, keyed by `external_id`). The hat's group and region are copied
    on the first contribution, as ballots copy them."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="poll_participations",
    )
    external_id = models.CharField(max_length=64, blank=True)
    stakeholder_group = models.CharField(
        max_length=24, choices=StakeholderGroup.choices, blank=True
    )
    region = models.CharField(max_length=32, blank=True)
    developing = models.BooleanField(null=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "user"], condition=Q(user__isnull=False), name="one_user_per_poll"
            ),
            models.UniqueConstraint(
                fields=["poll", "external_id"],
                condition=~Q(external_id=""),
                name="one_external_participant_per_poll",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(external_id=""),
                name="poll_participant_is_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.external_id or self.pk} of poll {self.poll_id}"


class Statement(models.Model):
    """A short statement to vote on. Rejected ones are kept with their reason, never deleted."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="statements")
    external_id = models.CharField(max_length=64, blank=True)
    text = models.TextField(max_length=1000)
    author = models.ForeignKey(
        PollParticipant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seed = models.BooleanField(default=False, help_text=_("Written by the facilitator."))
    moderated = models.SmallIntegerField(choices=Moderation.choices, default=Moderation.PENDING)
    reason = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(moderated__in=Moderation.values), name="statement_moderation_valid"
            ),
            models.UniqueConstraint(
                fields=["poll", "external_id"],
                condition=~Q(external_id=""),
                name="one_external_statement_per_poll",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    """One vote row: +1 agree, −1 disagree, 0 pass. A change adds a row; the latest (highest id)
    counts in the map, and every row counts in `agrees`/`disagrees` as in Pol.is exports."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(PollParticipant, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField()
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_valid"),
        ]
        indexes = [
            models.Index(fields=["poll", "id"], name="vote_poll_order"),
            models.Index(fields=["participant", "statement"], name="vote_participant_statement"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.value:+d} on {self.statement_id}"


class OpinionMapResult(models.Model):
    """The latest computed map of a poll: the figures the API and the page show, as JSON, and
    the last vote id they saw (newer votes make it stale)."""

    poll = models.OneToOneField(Poll, on_delete=models.CASCADE, related_name="opinion_map")
    computed_at = models.DateTimeField(default=timezone.now)
    last_vote = models.BigIntegerField(default=0)
    figures = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Opinion map of poll {self.poll_id}"
