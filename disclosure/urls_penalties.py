"""/public/penalties/: public search, detail, proof download and open data (disclosure/views_public.py)."""

from django.urls import path

from . import views_public

app_name = "public-penalties"

urlpatterns = [
    path("", views_public.penalty_list, name="list"),
    path("export.csv", views_public.export_csv, name="export-csv"),
    path("export.json", views_public.export_json, name="export-json"),
    path("<uuid:public_id>/", views_public.penalty_detail, name="detail"),
    path("<uuid:public_id>/proof.json", views_public.penalty_proof, name="proof"),
]
