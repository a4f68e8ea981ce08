"""Serializers of consensus (shapes of docs/design.md §11)."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from consensus.forms import DESIGNATION_CHOICES
from consensus.models import Ballot, BallotVisibility, Objection, Position, Round
from consensus.rules import knows_participant
from deliberation.models import Process, ProposalVersion


class RoundSerializer(serializers.ModelSerializer[Round]):
    version = serializers.PrimaryKeyRelatedField(queryset=ProposalVersion.objects.all())
    process: serializers.SlugRelatedField[Process] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    ballot_visibility = serializers.ChoiceField(
        choices=BallotVisibility.choices, default=BallotVisibility.NAMED
    )

    class Meta:
        model = Round
        fields = [
            "id",
            "process",
            "version",
            "status",
            "ballot_visibility",
            "opens_at",
            "closes_at",
            "closed_at",
            "url",
        ]
        read_only_fields = ["id", "status", "opens_at", "closed_at"]


class BallotInSerializer(serializers.Serializer[Any]):
    position = serializers.ChoiceField(choices=Position.values)
    rationale = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, default=""
    )
    proposed_change = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, default=""
    )
    affiliation = serializers.IntegerField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["position"] == Position.OBJECT and not attrs.get("rationale", "").strip():
            raise serializers.ValidationError(
                {"rationale": _("An objection needs a rationale: say why you cannot live with it.")}
            )
        return attrs


class BallotOutSerializer(serializers.Serializer[Ballot]):
    """A ballot as the API answers it (the schema of `ballot_answer`)."""

    position = serializers.ChoiceField(choices=Position.values)
    rationale = serializers.CharField()
    proposed_change = serializers.CharField()
    affiliation = serializers.IntegerField()
    stakeholder_group = serializers.CharField()
    cast_at = serializers.DateTimeField()


_CAST_AT = serializers.DateTimeField()


def ballot_answer(ballot: Ballot) -> dict[str, Any]:
    """What BallotOutSerializer describes, built directly: the ballot endpoint is the hot path."""
    return {
        "position": ballot.position,
        "rationale": ballot.rationale,
        "proposed_change": ballot.proposed_change,
        "affiliation": ballot.affiliation_id,
        "stakeholder_group": ballot.stakeholder_group,
        "cast_at": _CAST_AT.to_representation(ballot.cast_at),
    }


class ObjectionSerializer(serializers.ModelSerializer[Objection]):
    """`objector` is a user id where the round is public by name (and the person named)."""

    objector = serializers.SerializerMethodField()
    round = serializers.IntegerField(source="round_id")
    accommodated_in = serializers.IntegerField(source="accommodated_in_id", allow_null=True)
    carried_from = serializers.IntegerField(source="carried_from_id", allow_null=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "round",
            "text",
            "state",
            "objector",
            "stakeholder_group",
            "response",
            "accommodated_in",
            "carried_from",
            "carried_answer",
            "acknowledged",
            "created_at",
        ]

    def get_objector(self, obj: Objection) -> int | None:
        viewer = self.context["request"].user
        return obj.objector_id if knows_participant(viewer, obj.round, obj.objector) else None


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=10000)


class AccommodateSerializer(ReasonSerializer):
    version = serializers.PrimaryKeyRelatedField(queryset=ProposalVersion.objects.all())


class CarriedAnswerSerializer(serializers.Serializer[Any]):
    resolved = serializers.BooleanField()


class DeclareSerializer(serializers.Serializer[Any]):
    designation = serializers.ChoiceField(choices=DESIGNATION_CHOICES)
    rationale = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default=""
    )


class TextSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=10000)


class CategorySerializer(serializers.Serializer[Any]):
    support = serializers.IntegerField()
    accept = serializers.IntegerField()
    abstain = serializers.IntegerField()
    object = serializers.IntegerField()
    p = serializers.FloatField(allow_null=True)


class ResultSerializer(serializers.Serializer[Any]):
    """docs/design.md §11: numbers as JSON numbers; `p` null for a category without
    non-abstaining ballots."""

    status = serializers.ChoiceField(choices=["pending", "computed", "declared"])
    designation = serializers.CharField(allow_null=True)
    computed_designation = serializers.CharField()
    quorum_met = serializers.BooleanField()
    s_mean = serializers.FloatField(allow_null=True)
    s_min = serializers.FloatField(allow_null=True)
    gic = serializers.FloatField(allow_null=True)
    gic_geo = serializers.FloatField(allow_null=True)
    x_share = serializers.FloatField()
    objections = serializers.IntegerField()
    open_objections = serializers.IntegerField()
    ballots = serializers.IntegerField()
    groups = serializers.DictField(child=CategorySerializer())
    regions = serializers.DictField(child=CategorySerializer())
    development = serializers.DictField(child=CategorySerializer())
    regional_designation = serializers.CharField()
    development_designation = serializers.CharField()
    rationale = serializers.CharField()
    minority_statements = serializers.ListField(child=serializers.CharField())
