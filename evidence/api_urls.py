"""Evidence API routes, for the project to include under /api/v1/:

path("api/v1/", include("evidence.api_urls")),
"""

from django.urls import path

from . import api

app_name = "evidence-api"

urlpatterns = [
    path("cases/<int:case_pk>/evidence/", api.CaseEvidenceView.as_view(), name="case-evidence"),
    path("evidence/<int:pk>/", api.EvidenceItemView.as_view(), name="item"),
    path("evidence/<int:pk>/file/", api.EvidenceFileView.as_view(), name="item-file"),
]
