"""The disclosure app's tables: published penalty records (masked public copies), complaints,
the random-inspection item list and the annual statistics reports.

See disclosure/README.md. Binding field names: ../../CONTRACTS.md (PenaltyDisclosure, Complaint).
"""

from .annual import AnnualReport, AnnualReportState, annual_due_on
from .complaints import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintKind,
    ComplaintState,
)
from .inspections import InspectionMethod, RandomInspectionItem
from .penalties import (
    DisclosureAction,
    DisclosureActionKind,
    DisclosureState,
    ExemptReason,
    PartyCategory,
    PenaltyDisclosure,
)

__all__ = [
    "AnnualReport",
    "AnnualReportState",
    "InspectionMethod",
    "RandomInspectionItem",
    "annual_due_on",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintEvent",
    "ComplaintKind",
    "ComplaintState",
    "DisclosureAction",
    "DisclosureActionKind",
    "DisclosureState",
    "ExemptReason",
    "PartyCategory",
    "PenaltyDisclosure",
]
