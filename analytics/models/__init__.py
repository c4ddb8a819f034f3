"""Analytics' own tables. Nothing here is a case row: these are derived copies and snapshots,
rebuilt from the case data by analytics.compute (see analytics/README.md)."""

from .facts import CaseFact, Cell, CellSource, DirtyCase, DirtyCell, OfficerMonth
from .risks import RiskItem, RiskState
from .snapshots import IndicatorValue, RefreshRun, RepeatParty, ScopeKind

__all__ = [
    "CaseFact",
    "Cell",
    "CellSource",
    "DirtyCase",
    "DirtyCell",
    "IndicatorValue",
    "OfficerMonth",
    "RefreshRun",
    "RepeatParty",
    "RiskItem",
    "RiskState",
    "ScopeKind",
]
