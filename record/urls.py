"""Pages of the public record."""

from django.urls import path

from record import views

app_name = "record"

urlpatterns = [
    path("record/", views.record_view, name="record"),
    path("record/<int:seq>/", views.object_view, name="object"),
]
