"""The project's URLs plus the evidence routes, for as long as lawenforce/urls.py does not include them."""

from django.urls import URLResolver, include, path

from lawenforce.urls import urlpatterns as project_urlpatterns


def _has_namespace(patterns, namespace):
    return any(isinstance(p, URLResolver) and p.namespace == namespace for p in patterns)


urlpatterns = list(project_urlpatterns)
if not _has_namespace(urlpatterns, "evidence"):
    urlpatterns.insert(0, path("evidence/", include("evidence.urls")))
if not _has_namespace(urlpatterns, "evidence-api"):
    urlpatterns.insert(0, path("api/v1/", include("evidence.api_urls")))
