"""The agency's disclosure pages, included by the project at /disclosure/ (login required)."""

from django.urls import path

from . import agency_views as views

app_name = "disclosure_records"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/publish/", views.record_publish, name="publish"),
    path("<int:pk>/exempt/", views.record_exempt, name="exempt"),
    path("<int:pk>/withdraw/", views.record_withdraw, name="withdraw"),
    path("<int:pk>/correct/", views.record_correct, name="correct"),
]
