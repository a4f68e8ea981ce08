"""API views for trust: scores, endorsements, commitments, attestations, on-demand recomputation."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from stakeholders.access import current_user
from stakeholders.selectors import stakeholder_get
from trust import scores, selectors, services
from trust.api.filters import CommitmentFilter, EndorsementFilter
from trust.api.serializers import (
    AttestationSerializer,
    CommitmentSerializer,
    EndorsementSerializer,
    ReplySerializer,
    TrustComputationSerializer,
    TrustSerializer,
)
from trust.models import Attestation, Commitment, Endorsement, TrustComputation
from web.api import RulesPermission, is_schema_generation


class TrustView(generics.GenericAPIView[Any]):
    """A stakeholder's latest trust with every component behind it (docs/design.md §5).

    404 for an unknown user. A user whose trust was never computed gets 200 with every figure null,
    `components` empty and `computed_at` null.
    """

    serializer_class = TrustSerializer

    def get(self, request: Request, pk: int) -> Response:
        user = stakeholder_get(pk)
        if user is None:
            raise Http404
        score = selectors.latest_score(user)
        data = {
            "user": user.pk,
            "endorsement_trust": score.endorsement_trust if score else None,
            "percentile": score.percentile if score else None,
            "commitment_record": score.commitment_record if score else None,
            "components": score.components if score else {},
            "computed_at": score.computed_at if score else None,
            "url": reverse("trust:trust", args=[user.pk]),
        }
        return Response(self.get_serializer(data).data)


class EndorsementViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Endorsement],
):
    """Endorsements: "I trust this stakeholder's good faith".

    The list holds active endorsements; POST `{to, note?}` endorses (yourself or twice: 400);
    DELETE withdraws one of your own (the row is kept, with `withdrawn_at`).
    """

    serializer_class = EndorsementSerializer
    permission_classes = [RulesPermission]
    permission_rules = {"create": "trust.endorse", "destroy": "trust.withdraw_endorsement"}
    filterset_class = EndorsementFilter

    def get_queryset(self) -> QuerySet[Endorsement]:
        if self.action == "list":
            return selectors.endorsement_list()
        return Endorsement.objects.all()

    def perform_create(self, serializer: BaseSerializer[Endorsement]) -> None:
        serializer.instance = services.endorsement_give(
            actor=current_user(self.request),
            to_user=serializer.validated_data["to_user"],
            note=serializer.validated_data.get("note", ""),
        )

    def perform_destroy(self, instance: Endorsement) -> None:
        services.endorsement_withdraw(actor=current_user(self.request), endorsement=instance)


class CommitmentViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Commitment],
):
    """Commitments you may see; POST `{text, due, process?}` records yours.

    `attest` (once the commitment is due, not your own, once per person) and `attestations`
    act on one commitment.
    """

    serializer_class = CommitmentSerializer
    permission_classes = [RulesPermission]
    permission_rules = {"create": "trust.add_commitment", "attest": "trust.try_attest"}
    filterset_class = CommitmentFilter

    def get_queryset(self) -> QuerySet[Commitment]:
        if is_schema_generation(self):
            return Commitment.objects.none()
        return selectors.commitments_visible_to(self.request.user)

    def perform_create(self, serializer: BaseSerializer[Commitment]) -> None:
        data = serializer.validated_data
        created = services.commitment_create(
            actor=current_user(self.request),
            text=data["text"],
            due_on=data["due_on"],
            process=data.get("process"),
        )
        serializer.instance = self.get_queryset().get(pk=created.pk)

    @extend_schema(
        request=AttestationSerializer,
        responses={201: AttestationSerializer},
        description=(
            "Attest whether the commitment was kept: `{verdict: kept|partly|broken, evidence}`. "
            "400 with `detail` for your own commitment, one not yet due, or a second attestation."
        ),
    )
    @action(detail=True, methods=["post"])
    def attest(self, request: Request, pk: str) -> Response:
        commitment = self.get_object()
        serializer = AttestationSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        attestation = services.attestation_give(
            actor=current_user(request),
            commitment=commitment,
            verdict=serializer.validated_data["verdict"],
            evidence=serializer.validated_data["evidence"],
        )
        answer = AttestationSerializer(attestation, context=self.get_serializer_context())
        return Response(answer.data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: AttestationSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def attestations(self, request: Request, pk: str) -> Response:
        attestations = selectors.attestations_of(self.get_object())
        # The viewset is typed for commitments; this action pages another model's rows.
        page = self.paginate_queryset(attestations)  # type: ignore[arg-type]
        serializer = AttestationSerializer(
            page,  # type: ignore[arg-type]
            many=True,
            context=self.get_serializer_context(),
        )
        return self.get_paginated_response(serializer.data)


class AttestationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Attestation]):
    """One attestation; its commitment's author answers it once with `reply`."""

    serializer_class = AttestationSerializer
    permission_classes = [RulesPermission]
    permission_rules = {"reply": "trust.reply_attestation"}
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Attestation]:
        if is_schema_generation(self):
            return Attestation.objects.none()
        visible = selectors.commitments_visible_to(self.request.user)
        return (
            Attestation.objects.filter(commitment__in=visible.values("pk"))
            .select_related("commitment__process", "attester")
            .prefetch_related(selectors.hats_of("attester"))
        )

    @extend_schema(request=ReplySerializer, responses={200: AttestationSerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        attestation = self.get_object()
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.attestation_reply(
            actor=current_user(request),
            attestation=attestation,
            reply=serializer.validated_data["reply"],
        )
        return Response(self.get_serializer(attestation).data)


class RecomputeView(generics.GenericAPIView[TrustComputation]):
    """Admins: recompute everyone's trust now (404 for everyone else)."""

    serializer_class = TrustComputationSerializer
    permission_classes = [RulesPermission]
    permission_rules = {"post": "trust.recompute"}
    deny_as_404 = True

    @extend_schema(
        request=None, responses={201: TrustComputationSerializer, 404: OpenApiResponse()}
    )
    def post(self, request: Request) -> Response:
        computation = scores.trust_compute(
            actor=current_user(request), trigger=TrustComputation.Trigger.ADMIN
        )
        return Response(self.get_serializer(computation).data, status=status.HTTP_201_CREATED)
