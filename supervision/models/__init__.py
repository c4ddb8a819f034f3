from .alerts import ACTIVE_STATES, SEVERITY_ORDER, Alert, AlertEntry, AlertState, EntryKind, Severity
from .evaluation import (
    DossierEvaluation,
    EvaluationSample,
    ItemScore,
    Rubric,
    RubricItem,
    RubricSection,
    SampleState,
)

__all__ = [
    "ACTIVE_STATES",
    "SEVERITY_ORDER",
    "Alert",
    "AlertEntry",
    "AlertState",
    "DossierEvaluation",
    "EntryKind",
    "EvaluationSample",
    "ItemScore",
    "Rubric",
    "RubricItem",
    "RubricSection",
    "SampleState",
    "Severity",
]
