"""Pages for a stakeholder's own profile, hats, interests and inbox, and the public directory."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from stakeholders import selectors, services
from stakeholders.access import RuleRequiredMixin, current_user, posted_pk, standing_exempt
from stakeholders.country_names import country_name
from stakeholders.forms import (
    AffiliationForm,
    DirectoryFilterForm,
    NotificationSettingsForm,
    ProfileForm,
    RejectHatForm,
    StatementOfInterestForm,
)
from stakeholders.models import Affiliation, Notification, Region, User
from stakeholders.notifications import kind_values
from stakeholders.presentation import public_name, sees_identity
from stakeholders.rules import needs_mfa_setup
from web.errors import StateConflict


def _form_errors_from(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError on the form instead of a 500."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ProfileEditView(LoginRequiredMixin, FormView[ProfileForm]):
    template_name = "stakeholders/profile_edit.html"
    form_class = ProfileForm
    http_method_names = ["get", "post", "head", "options"]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "needs_mfa": needs_mfa_setup(current_user(self.request)),
        }

    def form_valid(self, form: ProfileForm) -> HttpResponse:
        try:
            services.profile_update(
                actor=current_user(self.request),
                **{name: form.cleaned_data[name] for name in services.PROFILE_FIELDS},
            )
        except ValidationError as error:
            _form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your profile was saved."))
        return redirect("stakeholders:profile_edit")


class HatsView(LoginRequiredMixin, View):
    """List the user's hats and add a new one."""

    template_name = "stakeholders/hats.html"

    def _render(self, request: HttpRequest, form: AffiliationForm) -> HttpResponse:
        hats = selectors.own_affiliations(current_user(request))
        return render(request, self.template_name, {"hats": hats, "form": form})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, AffiliationForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AffiliationForm(request.POST)
        if form.is_valid():
            try:
                services.affiliation_add(actor=current_user(request), **form.cleaned_data)
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                messages.success(request, _("Your new hat was added."))
                return redirect("stakeholders:hats")
        return self._render(request, form)


def _own_hat(request: HttpRequest, pk: int) -> Affiliation:
    """The requesting user's hat, or 404 (another person's hats do not exist for them)."""
    return get_object_or_404(Affiliation, pk=pk, user_id=request.user.pk)


