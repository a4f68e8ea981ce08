"""API of moderation: flags (anyone signed in), cases, actions, appeals and signals (admins: 404
for everyone else), and the public moderation log."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from stakeholders.access import current_user, standing_exempt
from stakeholders.models import Attribution
from stakeholders.presentation import sees_identity
from trust.models import Appeal, ModerationAction, ModerationCase, Signal, SignalRun
from trust.moderation import compute, selectors, services
from trust.moderation.serializers import (
    ActionInSerializer,
    ActionSerializer,
    AppealInSerializer,
    AppealSerializer,
    CaseSerializer,
    DecisionInSerializer,
    FlagSerializer,
    LogEntrySerializer,
    ReasonInSerializer,
    SignalRunSerializer,
    SignalSerializer,
    log_entry,
)
from trust.presentation import shown_name
from web.api import RulesPermission, is_schema_generation

MODERATE = "trust.moderate"


def _valid(serializer_class: type[BaseSerializer[Any]], request: Request) -> dict[str, Any]:
    """The request body checked by `serializer_class` (400 with the field errors otherwise)."""
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


class FlagViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet[Any]):
    """POST `{target_type: comment|proposal|ballot|user, target_id, reason}` reports it to the
    admins (201). Something you cannot see, your own, or a second report of it: 400."""

    serializer_class = FlagSerializer
    permission_classes = [RulesPermission]
    permission_rules = {"create": "trust.flag"}

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = services.flag_create(
            actor=current_user(self.request), **serializer.validated_data
        )


@extend_schema(parameters=[OpenApiParameter("status", str, description="open (default) or closed")])
class CaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ModerationCase]
):
    """Moderation cases with their reports, evidence and actions (admins only)."""

    serializer_class = CaseSerializer
    permission_classes = [RulesPermission]
    permission_rules = {
        "list": MODERATE,
        "retrieve": MODERATE,
        "actions": MODERATE,
        "close": MODERATE,
    }
    deny_as_404 = True

    def get_queryset(self) -> QuerySet[ModerationCase]:
        if is_schema_generation(self):
            return ModerationCase.objects.none()
        if self.action == "list":
            status_ = self.request.query_params.get("status", "open")
            return selectors.cases_visible(status=status_)
        return selectors.cases_visible()

    @extend_schema(request=ActionInSerializer, responses={201: ActionSerializer})
    @action(detail=True, methods=["post"], serializer_class=ActionInSerializer)
    def actions(self, request: Request, pk: str) -> Response:
        """Take a step of the ladder: `{kind, reason, days}` (days for restriction/suspension)."""
        case = self.get_object()
        body = _valid(ActionInSerializer, request)
        taken = services.action_take(actor=current_user(request), case=case, **body)
        return Response(ActionSerializer(taken).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonInSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonInSerializer)
    def close(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        body = _valid(ReasonInSerializer, request)
        services.case_close(actor=current_user(request), case=case, **body)
        return Response(CaseSerializer(selectors.cases_visible(pk=case.pk).get()).data)


class ActionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[ModerationAction]):
    """One action, for the person it concerns and for admins; `appeal` (the person, once) and
    `confirm` (a ban, by a second admin)."""

    serializer_class = ActionSerializer
    permission_classes = [RulesPermission]
    permission_rules = {
        "retrieve": "trust.view_action",
        "appeal": "trust.view_action",
        "confirm": MODERATE,
    }
    deny_as_404 = True

    def get_queryset(self) -> QuerySet[ModerationAction]:
        return ModerationAction.objects.select_related("appeal")

    @extend_schema(request=AppealInSerializer, responses={201: AppealSerializer})
    @action(detail=True, methods=["post"], serializer_class=AppealInSerializer)
    @standing_exempt  # due process outlasts the sanction
    def appeal(self, request: Request, pk: str) -> Response:
        action_ = self.get_object()
        body = _valid(AppealInSerializer, request)
        filed = services.appeal_file(actor=current_user(request), action=action_, **body)
        return Response(AppealSerializer(filed).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        confirmed = services.ban_confirm(actor=current_user(request), action=self.get_object())
        return Response(ActionSerializer(confirmed).data)


class AppealViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Appeal]
):
    """Appeals (admins only); `decide` `{decision: upheld|overturned, reason}` by an admin who
    took no part in the action."""

    serializer_class = AppealSerializer
    permission_classes = [RulesPermission]
    permission_rules = {"list": MODERATE, "retrieve": MODERATE, "decide": MODERATE}
    deny_as_404 = True

    def get_queryset(self) -> QuerySet[Appeal]:
        return Appeal.objects.select_related("action").order_by("decided_at", "-created_at", "-pk")

    @extend_schema(request=DecisionInSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"], serializer_class=DecisionInSerializer)
    def decide(self, request: Request, pk: str) -> Response:
        appeal = self.get_object()
        body = _valid(DecisionInSerializer, request)
        decided = services.appeal_decide(actor=current_user(request), appeal=appeal, **body)
        return Response(AppealSerializer(decided).data)


@extend_schema(
    parameters=[OpenApiParameter("all", int, description="1: every score, not only flagged ones")]
)
class SignalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Signal]):
    """The latest computation's signals at or above their thresholds (admins only); `compute`
    runs the computation now."""

    serializer_class = SignalSerializer
    permission_classes = [RulesPermission]
    permission_rules = {"list": MODERATE, "compute": MODERATE}
    deny_as_404 = True

    def get_queryset(self) -> QuerySet[Signal]:
        if is_schema_generation(self):
            return Signal.objects.none()
        return selectors.latest_signals(flagged_only=self.request.query_params.get("all") != "1")

    @extend_schema(request=None, responses={201: SignalRunSerializer})
    @action(detail=False, methods=["post"])
    def compute(self, request: Request) -> Response:
        """Compute every signal now; answers with the run (GET the list for its signals)."""
        run = compute.signals_compute(actor=current_user(request), trigger=SignalRun.Trigger.ADMIN)
        return Response(SignalRunSerializer(run).data, status=status.HTTP_201_CREATED)


class LogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[ModerationAction]):
    """The public moderation log: every action and appeal decision; people shown as they chose."""

    serializer_class = LogEntrySerializer

    def get_queryset(self) -> QuerySet[ModerationAction]:
        return selectors.public_log()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # the API always paginates
        entries = [
            log_entry(
                item,
                shown_name(item.subject, request.user),
                item.subject.attribution == Attribution.NAMED
                or sees_identity(request.user, item.subject),
            )
            for item in page
        ]
        return self.get_paginated_response(LogEntrySerializer(entries, many=True).data)
