"""The notification kinds trust sends: commitments to attest and moderation decisions."""

from django.utils.translation import gettext_lazy as _

from stakeholders.notifications import kind_register

COMMITMENT = kind_register("commitment", _("Commitments to attest"), order=70)
MODERATION = kind_register("moderation", _("Moderation decisions about me"), order=90)
