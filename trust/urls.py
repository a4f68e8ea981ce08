"""Pages of trust: trust pages, endorsing, commitments and attestations, staff pages, moderation."""

from django.urls import path

from trust import dashboard, views
from trust.moderation import views as moderation

app_name = "trust"

urlpatterns = [
    path("me/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("stakeholders/<int:pk>/trust/", views.trust_page, name="trust"),
    path("stakeholders/<int:pk>/endorse/", views.EndorseView.as_view(), name="endorse"),
    path(
        "endorsements/<int:pk>/withdraw/",
        views.WithdrawEndorsementView.as_view(),
        name="withdraw_endorsement",
    ),
    path("commitments/", views.CommitmentListView.as_view(), name="commitments"),
    path("commitments/new/", views.CommitmentCreateView.as_view(), name="commitment_new"),
    path("commitments/<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment"),
    path("attestations/<int:pk>/reply/", views.AttestationReplyView.as_view(), name="reply"),
    path("staff/trust/", views.StaffTrustView.as_view(), name="staff"),
    path("report/<str:target_type>/<int:pk>/", moderation.ReportView.as_view(), name="report"),
    path("moderation/", moderation.QueueView.as_view(), name="moderation"),
    path("moderation/signals/", moderation.SignalsView.as_view(), name="signals"),
    path("moderation/cases/<int:pk>/", moderation.CaseView.as_view(), name="case"),
    path("moderation/actions/<int:pk>/", moderation.ActionView.as_view(), name="action"),
    path("moderation/log/", moderation.moderation_log, name="moderation_log"),
    path("me/moderation/", moderation.MyDecisionsView.as_view(), name="my_moderation"),
]
