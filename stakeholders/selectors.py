"""Reads about stakeholders, with their related rows fetched up front."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from stakeholders import countries
from stakeholders.models import Affiliation, Notification, StatementOfInterest, User
from web import sql


def _active_hat_filter(prefix: str = "") -> Q:
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(
        **{f"{prefix}ended_on__gt": timezone.localdate()}
    )


def with_active_hats(users: QuerySet[User]) -> QuerySet[User]:
    """Attach `active_hats` (primary first) to every user in one extra query."""
    return users.prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.active()
            .select_related("verified_by")
            .order_by("-primary", "id"),
            to_attr="active_hats",
        )
    )


def stakeholder_directory(
    *, group: str = "", region: str = "", country: str = ""
) -> QuerySet[User]:
    """Active users with an active hat, filtered by stakeholder group, UN region and country."""
    hats = Affiliation.objects.filter(_active_hat_filter())
    if group:
        hats = hats.filter(stakeholder_group=group)
    users = User.objects.filter(is_active=True, pk__in=hats.values("user_id"))
    if region:
        users = users.filter(
            country__in=[c.code for c in countries.all_countries() if c.region == region]
        )
    if country:
        users = users.filter(country=country.upper())
    return with_active_hats(users.order_by("display_name", "id"))


def stakeholder_get(pk: int) -> User | None:
    return with_active_hats(User.objects.filter(pk=pk, is_active=True)).first()


def primary_hat(user: User) -> Affiliation | None:
    """The user's primary active hat (uses `active_hats` when prefetched)."""
    hats = getattr(user, "active_hats", None)
    if hats is None:
        return user.affiliations.active().filter(primary=True).first()
    return next((hat for hat in hats if hat.primary), hats[0] if hats else None)


def own_affiliations(user: User) -> QuerySet[Affiliation]:
    """All of a user's hats, ended ones included, active and primary first."""
    return (
        Affiliation.objects.filter(user=user)
        .select_related("verified_by")
        .order_by("ended_on", "-primary", "id")
    )


def affiliations_to_verify() -> QuerySet[Affiliation]:
    """Active hats no admin has judged yet (a corrected claim comes back here)."""
    return (
        Affiliation.objects.active()
        .filter(verified_at__isnull=True, rejected_at__isnull=True)
        .select_related("user")
        .order_by("id")
    )


def affiliations_rejected() -> QuerySet[Affiliation]:
    """Active hats an admin rejected, waiting for their holders to correct the claim."""
    return (
        Affiliation.objects.active()
        .filter(rejected_at__isnull=False)
        .select_related("user", "rejected_by")
        .order_by("-rejected_at", "-id")
    )


def statements_of_interest(user: User) -> QuerySet[StatementOfInterest]:
    return StatementOfInterest.objects.filter(user=user).order_by("-version")


def inbox(user: User) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first."""
    return Notification.objects.filter(user=user, in_app=True).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    """The navigation badge: kept on the user row by the services, so it costs no query."""
    return user.unread_notifications


_ACTIVE_HATS = """
    SELECT * FROM stakeholders_affiliation
    WHERE user_id = %(user)s AND (ended_on IS NULL OR ended_on > %(today)s)
    ORDER BY "primary" DESC, id
"""


def active_hats(user_id: int) -> list[Affiliation]:
    """The person's active hats, primary first (what `Affiliation.objects.active()` keeps),
    written by hand: every form with a hat to choose reads them."""
    return sql.objects(Affiliation, _ACTIVE_HATS, {"user": user_id, "today": timezone.localdate()})
