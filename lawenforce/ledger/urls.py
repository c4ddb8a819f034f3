"""Ledger API routes, included by the project at /api/v1/ledger/."""

from django.urls import path

from . import api

app_name = "ledger-api"

urlpatterns = [
    path("checkpoint/", api.CheckpointView.as_view(), name="checkpoint"),
    path("inclusion/", api.InclusionView.as_view(), name="inclusion"),
    path("consistency/", api.ConsistencyView.as_view(), name="consistency"),
    path("receipt/<str:kind>/<int:pk>/", api.ReceiptView.as_view(), name="receipt"),
]
