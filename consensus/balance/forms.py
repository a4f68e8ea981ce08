"""Forms of participation support: asking for it, granting it, declining it."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from consensus.models import SupportKind
from stakeholders.forms import funding_field


def amount_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
    )


class SupportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of support"), choices=SupportKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What you need, and why"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you and the process's facilitators read this."),
    )
    amount_requested = amount_field(
        _("Amount requested"),
        _("Zero if you need no money, e.g. for an accessibility arrangement."),
    )
    # Asked with every request (it weighs in the queue: docs/design.md §4); ticked in advance only
    # with what the person said on their profile, never by default.
    funding = funding_field()


class GrantForm(forms.Form):
    amount = amount_field(_("Amount to grant"))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The requester reads it."),
    )
