"""/api/v1/public/penalties/: the read-only public API (disclosure/api_public.py)."""

from django.urls import path

from . import api_public

app_name = "public-api"

urlpatterns = [
    path("", api_public.PublicPenaltyList.as_view(), name="penalty-list"),
    path("<uuid:public_id>/", api_public.PublicPenaltyDetail.as_view(), name="penalty-detail"),
]
