"""API of balance and participation support; rules from consensus.rules, writes from services."""

from collections.abc import Callable, Iterable
from typing import Any

import rules
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from consensus.balance import selectors as balance_selectors
from consensus.balance import services as balance_service
from consensus.balance import support as balance_support
from consensus.balance.serializers import (
    BalanceSerializer,
    DeclineSerializer,
    GrantSerializer,
    SnapshotSerializer,
    SupportRequestCreateSerializer,
    SupportRequestSerializer,
)
from consensus.balance.text import with_messages
from consensus.models import BalanceSnapshot, SnapshotTrigger, SupportRequest
from deliberation.models import Process
from deliberation.selectors import visible_processes
from stakeholders.access import current_user
from stakeholders.models import User
from web.api import RulesPermission, is_schema_generation

Decide = Callable[[User, SupportRequest, dict[str, Any]], SupportRequest]


def visible_process(request: Request, slug: str) -> Process:
    """The process the requester may read, with its facilitators; 404 for anyone else."""
    viewer = current_user(request) if request.user.is_authenticated else None
    process = visible_processes(viewer).filter(slug=slug).prefetch_related("facilitators").first()
    if process is None or not rules.has_perm("consensus.view_balance", request.user, process):
        raise Http404
    return process


class BalanceView(APIView):
    """The latest balance snapshot of a process (docs/design.md §11).

    When no snapshot is stored yet, the figures are computed on the fly (and not stored), so the
    answer is always the process's balance; `computed_at` says when it was measured.
    """

    @extend_schema(responses=BalanceSerializer)
    def get(self, request: Request, slug: str) -> Response:
        figures = balance_service.current_balance(visible_process(request, slug))
        return Response(
            BalanceSerializer(
                {
                    "computed_at": figures.computed_at,
                    "dimensions": with_messages(figures.dimensions),
                }
            ).data
        )


class BalanceHistoryView(generics.ListAPIView[BalanceSnapshot]):
    """Every stored snapshot of a process, newest first, with what triggered it."""

    serializer_class = SnapshotSerializer

    def get_queryset(self) -> QuerySet[BalanceSnapshot]:
        if is_schema_generation(self):
            return BalanceSnapshot.objects.none()
        return balance_selectors.snapshot_history(
            visible_process(self.request, self.kwargs["slug"])
        )


class BalanceSnapshotView(APIView):
    """A facilitator takes a snapshot now."""

    permission_classes = [RulesPermission]
    permission_rules = {"post": "consensus.snapshot_balance"}

    def get_permission_object(self) -> Process:
        return visible_process(self.request, self.kwargs["slug"])

    @extend_schema(request=None, responses={201: SnapshotSerializer})
    def post(self, request: Request, slug: str) -> Response:
        snapshot = balance_service.balance_snapshot_create(
            actor=current_user(request),
            process=self.get_permission_object(),
            trigger=SnapshotTrigger.ON_DEMAND,
        )
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)


def _priorities(process: Process, requests: Iterable[SupportRequest]) -> dict[int, float]:
    dimensions = balance_service.current_balance(process).dimensions
    return {r.pk: balance_support.request_priority(r, dimensions) for r in requests}


@extend_schema(
    parameters=[OpenApiParameter("process", str, description="A process slug (required to list)")]
)
class SupportRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[SupportRequest],
):
    """Support requests: a requester sees their own; a facilitator the process's queue, waiting
    requests first in docs/design.md §4 priority order, each with its `priority`."""

    serializer_class = SupportRequestSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    permission_rules = {
        "grant": "consensus.decide_support",
        "decline": "consensus.decide_support",
    }

    def get_queryset(self) -> QuerySet[SupportRequest]:
        if is_schema_generation(self):
            return SupportRequest.objects.none()
        user = current_user(self.request)
        return (
            SupportRequest.objects.filter(Q(requester=user) | Q(process__facilitators=user))
            .distinct()
            .select_related("process", "requester")
            .prefetch_related("process__facilitators")
            .order_by("-created_at", "-id")
        )

    def _listed_process(self) -> Process:
        slug = self.request.query_params.get("process", "")
        if not slug:
            raise ValidationError({"process": _("Name the process: ?process=<slug>.")})
        try:
            return visible_process(self.request, slug)
        except Http404:
            raise ValidationError({"process": _("No such process: %s") % slug}) from None

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        process = self._listed_process()
        dimensions = balance_service.current_balance(process).dimensions
        if rules.has_perm("consensus.decide_support", request.user, process):
            items = balance_support.support_queue(process, dimensions)
            requests = [item.request for item in items]
            priorities = {item.request.pk: item.priority for item in items}
        else:
            requests = list(balance_selectors.support_requests_of(process, current_user(request)))
            priorities = {r.pk: balance_support.request_priority(r, dimensions) for r in requests}
        page = self.paginate_queryset(requests)
        serializer = SupportRequestSerializer(
            page, many=True, context={**self.get_serializer_context(), "priorities": priorities}
        )
        return self.get_paginated_response(serializer.data)

    def _answer(self, support_request: SupportRequest, code: int = status.HTTP_200_OK) -> Response:
        context = {
            **self.get_serializer_context(),
            "priorities": _priorities(support_request.process, [support_request]),
        }
        return Response(
            SupportRequestSerializer(support_request, context=context).data, status=code
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    @extend_schema(
        request=SupportRequestCreateSerializer, responses={201: SupportRequestSerializer}
    )
    def create(self, request: Request) -> Response:
        body = SupportRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        try:
            process = visible_process(request, data.pop("process"))
        except Http404:
            raise ValidationError({"process": _("No such process.")}) from None
        if not rules.has_perm("consensus.request_support", request.user, process):
            raise PermissionDenied(_("Join this open process before you ask for support."))
        created = balance_support.support_request_create(
            actor=current_user(request), process=process, **data
        )
        return self._answer(created, status.HTTP_201_CREATED)

    def _decide(self, body_class: type[Serializer[Any]], decide: Decide) -> Response:
        """Validate the body, then let a facilitator's decision service act on the request."""
        support_request = self.get_object()
        body = body_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        actor = current_user(self.request)
        return self._answer(decide(actor, support_request, body.validated_data))

    @extend_schema(request=GrantSerializer, responses=SupportRequestSerializer)
    @action(detail=True, methods=["post"])
    def grant(self, request: Request, pk: str) -> Response:
        return self._decide(
            GrantSerializer,
            lambda actor, support_request, data: balance_support.support_request_grant(
                actor=actor, support_request=support_request, amount=data["amount"]
            ),
        )

    @extend_schema(request=DeclineSerializer, responses=SupportRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self._decide(
            DeclineSerializer,
            lambda actor, support_request, data: balance_support.support_request_decline(
                actor=actor, support_request=support_request, reason=data["reason"]
            ),
        )

    @extend_schema(request=None, responses=SupportRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        withdrawn = balance_support.support_request_withdraw(
            actor=current_user(request), support_request=self.get_object()
        )
        return self._answer(withdrawn)
