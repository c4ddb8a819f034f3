"""The disclosure app's tables: published penalty records (masked public copies) and complaints.

See disclosure/README.md. Binding field names: ../../CONTRACTS.md (PenaltyDisclosure, Complaint).
"""

from .complaints import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintKind,
    ComplaintState,
)
from .penalties import (
    DisclosureAction,
    DisclosureActionKind,
    DisclosureState,
    ExemptReason,
    PartyCategory,
    PenaltyDisclosure,
)

__all__ = [
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
