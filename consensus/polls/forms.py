"""Forms of statement polls: open a poll, write a statement, vote, moderate, import."""

import io
import zipfile
from pathlib import PurePosixPath

from django import forms
from django.utils.translation import gettext_lazy as _

from consensus.polls import polis
from consensus.polls.models import PollAttribution

IMPORT_MAX_BYTES = 50 * 1024 * 1024


class PollForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    seeds = forms.CharField(
        label=_("Seed statements"),
        help_text=_("One statement a line; voters see them at once."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    attribution = forms.ChoiceField(
        label=_("Statement authors are shown"),
        choices=PollAttribution.choices,
        initial=PollAttribution.NAMED,
    )

    def seed_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["seeds"].splitlines() if line.strip()]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One short idea others can agree or disagree with."),
    )


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    vote = forms.TypedChoiceField(
        choices=[(1, _("Agree")), (-1, _("Disagree")), (0, _("Pass"))], coerce=int
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=4000)


class ImportForm(forms.Form):
    export = forms.FileField(
        label=_("Pol.is export (.zip)"),
        help_text=_(
            "A zip of comments.csv, votes.csv, and summary.csv and participants-votes.csv."
        ),
    )

    def clean_export(self) -> dict[str, str]:
        upload = self.cleaned_data["export"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        try:
            archive = zipfile.ZipFile(io.BytesIO(upload.read()))
            files = {}
            for info in archive.infolist():
                name = PurePosixPath(info.filename).name
                if name in (*polis.REQUIRED, *polis.OPTIONAL) and not info.is_dir():
                    if info.file_size > IMPORT_MAX_BYTES:
                        raise forms.ValidationError(_("The file is larger than 50 MB."))
                    files[name] = archive.read(info).decode("utf-8")
        except (zipfile.BadZipFile, UnicodeDecodeError) as error:
            raise forms.ValidationError(_("Not a zip of UTF-8 CSV files: %s") % error) from None
        return files
