"""Forms for the profile, hats, statements of interest and notification settings."""

from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from stakeholders.country_names import country_choices
from stakeholders.models import Affiliation, Funding, Region, StakeholderGroup, User
from stakeholders.notifications import kind_choices, kind_values


def _country_choices() -> list[tuple[str, StrOrPromise]]:
    return [("", _("— choose —")), *country_choices()]


def _language_choices() -> list[tuple[str, str]]:
    named = {
        code: info["name"]
        for code, info in LANG_INFO.items()
        if "name" in info and "-" not in code and len(code) == 2
    }
    return sorted(named.items(), key=lambda item: item[1])


def funding_field() -> forms.ChoiceField:
    """How the person's participation is funded: one of the four, chosen by the person — no
    option is ticked in advance (a default would put everyone who skipped it in one category)."""
    return forms.ChoiceField(
        label=_("How is your participation funded?"),
        choices=Funding.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Counted only in aggregate, to see whether unfunded and sponsored voices are heard."
        ),
        error_messages={
            "required": _("Choose how your participation is funded (one of the four answers).")
        },
    )


class ProfileForm(forms.ModelForm[User]):
    funding = funding_field()
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages you can take part in"),
        choices=_language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every language you can read and write in."),
    )

    class Meta:
        model = User
        fields = ["display_name", "country", "languages", "gender", "funding", "attribution"]
        widgets = {"attribution": forms.RadioSelect}


class AffiliationForm(forms.ModelForm[Affiliation]):
    mandate_url = forms.URLField(
        label=_("Charter or mandate link"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Affiliation
        fields = ["organisation", "stakeholder_group", "role", "legitimacy_claim", "mandate_url"]


class RejectHatForm(forms.Form):
    """An admin's reason for not verifying a hat; its holder reads it."""

    reason = forms.CharField(
        label=_("Why it cannot be verified"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The holder reads this, and can correct the claim."),
        error_messages={"required": _("Say why the hat cannot be verified: its holder reads it.")},
    )


class StatementOfInterestForm(forms.Form):
    funding_sources = forms.CharField(
        label=_("Who funds my participation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Public, even if you chose group-only attribution."),
    )
    interests = forms.CharField(
        label=_("My interests in the outcome"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class NotificationSettingsForm(forms.Form):
    """Two checkboxes per notification kind: in-app and e-mail."""

    def __init__(self, *args: Any, current: dict[str, tuple[bool, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in kind_choices():
            in_app, email = current.get(kind, (True, True))
            self.fields[f"{kind}__in_app"] = forms.BooleanField(
                label=_("%s — in Footing") % label, required=False, initial=in_app
            )
            self.fields[f"{kind}__email"] = forms.BooleanField(
                label=_("%s — by e-mail") % label, required=False, initial=email
            )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            kind: (self.cleaned_data[f"{kind}__in_app"], self.cleaned_data[f"{kind}__email"])
            for kind in kind_values()
        }


class DirectoryFilterForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Stakeholder group"),
        required=False,
        choices=[("", _("All groups")), *StakeholderGroup.choices],
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("All regions")), *Region.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False, choices=_country_choices)
