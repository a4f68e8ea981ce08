"""The inbound webhook (a hosted service POSTs raw RFC 822 with our secret); e-mail settings."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from stakeholders.access import RuleRequiredMixin, current_user, posted_pk, standing_exempt
from stakeholders.inbound.models import InboundMessage, InboundSource, InboundStatus, MailPreference
from stakeholders.inbound.services import (
    inbound_process,
    inbound_store,
    mail_preference_save,
    reply_keys_revoke,
)


def _secret(request: HttpRequest) -> str:
    given = request.headers.get("X-Inbound-Secret", "")
    if not given and request.headers.get("Authorization", "").startswith("Bearer "):
        given = request.headers["Authorization"].removeprefix("Bearer ")
    return given


@csrf_exempt  # a machine posts here, authenticated by the shared secret, never a browser
@require_POST
def inbound_webhook(request: HttpRequest) -> HttpResponse:
    """Store the posted message (202 with its id); 403 without the right secret, 413 past the
    hard limit, 400 for an empty body. With no secret configured the endpoint does not exist."""
    secret = settings.INBOUND_WEBHOOK_SECRET
    if not secret:
        raise Http404
    if not constant_time_compare(_secret(request), secret):
        return JsonResponse({"detail": "Wrong or missing X-Inbound-Secret."}, status=403)
    raw = request.body
    if not raw.strip():
        return JsonResponse({"detail": "Post the raw RFC 822 message as the body."}, status=400)
    if len(raw) > settings.INBOUND_HARD_MAX_BYTES:
        return JsonResponse({"detail": "The message is too large."}, status=413)
    recipients = [
        address.strip()
        for address in request.headers.get("X-Envelope-To", "").split(",")
        if address.strip()
    ]
    message = inbound_store(
        raw=raw,
        source=InboundSource.WEBHOOK,
        envelope_from=request.headers.get("X-Envelope-From", ""),
        envelope_to=recipients,
    )
    return JsonResponse({"id": message.pk, "status": message.status}, status=202)


class MailSettingsForm(forms.Form):
    immediate_ballots = forms.BooleanField(
        required=False,
        label=_(
            "Count the ballots I send by e-mail at once, without a confirmation link, when my"
            " mail provider's signature (DKIM or SPF) checks pass"
        ),
    )
    revoke = forms.BooleanField(
        required=False,
        label=_(
            "Revoke every reply address I was given (replies to older notifications will be"
            " refused; newer notifications bring new addresses)"
        ),
    )


class MailSettingsView(LoginRequiredMixin, View):
    """Taking part by e-mail: the opt-in for immediate ballots, and revoking reply addresses."""

    template_name = "stakeholders/mail_settings.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        preference = MailPreference.objects.filter(user=current_user(request)).first()
        form = MailSettingsForm(
            initial={"immediate_ballots": bool(preference and preference.immediate_ballots)}
        )
        return render(request, self.template_name, self._context(form))

    @standing_exempt
    def post(self, request: HttpRequest) -> HttpResponse:
        form = MailSettingsForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self._context(form))
        actor = current_user(request)
        mail_preference_save(actor=actor, immediate_ballots=form.cleaned_data["immediate_ballots"])
        if form.cleaned_data["revoke"]:
            count = reply_keys_revoke(actor=actor)
            messages.success(
                request,
                ngettext(
                    "%(n)d reply address was revoked.", "%(n)d reply addresses were revoked.", count
                )
                % {"n": count},
            )
        messages.success(request, _("Your e-mail settings were saved."))
        return redirect("stakeholders:mail_settings")

    def _context(self, form: MailSettingsForm) -> dict[str, object]:
        return {"form": form, "domain": settings.INBOUND_EMAIL_DOMAIN}


class InboundMailView(RuleRequiredMixin, View):
    """Staff page: the inbound messages (newest first, by status), and retrying a failed one now."""

    rule = "stakeholders.administer"
    template_name = "stakeholders/staff_inbound.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status", "")
        messages_ = InboundMessage.objects.defer("raw").select_related("user").order_by("-id")
        if status in InboundStatus.values:
            messages_ = messages_.filter(status=status)
        page = Paginator(messages_, 50).get_page(request.GET.get("page"))
        context = {"page": page, "status": status, "statuses": InboundStatus.choices}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest) -> HttpResponse:
        message = get_object_or_404(InboundMessage, pk=posted_pk(request, "message"))
        status = inbound_process(message_id=message.pk)
        messages.info(
            request,
            _("Message %(pk)d: %(status)s.")
            % {"pk": message.pk, "status": status or _("not waiting or failed, left alone")},
        )
        return redirect("stakeholders:staff_inbound")
