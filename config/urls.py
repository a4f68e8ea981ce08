"""Top-level URLs: pages of every app, the API under /api/v1/, its schema and docs."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from deliberation.views.home import home
from web import views

api_v1 = [
    path("", include("stakeholders.api.urls")),
    # Before deliberation's router, whose processes/<slug>/ would otherwise shadow these paths.
    path("", include("consensus.balance.api_urls")),
    path("", include("deliberation.api.urls")),
    path("", include("consensus.api.urls")),
    path("", include("consensus.polls.api_urls")),
    path("", include("record.api.urls")),
    path("", include("trust.api.urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("health/", views.health, name="health"),
    # Early: an API call (a ballot at a round's deadline) is resolved without trying every page.
    path("api/v1/", include(api_v1)),
    path("accounts/", include("allauth.urls")),
    path("language/", views.language_switch, name="language_switch"),
    path("django-admin/", admin.site.urls),
    path("", include("stakeholders.urls")),
    path("", include("deliberation.urls")),
    path("", include("consensus.urls")),
    path("", include("consensus.balance.urls")),
    path("", include("consensus.polls.urls")),
    path("", include("record.urls")),
    path("", include("trust.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "web.views.bad_request"
handler403 = "web.views.permission_denied"
handler404 = "web.views.page_not_found"
handler500 = "web.views.server_error"
