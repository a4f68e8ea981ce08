"""Routes of the trust and moderation API under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from trust.api import views
from trust.moderation import api as moderation

router = SimpleRouter()
router.register("endorsements", views.EndorsementViewSet, basename="endorsement")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("attestations", views.AttestationViewSet, basename="attestation")
router.register("flags", moderation.FlagViewSet, basename="flag")
router.register("moderation/cases", moderation.CaseViewSet, basename="moderation-case")
router.register("moderation/actions", moderation.ActionViewSet, basename="moderation-action")
router.register("moderation/appeals", moderation.AppealViewSet, basename="moderation-appeal")
router.register("moderation/signals", moderation.SignalViewSet, basename="moderation-signal")
router.register("moderation/log", moderation.LogViewSet, basename="moderation-log")

urlpatterns = [
    path("stakeholders/<int:pk>/trust/", views.TrustView.as_view(), name="api-trust"),
    path("trust/recompute/", views.RecomputeView.as_view(), name="api-trust-recompute"),
    *router.urls,
]
