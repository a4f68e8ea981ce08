"""The digest e-mail (plain text and HTML, in the person's language) and the one-click
unsubscribe headers (RFC 8058) that every notification e-mail carries."""

from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from stakeholders.models import Notification, User
from stakeholders.subscriptions.models import DigestFrequency, DigestPreference


def language_of(user: User) -> str:
    """The first of the person's languages the site speaks, else the site's default."""
    spoken = {code for code, _name in settings.LANGUAGES}
    return next((code for code in user.languages if code in spoken), settings.LANGUAGE_CODE)


def unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("stakeholders:unsubscribe", args=[token])


def unsubscribe_headers(token: str) -> dict[str, str]:
    """`List-Unsubscribe` with the signed link, and `List-Unsubscribe-Post` so that mail
    programs unsubscribe in one click by POSTing to it (RFC 8058), without logging in."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def digest_message(
    preference: DigestPreference,
    notifications: Sequence[Notification],
    token_for: Callable[[User], str],
) -> EmailMultiAlternatives:
    user = preference.user
    token = token_for(user)
    with translation.override(language_of(user)):
        context = {
            "user": user,
            "daily": preference.frequency == DigestFrequency.DAILY,
            "notifications": notifications,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe_url(token),
            "settings_url": settings.SITE_URL + reverse("stakeholders:digest_settings"),
        }
        count = len(notifications)
        subject = (
            ngettext(
                "[Footing] Your daily digest: %(n)d notification",
                "[Footing] Your daily digest: %(n)d notifications",
                count,
            )
            if preference.frequency == DigestFrequency.DAILY
            else ngettext(
                "[Footing] Your weekly digest: %(n)d notification",
                "[Footing] Your weekly digest: %(n)d notifications",
                count,
            )
        ) % {"n": count}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("stakeholders/digest_email.txt", context),
            to=[user.email],
            headers=unsubscribe_headers(token),
        )
        message.attach_alternative(
            render_to_string("stakeholders/digest_email.html", context), "text/html"
        )
    return message
