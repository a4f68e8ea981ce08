"""Pages of deliberation."""

from django.urls import path

from deliberation.following import calendars, feeds
from deliberation.invitations import views as invitations
from deliberation.opendata import views as open_data
from deliberation.views import issues, library, processes, proposals

app_name = "deliberation"

P = "processes/<slug:slug>/"

urlpatterns = [
    path("processes/", processes.process_list_view, name="processes"),
    path("processes/new/", processes.ProcessCreateView.as_view(), name="process_create"),
    path(P, processes.ProcessDetailView.as_view(), name="process"),
    path("open-data/", open_data.open_data_view, name="open_data"),
    path("feeds/", feeds.SiteFeed(), name="site_feed"),
    path("feeds/me/<str:key>/", feeds.PersonalFeed(), name="personal_feed"),
    path("calendars/me/<str:key>.ics", calendars.personal_calendar_view, name="personal_calendar"),
    path(f"{P}feed/", feeds.ProcessFeed(), name="process_feed"),
    path(f"{P}calendar.ics", calendars.process_calendar_view, name="process_calendar"),
    path(f"{P}issues/<int:pk>/feed/", feeds.IssueFeed(), name="issue_feed"),
    path(f"{P}open-data.zip", open_data.bundle_download_view, name="open_data_bundle"),
    path(f"{P}edit/", processes.ProcessEditView.as_view(), name="process_edit"),
    path(f"{P}archive/", processes.ProcessArchiveView.as_view(), name="process_archive"),
    path(f"{P}join/", processes.ProcessJoinView.as_view(), name="process_join"),
    path(f"{P}invitations/", invitations.InvitationsView.as_view(), name="invitations"),
    path(
        f"{P}invitations/<int:pk>/revoke/",
        invitations.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", invitations.InvitationView.as_view(), name="invitation"),
    path(f"{P}issues/new/", issues.IssueCreateView.as_view(), name="issue_create"),
    path(f"{P}issues/<int:pk>/", issues.IssueDetailView.as_view(), name="issue"),
    path(f"{P}issues/<int:pk>/status/", issues.IssueStatusView.as_view(), name="issue_status"),
    path(
        f"{P}issues/<int:pk>/proposals/new/",
        proposals.ProposalCreateView.as_view(),
        name="proposal_create",
    ),
    path(f"{P}comments/<int:pk>/edit/", issues.CommentEditView.as_view(), name="comment_edit"),
    path(
        f"{P}comments/<int:pk>/history/",
        issues.CommentHistoryView.as_view(),
        name="comment_history",
    ),
    path(f"{P}proposals/<int:pk>/", proposals.ProposalDetailView.as_view(), name="proposal"),
    path(
        f"{P}proposals/<int:pk>/v/<int:number>/",
        proposals.ProposalDetailView.as_view(),
        name="proposal_version",
    ),
    path(
        f"{P}proposals/<int:pk>/diff/", proposals.ProposalDiffView.as_view(), name="proposal_diff"
    ),
    path(
        f"{P}proposals/<int:pk>/versions/new/",
        proposals.VersionCreateView.as_view(),
        name="version_create",
    ),
    path("glossary/", library.glossary_view, name="glossary"),
    path("glossary/new/", library.GlossaryTermEditView.as_view(), name="glossary_create"),
    path("glossary/<int:pk>/edit/", library.GlossaryTermEditView.as_view(), name="glossary_edit"),
    path("resources/", library.resources_view, name="resources"),
    path("resources/new/", library.ResourceCreateView.as_view(), name="resource_create"),
    path("getting-started/", library.getting_started_view, name="getting_started"),
    path("search/", library.search_view, name="search"),
]
