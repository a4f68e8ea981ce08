"""Routes of the statement-poll API under /api/v1/."""

from rest_framework.routers import SimpleRouter

from consensus.polls import api

router = SimpleRouter()
router.register("polls", api.PollViewSet, basename="poll")
router.register("statements", api.StatementViewSet, basename="statement")
urlpatterns = router.urls
