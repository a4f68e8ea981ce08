"""Routes of the consensus API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from consensus.api import views

router = SimpleRouter()
router.register("rounds", views.RoundViewSet, basename="round")
router.register("objections", views.ObjectionViewSet, basename="objection")
urlpatterns = router.urls
