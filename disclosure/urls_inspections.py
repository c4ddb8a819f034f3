"""Agency-side random-inspection item list, included by the project at /disclosure/inspections/."""

from django.urls import path

from . import views_inspections

app_name = "disclosure-inspections"

urlpatterns = [
    path("", views_inspections.item_list, name="list"),
    path("new/", views_inspections.item_edit, name="new"),
    path("<int:pk>/", views_inspections.item_edit, name="edit"),
]
