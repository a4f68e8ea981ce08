"""API views of deliberation; permissions come from deliberation.rules, writes from services."""

from typing import Any

import rules
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from deliberation import selectors, services
from deliberation.api.filters import CommentFilter, IssueFilter, ProposalFilter, ResourceFilter
from deliberation.api.serializers import (
    CommentEditSerializer,
    CommentSerializer,
    GlossaryTermSerializer,
    IssueSerializer,
    JoinSerializer,
    ProcessSerializer,
    ProposalSerializer,
    ResourceSerializer,
    SearchHitSerializer,
    SearchPageSerializer,
    VersionSerializer,
)
from deliberation.models import (
    Comment,
    GlossaryTerm,
    Issue,
    Process,
    Proposal,
    ProposalVersion,
    Resource,
)
from stakeholders.access import current_user
from stakeholders.models import User
from web.api import RulesPermission


def _viewer(request: Request) -> User | None:
    return current_user(request) if request.user.is_authenticated else None


def require(request: Request, rule: str, obj: Any, message: str) -> None:
    """Refuse with 403 and a readable reason when the rule set says no."""
    if not rules.has_perm(rule, request.user, obj):
        raise PermissionDenied(message)


def _issue_to_write_in(request: Request, issue: Issue, rule: str, refusal: str) -> Issue:
    """An issue named in a request body: unknown (400) if its process is invisible to the
    requester, refused (403, with `refusal`) if the rule says no."""
    if not rules.has_perm("deliberation.view_process", request.user, issue.process):
        raise ValidationError({"issue": _("No such issue.")})
    require(request, rule, issue, refusal)
    return issue


class ProcessViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Process],
):
    """Processes you may read; facilitators create and change them; archive, never delete."""

    serializer_class = ProcessSerializer
    permission_classes = [RulesPermission]
    permission_rules = {
        "create": "deliberation.add_process",
        "partial_update": "deliberation.change_process",
        "update": "deliberation.change_process",
        "archive": "deliberation.change_process",
        "join": "deliberation.join_process",
    }
    lookup_field = "slug"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Process]:
        return (
            selectors.visible_processes(_viewer(self.request))
            .prefetch_related("facilitators")
            .order_by("-created_at", "id")
        )

    def perform_create(self, serializer: BaseSerializer[Process]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.process_create(
            actor=current_user(self.request),
            title=data.pop("title"),
            slug=data.pop("slug", ""),
            **data,
        )

    def perform_update(self, serializer: BaseSerializer[Process]) -> None:
        data = dict(serializer.validated_data)
        data.pop("slug", None)
        serializer.instance = services.process_update(
            actor=current_user(self.request),
            process=serializer.instance,  # type: ignore[arg-type]
            **data,
        )

    @extend_schema(request=JoinSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def join(self, request: Request, slug: str) -> Response:
        process = self.get_object()
        body = JoinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        participation = services.participation_join(
            actor=current_user(request),
            process=process,
            affiliation=body.validated_data.get("affiliation"),
        )
        return Response(
            {"process": process.slug, "affiliation": participation.affiliation_id},
            status=status.HTTP_200_OK,
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, slug: str) -> Response:
        process = services.process_archive(actor=current_user(request), process=self.get_object())
        return Response(self.get_serializer(process).data)


class IssueViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Issue],
):
    serializer_class = IssueSerializer
    filterset_class = IssueFilter

    def get_queryset(self) -> QuerySet[Issue]:
        processes = selectors.visible_processes(_viewer(self.request))
        issues = Issue.objects.filter(process__in=processes).select_related("process")
        return issues.order_by("-created_at", "-id")

    def perform_create(self, serializer: BaseSerializer[Issue]) -> None:
        process = serializer.validated_data["process"]
        require(
            self.request,
            "deliberation.add_issue",
            process,
            _("Join this open process before you open an issue."),
        )
        serializer.instance = services.issue_create(
            actor=current_user(self.request),
            process=process,
            title=serializer.validated_data["title"],
            body=serializer.validated_data["body"],
        )


class CommentViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Comment],
):
    """Comments, oldest first; `author` is shown only where the viewer may know it."""

    serializer_class = CommentSerializer
    filterset_class = CommentFilter
    permission_classes = [RulesPermission]
    permission_rules = {
        "partial_update": "deliberation.change_comment",
        "update": "deliberation.change_comment",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Comment]:
        processes = selectors.visible_processes(_viewer(self.request))
        comments = (
            Comment.objects.filter(issue__process__in=processes)
            .select_related("author", "affiliation", "issue__process")
            .prefetch_related("issue__process__facilitators")
        )
        return comments.order_by("created_at", "id")

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action in ("update", "partial_update"):
            return CommentEditSerializer
        return CommentSerializer

    def perform_create(self, serializer: BaseSerializer[Comment]) -> None:
        data = serializer.validated_data
        issue = _issue_to_write_in(
            self.request,
            data["issue"],
            "deliberation.add_comment",
            _("Join this process (and find the issue open) before you comment."),
        )
        serializer.instance = services.comment_create(
            actor=current_user(self.request),
            issue=issue,
            body=data["body"],
            parent=data.get("parent"),
            version=data.get("version"),
            affiliation=data.get("affiliation_id"),
            attribution=data.get("attribution"),
        )

    @extend_schema(request=CommentEditSerializer, responses=CommentSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        comment = self.get_object()
        body = CommentEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.comment_edit(
            actor=current_user(request), comment=comment, body=body.validated_data["body"]
        )
        return Response(CommentSerializer(comment, context=self.get_serializer_context()).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CommentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Proposal],
):
    """Proposals (creating one publishes version 1); `versions` lists and publishes versions."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter

    def get_queryset(self) -> QuerySet[Proposal]:
        processes = selectors.visible_processes(_viewer(self.request))
        proposals = (
            Proposal.objects.filter(issue__process__in=processes)
            .select_related("issue__process")
            .prefetch_related(
                Prefetch("versions", queryset=ProposalVersion.objects.order_by("number"))
            )
        )
        return proposals.order_by("-created_at", "-id")

    def perform_create(self, serializer: BaseSerializer[Proposal]) -> None:
        data = serializer.validated_data
        issue = _issue_to_write_in(
            self.request,
            data["issue"],
            "deliberation.add_proposal",
            _("Join this open process before you propose."),
        )
        serializer.instance = services.proposal_create(
            actor=current_user(self.request),
            issue=issue,
            title=data["title"],
            text=data["text"],
            plain_summary=data.get("plain_summary", ""),
        )

    @extend_schema(request=VersionSerializer, responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=VersionSerializer)
    def versions(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(list(proposal.versions.all()))
            data = VersionSerializer(page, many=True).data
            return self.get_paginated_response(data)
        require(
            request,
            "deliberation.add_version",
            proposal,
            _("Only the proposal's author or a facilitator of the process may publish a version."),
        )
        body = VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = services.version_publish(
            actor=current_user(request), proposal=proposal, **body.validated_data
        )
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class GlossaryTermViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[GlossaryTerm],
):
    serializer_class = GlossaryTermSerializer
    permission_classes = [RulesPermission]
    permission_rules = {
        "create": "deliberation.manage_glossary",
        "partial_update": "deliberation.manage_glossary",
        "update": "deliberation.manage_glossary",
    }
    queryset = GlossaryTerm.objects.order_by("term")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _save(self, serializer: BaseSerializer[GlossaryTerm]) -> None:
        data = serializer.validated_data
        instance = serializer.instance
        serializer.instance = services.glossary_term_save(
            actor=current_user(self.request),
            term=data.get("term", instance.term if instance else ""),
            aliases=data.get("aliases", instance.aliases if instance else []),
            definitions=data.get("definitions", instance.definitions if instance else {}),
            instance=instance,
        )

    perform_create = _save
    perform_update = _save


class ResourceViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Resource],
):
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    permission_classes = [RulesPermission]
    permission_rules = {"create": "deliberation.manage_resources"}

    def get_queryset(self) -> QuerySet[Resource]:
        return selectors.resources()

    def perform_create(self, serializer: BaseSerializer[Resource]) -> None:
        serializer.instance = services.resource_save(
            actor=current_user(self.request), **serializer.validated_data
        )


class SearchView(APIView):
    """Full-text search over the issues, comments and proposals you may read."""

    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True)],
        responses=SearchPageSerializer,
    )
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        if len(query) > 200:
            raise ValidationError({"q": _("Search for at most 200 characters.")})
        hits = selectors.search(query, _viewer(request))
        return Response(
            {
                "count": len(hits),
                "next": None,
                "previous": None,
                "results": SearchHitSerializer(hits, many=True).data,
            }
        )
