from .alerts import ACTIVE_STATES, SEVERITY_ORDER, Alert, AlertEntry, AlertState, EntryKind, Severity
from .config import RuleSetting, SupervisionSettings
from .dashboard import DashboardFigure
from .evaluation import (
    DossierEvaluation,
    EvaluationSample,
    ItemScore,
    Rubric,
    RubricItem,
    RubricSection,
    SampleState,
)
from .notices import NOTICE_WORD, NoticeKind, NoticeReply, NoticeSequence, NoticeState, ReplyKind, SupervisionNotice
from .performance import PerformanceEvaluation, PerformanceScheme, PerformanceScore, SchemeItem, ScoringMethod

__all__ = [
    "NOTICE_WORD",
    "DashboardFigure",
    "NoticeKind",
    "NoticeReply",
    "NoticeSequence",
    "NoticeState",
    "PerformanceEvaluation",
    "PerformanceScheme",
    "PerformanceScore",
    "ReplyKind",
    "RuleSetting",
    "SchemeItem",
    "ScoringMethod",
    "SupervisionNotice",
    "SupervisionSettings",
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
