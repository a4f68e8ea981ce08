"""Pages of stakeholders: own profile, hats, interests, inbox; directory; staff pages."""

from django.urls import path

from stakeholders import views
from stakeholders.subscriptions import views as subscriptions

app_name = "stakeholders"

urlpatterns = [
    path("me/profile/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("me/hats/", views.HatsView.as_view(), name="hats"),
    path("me/hats/<int:pk>/edit/", views.HatEditView.as_view(), name="hat_edit"),
    path("me/hats/<int:pk>/<slug:action>/", views.HatActionView.as_view(), name="hat_action"),
    path("me/interests/", views.InterestsView.as_view(), name="interests"),
    path("me/notifications/", views.InboxView.as_view(), name="inbox"),
    path(
        "me/notifications/settings/",
        views.NotificationSettingsView.as_view(),
        name="notification_settings",
    ),
    path("me/following/", subscriptions.FollowingView.as_view(), name="digest_settings"),
    path("unsubscribe/<str:token>/", subscriptions.UnsubscribeView.as_view(), name="unsubscribe"),
    path("stakeholders/", views.DirectoryView.as_view(), name="directory"),
    path("stakeholders/<int:pk>/", views.profile_view, name="profile"),
    path(
        "stakeholders/<int:pk>/interests/", views.interests_history_view, name="interests_history"
    ),
    path("staff/affiliations/", views.VerifyAffiliationsView.as_view(), name="staff_affiliations"),
    path("staff/roles/", views.RolesView.as_view(), name="staff_roles"),
]
