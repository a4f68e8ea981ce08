"""API views for stakeholders."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import ScopedRateThrottle

from stakeholders import countries, selectors, services
from stakeholders.access import current_user, standing_exempt
from stakeholders.api.serializers import (
    AffiliationRejectSerializer,
    AffiliationSerializer,
    MeSerializer,
    NotificationSerializer,
    StakeholderSerializer,
    StatementOfInterestSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from stakeholders.models import (
    Affiliation,
    Notification,
    Region,
    StakeholderGroup,
    StatementOfInterest,
    User,
)
from web.api import RulesPermission, is_schema_generation


class TokenView(generics.GenericAPIView[Any]):
    """Exchange e-mail, password (and the current TOTP code, where set up) for an API token."""

    serializer_class = TokenRequestSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(responses={200: TokenSerializer})
    @standing_exempt  # signing in: the serializer itself refuses a suspended account
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class MeView(generics.RetrieveUpdateAPIView[User]):
    """The signed-in stakeholder's own profile with their active hats."""

    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        return selectors.with_active_hats(
            User.objects.filter(pk=current_user(self.request).pk)
        ).get()

    def perform_update(self, serializer: BaseSerializer[User]) -> None:
        serializer.instance = services.profile_update(
            actor=current_user(self.request),
            **serializer.validated_data,
        )


def _directory_filter_errors(params: Any) -> dict[str, str]:
    errors = {}
    if params.get("group") and params["group"] not in StakeholderGroup.values:
        errors["group"] = _("Unknown stakeholder group '%s'.") % params["group"]
    if params.get("region") and params["region"] not in Region.values:
        errors["region"] = _("Unknown region '%s'.") % params["region"]
    if params.get("country") and countries.get_country(params["country"]) is None:
        errors["country"] = _("'%s' is not an ISO 3166 country code.") % params["country"]
    return errors


@extend_schema(
    parameters=[
        OpenApiParameter("group", enum=StakeholderGroup.values),
        OpenApiParameter("region", enum=Region.values),
        OpenApiParameter("country", description="ISO 3166-1 alpha-2 code"),
    ]
)
class StakeholderViewSet(viewsets.ReadOnlyModelViewSet[User]):
    """The public directory; group-only stakeholders are shown by group and region."""

    serializer_class = StakeholderSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[User]:
        params = self.request.query_params
        if self.action == "list":
            return selectors.stakeholder_directory(
                group=params.get("group", ""),
                region=params.get("region", ""),
                country=params.get("country", ""),
            )
        return selectors.with_active_hats(User.objects.filter(is_active=True))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        errors = _directory_filter_errors(request.query_params)
        if errors:
            return Response({"detail": " ".join(errors.values()), **errors}, status=400)
        return super().list(request, *args, **kwargs)


class AffiliationViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Affiliation],
):
    """The signed-in stakeholder's hats (admins verify anyone's with `verify`, or `reject` them
    with a reason)."""

    serializer_class = AffiliationSerializer
    permission_classes = [IsAuthenticated, RulesPermission]
    permission_rules = {
        "verify": "stakeholders.verify_affiliation",
        "reject": "stakeholders.reject_affiliation",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Affiliation]:
        if is_schema_generation(self):
            return Affiliation.objects.none()
        if self.action in self.permission_rules:
            return Affiliation.objects.select_related("user")
        return selectors.own_affiliations(current_user(self.request))

    def perform_create(self, serializer: BaseSerializer[Affiliation]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.affiliation_add(
            actor=current_user(self.request),
            primary=data.pop("primary", None),
            **data,
        )

    def perform_update(self, serializer: BaseSerializer[Affiliation]) -> None:
        data = dict(serializer.validated_data)
        make_primary = data.pop("primary", None)
        hat = services.affiliation_update(
            actor=current_user(self.request),
            affiliation=serializer.instance,  # type: ignore[arg-type]
            **data,
        )
        if make_primary:
            services.affiliation_make_primary(actor=current_user(self.request), affiliation=hat)
        serializer.instance = hat

    def _answer(self, affiliation: Affiliation) -> Response:
        affiliation.refresh_from_db()
        return Response(self.get_serializer(affiliation).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        hat = self.get_object()
        services.affiliation_end(actor=current_user(request), affiliation=hat)
        return self._answer(hat)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def primary(self, request: Request, pk: str) -> Response:
        hat = self.get_object()
        services.affiliation_make_primary(actor=current_user(request), affiliation=hat)
        return self._answer(hat)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        hat = self.get_object()
        services.affiliation_verify(actor=current_user(request), affiliation=hat)
        return self._answer(hat)

    @extend_schema(request=AffiliationRejectSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        """An admin could not verify the hat: it stays, marked rejected, and its holder is told
        the reason (required); 409 if it is already rejected."""
        hat = self.get_object()
        body = AffiliationRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.affiliation_reject(
            actor=current_user(request), affiliation=hat, reason=body.validated_data["reason"]
        )
        return self._answer(hat)


class StatementOfInterestView(generics.ListCreateAPIView[Any]):
    """GET: every version of my statement of interest, newest first; POST: publish a new version."""

    serializer_class = StatementOfInterestSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Any]:
        if is_schema_generation(self):
            return StatementOfInterest.objects.none()
        return selectors.statements_of_interest(current_user(self.request))

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = services.statement_of_interest_publish(
            actor=current_user(self.request),
            **serializer.validated_data,
        )


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Notification]):
    """My in-app notifications, newest first; `read` marks them read."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Notification]:
        if is_schema_generation(self):
            return Notification.objects.none()
        return selectors.inbox(current_user(self.request))

    @extend_schema(request=None, responses={200: None})
    @action(detail=False, methods=["post"])
    @standing_exempt
    def read(self, request: Request) -> Response:
        count = services.notifications_mark_read(actor=current_user(request))
        return Response({"marked_read": count})
