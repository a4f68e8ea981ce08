"""Users, affiliations ("hats"), statements of interest and notifications."""

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders import countries
from stakeholders.notifications import kind_choices
from stakeholders.validators import single_line


class StakeholderGroup(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    TECHNICAL_COMMUNITY = "technical_community", _("Technical community")
    ACADEMIA = "academia", _("Academia")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    ASIA_PACIFIC = "asia_pacific", _("Asia-Pacific")
    EASTERN_EUROPE = "eastern_europe", _("Eastern Europe")
    LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean", _("Latin America and the Caribbean")
    WESTERN_EUROPE_OTHERS = "western_europe_others", _("Western Europe and others")


class Funding(models.TextChoices):
    SELF_FUNDED = "self_funded", _("Self-funded")
    EMPLOYER_FUNDED = "employer_funded", _("Funded by my employer")
    SPONSORED = "sponsored", _("Sponsored")
    UNFUNDED = "unfunded", _("Unfunded")


class Attribution(models.TextChoices):
    NAMED = "named", _("Show my name")
    GROUP_ONLY = "group_only", _("Show only my stakeholder group and region")


class UserManager(BaseUserManager["User"]):
    """Users are identified by e-mail; there is no username."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person taking part: identified by e-mail, described by country, languages and hats."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=120, blank=True, validators=[single_line]
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("Where you are based; it places you in a UN regional group."),
    )
    languages = ArrayField(
        models.CharField(max_length=8), default=list, blank=True, verbose_name=_("languages")
    )
    gender = models.CharField(
        _("gender (optional, self-described)"),
        max_length=60,
        blank=True,
        help_text=_("Only ever shown in aggregate, and only where at least 5 people share it."),
    )
    # Empty until the person says: a default would count everyone who never answered as
    # self-funded in every balance (docs/design.md §4).
    funding = models.CharField(
        _("participation funding"),
        max_length=20,
        choices=Funding.choices,
        blank=True,
        default="",
    )
    attribution = models.CharField(
        _("public attribution"),
        max_length=12,
        choices=Attribution.choices,
        default=Attribution.NAMED,
        help_text=_(
            "With 'group only', the public sees e.g. 'a civil society participant from Africa'; "
            "facilitators and admins still see who you are."
        ),
    )
    is_facilitator = models.BooleanField(
        _("facilitator right"),
        default=False,
        help_text=_("May create processes and facilitate them."),
    )
    # Standing, set only by moderation (docs/design.md §6) and read by everything that lets a user
    # act.
    # Kept on the user row so that checking it costs no query.
    restricted_until = models.DateTimeField(null=True, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    banned_at = models.DateTimeField(null=True, blank=True)
    # Sessions signed in before this moment end at their next request (set on suspension or ban);
    # the user may sign in again to read and to appeal.
    sessions_ended_at = models.DateTimeField(null=True, blank=True)
    # The navigation badge: how many in-app notifications are unread, kept by the services that
    # create and read notifications (stakeholders.services), so that no page counts them.
    unread_notifications = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["display_name", "id"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(funding__in=[*Funding.values, ""]), name="user_funding_valid"
            ),
            models.CheckConstraint(
                condition=Q(attribution__in=Attribution.values), name="user_attribution_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_suspended(self) -> bool:
        """Banned, or suspended until a time still to come: may read, may not act."""
        return self.banned_at is not None or (
            self.suspended_until is not None and self.suspended_until > timezone.now()
        )

    @property
    def is_restricted(self) -> bool:
        """Restricted: their objections need a facilitator's acknowledgement before they count."""
        return self.restricted_until is not None and self.restricted_until > timezone.now()

    @property
    def region(self) -> str | None:
        return countries.region_of(self.country) if self.country else None

    @property
    def developing(self) -> bool | None:
        return countries.is_developing(self.country) if self.country else None


class AffiliationQuerySet(models.QuerySet["Affiliation"]):
    def active(self) -> "AffiliationQuerySet":
        today = timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))


class Affiliation(models.Model):
    """A hat: the organisation and stakeholder group a person speaks for, and on what mandate."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="affiliations"
    )
    organisation = models.CharField(_("organisation"), max_length=200, validators=[single_line])
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=24, choices=StakeholderGroup.choices
    )
    role = models.CharField(_("role"), max_length=120, blank=True, validators=[single_line])
    legitimacy_claim = models.CharField(
        _("speaks for"),
        max_length=300,
        blank=True,
        validators=[single_line],
        help_text=_("Whom you speak for in this role, e.g. 'the members of our association'."),
    )
    mandate_url = models.URLField(_("charter or mandate link"), blank=True)
    primary = models.BooleanField(_("primary affiliation"), default=False)
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # An admin could not verify the claim: the hat stays (and may be worn), shown to its holder
    # as rejected with the reason, until they correct the claim (which clears both states).
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    # A database default too: rows written in SQL (imports, the benchmarks' data) name no reason.
    rejection_reason = models.TextField(
        _("reason for rejecting"), blank=True, max_length=2000, default="", db_default=""
    )

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        ordering = ["-primary", "organisation", "id"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(primary=True), name="one_primary_affiliation"
            ),
            models.CheckConstraint(
                condition=Q(stakeholder_group__in=StakeholderGroup.values),
                name="affiliation_group_valid",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="affiliation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(rejected_at__isnull=True),
                name="affiliation_not_verified_and_rejected",
            ),
            models.CheckConstraint(
                condition=Q(rejected_at__isnull=True) | ~Q(rejection_reason=""),
                name="affiliation_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_stakeholder_group_display()})"

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    @property
    def rejected(self) -> bool:
        return self.rejected_at is not None

    @property
    def active(self) -> bool:
        return self.ended_on is None or self.ended_on > timezone.localdate()


class StatementOfInterest(models.Model):
    """A public, versioned declaration of who funds a person's participation and their interests."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="statements_of_interest"
    )
    version = models.PositiveIntegerField()
    funding_sources = models.TextField(_("who funds my participation"), max_length=4000)
    interests = models.TextField(_("my interests in the outcome"), max_length=8000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "-version"]
        verbose_name = _("statement of interest")
        verbose_name_plural = _("statements of interest")
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_soi_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.user} v{self.version}"


class Notification(models.Model):
    """One message in a user's inbox; e-mailed too when the user wants that kind by e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=kind_choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # The deadline the message is about (a round's closing), written out in each reader's
    # language and with its time zone wherever the message is shown or e-mailed.
    deadline = models.DateTimeField(null=True, blank=True)
    in_app = models.BooleanField(default=True)
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(email_wanted=True, emailed_at__isnull=True),
                name="notification_mail_pending",
            ),
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationSetting(models.Model):
    """A user's choice for one kind of notification; no row means in-app and e-mail both on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    kind = models.CharField(max_length=20, choices=kind_choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_setting_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"


# The subscription models live beside their code; importing them here registers them.
from stakeholders.inbound.models import InboundMessage, MailPreference, ReplyKey  # noqa: E402, F401  (docs/design.md §2.6)
from stakeholders.subscriptions.models import DigestPreference, FeedToken  # noqa: E402, F401
