"""/api/v1/complaints/ (included by the project under api/v1/)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("complaints", api.ComplaintViewSet, basename="complaint")

urlpatterns = router.urls
