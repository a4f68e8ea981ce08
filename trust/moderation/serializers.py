"""API representations of moderation: flags, cases, actions, appeals, signals, the public log."""

from typing import Any

from rest_framework import serializers

from trust.models import (
    ActionKind,
    Appeal,
    AppealDecision,
    Flag,
    FlagTarget,
    ModerationAction,
    ModerationCase,
    Signal,
    SignalRun,
)


class FlagSerializer(serializers.ModelSerializer[Flag]):
    target_type = serializers.ChoiceField(choices=FlagTarget.choices)
    target_id = serializers.IntegerField(min_value=1, max_value=2**62)

    class Meta:
        model = Flag
        fields = ["id", "target_type", "target_id", "reason", "created_at"]
        read_only_fields = ["id", "created_at"]


class AppealSerializer(serializers.ModelSerializer[Appeal]):
    class Meta:
        model = Appeal
        fields = [
            "id",
            "action",
            "text",
            "created_at",
            "decision",
            "decision_reason",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer[ModerationAction]):
    appeal = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ModerationAction
        fields = [
            "id",
            "case",
            "subject",
            "actor",
            "kind",
            "reason",
            "created_at",
            "ends_at",
            "confirmed_by",
            "confirmed_at",
            "revoked_at",
            "appeal",
            "url",
        ]
        read_only_fields = fields

    def get_appeal(self, action: ModerationAction) -> dict[str, Any] | None:
        appeal = getattr(action, "appeal", None)
        return AppealSerializer(appeal).data if appeal is not None else None

    def get_url(self, action: ModerationAction) -> str:
        return action.get_absolute_url()


class CaseSerializer(serializers.ModelSerializer[ModerationCase]):
    flags = serializers.SerializerMethodField()
    actions = ActionSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ModerationCase
        fields = [
            "id",
            "subject",
            "status",
            "reasons",
            "evidence",
            "opened_at",
            "updated_at",
            "closed_at",
            "closing_reason",
            "flags",
            "actions",
            "url",
        ]
        read_only_fields = fields

    def get_flags(self, case: ModerationCase) -> list[dict[str, Any]]:
        return [
            {**FlagSerializer(flag).data, "reporter": flag.reporter_id, "excerpt": flag.excerpt}
            for flag in case.flags.all()
        ]

    def get_url(self, case: ModerationCase) -> str:
        return case.get_absolute_url()


class ActionInSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    reason = serializers.CharField(max_length=4000)
    days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=365)


class ReasonInSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000)


class AppealInSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=4000)


class DecisionInSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=AppealDecision.choices)
    reason = serializers.CharField(max_length=4000)


class SignalSerializer(serializers.ModelSerializer[Signal]):
    class Meta:
        model = Signal
        fields = ["user", "kind", "score", "flagged", "evidence", "computed_at"]
        read_only_fields = fields


class SignalRunSerializer(serializers.ModelSerializer[SignalRun]):
    class Meta:
        model = SignalRun
        fields = [
            "id",
            "started_at",
            "finished_at",
            "trigger",
            "rounds",
            "ballots",
            "flagged",
            "cases_opened",
        ]
        read_only_fields = fields


class LogEntrySerializer(serializers.Serializer[Any]):
    """A public log entry: the subject as they chose to be shown, never a private reason."""

    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    subject = serializers.CharField()
    subject_id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    reason = serializers.CharField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    appeal = serializers.CharField(allow_null=True)
    appeal_reason = serializers.CharField(allow_null=True)


def log_entry(action: ModerationAction, name: str, named: bool) -> dict[str, Any]:
    appeal = getattr(action, "appeal", None)
    decided = appeal is not None and appeal.decided_at is not None
    return {
        "id": action.pk,
        "at": action.created_at,
        "subject": name,
        "subject_id": action.subject_id if named else None,
        "kind": action.kind,
        "reason": None if action.is_private else action.reason,
        "ends_at": action.ends_at,
        "appeal": (appeal.decision if decided else "pending") if appeal else None,
        "appeal_reason": appeal.decision_reason if appeal is not None and decided else None,
    }
