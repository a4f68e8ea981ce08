"""GET /api/v1/audit/?after=<seq>: the chain in order, private events redacted but still linked."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from record.models import AuditEvent
from record.selectors import audit_events_after


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    """A private event keeps seq, time and hashes (so the chain stays visibly unbroken)."""

    class Meta:
        model = AuditEvent
        fields = ["seq", "at", "actor", "action", "object", "data", "public", "prev_hash", "hash"]

    def to_representation(self, instance: AuditEvent) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not instance.public:
            data.update(actor=None, action="redacted", object="", data=None)
        return data


@extend_schema(
    parameters=[OpenApiParameter("after", int, description="Only events after this seq")]
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet[AuditEvent]):
    serializer_class = AuditEventSerializer
    filter_backends: list[Any] = []
    lookup_field = "seq"

    def get_queryset(self) -> Any:
        after = self.request.query_params.get("after", "0")
        if not after.isdigit():
            raise ValidationError({"after": "Must be a non-negative integer sequence number."})
        return audit_events_after(int(after))
