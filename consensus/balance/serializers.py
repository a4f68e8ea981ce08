"""Serializers of the balance and support API: the docs/design.md §11 balance shape, support
requests."""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consensus.balance.compute import AlertKind
from consensus.models import BalanceSnapshot, SupportKind, SupportRequest
from deliberation.models import Process
from stakeholders.models import Funding


def amount_field() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))


class BalanceCategorySerializer(serializers.Serializer[Any]):
    contributions = serializers.IntegerField()
    participants = serializers.IntegerField()
    share = serializers.FloatField()
    ratio = serializers.FloatField()


class AlertSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=[kind.value for kind in AlertKind])
    category = serializers.CharField()
    message = serializers.CharField()


class DimensionSerializer(serializers.Serializer[Any]):
    index = serializers.FloatField(allow_null=True)
    categories = serializers.DictField(child=BalanceCategorySerializer())
    alerts = AlertSerializer(many=True)


class DimensionsSerializer(serializers.Serializer[Any]):
    """One entry per dimension of docs/design.md §4 (declared field by field for the schema)."""

    stakeholder_group = DimensionSerializer()
    region = DimensionSerializer()
    development = DimensionSerializer()
    funding = DimensionSerializer()
    newcomer = DimensionSerializer()
    gender = DimensionSerializer()


class BalanceSerializer(serializers.Serializer[Any]):
    """The latest balance of a process, exactly as docs/design.md §11 says."""

    computed_at = serializers.DateTimeField()
    dimensions = DimensionsSerializer()


class TotalsSerializer(serializers.Serializer[Any]):
    comments = serializers.IntegerField()
    ballots = serializers.IntegerField()
    versions = serializers.IntegerField()
    contributions = serializers.IntegerField()
    participants = serializers.IntegerField()


class SnapshotSerializer(serializers.ModelSerializer[BalanceSnapshot]):
    """One stored snapshot: the balance shape, what triggered it, and the totals."""

    dimensions = DimensionsSerializer()
    totals = TotalsSerializer()

    class Meta:
        model = BalanceSnapshot
        fields = ["id", "computed_at", "trigger", "round", "totals", "dimensions"]
        read_only_fields = fields


class SupportRequestSerializer(serializers.ModelSerializer[SupportRequest]):
    """A request; `priority` (docs/design.md §4, against the current balance) comes from the
    view."""

    process: serializers.SlugRelatedField[Process] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    requester_name = serializers.CharField(source="requester.__str__", read_only=True)
    priority = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = SupportRequest
        fields = [
            "id",
            "process",
            "kind",
            "description",
            "amount_requested",
            "status",
            "amount_granted",
            "decision_reason",
            "decided_at",
            "created_at",
            "requester",
            "requester_name",
            "stakeholder_group",
            "region",
            "developing",
            "funding",
            "priority",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_priority(self, obj: SupportRequest) -> float | None:
        priorities: dict[int, float] = self.context.get("priorities", {})
        return priorities.get(obj.pk)


class SupportRequestCreateSerializer(serializers.Serializer[Any]):
    process = serializers.SlugField(max_length=60)
    kind = serializers.ChoiceField(choices=SupportKind.choices)
    description = serializers.CharField(max_length=4000)
    amount_requested = amount_field()
    funding = serializers.ChoiceField(
        choices=Funding.choices,
        required=False,
        help_text="How the requester's participation is funded; defaults to what their profile "
        "says (400 when neither says it).",
    )


class GrantSerializer(serializers.Serializer[Any]):
    amount = amount_field()


class DeclineSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000)
