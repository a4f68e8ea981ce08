"""Pages of statement polls, under their process."""

from django.urls import path

from consensus.polls import views

app_name = "polls"

P = "processes/<slug:slug>/polls/<int:pk>/"

urlpatterns = [
    path("processes/<slug:slug>/polls/", views.PollListView.as_view(), name="polls"),
    path("processes/<slug:slug>/polls/new/", views.PollOpenView.as_view(), name="poll_open"),
    path("processes/<slug:slug>/polls/import/", views.PollImportView.as_view(), name="poll_import"),
    path(P, views.PollDetailView.as_view(), name="poll"),
    path(f"{P}vote/", views.VoteView.as_view(), name="vote"),
    path(f"{P}statements/", views.StatementSubmitView.as_view(), name="statement_submit"),
    path(
        f"{P}statements/<int:statement>/<slug:decision>/",
        views.ModerateView.as_view(),
        name="moderate",
    ),
    path(f"{P}close/", views.PollCloseView.as_view(), name="poll_close"),
    path(f"{P}map/", views.OpinionMapView.as_view(), name="map"),
    path(f"{P}polis.zip", views.ExportView.as_view(), name="export"),
]
