"""The notification kinds consensus sends: rounds, objections and participation support."""

from django.utils.translation import gettext_lazy as _

from stakeholders.notifications import kind_register

ROUND = kind_register("round", _("Consensus rounds in my processes"), order=50)
OBJECTION = kind_register("objection", _("My objections"), order=60)
SUPPORT = kind_register("support", _("My participation support requests"), order=80)
