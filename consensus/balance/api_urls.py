"""Routes of the balance and support API under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from consensus.balance import api as balance_views

router = SimpleRouter()
router.register("support-requests", balance_views.SupportRequestViewSet, basename="support-request")

P = "processes/<slug:slug>/balance/"

urlpatterns = [
    path(P, balance_views.BalanceView.as_view(), name="api-balance"),
    path(f"{P}history/", balance_views.BalanceHistoryView.as_view(), name="api-balance-history"),
    path(f"{P}snapshot/", balance_views.BalanceSnapshotView.as_view(), name="api-balance-snapshot"),
    *router.urls,
]
