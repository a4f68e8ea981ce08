"""The statement-poll API (docs/design.md §11): polls, statements, votes, the opinion map."""

from typing import Any

import rules
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from consensus.polls import selectors, services
from consensus.polls.models import Moderation, Poll, PollAttribution, Statement
from deliberation.models import Process
from stakeholders.access import current_user
from web.api import Pagination, RulesPermission, is_schema_generation


class PollSerializer(serializers.ModelSerializer[Poll]):
    process: serializers.SlugRelatedField[Process] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Process.objects.all()
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    attribution = serializers.ChoiceField(
        choices=PollAttribution.choices, default=PollAttribution.NAMED
    )
    seed_statements = serializers.ListField(
        child=serializers.CharField(max_length=1000), write_only=True, required=False
    )

    class Meta:
        model = Poll
        fields = [
            "id",
            "process",
            "title",
            "description",
            "status",
            "attribution",
            "seed_statements",
            "created_at",
            "url",
        ]
        read_only_fields = ["id", "status", "created_at"]


class StatementSerializer(serializers.ModelSerializer[Statement]):
    agrees = serializers.IntegerField(read_only=True)
    disagrees = serializers.IntegerField(read_only=True)
    passes = serializers.IntegerField(read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "external_id", "text", "agrees", "disagrees", "passes", "moderated"]
        read_only_fields = ["id", "external_id", "moderated"]


class StatementPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StatementSerializer(many=True)


class PendingSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=["pending"])


class VoteInSerializer(serializers.Serializer[Any]):
    vote = serializers.ChoiceField(choices=[1, -1, 0])

    def validate_vote(self, value: Any) -> int:
        if isinstance(self.initial_data.get("vote"), bool):
            raise ValidationError(_("A vote is 1 (agree), -1 (disagree) or 0 (pass)."))
        return int(value)


class VoteOutSerializer(serializers.Serializer[Any]):
    statement = serializers.IntegerField()
    vote = serializers.IntegerField()
    cast_at = serializers.DateTimeField()


class RejectReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000)


class OpinionGroupSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    members = serializers.ListField(child=serializers.IntegerField())
    repness = serializers.ListField(child=serializers.DictField())


class OpinionStatementSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    gic_opinion = serializers.FloatField(allow_null=True)
    gic_stakeholder = serializers.FloatField(allow_null=True)
    pa = serializers.FloatField(allow_null=True)
    pat = serializers.FloatField(allow_null=True)
    consensus = serializers.BooleanField()


class OpinionParticipantSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    user = serializers.IntegerField(allow_null=True)
    external_id = serializers.CharField(allow_blank=True)
    x = serializers.FloatField()
    y = serializers.FloatField()
    group = serializers.IntegerField()


class OpinionSerializer(serializers.Serializer[Any]):
    computed_at = serializers.DateTimeField()
    groups = OpinionGroupSerializer(many=True)
    statements = OpinionStatementSerializer(many=True)
    participants = OpinionParticipantSerializer(many=True)


def _visible_polls(request: Request) -> Any:
    viewer = current_user(request) if request.user.is_authenticated else None
    return selectors.visible_polls(viewer).prefetch_related("process__facilitators")


