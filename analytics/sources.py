"""The data other apps own that the indicators read, looked up by model label.

Three indicators need models that other apps build: complaints (disclosure.Complaint, field
names fixed in CONTRACTS.md), dossier evaluations (supervision.DossierEvaluation) and remedies
(cases.Remedy). Each is looked up here; while a model is not installed its indicators show
"数据来源尚未接入" instead of a number, and everything else works.
"""

from django.apps import apps

COMPLAINTS = "complaints"
EVALUATIONS = "evaluations"
REMEDIES = "remedies"

LABELS = {
    COMPLAINTS: ("disclosure", "Complaint"),
    EVALUATIONS: ("supervision", "DossierEvaluation"),
    REMEDIES: ("cases", "Remedy"),
}


def model(source):
    """The model class of `source`, or None while the app that owns it does not provide it."""
    app_label, name = LABELS[source]
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def available(source):
    return model(source) is not None
