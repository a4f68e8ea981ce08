"""The notification kinds deliberation sends: replies, mentions and new proposal versions."""

from django.utils.translation import gettext_lazy as _

from stakeholders.notifications import kind_register

REPLY = kind_register("reply", _("Replies to my comments"), order=20)
MENTION = kind_register("mention", _("Mentions of me"), order=30)
NEW_VERSION = kind_register("new_version", _("New proposal versions in my processes"), order=40)
