"""The invitation e-mail: plain text and HTML, in the language the facilitator invited in."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from deliberation.invitations.models import Invitation
from deliberation.invitations.tokens import invitation_path
from stakeholders import mailtext


def inviter_name(invitation: Invitation) -> str:
    """The facilitator's display name, never their e-mail address."""
    return invitation.invited_by.display_name or _("A facilitator")


def invitation_message(invitation: Invitation) -> EmailMultiAlternatives:
    """The e-mail of one invitation (its process and inviter read with it): who invites, to
    which process, on which site, and the link to the invitation's page."""
    spoken = {code for code, _name in settings.LANGUAGES}
    language = invitation.language if invitation.language in spoken else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "inviter": inviter_name(invitation),
            "process": invitation.process,
            "link": settings.SITE_URL + invitation_path(invitation.pk),
            "expires_at": invitation.expires_at,
        }
        # `[Site] …` on one line whatever the title holds (stakeholders.mailtext.subject).
        subject = mailtext.subject(
            _("%(inviter)s invites you to “%(process)s”")
            % {"inviter": context["inviter"], "process": invitation.process.title}
        )
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("deliberation/invitation_email.txt", context),
            to=[invitation.email],
        )
        message.attach_alternative(
            render_to_string("deliberation/invitation_email.html", context), "text/html"
        )
    return message
