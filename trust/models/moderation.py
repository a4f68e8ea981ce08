"""Moderation: flags, cases, actions (restriction, suspension, ban) and appeals."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trust.models.signals import SignalKind


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
    """The escalation ladder of docs/design.md §6, mildest first."""

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
