"""/api/v1/: the case API, the token endpoint and the OpenAPI schema.

The Swagger UI at docs/ is served only when its assets are local (drf-spectacular-sidecar in
INSTALLED_APPS and SPECTACULAR_SETTINGS["SWAGGER_UI_DIST"] == "SIDECAR"): government intranets
have no internet, and drf-spectacular loads the UI from a CDN by default.
"""

from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("summary-cases", views.SummaryCaseViewSet, basename="summary-case")
router.register("reviews", views.ReviewViewSet, basename="review")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]


def _swagger_assets_are_local():
    dist = getattr(settings, "SPECTACULAR_SETTINGS", {}).get("SWAGGER_UI_DIST")
    return "drf_spectacular_sidecar" in settings.INSTALLED_APPS and dist == "SIDECAR"


if _swagger_assets_are_local():
    urlpatterns.append(path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"))
