"""Serializers for trust; they validate input and shape output, services do the writes."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deliberation.models import Process
from stakeholders.models import User
from trust.models import Attestation, Commitment, Endorsement, TrustComputation, Verdict
from trust.presentation import shown_name
from trust.selectors import visible_processes


class TrustSerializer(serializers.Serializer[Any]):
    """A user's latest trust; every figure is null (and `components` empty) until first computed."""

    user = serializers.IntegerField()
    endorsement_trust = serializers.FloatField(
        allow_null=True, help_text="EigenTrust share; all users' shares sum to 1."
    )
    percentile = serializers.FloatField(allow_null=True, help_text="0 (least) to 100 (most).")
    commitment_record = serializers.FloatField(
        allow_null=True, help_text="(Σ w·value + 1) / (Σ w + 2), between 0 and 1."
    )
    components = serializers.DictField(
        help_text=(
            "Every figure behind the score by section: `endorsement` (trust, relative, "
            "percentile, endorsed_by, endorses, pretrusted), `commitments` (record, made, due, "
            "attestations, kept, partly, broken, weight), `tenure` (processes, days)."
        )
    )
    computed_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(help_text="The trust page, which explains every figure.")


class EndorsementSerializer(serializers.ModelSerializer[Endorsement]):
    """`{id, from, to, note, created_at, withdrawn_at}`; `from` is always the signed-in user."""

    to = serializers.PrimaryKeyRelatedField(
        source="to_user", queryset=User.objects.filter(is_active=True)
    )

    class Meta:
        model = Endorsement
        fields = ["id", "to", "note", "created_at", "withdrawn_at"]
        read_only_fields = ["created_at", "withdrawn_at"]

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # `from` is a Python keyword, so it cannot be declared as a class attribute.
        fields = super().get_fields()
        return {
            "id": fields.pop("id"),
            "from": serializers.IntegerField(source="from_user_id", read_only=True),
            **fields,
        }


class AttestationCountsSerializer(serializers.Serializer[Any]):
    kept = serializers.IntegerField()
    partly = serializers.IntegerField()
    broken = serializers.IntegerField()


class CommitmentSerializer(serializers.ModelSerializer[Commitment]):
    author = serializers.IntegerField(source="author_id", read_only=True)
    author_name = serializers.SerializerMethodField()
    due = serializers.DateField(source="due_on", help_text="YYYY-MM-DD; today or later.")
    process = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Process.objects.none(),
        required=False,
        allow_null=True,
        help_text="Slug of a process you take part in (optional).",
    )
    is_due = serializers.SerializerMethodField()
    attestations = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "author",
            "author_name",
            "text",
            "due",
            "process",
            "created_at",
            "is_due",
            "attestations",
            "url",
        ]
        read_only_fields = ["created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["process"].queryset = visible_processes(request.user)  # type: ignore[attr-defined]

    def validate_due(self, value: Any) -> Any:
        if value < timezone.localdate():
            raise serializers.ValidationError(_("A new commitment cannot be due in the past."))
        return value

    def get_author_name(self, obj: Commitment) -> str:
        return shown_name(obj.author, self.context["request"].user)

    def get_is_due(self, obj: Commitment) -> bool:
        return obj.is_due()

    @extend_schema_field(AttestationCountsSerializer)
    def get_attestations(self, obj: Commitment) -> dict[str, int]:
        return {name: getattr(obj, name, 0) for name in ("kept", "partly", "broken")}

    def get_url(self, obj: Commitment) -> str:
        return obj.get_absolute_url()


class AttestationSerializer(serializers.ModelSerializer[Attestation]):
    commitment = serializers.IntegerField(source="commitment_id", read_only=True)
    attester = serializers.IntegerField(source="attester_id", read_only=True)
    attester_name = serializers.SerializerMethodField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attestation
        fields = [
            "id",
            "commitment",
            "attester",
            "attester_name",
            "verdict",
            "evidence",
            "created_at",
            "reply",
            "replied_at",
            "url",
        ]
        read_only_fields = ["created_at", "reply", "replied_at"]

    def get_attester_name(self, obj: Attestation) -> str:
        return shown_name(obj.attester, self.context["request"].user)

    def get_url(self, obj: Attestation) -> str:
        return f"{reverse('trust:commitment', args=[obj.commitment_id])}#attestation-{obj.pk}"


class ReplySerializer(serializers.Serializer[Any]):
    reply = serializers.CharField(max_length=4000)


class TrustComputationSerializer(serializers.ModelSerializer[TrustComputation]):
    class Meta:
        model = TrustComputation
        fields = [
            "id",
            "started_at",
            "finished_at",
            "trigger",
            "users",
            "endorsements",
            "pretrusted",
            "attestations",
            "alpha",
            "iterations",
            "delta",
            "converged",
        ]
