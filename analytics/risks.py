"""Risk rules: when an agency's year-to-date indicator values call for a supervisor's attention.

Each rule names its indicator, the threshold, the minimum denominator that makes the figure
meaningful (three complaints are too few to call a rate low) and what a supervisor can do.
Thresholds are configuration: settings.ANALYTICS_RISK_THRESHOLDS overrides them per rule, e.g.
`{"low_complaint_case_rate": {"threshold": 0.7, "minimum": 10}}`. Rules read the stored
indicator values (snapshots) and are evaluated with every refresh; a supervisor's disposition of
a risk is kept when it is evaluated again.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.compute.sql import bulk_update
from analytics.indicators import BY_CODE
from analytics.models import IndicatorValue, RiskItem, RiskState, ScopeKind


@dataclass(frozen=True)
class RiskRule:
    code: str
    indicator: str
    direction: str  # "below" or "above": the value is a risk when below (above) the threshold
    threshold: Decimal
    minimum: int  # the denominator must be at least this
    title: str
    action: str

    def settings(self):
        return getattr(settings, "ANALYTICS_RISK_THRESHOLDS", {}).get(self.code, {})

    @property
    def limit(self):
        return Decimal(str(self.settings().get("threshold", self.threshold)))

    @property
    def min_denominator(self):
        return int(self.settings().get("minimum", self.minimum))

    def triggered(self, value):
        if value.value is None or (value.denominator or 0) < self.min_denominator:
            return False
        return value.value < self.limit if self.direction == "below" else value.value > self.limit

    def describe(self, value):
        indicator = BY_CODE[self.indicator]
        shown = f"{value.value * 100:.1f}%" if indicator.unit == "percent" else f"{value.value:.2f}"
        limit = f"{self.limit * 100:.0f}%" if indicator.unit == "percent" else f"{self.limit:.2f}"
        side = _("低于") if self.direction == "below" else _("高于")
        return _("%(name)s为 %(value)s（%(num)s/%(den)s），%(side)s %(limit)s") % {
            "name": indicator.name,
            "value": shown,
            "num": value.numerator,
            "den": value.denominator,
            "side": side,
            "limit": limit,
        }


RULES = [
    RiskRule(
        "low_complaint_case_rate",
        "complaint_case_rate",
        "below",
        Decimal("0.6"),
        5,
        _("投诉举报查处不力"),
        _("调阅未查处的投诉举报，要求说明未立案或未决定的理由，必要时督办。"),
    ),
    RiskRule(
        "focus_mismatch",
        "focus_match",
        "below",
        Decimal("0.5"),
        10,
        _("执法重心与群众反映的问题不一致"),
        _("比较案件与投诉举报的事项分布，督促调整检查计划和执法力量。"),
    ),
    RiskRule(
        "idle_officers",
        "officer_engagement",
        "below",
        Decimal("0.5"),
        4,
        _("持证人员多数未参与办案"),
        _("核查执法岗位设置和人员在岗情况，清理不办案的持证人员或调整岗位。"),
    ),
    RiskRule(
        "low_caseload",
        "cases_per_officer",
        "below",
        Decimal("0.5"),
        3,
        _("人均执法量偏低（可能存在不作为）"),
        _("结合投诉举报和检查计划，核查是否存在应当立案而未立案的情形。"),
    ),
    RiskRule(
        "low_evaluation_pass",
        "evaluation_pass_rate",
        "below",
        Decimal("0.8"),
        3,
        _("案卷评查合格率偏低"),
        _("逐卷查看评查意见，下达整改要求并复查。"),
    ),
    RiskRule(
        "high_remedy_loss",
        "remedy_loss_rate",
        "above",
        Decimal("0.15"),
        3,
        _("复议诉讼败诉率偏高"),
        _("分析被纠错案件的共性问题，组织法制审核人员复盘，必要时发出监督意见书。"),
    ),
]
BY_RULE = {rule.code: rule for rule in RULES}


def evaluate(agency_ids, year):
    """Raise, update or clear the risks of `agency_ids` from their values for `year`."""
    now = timezone.now()
    wanted = {rule.indicator for rule in RULES}
    stored = IndicatorValue.objects.filter(
        scope_kind=ScopeKind.AGENCY, agency_id__in=agency_ids, period_kind="year", year=year, indicator__in=wanted
    )
    by_key = {(v.agency_id, v.indicator): v for v in stored}
    existing = {(r.rule, r.agency_id): r for r in RiskItem.objects.filter(agency_id__in=agency_ids, year=year)}
    create, update = [], []
    for agency_id in agency_ids:
        for rule in RULES:
            value = by_key.get((agency_id, rule.indicator))
            risk = existing.get((rule.code, agency_id))
            if value is not None and rule.triggered(value):
                fields = {
                    "indicator": rule.indicator,
                    "value": value.value,
                    "numerator": value.numerator,
                    "denominator": value.denominator,
                    "detail": str(rule.describe(value)),
                    "updated_at": now,
                }
                if risk is None:
                    create.append(RiskItem(rule=rule.code, agency_id=agency_id, year=year, first_seen_at=now, **fields))
                    continue
                came_back = risk.state == RiskState.CLEARED
                if came_back or any(getattr(risk, name) != v for name, v in fields.items() if name != "updated_at"):
                    for name, field_value in fields.items():
                        setattr(risk, name, field_value)
                    if came_back:
                        risk.state = RiskState.OPEN
                    update.append(risk)
            elif risk is not None and risk.state in (RiskState.OPEN, RiskState.ACKNOWLEDGED):
                risk.state, risk.updated_at = RiskState.CLEARED, now
                update.append(risk)
    RiskItem.objects.bulk_create(create)
    bulk_update(update, ["indicator", "value", "numerator", "denominator", "detail", "updated_at", "state"])
    return len(create), len(update)
