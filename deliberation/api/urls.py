"""Routes of the deliberation API under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from deliberation.api import views
from deliberation.invitations import api as invitations
from deliberation.opendata.views import BundleView

router = SimpleRouter()
router.register("processes", views.ProcessViewSet, basename="process")
router.register("issues", views.IssueViewSet, basename="issue")
router.register("comments", views.CommentViewSet, basename="comment")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("glossary", views.GlossaryTermViewSet, basename="glossary")
router.register("resources", views.ResourceViewSet, basename="resource")

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="api-search"),
    path("processes/<slug:slug>/open-data/", BundleView.as_view(), name="api-process-open-data"),
    path(
        "processes/<slug:slug>/invitations/",
        invitations.InvitationListView.as_view(),
        name="api-invitations",
    ),
    path(
        "processes/<slug:slug>/invitations/<int:pk>/revoke/",
        invitations.InvitationRevokeView.as_view(),
        name="api-invitation-revoke",
    ),
    path(
        "invitations/<str:token>/accept/",
        invitations.InvitationAcceptView.as_view(),
        name="api-invitation-accept",
    ),
    *router.urls,
]
