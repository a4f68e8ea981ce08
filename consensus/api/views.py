"""API views of consensus: rounds, ballots (409 when not open, Idempotency-Key), objections."""

from typing import Any

import rules
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import (
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from consensus import closeout, selectors, services
from consensus.api.filters import ObjectionFilter, RoundFilter
from consensus.api.serializers import (
    AccommodateSerializer,
    BallotInSerializer,
    BallotOutSerializer,
    CarriedAnswerSerializer,
    DeclareSerializer,
    ExtendSerializer,
    ObjectionSerializer,
    ReasonSerializer,
    ResultSerializer,
    RoundSerializer,
    TextSerializer,
    ballot_answer,
)
from consensus.idempotency import idempotent
from consensus.models import Objection, Outcome, Round
from stakeholders.access import current_user
from web.api import RulesPermission, is_schema_generation
from web.errors import StateConflict


def _visible_rounds(request: Request) -> Any:
    viewer = current_user(request) if request.user.is_authenticated else None
    return (
        selectors.visible_rounds(viewer)
        .select_related("process", "version__proposal__issue")
        .prefetch_related("process__facilitators")
    )


def _result(round_: Round) -> tuple[int, dict[str, Any]]:
    outcome = Outcome.objects.filter(round=round_).prefetch_related("minority_statements").first()
    if outcome is None:
        return status.HTTP_202_ACCEPTED, {"status": "pending"}
    figures = outcome.figures
    return status.HTTP_200_OK, {
        "status": "declared" if outcome.declared else "computed",
        "designation": outcome.declared_designation or None,
        "computed_designation": outcome.computed_designation,
        "quorum_met": figures["quorum_met"],
        "s_mean": figures["s_mean"],
        "s_min": figures["s_min"],
        "gic": figures["gic"],
        "gic_geo": figures["gic_geo"],
        "x_share": figures["x_share"],
        "objections": figures["objections"],
        "open_objections": figures["open_objections"],
        "ballots": figures["ballots"],
        "groups": figures["groups"],
        "regions": figures["regions"]["groups"],
        "development": figures["development"]["groups"],
        "regional_designation": figures["regions"]["designation"],
        "development_designation": figures["development"]["designation"],
        "rationale": outcome.rationale,
        "minority_statements": [s.text for s in outcome.minority_statements.all()],
    }


class RoundViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Round],
):
    serializer_class = RoundSerializer
    filterset_class = RoundFilter
    permission_classes = [RulesPermission]
    permission_rules = {
        "open": "consensus.open_round",
        "close": "consensus.close_round",
        "declare": "consensus.declare",
        "extend": "consensus.extend_round",
    }

    def get_queryset(self) -> Any:
        if is_schema_generation(self):
            return Round.objects.none()
        return _visible_rounds(self.request).order_by("-created_at", "-id")

    def perform_create(self, serializer: BaseSerializer[Round]) -> None:
        version = serializer.validated_data["version"]
        if not rules.has_perm("deliberation.view_process", self.request.user, version):
            raise ValidationError({"version": _("No such version.")})
        if not rules.has_perm(
            "consensus.add_round", self.request.user, version.proposal.issue.process
        ):
            raise PermissionDenied(_("Only a facilitator of this open process starts a round."))
        serializer.instance = services.round_create(
            actor=current_user(self.request),
            version=version,
            closes_at=serializer.validated_data["closes_at"],
            ballot_visibility=serializer.validated_data["ballot_visibility"],
        )

    def _answer(self, round_: Round) -> Response:
        round_.refresh_from_db()
        return Response(RoundSerializer(round_, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str) -> Response:
        return self._answer(
            services.round_open(actor=current_user(request), round_=self.get_object())
        )

    @extend_schema(request=None, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._answer(
            services.round_close(actor=current_user(request), round_=self.get_object())
        )

    @extend_schema(request=ExtendSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"], serializer_class=ExtendSerializer)
    def extend(self, request: Request, pk: str) -> Response:
        """Move a draft or open round's deadline later (facilitators); participants are told."""
        round_ = self.get_object()
        body = ExtendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            closeout.round_extend(
                actor=current_user(request),
                round_=round_,
                closes_at=body.validated_data["closes_at"],
            )
        )

    @extend_schema(
        request=BallotInSerializer,
        responses={
            200: BallotOutSerializer,
            201: BallotOutSerializer,
            409: OpenApiResponse(description="The round is not open"),
        },
        parameters=[
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)
        ],
    )
    @action(detail=True, methods=["get", "put"], serializer_class=BallotInSerializer)
    def ballot(self, request: Request, pk: str) -> Response:
        """GET my current ballot; PUT casts or changes it (201 first time, 200 after)."""
        if request.method == "PUT" and request.user.is_authenticated and pk.isdigit():
            return _cast_or_explain(request, int(pk))
        # One row and an object check, not the query of every visible round.
        round_ = selectors.round_with_process(int(pk)) if pk.isdigit() else None
        if round_ is None or not rules.has_perm("consensus.view_round", request.user, round_):
            raise NotFound
        if not request.user.is_authenticated:
            raise NotAuthenticated(_("Sign in to cast a ballot."))
        if request.method == "GET":
            ballot = selectors.current_ballot(round_, current_user(request))
            if ballot is None:
                raise NotFound(_("You have not cast a ballot in this round."))
            return Response(ballot_answer(ballot))
        return idempotent(request, lambda: _cast(request, round_))

    @extend_schema(responses={200: ResultSerializer, 202: OpenApiResponse(description="pending")})
    @action(detail=True, methods=["get"])
    def result(self, request: Request, pk: str) -> Response:
        code, body = _result(self.get_object())
        return Response(body, status=code)

    @extend_schema(request=DeclareSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"], serializer_class=DeclareSerializer)
    def declare(self, request: Request, pk: str) -> Response:
        round_ = self.get_object()
        body = DeclareSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.outcome_declare(
            actor=current_user(request),
            round_=round_,
            designation_=body.validated_data["designation"],
            rationale=body.validated_data["rationale"],
            over_open_objections=body.validated_data["over_open_objections"],
        )
        code, data = _result(round_)
        return Response(data, status=code)

    @extend_schema(request=TextSerializer, responses={201: None})
    @action(
        detail=True,
        methods=["post"],
        url_path="minority-statement",
        serializer_class=TextSerializer,
    )
    def minority_statement(self, request: Request, pk: str) -> Response:
        round_ = self.get_object()
        outcome = Outcome.objects.filter(round=round_).first()
        if outcome is None:
            raise NotFound(_("The outcome is not computed yet."))
        body = TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statement = services.minority_statement_add(
            actor=current_user(request), outcome=outcome, text=body.validated_data["text"]
        )
        return Response(
            {"id": statement.pk, "text": statement.text}, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=TextSerializer, responses={201: None})
    @action(detail=True, methods=["post"], serializer_class=TextSerializer)
    def challenge(self, request: Request, pk: str) -> Response:
        round_ = self.get_object()
        outcome = Outcome.objects.filter(round=round_).first()
        if outcome is None or not rules.has_perm("consensus.challenge", request.user, outcome):
            raise PermissionDenied(
                _("Only participants challenge a declaration, within its window.")
            )
        body = TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        challenge = services.challenge_create(
            actor=current_user(request), outcome=outcome, text=body.validated_data["text"]
        )
        return Response(
            {"id": challenge.pk, "text": challenge.text}, status=status.HTTP_201_CREATED
        )


def _cast_or_explain(request: Request, pk: int) -> Response:
    """The deadline's hot path: cast on the round known by its id, whose one locking statement
    proves that the caster takes part in its process (so may see it) and that it is open. Only
    when that fails is the round read, so that a round the caster may not see stays a 404 rather
    than a 403 or a 409 that would say it exists."""
    try:
        return idempotent(request, lambda: _cast(request, selectors.round_by_id(pk)))
    except (PermissionError, StateConflict):
        round_ = selectors.round_with_process(pk)
        if round_ is None or not rules.has_perm("consensus.view_round", request.user, round_):
            raise NotFound from None
        raise


def _cast(request: Request, round_: Round) -> Response:
    body = BallotInSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    ballot, first = services.ballot_cast(
        actor=current_user(request),
        round_=round_,
        position=body.validated_data["position"],
        rationale=body.validated_data["rationale"],
        proposed_change=body.validated_data["proposed_change"],
        affiliation=body.validated_data.get("affiliation"),
    )
    return Response(
        ballot_answer(ballot),
        status=status.HTTP_201_CREATED if first else status.HTTP_200_OK,
    )


class ObjectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Objection]
):
    """The objection register; facilitators address or accommodate, objectors withdraw."""

    serializer_class = ObjectionSerializer
    filterset_class = ObjectionFilter
    permission_classes = [RulesPermission]
    permission_rules = {
        "address": "consensus.resolve_objection",
        "accommodate": "consensus.resolve_objection",
        "withdraw": "consensus.withdraw_objection",
        "answer": "consensus.withdraw_objection",
        "acknowledge": "consensus.acknowledge_objection",
    }

    def get_queryset(self) -> Any:
        objections = (
            Objection.objects.filter(round__in=_visible_rounds(self.request))
            .select_related("round__process", "round__version", "objector")
            .prefetch_related("round__process__facilitators")
        )
        return objections.order_by("created_at", "id")

    def _answer(self, objection: Objection) -> Response:
        objection.refresh_from_db()
        return Response(ObjectionSerializer(objection, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def address(self, request: Request, pk: str) -> Response:
        objection = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.objection_address(
                actor=current_user(request),
                objection=objection,
                reason=body.validated_data["reason"],
            )
        )

    @extend_schema(request=AccommodateSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"], serializer_class=AccommodateSerializer)
    def accommodate(self, request: Request, pk: str) -> Response:
        objection = self.get_object()
        body = AccommodateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.objection_accommodate(
                actor=current_user(request),
                objection=objection,
                reason=body.validated_data["reason"],
                version=body.validated_data["version"],
            )
        )

    @extend_schema(request=None, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._answer(
            services.objection_withdraw(actor=current_user(request), objection=self.get_object())
        )

    @extend_schema(request=CarriedAnswerSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"], serializer_class=CarriedAnswerSerializer)
    def answer(self, request: Request, pk: str) -> Response:
        objection = self.get_object()
        body = CarriedAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.objection_answer_carried(
                actor=current_user(request),
                objection=objection,
                resolved=body.validated_data["resolved"],
            )
        )

    @extend_schema(request=None, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """Let a restricted participant's objection count (facilitators)."""
        objection = services.objection_acknowledge(
            actor=current_user(request), objection=self.get_object()
        )
        return self._answer(objection)
