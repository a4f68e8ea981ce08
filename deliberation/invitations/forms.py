"""The facilitator's invite form: addresses one a line or separated by commas, each checked."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from deliberation.invitations.services import (
    LIFETIME,
    MAX_BATCH,
    clean_addresses,
    split_addresses,
)


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=gettext_lazy("E-mail addresses"),
        # Room for MAX_BATCH long addresses and their separators; more is refused unparsed.
        max_length=MAX_BATCH * 330,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "ltr", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["emails"].help_text = _(
            "One address a line, or separated by commas; at most %(max)d at a time. Each receives "
            "an e-mail with a link to join this process, valid for %(days)s."
        ) % {
            "max": MAX_BATCH,
            "days": ngettext("%(n)d day", "%(n)d days", LIFETIME.days) % {"n": LIFETIME.days},
        }

    def clean_emails(self) -> list[str]:
        return clean_addresses(split_addresses(self.cleaned_data["emails"]))
