"""The agency-side annual statistics pages, included by the project at /disclosure/annual/."""

from django.urls import path

from . import views_annual

app_name = "disclosure-annual"

urlpatterns = [
    path("", views_annual.manage_list, name="list"),
    path("<int:pk>/", views_annual.manage_detail, name="detail"),
]
