"""API: my feed and calendar addresses (and resetting their secret), my digest choice."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from stakeholders.access import current_user, standing_exempt
from stakeholders.subscriptions import services
from stakeholders.subscriptions.models import DigestFrequency
from stakeholders.subscriptions.views import personal_addresses


class FeedsSerializer(serializers.Serializer[Any]):
    feed = serializers.URLField(read_only=True)
    calendar = serializers.URLField(read_only=True)


class DigestSerializer(serializers.Serializer[Any]):
    frequency = serializers.ChoiceField(choices=DigestFrequency.choices)
    kinds = serializers.ListField(
        child=serializers.CharField(max_length=20),  # checked against the registered kinds
        required=False,
        default=list,
    )


class MyFeedsView(APIView):
    """GET: the secret addresses of my Atom feed and calendar. POST: new addresses (the old
    ones answer 404 from then on)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FeedsSerializer)
    def get(self, request: Request) -> Response:
        return Response(personal_addresses(request, current_user(request)))

    @extend_schema(request=None, responses=FeedsSerializer)
    @standing_exempt
    def post(self, request: Request) -> Response:
        services.feed_token_reset(actor=current_user(request))
        return Response(personal_addresses(request, current_user(request)))


class MyDigestView(APIView):
    """How my notifications reach me by e-mail: immediate, daily, weekly or never, and which
    kinds (empty: every kind)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DigestSerializer)
    def get(self, request: Request) -> Response:
        preference = services.digest_preference(current_user(request))
        return Response({"frequency": preference.frequency, "kinds": preference.kinds})

    @extend_schema(request=DigestSerializer, responses=DigestSerializer)
    @standing_exempt
    def put(self, request: Request) -> Response:
        body = DigestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        preference = services.digest_preference_save(
            actor=current_user(request),
            frequency=body.validated_data["frequency"],
            kinds=body.validated_data["kinds"],
        )
        return Response({"frequency": preference.frequency, "kinds": preference.kinds})
