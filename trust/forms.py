"""Forms for endorsing, making and attesting commitments, and replying to an attestation."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models import Process
from stakeholders.models import User
from trust.models import Attestation, Endorsement, Verdict


def processes_of(user: User) -> QuerySet[Process]:
    """The open processes `user` takes part in or facilitates: where they may make a commitment."""
    return (
        Process.objects.active()
        .filter(Q(participations__user=user) | Q(facilitators=user))
        .distinct()
        .order_by("title")
    )


class EndorsementForm(forms.ModelForm[Endorsement]):
    class Meta:
        model = Endorsement
        fields = ["note"]
        widgets = {"note": forms.TextInput()}
        help_texts = {"note": _("Why you trust them, in a sentence (public).")}


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label=_("What you commit to"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('Say what others can check, e.g. "We will publish our draft report by June".'),
    )
    due_on = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("From this day on, others are asked whether you kept it."),
    )
    process = forms.ModelChoiceField(
        label=_("Process (optional)"),
        queryset=Process.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("— none —"),
        help_text=_("Its participants will be asked to attest."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes_of(user)  # type: ignore[attr-defined]

    def clean_due_on(self) -> date:
        due_on: date = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("A new commitment cannot be due in the past."))
        return due_on


class AttestationForm(forms.ModelForm[Attestation]):
    verdict = forms.ChoiceField(
        label=_("Was it kept?"), choices=Verdict.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Attestation
        fields = ["verdict", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 4})}


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
