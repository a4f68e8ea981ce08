"""Pages of participation balance and support, under a process's address."""

from django.urls import path

from consensus.balance import views as balance_views

app_name = "balance"

P = "processes/<slug:slug>/"

urlpatterns = [
    path(f"{P}balance/", balance_views.BalanceView.as_view(), name="balance"),
    path(
        f"{P}balance/snapshot/",
        balance_views.BalanceSnapshotView.as_view(),
        name="balance_snapshot",
    ),
    path(f"{P}support/", balance_views.SupportView.as_view(), name="support"),
    *(
        path(
            f"{P}support/<int:pk>/{action}/",
            balance_views.SupportDecisionView.as_view(),
            {"action": action},
            name=f"support_{action}",
        )
        for action in ("grant", "decline", "withdraw")
    ),
]
