"""Pages of stakeholders: own profile, hats, interests, inbox; directory; staff pages."""

from django.urls import path

from stakeholders import notification_views, views
from stakeholders.inbound import views as inbound_views
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
        "me/notifications/<int:pk>/open/",
        notification_views.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path(
        "me/notifications/settings/",
        views.NotificationSettingsView.as_view(),
        name="notification_settings",
    ),
    path("me/following/", subscriptions.FollowingView.as_view(), name="digest_settings"),
    path("unsubscribe/<str:token>/", subscriptions.UnsubscribeView.as_view(), name="unsubscribe"),
    path("me/notifications/email/", inbound_views.MailSettingsView.as_view(), name="mail_settings"),
    path("inbound/email/", inbound_views.inbound_webhook, name="inbound_webhook"),
    path("stakeholders/", views.DirectoryView.as_view(), name="directory"),
    path("stakeholders/<int:pk>/", views.profile_view, name="profile"),
    path(
        "stakeholders/<int:pk>/interests/", views.interests_history_view, name="interests_history"
    ),
    path("staff/affiliations/", views.VerifyAffiliationsView.as_view(), name="staff_affiliations"),
    path(
        "staff/affiliations/<int:pk>/reject/",
        views.RejectAffiliationView.as_view(),
        name="staff_affiliation_reject",
    ),
    path("staff/roles/", views.RolesView.as_view(), name="staff_roles"),
    path("staff/inbound/", inbound_views.InboundMailView.as_view(), name="staff_inbound"),
]
