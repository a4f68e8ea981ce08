"""Reads of moderation: the admins' queue, a case file, the latest signals and the public log."""

from django.db.models import Count, Prefetch, QuerySet

from stakeholders.models import User
from stakeholders.selectors import with_active_hats
from trust.models import (
    PRIVATE_ACTIONS,
    ActionKind,
    Appeal,
    CaseStatus,
    Flag,
    ModerationAction,
    ModerationCase,
    Signal,
    SignalRun,
)


def _people() -> QuerySet[User]:
    """Users with the hats a group-only name needs, so lists cost no query per person."""
    return with_active_hats(User.objects.all())


def case_queue(status: str = CaseStatus.OPEN) -> QuerySet[ModerationCase]:
    """Cases in a status, most recently active first, with their flag and action counts."""
    return (
        ModerationCase.objects.filter(status=status)
        .select_related("subject")
        .annotate(
            flag_count=Count("flags", distinct=True), action_count=Count("actions", distinct=True)
        )
        .order_by("-updated_at", "-pk")
    )


def cases_visible(**filters: object) -> QuerySet[ModerationCase]:
    return (
        ModerationCase.objects.filter(**filters)
        .select_related("subject", "closed_by")
        .prefetch_related(
            Prefetch("flags", queryset=Flag.objects.select_related("reporter")),
            Prefetch(
                "actions",
                queryset=ModerationAction.objects.select_related(
                    "actor", "confirmed_by", "appeal__decided_by"
                ),
            ),
        )
        .order_by("-updated_at", "-pk")
    )


def bans_awaiting_confirmation() -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(
        kind="ban", confirmed_at__isnull=True, revoked_at__isnull=True
    ).select_related("subject", "actor")


def appeals_awaiting_decision() -> QuerySet[Appeal]:
    return Appeal.objects.filter(decided_at__isnull=True).select_related(
        "action__subject", "action__actor"
    )


def action_get(pk: int) -> ModerationAction | None:
    return (
        ModerationAction.objects.select_related(
            "subject", "actor", "confirmed_by", "case", "appeal__decided_by"
        )
        .filter(pk=pk)
        .first()
    )


def latest_signals(*, flagged_only: bool = True, user: User | None = None) -> QuerySet[Signal]:
    """The signals of the latest run (only those at their threshold unless told otherwise)."""
    run = SignalRun.objects.latest_run()
    if run is None:
        return Signal.objects.none()
    signals = Signal.objects.filter(run=run).select_related("user")
    if flagged_only:
        signals = signals.filter(flagged=True)
    if user is not None:
        signals = signals.filter(user=user)
    return signals.order_by("kind", "-score", "user_id")


def accommodated_objections(user: User) -> int:
    """How many of the user's objections improved the text (shown beside an obstruction signal)."""
    return user.objections.filter(state="accommodated").count()


def public_log() -> QuerySet[ModerationAction]:
    """Every public action and its appeal, newest first; a ban shows once a second admin
    confirmed it. Notes and private warnings never appear: not even the person's name
    (docs/design.md §6.8)."""
    return (
        ModerationAction.objects.exclude(kind=ActionKind.BAN, confirmed_at__isnull=True)
        .exclude(kind__in=PRIVATE_ACTIONS)
        .select_related("appeal")
        .prefetch_related(Prefetch("subject", queryset=_people()))
        .order_by("-created_at", "-pk")
    )


def private_action_count() -> int:
    """How many notes and private warnings were given: the only thing the public sees of them."""
    return ModerationAction.objects.filter(kind__in=PRIVATE_ACTIONS).count()


def actions_about(user: User) -> QuerySet[ModerationAction]:
    """The decisions about a user, newest first: their own page, however they set notifications.
    A ban shows once a second admin confirmed it, as on the public log."""
    return (
        ModerationAction.objects.filter(subject=user)
        .exclude(kind=ActionKind.BAN, confirmed_at__isnull=True)
        .select_related("appeal")
        .order_by("-created_at", "-pk")
    )
