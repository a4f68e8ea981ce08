"""Every write about stakeholders, one module per entity: profiles, affiliations (hats), roles,
notifications, standing; each a `<entity>_<verb>` service.

This package's public surface is the list below: callers write `from stakeholders import services`
and `services.affiliation_add(...)`, or import a name from `stakeholders.services`."""

from stakeholders.services.affiliations import (
    AFFILIATION_FIELDS,
    affiliation_add,
    affiliation_end,
    affiliation_make_primary,
    affiliation_reject,
    affiliation_update,
    affiliation_verify,
)
from stakeholders.services.notifications import (
    MAIL_BATCH,
    Message,
    notification_mail_send,
    notification_mails_send,
    notification_send,
    notification_settings_save,
    notification_wanted,
    notifications_mark_read,
    notifications_send,
    notify_after_commit,
    pending_notification_mail_ids,
)
from stakeholders.services.profiles import (
    PROFILE_FIELDS,
    profile_update,
    statement_of_interest_publish,
)
from stakeholders.services.roles import ROLES, role_set
from stakeholders.services.standing import (
    MAX_SUSPENSION,
    STANDING_LEVELS,
    standing_restore,
    standing_set,
)

__all__ = [
    "AFFILIATION_FIELDS",
    "MAIL_BATCH",
    "MAX_SUSPENSION",
    "PROFILE_FIELDS",
    "ROLES",
    "STANDING_LEVELS",
    "Message",
    "affiliation_add",
    "affiliation_end",
    "affiliation_make_primary",
    "affiliation_reject",
    "affiliation_update",
    "affiliation_verify",
    "notification_mail_send",
    "notification_mails_send",
    "notification_send",
    "notification_settings_save",
    "notification_wanted",
    "notifications_mark_read",
    "notifications_send",
    "notify_after_commit",
    "pending_notification_mail_ids",
    "profile_update",
    "role_set",
    "standing_restore",
    "standing_set",
    "statement_of_interest_publish",
]
