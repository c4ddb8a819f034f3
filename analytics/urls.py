from django.urls import path

from analytics.views import indicators, parties, risks, statistics

app_name = "analytics"

urlpatterns = [
    path("", indicators.overview, name="overview"),
    path("parties/", parties.party_list, name="parties"),
    path("parties/<int:pk>/", parties.party_cases, name="party"),
    path("hotspots/", parties.hotspots, name="hotspots"),
    path("risks/", risks.risk_list, name="risks"),
    path("risks/<int:pk>/", risks.risk_action, name="risk-action"),
    path("statistics/", statistics.annual, name="annual"),
    path("reports/", statistics.report, name="report"),
    path("indicators/<slug:code>/", indicators.indicator_detail, name="indicator"),
    path("indicators/<slug:code>/<slug:part>/", indicators.drilldown_view, name="drilldown"),
]
