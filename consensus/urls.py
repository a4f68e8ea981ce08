"""Pages of consensus, under their process."""

from django.urls import path

from consensus.views import calendar, exports, objections, results, rounds

app_name = "consensus"

R = "processes/<slug:slug>/rounds/<int:pk>/"

urlpatterns = [
    path("processes/<slug:slug>/rounds/", rounds.ProcessRoundsView.as_view(), name="rounds"),
    path(
        "processes/<slug:slug>/versions/<int:version>/rounds/new/",
        rounds.RoundCreateView.as_view(),
        name="round_create",
    ),
    path(
        "processes/<slug:slug>/objections/",
        objections.ProcessObjectionsView.as_view(),
        name="process_objections",
    ),
    path(R, rounds.RoundDetailView.as_view(), name="round"),
    path(f"{R}ballot/", rounds.BallotCastView.as_view(), name="ballot"),
    path(f"{R}calendar.ics", calendar.RoundCalendarView.as_view(), name="round_calendar"),
    path(f"{R}open/", rounds.RoundOpenView.as_view(), name="round_open"),
    path(f"{R}close/", rounds.RoundCloseView.as_view(), name="round_close"),
    path(f"{R}exclude/", rounds.BallotExcludeView.as_view(), name="ballot_exclude"),
    path(f"{R}objections/", objections.RoundObjectionsView.as_view(), name="objections"),
    path(
        f"{R}objections/<int:objection>/<slug:decision>/",
        objections.ObjectionDecisionView.as_view(),
        name="objection_decision",
    ),
    path(f"{R}result/", results.ResultView.as_view(), name="result"),
    path(f"{R}result/<slug:action>/", results.ResultActionView.as_view(), name="result_action"),
    path(f"{R}record/", exports.RoundRecordView.as_view(), name="round_record"),
    path(f"{R}export.json", exports.ExportJsonView.as_view(), name="export_json"),
    path(f"{R}export/<slug:table>.csv", exports.ExportCsvView.as_view(), name="export_csv"),
]
