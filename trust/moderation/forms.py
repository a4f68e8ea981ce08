"""Forms of moderation: report, act on a case, close it, appeal, decide an appeal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trust.models import ActionKind, AppealDecision


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you report it?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Admins read every report. Disagreeing, even strongly, is not a reason: report abuse, "
            "bad faith or fake accounts."
        ),
    )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step of the ladder"), choices=ActionKind.choices)
    days = forms.IntegerField(
        label=_("Duration in days"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("For a restriction (up to 365 days) or a suspension (up to 30 days)."),
    )
    reason = forms.CharField(
        label=_("Written reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person reads it, and so does the public unless the step is private."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Your appeal"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("An admin who took no part in the decision reads it and answers in writing."),
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=AppealDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Written answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
