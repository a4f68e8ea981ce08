"""Profile services: updating a profile and publishing a statement of interest."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from stakeholders import countries
from stakeholders.models import (
    StatementOfInterest,
    User,
)

PROFILE_FIELDS = ("display_name", "country", "languages", "gender", "funding", "attribution")


def profile_update(*, actor: User, **fields: Any) -> User:
    """Update the actor's own profile. Before: fields ⊆ PROFILE_FIELDS. After: saved and valid."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown profile fields: %s") % ", ".join(sorted(unknown)))
    country = fields.get("country")
    if country:
        found = countries.get_country(country)
        if found is None:
            raise ValidationError({"country": _("'%s' is not an ISO 3166 country code.") % country})
        fields["country"] = found.code
    for name, value in fields.items():
        setattr(actor, name, value)
    actor.full_clean(exclude=["password"])
    actor.save(update_fields=list(fields))
    return actor


@transaction.atomic
def statement_of_interest_publish(
    *, actor: User, funding_sources: str, interests: str
) -> StatementOfInterest:
    """Publish a new version of the actor's statement of interest; earlier versions stay public."""
    User.objects.select_for_update().filter(pk=actor.pk).first()
    latest = actor.statements_of_interest.aggregate(latest=Max("version"))["latest"] or 0
    statement = StatementOfInterest(
        user=actor, version=latest + 1, funding_sources=funding_sources, interests=interests
    )
    statement.full_clean()
    statement.save()
    return statement
