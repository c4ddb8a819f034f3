from django.urls import path

from analytics import api

urlpatterns = [path("analytics/indicators/", api.indicator_values, name="analytics-api-indicators")]
