from django.urls import path

from cases.views import detail, field, lists, reviews, steps, timeline

app_name = "cases"

urlpatterns = [
    path("", lists.case_list, name="list"),
    path("new/", field.register_lead, name="new"),
    path("summary/new/", field.summary_case, name="summary-new"),
    path("reviews/", reviews.review_queue, name="review-queue"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review"),
    path("<int:pk>/", detail.case_detail, name="detail"),
    path("<int:pk>/export/", detail.export_case, name="export"),
    path("<int:pk>/timeline/", timeline.case_timeline, name="timeline"),
    path("<int:pk>/documents/generate/", detail.generate_document, name="generate-document"),
    path("<int:pk>/documents/<int:document_pk>/", detail.download_document, name="document"),
    path("<int:pk>/services/<int:service_pk>/receipt.json", detail.service_receipt, name="service-receipt"),
    path("<int:pk>/records/<str:record>/", field.field_record, name="field-record"),
    path("<int:pk>/measures/new/", steps.impose_measure, name="impose-measure"),
    path("<int:pk>/measures/<int:measure_pk>/<str:step>/", steps.measure_step, name="measure-step"),
    path("<int:pk>/remedies/<int:remedy_pk>/outcome/", steps.remedy_outcome, name="remedy-outcome"),
    path("<int:pk>/steps/<str:step>/", steps.case_step, name="step"),
]
