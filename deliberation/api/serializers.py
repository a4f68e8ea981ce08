"""Serializers of deliberation; input validation and output shape only (services write)."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deliberation.models import (
    Comment,
    GlossaryTerm,
    Issue,
    Process,
    Proposal,
    ProposalVersion,
    Resource,
)
from deliberation.rendering import render_markdown
from deliberation.rules import sees_identity_in
from deliberation.selectors import visible_processes
from stakeholders.models import Attribution, StakeholderGroup
from stakeholders.presentation import public_name


class ConsensusSerializer(serializers.Serializer[Any]):
    quorum_per_group = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    group_support_min = serializers.FloatField(min_value=0, max_value=1, required=False)
    minority_max_share = serializers.FloatField(min_value=0, max_value=1, required=False)
    strong_support_mean = serializers.FloatField(min_value=0, max_value=1, required=False)
    challenge_days = serializers.IntegerField(min_value=0, max_value=90, required=False)


class ProcessSerializer(serializers.ModelSerializer[Process]):
    expected_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=StakeholderGroup.choices), required=False
    )
    # docs/design.md §11 nests the consensus parameters; source="*" maps them onto the process's
    # own fields.
    consensus = ConsensusSerializer(source="*", required=False)
    facilitators = serializers.SerializerMethodField()
    archived = serializers.BooleanField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    slug = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    support_budget = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), required=False
    )

    class Meta:
        model = Process
        fields = [
            "id",
            "title",
            "slug",
            "description",
            "expected_groups",
            "visibility",
            "status",
            "languages",
            "consensus",
            "support_budget",
            "facilitators",
            "archived",
            "created_at",
            "url",
        ]
        read_only_fields = ["id", "created_at"]

    def get_facilitators(self, obj: Process) -> list[int]:
        return sorted(obj.facilitator_ids)

    def validate_slug(self, value: str) -> str:
        if self.instance is not None and value and value != self.instance.slug:
            raise serializers.ValidationError(_("A process's address cannot change."))
        return value


class JoinSerializer(serializers.Serializer[Any]):
    affiliation = serializers.IntegerField(required=False, allow_null=True)


class IssueSerializer(serializers.ModelSerializer[Issue]):
    process = serializers.SlugRelatedField(slug_field="slug", queryset=Process.objects.all())
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = ["id", "process", "title", "body", "body_html", "status", "created_at", "url"]
        read_only_fields = ["id", "status", "created_at"]

    def get_body_html(self, obj: Issue) -> str:
        return render_markdown(obj.body)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """A process the requester may not read is "not found", like any unknown slug."""
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            viewer = request.user if request.user.is_authenticated else None
            fields["process"].queryset = visible_processes(viewer)  # type: ignore[attr-defined]
        return fields


class CommentSerializer(serializers.ModelSerializer[Comment]):
    """`author` is a user id only where the viewer may know who wrote it (else null)."""

    issue = serializers.PrimaryKeyRelatedField(queryset=Issue.objects.all())
    # DRF's metaclass takes declared fields off the class, so `parent` shadows nothing at run time.
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Comment.objects.all(), required=False, allow_null=True
    )
    version = serializers.PrimaryKeyRelatedField(
        queryset=ProposalVersion.objects.all(), required=False, allow_null=True
    )
    affiliation = serializers.IntegerField(required=False, allow_null=True, source="affiliation_id")
    attribution = serializers.ChoiceField(
        choices=[("named", "named"), ("group_only", "group_only")], required=False
    )
    author = serializers.SerializerMethodField()
    author_name = serializers.SerializerMethodField()
    stakeholder_group = serializers.CharField(
        source="affiliation.stakeholder_group", read_only=True
    )
    body_html = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "issue",
            "parent",
            "version",
            "body",
            "body_html",
            "affiliation",
            "attribution",
            "author",
            "author_name",
            "stakeholder_group",
            "state",
            "created_at",
            "edited_at",
            "url",
        ]
        read_only_fields = ["id", "state", "created_at", "edited_at"]

    def _reveals(self, obj: Comment) -> bool:
        viewer = self.context["request"].user
        process = self.context.get("process") or obj.issue.process
        return obj.attribution == "named" or sees_identity_in(viewer, obj.author_id, process)

    def get_author(self, obj: Comment) -> int | None:
        return obj.author_id if self._reveals(obj) else None

    def get_author_name(self, obj: Comment) -> str:
        return public_name(
            obj.author,
            viewer=self.context["request"].user,
            group=obj.affiliation.stakeholder_group,
            attribution=Attribution.NAMED if self._reveals(obj) else Attribution.GROUP_ONLY,
        )

    def get_body_html(self, obj: Comment) -> str:
        return render_markdown(obj.body) if obj.state == "visible" else ""

    def get_url(self, obj: Comment) -> str:
        return f"{obj.issue.get_absolute_url()}#comment-{obj.pk}"

    def to_representation(self, instance: Comment) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["affiliation"] = instance.affiliation_id if self._reveals(instance) else None
        if instance.state != "visible":
            data["body"] = ""
        return data


class CommentEditSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=20000)


class VersionSerializer(serializers.ModelSerializer[ProposalVersion]):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ProposalVersion
        fields = ["id", "number", "text", "change_summary", "plain_summary", "created_at", "url"]
        read_only_fields = ["id", "number", "created_at"]


class VersionRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.IntegerField()


class ProposalSerializer(serializers.ModelSerializer[Proposal]):
    issue = serializers.PrimaryKeyRelatedField(queryset=Issue.objects.all())
    text = serializers.CharField(write_only=True, max_length=100000)
    plain_summary = serializers.CharField(
        write_only=True, max_length=3000, required=False, allow_blank=True
    )
    current_version = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "issue",
            "title",
            "text",
            "plain_summary",
            "current_version",
            "created_at",
            "url",
        ]
        read_only_fields = ["id", "created_at"]

    @extend_schema_field(VersionRefSerializer(allow_null=True))
    def get_current_version(self, obj: Proposal) -> dict[str, int] | None:
        versions = list(obj.versions.all())
        if not versions:
            return None
        latest = max(versions, key=lambda v: v.number)
        return {"id": latest.pk, "number": latest.number}


class GlossaryTermSerializer(serializers.ModelSerializer[GlossaryTerm]):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=50
    )
    definitions = serializers.DictField(child=serializers.CharField(max_length=2000))

    class Meta:
        model = GlossaryTerm
        fields = ["id", "term", "aliases", "definitions", "updated_at"]
        read_only_fields = ["id", "updated_at"]


class ResourceSerializer(serializers.ModelSerializer[Resource]):
    class Meta:
        model = Resource
        fields = ["id", "title", "url", "kind", "summary", "languages", "regions", "topics"]
        read_only_fields = ["id"]


class SearchHitSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    title = serializers.CharField()
    excerpt = serializers.CharField()
    url = serializers.CharField()
    rank = serializers.FloatField()


class SearchPageSerializer(serializers.Serializer[Any]):
    """The search answer has the shape of every list: `{count, next, previous, results}`."""

    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = SearchHitSerializer(many=True)
