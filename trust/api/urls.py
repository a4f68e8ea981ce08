"""Routes of the trust API under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from trust.api import views

router = SimpleRouter()
router.register("endorsements", views.EndorsementViewSet, basename="endorsement")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("attestations", views.AttestationViewSet, basename="attestation")

urlpatterns = [
    path("stakeholders/<int:pk>/trust/", views.TrustView.as_view(), name="api-trust"),
    path("trust/recompute/", views.RecomputeView.as_view(), name="api-trust-recompute"),
    *router.urls,
]
