"""Pages of trust: trust pages, endorsing, commitments and attestations, the staff page."""

from django.urls import path

from trust import views

app_name = "trust"

urlpatterns = [
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
]
