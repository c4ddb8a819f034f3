"""The public site's ex-ante pages and annual reports, included by the project at /public/."""

from django.urls import path

from . import views_annual, views_exante

app_name = "exante"

urlpatterns = [
    path("agencies/", views_exante.agency_list, name="agencies"),
    path("agencies/<int:pk>/", views_exante.agency_detail, name="agency"),
    path("officers/", views_exante.officer_list, name="officers"),
    path("powers/", views_exante.power_list, name="powers"),
    path("powers/<str:code>/", views_exante.power_detail, name="power"),
    path("procedures/", views_exante.procedures, name="procedures"),
    path("procedures/<slug:key>.svg", views_exante.procedure_svg, name="procedure-svg"),
    path("inspections/", views_exante.inspection_list, name="inspections"),
    path("annual/", views_annual.public_list, name="annual"),
    path("annual/<int:pk>/", views_annual.public_detail, name="annual-detail"),
]
