"""The core vocabulary every app shares. See docs/architecture.md."""

from .agencies import Agency, AgencyKind, AgencyStatus, EnforcementCategory, Sector
from .calendar import CalendarDay, CalendarYear, DayKind
from .catalogue import (
    ActionCategory,
    Circumstance,
    DiscretionStandard,
    FineBasis,
    Law,
    LawLevel,
    LegalProvision,
    PenaltyKind,
    PowerItem,
)
from .officers import Certificate, CertificateStatus, Officer
from .regions import Region, RegionLevel

__all__ = [
    "ActionCategory",
    "Agency",
    "AgencyKind",
    "AgencyStatus",
    "CalendarDay",
    "CalendarYear",
    "Certificate",
    "CertificateStatus",
    "Circumstance",
    "DayKind",
    "DiscretionStandard",
    "EnforcementCategory",
    "FineBasis",
    "Law",
    "LawLevel",
    "LegalProvision",
    "Officer",
    "PenaltyKind",
    "PowerItem",
    "Region",
    "RegionLevel",
    "Sector",
]

# The ledger (lawenforce/ledger/).
from .ledger import Checkpoint, LedgerEntry, LedgerNode, LedgerSequencer  # noqa: E402

__all__ += ["Checkpoint", "LedgerEntry", "LedgerNode", "LedgerSequencer"]
