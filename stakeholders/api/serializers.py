"""Serializers for stakeholders; they validate input and shape output, services do the writes."""

from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers

from stakeholders import countries, selectors
from stakeholders.models import Affiliation, Funding, Notification, StatementOfInterest, User
from stakeholders.presentation import public_name, sees_identity


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(required=False, allow_blank=True, max_length=12)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The web login's checks, with the same per-account lockout (shared counters: failures
        here count there and the other way round), then the TOTP code where one is set up."""
        request = self.context["request"]._request
        try:
            user = get_account_adapter(request).authenticate(
                request, email=attrs["email"], password=attrs["password"]
            )
        except DjangoValidationError as error:  # too many failed attempts for this account
            raise exceptions.Throttled(detail=" ".join(error.messages)) from error
        if user is None:
            raise serializers.ValidationError(_("Unable to sign in with these credentials."))
        if user.is_suspended:
            raise serializers.ValidationError(_("This account is suspended; it can only read."))
        if not EmailAddress.objects.filter(user=user, verified=True).exists():
            raise serializers.ValidationError(_("Verify your e-mail address first."))
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None:
            code = attrs.get("otp", "")
            if not code:
                raise serializers.ValidationError(
                    {"otp": _("This account uses two-factor authentication: send 'otp'.")}
                )
            if not ratelimit.consume(
                request, action="login_failed", key=f"mfa-auth-user-{user.pk}"
            ):
                refusal = get_account_adapter(request).validation_error("too_many_login_attempts")
                raise exceptions.Throttled(detail=" ".join(refusal.messages))
            if not TOTP(totp).validate_code(code):
                raise serializers.ValidationError({"otp": _("The code is wrong or already used.")})
            ratelimit.clear(request, action="login_failed", key=f"mfa-auth-user-{user.pk}")
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class AffiliationSerializer(serializers.ModelSerializer[Affiliation]):
    """One of the holder's own hats (or, for an admin's verify/reject, anyone's), with whether
    an admin verified it or rejected it, and why."""

    verified = serializers.BooleanField(read_only=True)
    rejected = serializers.BooleanField(read_only=True)
    active = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Affiliation
        fields = [
            "id",
            "organisation",
            "stakeholder_group",
            "role",
            "legitimacy_claim",
            "mandate_url",
            "primary",
            "verified",
            "verified_at",
            "rejected",
            "rejected_at",
            "rejection_reason",
            "started_on",
            "ended_on",
            "active",
            "url",
        ]
        read_only_fields = [
            "verified_at",
            "rejected_at",
            "rejection_reason",
            "started_on",
            "ended_on",
        ]

    def get_url(self, obj: Affiliation) -> str:
        return reverse("stakeholders:hat_edit", args=[obj.pk])


class AffiliationRejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000, help_text="Why the claim cannot be verified.")


class PublicAffiliationSerializer(serializers.ModelSerializer[Affiliation]):
    verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["id", "organisation", "stakeholder_group", "role", "primary", "verified"]


class GroupOnlyAffiliationSerializer(serializers.ModelSerializer[Affiliation]):
    """What the public sees of a group-only stakeholder's hat: its group and whether verified."""

    verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["id", "stakeholder_group", "primary", "verified"]


def _validate_country(value: str) -> str:
    if not value:
        return value
    found = countries.get_country(value)
    if found is None:
        raise serializers.ValidationError(_("'%s' is not an ISO 3166 country code.") % value)
    return found.code


class MeSerializer(serializers.ModelSerializer[User]):
    region = serializers.CharField(read_only=True, allow_null=True)
    developing = serializers.BooleanField(read_only=True, allow_null=True)
    affiliations = serializers.SerializerMethodField()
    languages = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False, max_length=20
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "country",
            "region",
            "developing",
            "languages",
            "gender",
            "funding",
            "attribution",
            "is_facilitator",
            "is_staff",
            "affiliations",
            "url",
        ]
        read_only_fields = ["email", "is_facilitator", "is_staff"]

    def validate_country(self, value: str) -> str:
        return _validate_country(value)

    def validate_funding(self, value: str) -> str:
        """Anyone may say how they are funded; nobody "un-says" it by sending an empty answer
        (it reads empty only until the person first answers)."""
        if not value:
            raise serializers.ValidationError(_("Choose one of: %s.") % ", ".join(Funding.values))
        return value

    def get_affiliations(self, obj: User) -> list[dict[str, Any]]:
        hats = getattr(obj, "active_hats", None) or obj.affiliations.active()
        return AffiliationSerializer(hats, many=True).data  # type: ignore[return-value]

    def get_url(self, obj: User) -> str:
        return reverse("stakeholders:profile", args=[obj.pk])


class StakeholderSerializer(serializers.ModelSerializer[User]):
    """A stakeholder as the requesting viewer may see them (group-only users are not named)."""

    display_name = serializers.SerializerMethodField()
    named = serializers.SerializerMethodField()
    region = serializers.CharField(read_only=True, allow_null=True)
    country = serializers.SerializerMethodField()
    affiliations = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "display_name", "named", "country", "region", "affiliations", "url"]

    def _identified(self, obj: User) -> bool:
        viewer = self.context["request"].user
        return obj.attribution == "named" or sees_identity(viewer, obj)

    def get_named(self, obj: User) -> bool:
        return self._identified(obj)

    def get_display_name(self, obj: User) -> str:
        hat = selectors.primary_hat(obj)
        return public_name(
            obj,
            viewer=self.context["request"].user,
            group=hat.stakeholder_group if hat else None,
        )

    def get_country(self, obj: User) -> str | None:
        return obj.country if self._identified(obj) else None

    def get_affiliations(self, obj: User) -> list[dict[str, Any]]:
        hats = obj.active_hats  # type: ignore[attr-defined]
        serializer = (
            PublicAffiliationSerializer if self._identified(obj) else GroupOnlyAffiliationSerializer
        )
        return serializer(hats, many=True).data  # type: ignore[return-value]

    def get_url(self, obj: User) -> str:
        return reverse("stakeholders:profile", args=[obj.pk])


class StatementOfInterestSerializer(serializers.ModelSerializer[StatementOfInterest]):
    class Meta:
        model = StatementOfInterest
        fields = ["id", "version", "funding_sources", "interests", "created_at"]
        read_only_fields = ["version", "created_at"]


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "deadline", "created_at", "read_at"]
