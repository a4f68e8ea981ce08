"""Routes of the stakeholders API under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from stakeholders.api import views
from stakeholders.subscriptions.api import MyDigestView, MyFeedsView

router = SimpleRouter()
router.register("stakeholders", views.StakeholderViewSet, basename="stakeholder")
router.register("affiliations", views.AffiliationViewSet, basename="affiliation")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("stakeholders/me/", views.MeView.as_view(), name="api-me"),
    path(
        "stakeholders/me/interests/",
        views.StatementOfInterestView.as_view(),
        name="api-my-interests",
    ),
    path("stakeholders/me/feeds/", MyFeedsView.as_view(), name="api-my-feeds"),
    path("stakeholders/me/digest/", MyDigestView.as_view(), name="api-my-digest"),
    *router.urls,
]
