"""Opening a notification: it is marked read (the badge drops), then you land where it points."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from stakeholders import services
from stakeholders.access import current_user, standing_exempt
from stakeholders.models import Notification


class NotificationOpenView(LoginRequiredMixin, View):
    """GET /me/notifications/<pk>/open/: mark one of my notifications read and follow its link."""

    @standing_exempt
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = current_user(request)
        notification = Notification.objects.filter(pk=pk, user=user).first()
        if notification is None:
            raise Http404
        services.notifications_mark_read(actor=user, ids=[notification.pk])
        target = notification.url
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect("stakeholders:inbox")
        return redirect(target)
