"""Role services: granting and removing a site role."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from record.services import audit_append
from stakeholders import notifications as stakeholders_kinds
from stakeholders.models import (
    User,
)
from stakeholders.services.notifications import notification_send

ROLES = ("facilitator", "admin")


@transaction.atomic
def role_set(*, actor: User, user: User, role: str, granted: bool) -> User:
    """Grant or revoke a site-level role; every change goes on the public record."""
    if role not in ROLES:
        raise ValidationError(_("Unknown role: %s") % role)
    field = "is_facilitator" if role == "facilitator" else "is_staff"
    if role == "admin" and not granted and user.pk == actor.pk:
        raise ValidationError(_("You cannot remove your own admin role; ask another admin."))
    if getattr(user, field) == granted:
        return user
    setattr(user, field, granted)
    user.save(update_fields=[field])
    audit_append(
        actor=actor,
        action=f"role.{'grant' if granted else 'revoke'}",
        obj=user,
        process=None,
        people=[user],
        data={"role": role},
    )
    notification_send(
        user=user,
        kind=stakeholders_kinds.ROLE,
        title=(_("You were given the %s role") if granted else _("Your %s role was removed"))
        % role,
        url="/me/profile/",
    )
    return user
