"""/evidence/: the upload form of a case, an item's page and its file."""

from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("cases/<int:case_pk>/new/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/file/", views.file, name="file"),
]
