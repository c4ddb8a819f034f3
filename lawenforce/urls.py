from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", include("cases.urls")),
    path("evidence/", include("evidence.urls")),
    path("api/v1/", include("cases.api.urls")),
    path("api/v1/", include("evidence.api_urls")),
    path("api/v1/ledger/", include("lawenforce.ledger.urls")),
    path("transparency/", include("disclosure.urls")),
    # Public penalty disclosure (issue 5): search, detail, verification, open data and the public API.
    path("public/penalties/", include("disclosure.urls_penalties")),
    path("api/v1/public/penalties/", include("disclosure.api_urls")),
    # Public disclosure platform (issue 5): ex-ante pages and annual reports; agency-side annual reports.
    path("public/", include("disclosure.urls_public")),
    path("disclosure/annual/", include("disclosure.urls_annual")),
    path("disclosure/inspections/", include("disclosure.urls_inspections")),
    path("disclosure/", include("disclosure.agency_urls")),
    # Complaints and reports (issue 5 item 6): the public form and status page, the agencies' handling.
    path("public/complaints/", include("disclosure.complaints.public_urls")),
    path("complaints/", include("disclosure.complaints.urls")),
    path("api/v1/", include("disclosure.complaints.api_urls")),
    # Enforcement analytics (issue 7)
    path("analytics/", include("analytics.urls")),
    path("api/v1/", include("analytics.api_urls")),
    # Supervision (issue 6): alerts, notices, dossier evaluation, dashboard, performance.
    path("supervision/", include("supervision.urls")),
    path("api/v1/supervision/", include("supervision.api.urls")),
    path("", include("lawenforce.views.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
