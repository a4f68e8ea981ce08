"""GET /api/v1/audit/?after=<seq>: the chain in order, each event as much as the reader may see;
GET /api/v1/audit/head/: the chain head, to save as a witness."""

from collections.abc import Sequence
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from record.chain import witness
from record.disclosure import Shown, disclose, shown_fields
from record.models import AuditEvent
from record.selectors import audit_events_after, audit_head


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    """An event the reader may not see in full keeps seq, time and hashes (so the chain stays
    visibly unbroken); `shown` in the context says how much of each event the reader sees."""

    public = serializers.BooleanField(help_text="False when the event is withheld from you.")

    class Meta:
        model = AuditEvent
        fields = ["seq", "at", "actor", "action", "object", "data", "public", "prev_hash", "hash"]

    def to_representation(self, instance: AuditEvent) -> dict[str, Any]:
        shown = self.context.get("shown", {}).get(instance.seq, Shown.WITHHELD)
        return super().to_representation(
            AuditEvent(**{**shown_fields(instance, shown), "public": shown is not Shown.WITHHELD})
        )


class ChainHeadSerializer(serializers.Serializer[Any]):
    seq = serializers.IntegerField()
    hash = serializers.CharField()
    at = serializers.DateTimeField()
    witness = serializers.CharField(
        help_text="HASH@SEQ: keep it, and `manage.py verify_audit --against` it later."
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("after", int, description="Only events after this seq")]
    )
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet[AuditEvent]):
    serializer_class = AuditEventSerializer
    filter_backends: list[Any] = []
    lookup_field = "seq"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> Any:
        after = self.request.query_params.get("after", "0")
        if not after.isdigit():
            raise ValidationError({"after": "Must be a non-negative integer sequence number."})
        return audit_events_after(int(after))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # the API always paginates
        serializer = self.get_serializer(page, many=True, context=self._shown(page))
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.get_object()
        return Response(self.get_serializer(event, context=self._shown([event])).data)

    def _shown(self, events: Sequence[AuditEvent]) -> dict[str, Any]:
        return {**self.get_serializer_context(), "shown": disclose(self.request.user, events)}

    @extend_schema(responses=ChainHeadSerializer)
    @action(detail=False, methods=["get"])
    def head(self, request: Request) -> Response:
        """The chain head: its sequence number and hash (the whole chain's fingerprint)."""
        head = audit_head()
        if head is None:
            raise Http404("The record is empty.")
        return Response(
            ChainHeadSerializer(
                {
                    "seq": head.seq,
                    "hash": head.hash,
                    "at": head.at,
                    "witness": witness(head.seq, head.hash),
                }
            ).data
        )
