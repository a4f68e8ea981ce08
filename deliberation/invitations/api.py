"""API of invitations: a process's list and invite (facilitators), revoke, and accept by token."""

from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from deliberation import selectors as deliberation_selectors
from deliberation.api.serializers import JoinSerializer
from deliberation.invitations import selectors, services
from deliberation.invitations.models import Invitation, InvitationStatus
from deliberation.models import Process
from stakeholders.access import current_user
from web.api import RulesPermission, is_schema_generation

# A list longer than this is refused before its addresses are read (the cap itself counts the
# distinct addresses, services.MAX_BATCH).
MAX_LIST = services.MAX_BATCH * 5


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    status = serializers.ChoiceField(choices=InvitationStatus.choices, read_only=True)
    invited_by = serializers.IntegerField(source="invited_by_id", read_only=True)
    accepted_by = serializers.IntegerField(source="accepted_by_id", read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "emailed_at",
            "accepted_at",
            "accepted_by",
            "revoked_at",
        ]
        read_only_fields = fields


class InviteSerializer(serializers.Serializer[Any]):
    emails = serializers.ListField(
        child=serializers.CharField(max_length=320), allow_empty=False, max_length=MAX_LIST
    )

    def validate_emails(self, value: list[str]) -> list[str]:
        try:
            return services.clean_addresses(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class InviteResultSerializer(serializers.Serializer[Any]):
    invited = InvitationSerializer(many=True)
    already_invited = serializers.ListField(child=serializers.EmailField())
    already_taking_part = serializers.ListField(child=serializers.EmailField())


def _process(request: Request, slug: str) -> Process:
    """The process the requester may read; 404 for anyone else."""
    viewer = current_user(request) if request.user.is_authenticated else None
    process = deliberation_selectors.process_get(slug, viewer)
    if process is None:
        raise Http404
    return process


class InvitationListView(generics.ListAPIView[Invitation]):
    """The process's invitations, newest first, for its facilitators; POST invites addresses
    (pending invitations and participants are skipped and named in the answer)."""

    serializer_class = InvitationSerializer
    permission_classes = [RulesPermission]
    permission_rules = {"get": "deliberation.view_invitations", "post": "deliberation.invite"}

    @cached_property
    def process(self) -> Process:
        return _process(self.request, self.kwargs["slug"])

    def get_permission_object(self) -> Process:
        return self.process

    def get_queryset(self) -> QuerySet[Invitation]:
        if is_schema_generation(self):
            return Invitation.objects.none()
        return selectors.invitations_of(self.process)

    @extend_schema(request=InviteSerializer, responses={201: InviteResultSerializer})
    def post(self, request: Request, slug: str) -> Response:
        body = InviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made, pending, members = services.invitations_create(
            actor=current_user(request),
            process=self.process,
            emails=body.validated_data["emails"],
        )
        answer = {"invited": made, "already_invited": pending, "already_taking_part": members}
        return Response(InviteResultSerializer(answer).data, status=status.HTTP_201_CREATED)


class InvitationRevokeView(APIView):
    """A facilitator withdraws a pending invitation: its link stops working."""

    permission_classes = [RulesPermission]
    permission_rules = {"post": "deliberation.revoke_invitation"}

    @cached_property
    def invitation(self) -> Invitation:
        process = _process(self.request, self.kwargs["slug"])
        invitation = selectors.invitation_get(process, self.kwargs["pk"])
        if invitation is None:
            raise Http404
        return invitation

    def get_permission_object(self) -> Invitation:
        return self.invitation

    @extend_schema(request=None, responses={200: InvitationSerializer})
    def post(self, request: Request, slug: str, pk: int) -> Response:
        invitation = services.invitation_revoke(
            actor=current_user(request), invitation=self.invitation
        )
        return Response(InvitationSerializer(invitation).data)


class InvitationAcceptView(APIView):
    """Whoever holds an invitation's token joins its process with it (as `join` does, wearing the
    hat named or their default one); a used, withdrawn or expired invitation answers 409."""

    permission_classes = [RulesPermission]
    permission_rules = {"post": "deliberation.accept_invitation"}

    @cached_property
    def invitation(self) -> Invitation:
        invitation = selectors.invitation_from_token(self.kwargs["token"])
        if invitation is None:
            raise Http404
        return invitation

    def get_permission_object(self) -> Invitation:
        return self.invitation

    @extend_schema(
        request=JoinSerializer,
        responses={
            200: inline_serializer(
                "InvitationAccepted",
                {"process": serializers.SlugField(), "affiliation": serializers.IntegerField()},
            )
        },
    )
    def post(self, request: Request, token: str) -> Response:
        body = JoinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = self.invitation
        participation = services.invitation_accept(
            actor=current_user(request),
            invitation=invitation,
            affiliation=body.validated_data.get("affiliation"),
        )
        return Response(
            {"process": invitation.process.slug, "affiliation": participation.affiliation_id}
        )
