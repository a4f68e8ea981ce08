"""The signed-in home: my open rounds, polls to vote, objections awaiting me, commitments due,
notifications."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from consensus.models import Ballot, Objection, ObjectionState, Round, RoundStatus
from consensus.polls.selectors import polls_to_vote
from stakeholders.access import current_user
from stakeholders.models import User
from stakeholders.rules import may_act
from trust.models import Commitment

SHOWN = 10
COMMITMENTS_AHEAD_DAYS = 30


def open_rounds(user: User) -> list[Round]:
    """Open rounds in processes the user takes part in, soonest deadline first, each with
    `has_ballot` (whether they cast one)."""
    return list(
        Round.objects.filter(
            status=RoundStatus.OPEN,
            closes_at__gt=timezone.now(),
            process__participations__user=user,
        )
        .select_related("process", "version__proposal")
        .annotate(
            has_ballot=Exists(Ballot.objects.filter(round=OuterRef("pk"), user=user, current=True))
        )
        .order_by("closes_at", "id")[:SHOWN]
    )


def rounds_to_close_out(user: User) -> list[Round]:
    """Closed rounds the user facilitates that await a declaration, with `still_open` objections."""
    return list(
        Round.objects.filter(status=RoundStatus.CLOSED, process__facilitators=user)
        .select_related("process", "version__proposal")
        .annotate(still_open=Count("objections", filter=Q(objections__state=ObjectionState.OPEN)))
        .order_by("closed_at", "id")[:SHOWN]
    )


def objections_awaiting(user: User) -> list[Objection]:
    """My carried-over objections still waiting for my answer, and open objections in rounds I
    facilitate (to answer in writing)."""
    return list(
        Objection.objects.filter(state=ObjectionState.OPEN)
        .filter(
            Q(objector=user, carried_from__isnull=False, carried_answer="")
            | Q(round__process__facilitators=user)
        )
        .select_related("round__process", "round__version__proposal")
        .distinct()
        .order_by("created_at", "id")[:SHOWN]
    )


def commitments_due(user: User) -> list[Commitment]:
    """My commitments falling due within a month or already due, nearest first."""
    horizon = timezone.localdate() + timedelta(days=COMMITMENTS_AHEAD_DAYS)
    return list(
        Commitment.objects.filter(author=user, due_on__lte=horizon)
        .select_related("process")
        .order_by("due_on", "id")[:SHOWN]
    )


class DashboardView(LoginRequiredMixin, View):
    """The first place after signing in or confirming an e-mail address."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = current_user(request)
        notifications = list(
            user.notifications.filter(in_app=True, read_at__isnull=True).order_by(
                "-created_at", "-id"
            )[:5]
        )
        context: dict[str, Any] = {
            "open_rounds": open_rounds(user),
            # Only someone who may act votes (consensus.vote_statement).
            "polls": polls_to_vote(user, SHOWN) if may_act(user) else [],
            "close_out": rounds_to_close_out(user),
            "objections": objections_awaiting(user),
            "commitments": commitments_due(user),
            "notifications": notifications,
            "today": timezone.localdate(),
        }
        return render(request, "trust/dashboard.html", context)
