"""Routes of the public record API."""

from rest_framework.routers import SimpleRouter

from record.api.views import AuditEventViewSet

router = SimpleRouter()
router.register("audit", AuditEventViewSet, basename="audit")
urlpatterns = router.urls
