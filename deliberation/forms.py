"""Forms of deliberation: processes, joining, issues, comments, proposals, glossary, resources."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from deliberation.models import (
    GlossaryTerm,
    Issue,
    IssueStatus,
    Process,
    ResourceKind,
)
from stakeholders.models import Affiliation, Attribution, Region, StakeholderGroup, User
from stakeholders.presentation import public_face
from stakeholders.selectors import active_hats

GLOSSARY_LANGUAGES = (
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
)


class ProcessForm(forms.ModelForm[Process]):
    expected_groups = forms.MultipleChoiceField(
        label=_("Stakeholder groups expected to take part"),
        choices=StakeholderGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slug = self.fields["slug"]
        slug.required = False
        slug.help_text = _("Leave empty to derive it from the title. It cannot change later.")
        slug.disabled = editing
        # Optional on the form: most processes have no support budget, and forms written before
        # it existed still submit.
        self.fields["support_budget"].required = False

    def clean_support_budget(self) -> Decimal:
        value = self.cleaned_data.get("support_budget")
        return Decimal(0) if value is None else value

    class Meta:
        model = Process
        fields = [
            "title",
            "slug",
            "description",
            "expected_groups",
            "visibility",
            "status",
            "quorum_per_group",
            "group_support_min",
            "minority_max_share",
            "strong_support_mean",
            "challenge_days",
            "support_budget",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "group_support_min": _("Consensus needs every group's smoothed support at least this."),
            "minority_max_share": _("Consensus allows at most this share of objections."),
            "strong_support_mean": _(
                "'Strong support' needs the groups' mean support at least this."
            ),
        }


class _HatsOnce(ModelChoiceIterator):
    """The field's hats, read from the database once per form however often the widget walks
    them (rendering, the `required` attribute, the first option)."""

    field: "OwnHatField"

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for hat in self.field.hats():
            yield self.choice(hat)

    def __len__(self) -> int:
        return len(self.field.hats()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.hats())


class OwnHatField(forms.ModelChoiceField[Affiliation]):
    """A choice among the user's own active hats."""

    iterator = _HatsOnce

    owner_id: int

    def hats(self) -> list[Affiliation]:
        """The choices: the owner's active hats (the queryset, which validates a posted choice,
        keeps the same ones), read once."""
        if getattr(self, "_hats", None) is None:
            self._hats = active_hats(self.owner_id)
        return self._hats

    def label_from_instance(self, obj: Affiliation) -> str:
        return f"{obj.organisation} — {obj.get_stakeholder_group_display()}"


def hat_field(user: User, *, label: StrOrPromise, required: bool = True) -> OwnHatField:
    field = OwnHatField(
        label=label,
        queryset=Affiliation.objects.active().filter(user=user).order_by("-primary", "id"),
        empty_label=None,
        required=required,
    )
    field.owner_id = user.pk
    return field


class JoinForm(forms.Form):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["affiliation"] = hat_field(user, label=_("Take part wearing this hat"))


class IssueForm(forms.ModelForm[Issue]):
    class Meta:
        model = Issue
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"body": _("Frame the question for everyone. Markdown is allowed.")}


class IssueStatusForm(forms.Form):
    status = forms.ChoiceField(choices=IssueStatus.choices)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Markdown is allowed: **bold**, *italic*, lists, links. To mention someone, link to "
            "their profile page: they are told. Comments are public: never write e-mail addresses."
        ),
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attribution = forms.ChoiceField(
        label=_("How to show this comment publicly"),
        choices=Attribution.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("attribution", user.attribution)
        super().__init__(*args, **kwargs)
        hats = hat_field(user, label=_("Speaking wearing this hat"))
        self.fields["affiliation"] = hats
        self.fields["attribution"].help_text = _group_only_face(user, hats.hats())


def _group_only_face(user: User, hats: list[Affiliation]) -> StrOrPromise:
    """What the public sees of a group-only comment by `user`, for each group they can speak
    for: the very words of the public page (stakeholders.presentation.public_face)."""
    faces = list(
        dict.fromkeys(
            public_face(user, group=hat.stakeholder_group, attribution=Attribution.GROUP_ONLY)
            for hat in hats
        )
    )
    if not faces:
        return ""
    if user.attribution == Attribution.GROUP_ONLY:
        if len(faces) == 1:
            return _("The public sees this as: %(face)s.") % {"face": faces[0]}
        return _("The public sees this as: %(faces)s (by the hat you wear).") % {
            "faces": "; ".join(faces)
        }
    choice = Attribution.GROUP_ONLY.label
    if len(faces) == 1:
        return _("If you choose “%(choice)s”, the public sees this as: %(face)s.") % {
            "choice": choice,
            "face": faces[0],
        }
    return _(
        "If you choose “%(choice)s”, the public sees this as: %(faces)s (by the hat you wear)."
    ) % {"choice": choice, "faces": "; ".join(faces)}


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Proposed text"), max_length=100000, widget=forms.Textarea(attrs={"rows": 12})
    )
    plain_summary = forms.CharField(
        label=_("Plain-language summary"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say in a few plain sentences what this proposal would do."),
    )


class VersionForm(forms.Form):
    text = forms.CharField(
        label=_("New text"), max_length=100000, widget=forms.Textarea(attrs={"rows": 12})
    )
    change_summary = forms.CharField(
        label=_("What changed, and why"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    plain_summary = forms.CharField(
        label=_("Plain-language summary"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DiffForm(forms.Form):
    old = forms.IntegerField(label=_("Compare version"), min_value=1)
    new = forms.IntegerField(label=_("with version"), min_value=1)


class GlossaryTermForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=80)
    aliases = forms.CharField(
        label=_("Other names"),
        max_length=800,
        required=False,
        help_text=_("Separated by commas, e.g. abbreviations and plurals."),
    )

    def __init__(self, *args: Any, instance: GlossaryTerm | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "term": instance.term,
                    "aliases": ", ".join(instance.aliases),
                    **{
                        f"definition_{code}": instance.definitions.get(code, "")
                        for code, _l in GLOSSARY_LANGUAGES
                    },
                },
            )
        super().__init__(*args, **kwargs)
        for code, name in GLOSSARY_LANGUAGES:
            self.fields[f"definition_{code}"] = forms.CharField(
                label=_("Plain-language definition (%s)") % name,
                max_length=2000,
                required=code == "en",
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def definitions(self) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"definition_{code}", "") for code, _l in GLOSSARY_LANGUAGES
        }

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.cleaned_data.get("aliases", "").split(",") if a.strip()]


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https")
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.CharField(
        label=_("Languages (codes, comma-separated)"), max_length=100, required=False
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions (none: global)"),
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.CharField(label=_("Topics (comma-separated)"), max_length=300, required=False)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("languages", "topics"):
            data[name] = [v.strip() for v in data[name].split(",") if v.strip()]
        return data


class ResourceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ResourceKind.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[
            ("", _("Any language")),
            ("en", "English"),
            ("fr", "Français"),
            ("es", "Español"),
            ("ar", "العربية"),
        ],
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any region")), *Region.choices]
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args: Any, topics: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any topic")), *((t, t) for t in topics)]  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search issues, comments and proposals"), max_length=200, required=False
    )
