"""The confirmation page of a ballot sent by e-mail: GET shows it, POST counts it (link scanners
only GET, so a prefetched link never casts a ballot)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from consensus.mail_ballots import email_ballot_confirm, email_ballot_from_token
from consensus.models import EmailBallot, EmailBallotState, Position
from web.errors import StateConflict


class EmailBallotConfirmView(View):
    """The signed link is the credential: whoever holds it confirms that person's own ballot."""

    template_name = "consensus/email_ballot.html"

    def _email_ballot(self, token: str) -> EmailBallot:
        email_ballot = email_ballot_from_token(token)
        if email_ballot is None:
            raise Http404
        return email_ballot

    def _render(
        self, request: HttpRequest, email_ballot: EmailBallot, error: str = "", status: int = 200
    ) -> HttpResponse:
        context = {
            "email_ballot": email_ballot,
            "round": email_ballot.round,
            "process": email_ballot.round.process,
            "position_label": Position(email_ballot.position).label,
            "pending": email_ballot.state == EmailBallotState.PENDING and not error,
            "error": error,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self._render(request, self._email_ballot(token))

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        email_ballot = self._email_ballot(token)
        try:
            email_ballot_confirm(actor=email_ballot.user, email_ballot=email_ballot)
        except StateConflict as conflict:
            return self._render(request, email_ballot, str(conflict), status=409)
        except PermissionError as refusal:
            return self._render(request, email_ballot, str(refusal), status=403)
        except ValidationError as invalid:
            return self._render(request, email_ballot, " ".join(invalid.messages), status=400)
        messages.success(request, _("Your ballot counts."))
        return redirect(email_ballot.round.get_absolute_url())
