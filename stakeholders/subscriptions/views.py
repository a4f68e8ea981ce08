"""Pages: my digests and feeds (and their secret), and the one-click unsubscribe without login."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from stakeholders.access import current_user, standing_exempt
from stakeholders.models import User
from stakeholders.notifications import kind_choices
from stakeholders.subscriptions import services
from stakeholders.subscriptions.models import DigestFrequency


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often should notifications reach you by e-mail?"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
    )
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy(
            "Which kinds go in a digest (none ticked: every kind you get by e-mail)"
        ),
        choices=kind_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def personal_addresses(request: HttpRequest, user: User) -> dict[str, str]:
    """The absolute addresses of the person's own feed and calendar."""
    key = services.feed_token_for(user).key
    return {
        "feed": request.build_absolute_uri(reverse("deliberation:personal_feed", args=[key])),
        "calendar": request.build_absolute_uri(
            reverse("deliberation:personal_calendar", args=[key])
        ),
    }


class FollowingView(LoginRequiredMixin, View):
    """Digest frequency and kinds; the secret addresses of my feed and calendar."""

    template_name = "stakeholders/following.html"

    def _render(self, request: HttpRequest, form: DigestForm, status: int = 200) -> HttpResponse:
        user = current_user(request)
        context = {"form": form, **personal_addresses(request, user)}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        preference = services.digest_preference(current_user(request))
        form = DigestForm(initial={"frequency": preference.frequency, "kinds": preference.kinds})
        return self._render(request, form)

    @standing_exempt
    def post(self, request: HttpRequest) -> HttpResponse:
        user = current_user(request)
        if request.POST.get("action") == "reset":
            services.feed_token_reset(actor=user)
            messages.success(request, _("Your feed and calendar have new addresses."))
            return redirect("stakeholders:digest_settings")
        form = DigestForm(request.POST)
        if form.is_valid():
            try:
                services.digest_preference_save(
                    actor=user,
                    frequency=form.cleaned_data["frequency"],
                    kinds=form.cleaned_data["kinds"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your e-mail choice was saved."))
                return redirect("stakeholders:digest_settings")
        return self._render(request, form, status=400)


@method_decorator(csrf_exempt, name="dispatch")  # the signed token is the credential (RFC 8058)
class UnsubscribeView(View):
    """GET asks to confirm (link scanners must not unsubscribe anyone). POST unsubscribes: a mail
    program's one-click request (`List-Unsubscribe=One-Click`) gets a plain 200; the page's
    button is sent back to the page, which then says it is done."""

    template_name = "stakeholders/unsubscribe.html"

    def _invalid(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"valid": False}, status=400)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        user = services.unsubscribe_user(token)
        if user is None:
            return self._invalid(request)
        done = bool(request.GET.get("done")) and (
            services.digest_preference(user).frequency == DigestFrequency.NEVER
        )
        context: dict[str, Any] = {"valid": True, "done": done, "email": user.email}
        return render(request, self.template_name, context)

    @standing_exempt
    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        user = services.unsubscribe_user(token)
        if user is None:
            return self._invalid(request)
        services.unsubscribe(actor=user)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        return redirect(f"{reverse('stakeholders:unsubscribe', args=[token])}?done=1")