@extend_schema(parameters=[OpenApiParameter("process", str, description="A process slug")])
class PollViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Poll],
):
    serializer_class = PollSerializer
    permission_classes = [RulesPermission]
    permission_rules = {"close": "consensus.close_poll"}

    def get_queryset(self) -> Any:
        if is_schema_generation(self):
            return Poll.objects.none()
        polls = _visible_polls(self.request)
        slug = self.request.query_params.get("process")
        if slug and self.action == "list":
            polls = polls.filter(process__slug=slug)
        return polls.order_by("-created_at", "-id")

    def perform_create(self, serializer: serializers.BaseSerializer[Poll]) -> None:
        process = serializer.validated_data["process"]
        if not rules.has_perm("deliberation.view_process", self.request.user, process):
            raise ValidationError({"process": _("No such process.")})
        if not rules.has_perm("consensus.add_poll", self.request.user, process):
            raise PermissionDenied(_("Only a facilitator of this open process opens a poll."))
        serializer.instance = services.poll_open(
            actor=current_user(self.request),
            process=process,
            title=serializer.validated_data["title"],
            description=serializer.validated_data.get("description", ""),
            seed_statements=serializer.validated_data.get("seed_statements", []),
            attribution=serializer.validated_data["attribution"],
        )

    @extend_schema(request=None, responses=PollSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        poll = services.poll_close(actor=current_user(request), poll=self.get_object())
        return Response(PollSerializer(poll, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"],
        responses=StatementPageSerializer,
        parameters=[
            OpenApiParameter("page", int, description="A page number"),
            OpenApiParameter("page_size", int, description="Up to 200"),
        ],
    )
    @extend_schema(
        methods=["POST"], request=StatementSerializer, responses={201: StatementSerializer}
    )
    @action(detail=True, methods=["get", "post"], serializer_class=StatementSerializer)
    def statements(self, request: Request, pk: str) -> Response:
        """GET the poll's statements (facilitators also see those waiting); POST submits one."""
        poll = self.get_object()
        if request.method == "POST":
            if not request.user.is_authenticated or not rules.has_perm(
                "consensus.submit_statement", request.user, poll
            ):
                raise PermissionDenied(_("Join the process to add statements to its open poll."))
            body = StatementSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            statement = services.statement_submit(
                actor=current_user(request), poll=poll, text=body.validated_data["text"]
            )
            counted = selectors.with_counts(Statement.objects.filter(pk=statement.pk)).get()
            return Response(StatementSerializer(counted).data, status=status.HTTP_201_CREATED)
        statements = selectors.statements_of(poll)
        if not rules.has_perm("consensus.moderate_statement", request.user, poll):
            statements = statements.exclude(moderated=Moderation.PENDING)
        paginator = Pagination()
        page = paginator.paginate_queryset(statements, request, view=self)
        return paginator.get_paginated_response(StatementSerializer(page, many=True).data)

    @extend_schema(
        responses={
            200: OpinionSerializer,
            202: OpenApiResponse(PendingSerializer, description="Not computed yet"),
        }
    )
    @action(detail=True, methods=["get"])
    def opinion(self, request: Request, pk: str) -> Response:
        poll = self.get_object()
        stored = selectors.opinion_map(poll)
        if stored is None:
            return Response({"status": "pending"}, status=status.HTTP_202_ACCEPTED)
        figures = stored.figures
        sees_users = poll.attribution == PollAttribution.NAMED or rules.has_perm(
            "consensus.see_poll_authors", request.user, poll
        )
        me = request.user.pk if request.user.is_authenticated else None
        return Response(
            {
                "computed_at": stored.computed_at,
                "groups": figures["groups"],
                "statements": [
                    {key: s[key] for key in OpinionStatementSerializer().fields}
                    for s in figures["statements"]
                ],
                "participants": [
                    {**p, "user": p["user"] if sees_users or p["user"] == me else None}
                    for p in figures["participants"]
                ],
            }
        )


class StatementViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Statement]):
    """One statement; vote on it, and (facilitators) accept or reject it."""

    serializer_class = StatementSerializer
    permission_classes = [RulesPermission]
    permission_rules = {
        "accept": "consensus.moderate_statement",
        "reject": "consensus.moderate_statement",
    }

    def get_queryset(self) -> Any:
        if is_schema_generation(self):
            return Statement.objects.none()
        return selectors.with_counts(
            Statement.objects.filter(poll__in=_visible_polls(self.request)).select_related(
                "poll__process"
            )
        ).order_by("id")

    @extend_schema(
        request=VoteInSerializer,
        responses={
            200: VoteOutSerializer,
            201: VoteOutSerializer,
            409: OpenApiResponse(description="The poll is closed or the statement not accepted"),
        },
    )
    @action(detail=True, methods=["put"], serializer_class=VoteInSerializer)
    def vote(self, request: Request, pk: str) -> Response:
        """Agree (1), disagree (-1) or pass (0); 201 the first time, 200 when changed."""
        statement = self.get_object()
        if not rules.has_perm("consensus.vote_statement", request.user, statement):
            raise PermissionDenied(_("Join the process to vote in its polls."))
        body = VoteInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        vote, first = services.vote_cast(
            actor=current_user(request), statement=statement, value=body.validated_data["vote"]
        )
        return Response(
            {"statement": statement.pk, "vote": vote.value, "cast_at": vote.cast_at},
            status=status.HTTP_201_CREATED if first else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses=StatementSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        statement = services.statement_accept(
            actor=current_user(request), statement=self.get_object()
        )
        return self._answer(statement)

    @extend_schema(request=RejectReasonSerializer, responses=StatementSerializer)
    @action(detail=True, methods=["post"], serializer_class=RejectReasonSerializer)
    def reject(self, request: Request, pk: str) -> Response:
        body = RejectReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statement = services.statement_reject(
            actor=current_user(request),
            statement=self.get_object(),
            reason=body.validated_data["reason"],
        )
        return self._answer(statement)

    def _answer(self, statement: Statement) -> Response:
        found = self.get_queryset().filter(pk=statement.pk).first()
        if found is None:
            raise NotFound
        return Response(StatementSerializer(found).data)
