from rest_framework.routers import SimpleRouter

from . import views

app_name = "supervision-api"

router = SimpleRouter()
router.register("alerts", views.AlertViewSet, basename="alert")
router.register("notices", views.NoticeViewSet, basename="notice")
urlpatterns = router.urls
