from .case import Case, CaseEvent, CaseQuerySet, CaseState, DecisionKind, Procedure, Source
from .coercion import CoerciveMeasure, MeasureKind, MeasureState, SeizedItem
from .documents import NUMBER_WORD, Document, DocumentKind
from .execution import ArrangementKind, CourtApplication, Payment, PaymentArrangement
from .numbering import NumberSequence
from .parties import PARTY_INPUT_FIELDS, PERSON_KINDS, Party, PartyKind
from .remedies import OVERTURNING_OUTCOMES, Remedy, RemedyKind, RemedyOutcome
from .steps import (
    REVIEW_CHECKLIST,
    Deliberation,
    Extension,
    Hearing,
    LegalReview,
    PriorNotice,
    ReviewOutcome,
    Service,
    ServiceMethod,
)

__all__ = [
    "OVERTURNING_OUTCOMES",
    "NUMBER_WORD",
    "PARTY_INPUT_FIELDS",
    "PERSON_KINDS",
    "REVIEW_CHECKLIST",
    "ArrangementKind",
    "Case",
    "CaseEvent",
    "CaseQuerySet",
    "CaseState",
    "CoerciveMeasure",
    "CourtApplication",
    "DecisionKind",
    "Deliberation",
    "Document",
    "DocumentKind",
    "Extension",
    "Hearing",
    "LegalReview",
    "MeasureKind",
    "MeasureState",
    "NumberSequence",
    "Party",
    "PartyKind",
    "Payment",
    "PaymentArrangement",
    "PriorNotice",
    "Procedure",
    "Remedy",
    "RemedyKind",
    "RemedyOutcome",
    "ReviewOutcome",
    "SeizedItem",
    "Service",
    "ServiceMethod",
    "Source",
]
