from django.urls import path

from supervision.views import alerts, dashboard, evaluation, notices, performance

app_name = "supervision"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("cases/", dashboard.drill_down, name="cases"),
    path("rules/", alerts.rule_catalogue, name="rules"),
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert"),
    path("alerts/<int:pk>/<str:action>/", alerts.alert_action, name="alert-action"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/new/", notices.notice_new, name="notice-new"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/<int:pk>/pdf/", notices.notice_pdf, name="notice-pdf"),
    path("notices/<int:pk>/<str:action>/", notices.notice_action, name="notice-action"),
    path("evaluations/", evaluation.sample_list, name="samples"),
    path("evaluations/new/", evaluation.sample_new, name="sample-new"),
    path("evaluations/<int:pk>/", evaluation.sample_detail, name="sample"),
    path("evaluations/dossiers/<int:pk>/", evaluation.evaluation_detail, name="evaluation"),
    path("evaluations/dossiers/<int:pk>/assign/", evaluation.assign_evaluator, name="assign"),
    path(
        "evaluations/dossiers/<int:pk>/documents/<int:document_pk>/",
        evaluation.evaluation_document,
        name="evaluation-document",
    ),
    path("performance/", performance.performance_list, name="performance-list"),
    path("performance/<int:pk>/", performance.performance_detail, name="performance"),
    path("performance/<int:pk>/export.xlsx", performance.performance_export, name="performance-export"),
]
