"""Forms of consensus: rounds, ballots, objection decisions, declarations, statements."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consensus.designation import Designation
from consensus.models import BallotVisibility, Position
from deliberation.forms import hat_field
from deliberation.models import ProposalVersion
from stakeholders.models import User

DESIGNATION_CHOICES = [
    (Designation.FULL_CONSENSUS.value, _("Full consensus")),
    (Designation.CONSENSUS.value, _("Consensus")),
    (Designation.STRONG_SUPPORT.value, _("Strong support but significant opposition")),
    (Designation.DIVERGENCE.value, _("Divergence")),
]
DESIGNATION_LABELS = dict(DESIGNATION_CHOICES)


class RoundForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("Deadline (UTC)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Ballots are accepted until then; the round then closes by itself."),
    )
    ballot_visibility = forms.ChoiceField(
        label=_("Who sees the ballots"), choices=BallotVisibility.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(
            closes_at=(timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0),
            ballot_visibility=BallotVisibility.NAMED,
        )
        super().__init__(*args, **kwargs)


class BallotForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Your position"), choices=Position.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Why (required for an objection)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    proposed_change = forms.CharField(
        label=_("A change that would make it work for you (optional)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["affiliation"] = hat_field(user, label=_("Wearing this hat"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("position") == Position.OBJECT and not data.get("rationale", "").strip():
            self.add_error(
                "rationale", _("An objection needs a rationale: say why you cannot live with it.")
            )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Written reason (public)"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AccommodateForm(ReasonForm):
    def __init__(self, *args: Any, versions: list[ProposalVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.TypedChoiceField(
            label=_("The version that accommodates it"),
            choices=[(v.pk, _("Version %d") % v.number) for v in versions],
            coerce=int,
        )


class CarriedAnswerForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label=_("Does the new text resolve your objection?"),
        choices=[("1", _("Yes, it resolves it")), ("0", _("No, my objection stands"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class DeclareForm(forms.Form):
    designation = forms.ChoiceField(
        label=_("Designation you declare"), choices=DESIGNATION_CHOICES, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale (required when it differs from the computed designation)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    over_open_objections = forms.BooleanField(
        label=_("Declare although these objections are still open"),
        required=False,
        help_text=_(
            "Leave this unticked to answer them first. Ticked, the declaration records that you "
            "declared over them."
        ),
    )

    def __init__(self, *args: Any, open_objections: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not open_objections:
            del self.fields["over_open_objections"]


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("New deadline (UTC)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Later than the current one; participants are told."),
    )


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Your text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ExcludeForm(ReasonForm):
    user = forms.IntegerField(widget=forms.HiddenInput)