class HatEditView(LoginRequiredMixin, View):
    template_name = "stakeholders/hat_edit.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        hat = _own_hat(request, pk)
        return render(
            request, self.template_name, {"hat": hat, "form": AffiliationForm(instance=hat)}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        hat = _own_hat(request, pk)
        form = AffiliationForm(request.POST, instance=Affiliation.objects.get(pk=hat.pk))
        if form.is_valid():
            try:
                services.affiliation_update(
                    actor=current_user(request),
                    affiliation=hat,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                messages.success(request, _("Your hat was updated."))
                return redirect("stakeholders:hats")
        return render(request, self.template_name, {"hat": hat, "form": form})


class HatActionView(LoginRequiredMixin, View):
    """POST-only actions on one of the user's hats: end it, or make it primary."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        hat = _own_hat(request, pk)
        actions = {
            "end": (services.affiliation_end, _("The hat was ended.")),
            "primary": (services.affiliation_make_primary, _("This is now your primary hat.")),
        }
        if action not in actions:
            raise Http404
        service, done = actions[action]
        try:
            service(actor=current_user(request), affiliation=hat)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("stakeholders:hats")


class InterestsView(LoginRequiredMixin, FormView[StatementOfInterestForm]):
    template_name = "stakeholders/interests.html"
    form_class = StatementOfInterestForm
    http_method_names = ["get", "post", "head", "options"]

    def get_initial(self) -> dict[str, Any]:
        latest = selectors.statements_of_interest(current_user(self.request)).first()
        if latest is None:
            return {}
        return {"funding_sources": latest.funding_sources, "interests": latest.interests}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["versions"] = selectors.statements_of_interest(current_user(self.request))
        return context

    def form_valid(self, form: StatementOfInterestForm) -> HttpResponse:
        statement = services.statement_of_interest_publish(
            actor=current_user(self.request),
            **form.cleaned_data,
        )
        messages.success(
            self.request,
            _("Version %d of your statement of interest is public.") % statement.version,
        )
        return redirect("stakeholders:interests")


class InboxView(LoginRequiredMixin, ListView[Notification]):
    template_name = "stakeholders/inbox.html"
    paginate_by = 30
    context_object_name = "notifications"

    def get_queryset(self) -> QuerySet[Notification]:
        return selectors.inbox(current_user(self.request))

    @standing_exempt
    def post(self, request: HttpRequest) -> HttpResponse:
        services.notifications_mark_read(actor=current_user(request))
        messages.success(request, _("All notifications marked as read."))
        return redirect("stakeholders:inbox")


class NotificationSettingsView(LoginRequiredMixin, View):
    template_name = "stakeholders/notification_settings.html"

    def _current(self, request: HttpRequest) -> dict[str, tuple[bool, bool]]:
        return {
            kind: services.notification_wanted(current_user(request), kind)
            for kind in kind_values()
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        form = NotificationSettingsForm(current=self._current(request))
        return render(request, self.template_name, {"form": form})

    @standing_exempt
    def post(self, request: HttpRequest) -> HttpResponse:
        form = NotificationSettingsForm(request.POST, current=self._current(request))
        if form.is_valid():
            services.notification_settings_save(actor=current_user(request), choices=form.choices())
            messages.success(request, _("Your notification settings were saved."))
            return redirect("stakeholders:notification_settings")
        return render(request, self.template_name, {"form": form})


class DirectoryView(TemplateView):
    template_name = "stakeholders/directory.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = DirectoryFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        users = selectors.stakeholder_directory(
            group=filters.get("group", ""),
            region=filters.get("region", ""),
            country=filters.get("country", ""),
        )
        page = Paginator(users, 50).get_page(self.request.GET.get("page"))
        viewer = self.request.user
        context.update(
            form=form,
            page=page,
            entries=[_directory_entry(user, viewer) for user in page.object_list],  # type: ignore[arg-type]
            query=_query_without_page(self.request),
        )
        return context


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _directory_entry(user: User, viewer: User) -> dict[str, Any]:
    hat = selectors.primary_hat(user)
    identified = user.attribution == "named" or sees_identity(viewer, user)
    return {
        "user": user,
        "name": public_name(user, viewer=viewer, group=hat.stakeholder_group if hat else None),
        "identified": identified,
        "hats": user.active_hats if identified else [],  # type: ignore[attr-defined]
        "groups": sorted({h.get_stakeholder_group_display() for h in user.active_hats}),  # type: ignore[attr-defined]
        "region": Region(user.region).label if user.region else "",
        "country": country_name(user.country) if identified and user.country else "",
    }


def profile_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A public profile; a group-only stakeholder shows only their groups and region."""
    user = selectors.stakeholder_get(pk)
    if user is None:
        raise Http404
    entry = _directory_entry(user, request.user)  # type: ignore[arg-type]
    return render(
        request,
        "stakeholders/profile.html",
        {
            "profile": user,
            "entry": entry,
            "statements": selectors.statements_of_interest(user)[:1],
            "statement_count": selectors.statements_of_interest(user).count(),
        },
    )


def interests_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.stakeholder_get(pk)
    if user is None:
        raise Http404
    return render(
        request,
        "stakeholders/interests_history.html",
        {
            "profile": user,
            "entry": _directory_entry(user, request.user),  # type: ignore[arg-type]
            "statements": selectors.statements_of_interest(user),
        },
    )


def _staff_affiliations(
    request: HttpRequest, rejecting: Affiliation | None = None, form: RejectHatForm | None = None
) -> HttpResponse:
    """The hats waiting for an admin, and those rejected; with a refused rejection's form."""
    page = Paginator(selectors.affiliations_to_verify(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/staff_affiliations.html",
        {
            "page": page,
            "rejected": selectors.affiliations_rejected()[:50],
            "rejecting": rejecting.pk if rejecting else None,
            "reject_form": form,
        },
        status=400 if form else 200,
    )


class VerifyAffiliationsView(RuleRequiredMixin, View):
    """Staff page: hats waiting for verification; POST verifies one."""

    rule = "stakeholders.verify_affiliation"

    def get(self, request: HttpRequest) -> HttpResponse:
        return _staff_affiliations(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        hat = get_object_or_404(Affiliation, pk=posted_pk(request, "affiliation"))
        services.affiliation_verify(actor=current_user(request), affiliation=hat)
        messages.success(
            request, _("Verified %(hat)s for %(user)s.") % {"hat": hat, "user": hat.user}
        )
        return redirect("stakeholders:staff_affiliations")


class RejectAffiliationView(RuleRequiredMixin, View):
    """Staff: POST rejects one hat with a reason its holder reads (the reason is required)."""

    rule = "stakeholders.reject_affiliation"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        hat = get_object_or_404(Affiliation.objects.select_related("user"), pk=pk)
        form = RejectHatForm(request.POST)
        if not form.is_valid():
            return _staff_affiliations(request, hat, form)
        try:
            services.affiliation_reject(
                actor=current_user(request), affiliation=hat, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _form_errors_from(form, error)
            return _staff_affiliations(request, hat, form)
        except StateConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(
                request,
                _("Rejected %(hat)s for %(user)s; they are told why.")
                % {"hat": hat, "user": hat.user},
            )
        return redirect("stakeholders:staff_affiliations")


class RolesView(RuleRequiredMixin, View):
    """Staff page: find a user by e-mail and grant or revoke the facilitator and admin roles."""

    rule = "stakeholders.grant_role"
    template_name = "stakeholders/staff_roles.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()
        users = User.objects.filter(is_active=True).order_by("email")
        if query:
            users = users.filter(email__icontains=query)
        else:
            users = users.filter(is_staff=True) | users.filter(is_facilitator=True)
        return render(request, self.template_name, {"users": users[:50], "query": query})

    def post(self, request: HttpRequest) -> HttpResponse:
        user = get_object_or_404(User, pk=posted_pk(request, "user"))
        granted = request.POST.get("granted") == "1"
        try:
            services.role_set(
                actor=current_user(request),
                user=user,
                role=request.POST.get("role", ""),
                granted=granted,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Roles of %s updated.") % user.email)
        return HttpResponseRedirect(reverse("stakeholders:staff_roles") + f"?q={user.email}")
