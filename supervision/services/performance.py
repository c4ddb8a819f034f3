"""Performance evaluation (执法考核评价): indicators per agency for a period, turned into points by a
configurable scheme (PerformanceScheme/SchemeItem, edited in the admin), with the breakdown kept.

Each indicator is one GROUP BY query over the period for all agencies at once and returns
{agency id: (numerator, denominator)} for rates or {agency id: count} for counts. Scoring:
- rate: points × numerator / denominator; an agency with nothing to measure (denominator 0)
  keeps the full points ("无此项，不扣分");
- deduct: points − per_unit × count, never below zero.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.errors import WorkflowError
from cases.models import Case
from lawenforce.access import Role, agencies_in_scope, officer_of, roles_of
from supervision.models import Alert as AlertModel
from supervision.models import (
    AlertState,
    DossierEvaluation,
    PerformanceEvaluation,
    PerformanceScore,
    ScoringMethod,
    SupervisionNotice,
)

CENT = Decimal("0.01")


def _aware(day, end=False):
    moment = datetime.datetime.combine(day + datetime.timedelta(days=1) if end else day, datetime.time())
    return timezone.make_aware(moment)


def _alerts(agencies, start, end):
    return AlertModel.objects.filter(
        agency__in=agencies, raised_at__gte=_aware(start), raised_at__lt=_aware(end, True)
    ).exclude(state=AlertState.DISMISSED)


def alert_rectified_rate(agencies, start, end):
    rows = (
        _alerts(agencies, start, end)
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("pk", filter=Q(state=AlertState.RECTIFIED)), d=Count("pk"))
    )
    return {a: (n, d) for a, n, d in rows}


def alerts_high(agencies, start, end):
    rows = (
        _alerts(agencies, start, end)
        .filter(severity="high")
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def alerts_total(agencies, start, end):
    return dict(_alerts(agencies, start, end).order_by().values_list("agency_id").annotate(n=Count("pk")))


def _notices(agencies, start, end):
    return SupervisionNotice.objects.filter(agency__in=agencies, issued_on__gte=start, issued_on__lte=end)


def notice_ontime_rate(agencies, start, end):
    """Notices issued in the period whose deadline has come: answered in time / all of them."""
    rows = (
        _notices(agencies, start, end)
        .filter(Q(response_due_on__lte=timezone.localdate()) | Q(first_answered_at__isnull=False))
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("pk", filter=Q(first_answered_at__isnull=False, answered_late=False)), d=Count("pk"))
    )
    return {a: (n, d) for a, n, d in rows}


def notices_late(agencies, start, end):
    today = timezone.localdate()
    rows = (
        _notices(agencies, start, end)
        .filter(Q(answered_late=True) | Q(first_answered_at__isnull=True, response_due_on__lt=today))
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def _evaluations(agencies, start, end):
    return DossierEvaluation.objects.filter(
        agency__in=agencies, finalized_at__gte=_aware(start), finalized_at__lt=_aware(end, True)
    )


def evaluation_pass_rate(agencies, start, end):
    rows = (
        _evaluations(agencies, start, end)
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("pk", filter=Q(passed=True)), d=Count("pk"))
    )
    return {a: (n, d) for a, n, d in rows}


def evaluation_score_rate(agencies, start, end):
    """Points scored ÷ points possible over the evaluations finalised in the period."""
    from supervision.models import RubricItem

    maxima = dict(RubricItem.objects.order_by().values_list("rubric_id").annotate(t=Sum("max_points")))
    per = {}
    rows = _evaluations(agencies, start, end).values_list("agency_id", "total_score", "sample__rubric_id")
    for agency_id, score, rubric_id in rows:
        n, d = per.get(agency_id, (Decimal(0), Decimal(0)))
        per[agency_id] = (n + (score or 0), d + maxima.get(rubric_id, Decimal(100)))
    return per


def _ontime(agencies, start, end, date_field, rule):
    done = Case.objects.filter(agency__in=agencies, **{f"{date_field}__gte": start, f"{date_field}__lte": end})
    late = AlertModel.objects.filter(rule=rule).exclude(state=AlertState.DISMISSED).values("case_id")
    rows = done.order_by().values_list("agency_id").annotate(n=Count("pk", filter=~Q(pk__in=late)), d=Count("pk"))
    return {a: (n, d) for a, n, d in rows}


def decision_ontime_rate(agencies, start, end):
    return _ontime(agencies, start, end, "decided_on", "S-DECISION-OVERDUE")


def archive_ontime_rate(agencies, start, end):
    return _ontime(agencies, start, end, "archived_on", "S-ARCHIVE-OVERDUE")


@dataclass(frozen=True)
class Indicator:
    label: str
    kind: str  # "rate" or "count"
    compute: object
    description: str


INDICATORS = {
    "alert_rectified_rate": Indicator(
        gettext_lazy("预警整改率"), "rate", alert_rectified_rate, gettext_lazy("期内预警（不含撤销）中已整改的比例")
    ),
    "alerts_high": Indicator(
        gettext_lazy("严重预警次数"), "count", alerts_high, gettext_lazy("期内严重程度为“严重”的预警（不含撤销）")
    ),
    "alerts_total": Indicator(
        gettext_lazy("预警次数"), "count", alerts_total, gettext_lazy("期内全部预警（不含撤销）")
    ),
    "notice_ontime_rate": Indicator(
        gettext_lazy("监督文书按期答复率"),
        "rate",
        notice_ontime_rate,
        gettext_lazy("期内签发、已到答复期限的监督文书中按期答复的比例"),
    ),
    "notices_late": Indicator(
        gettext_lazy("监督文书逾期答复次数"), "count", notices_late, gettext_lazy("逾期答复或逾期未答复的监督文书")
    ),
    "evaluation_pass_rate": Indicator(
        gettext_lazy("案卷评查合格率"), "rate", evaluation_pass_rate, gettext_lazy("期内评定的案卷中合格的比例")
    ),
    "evaluation_score_rate": Indicator(
        gettext_lazy("案卷评查得分率"), "rate", evaluation_score_rate, gettext_lazy("期内评定案卷的得分之和 ÷ 满分之和")
    ),
    "decision_ontime_rate": Indicator(
        gettext_lazy("按期作出决定率"),
        "rate",
        decision_ontime_rate,
        gettext_lazy("期内作出决定的案件中没有超期预警的比例"),
    ),
    "archive_ontime_rate": Indicator(
        gettext_lazy("按期归档率"), "rate", archive_ontime_rate, gettext_lazy("期内归档的案件中没有归档超期预警的比例")
    ),
}


def indicator_choices():
    return [(code, str(ind.label)) for code, ind in INDICATORS.items()]


def _q(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def score_item(item, raw):
    """(points, raw text, note) for one scheme item and the indicator's value for one agency."""
    points = Decimal(item["points"])
    if item["method"] == ScoringMethod.RATE:
        n, d = raw if raw else (0, 0)
        if not d:
            return points, "—", _("无此项，不扣分")
        rate = Decimal(n) / Decimal(d)
        return _q(points * rate), f"{n}/{d}（{rate * 100:.1f}%）", ""
    count = raw or 0
    if isinstance(count, tuple):
        count = count[0]
    return _q(max(points - Decimal(item["per_unit"]) * count, Decimal(0))), str(count), ""


def snapshot(scheme):
    return [
        {
            "indicator": i.indicator,
            "label": i.label,
            "points": str(i.points),
            "method": i.method,
            "per_unit": str(i.per_unit),
        }
        for i in scheme.items.all()
    ]


@transaction.atomic
def evaluate(user, scheme, period_start, period_end):
    officer = officer_of(user)
    if officer is None or Role.SUPERVISOR not in roles_of(user):
        raise WorkflowError(_("只有司法行政部门的执法监督人员才能组织执法考核评价。"), code="not_supervisor")
    if period_end < period_start:
        raise WorkflowError(_("考核期止不能早于考核期起。"), code="period_invalid", field="period_end")
    items = snapshot(scheme)
    unknown = [i["indicator"] for i in items if i["indicator"] not in INDICATORS]
    if unknown:
        raise WorkflowError(
            _("方案中有未知的考核指标：%(list)s。") % {"list": "、".join(unknown)}, code="unknown_indicator"
        )
    agencies = list(agencies_in_scope(user).exclude(sector="justice").order_by("pk"))
    values = {i["indicator"]: INDICATORS[i["indicator"]].compute(agencies, period_start, period_end) for i in items}
    run = PerformanceEvaluation.objects.create(
        scheme=scheme,
        bureau=officer.agency,
        period_start=period_start,
        period_end=period_end,
        created_by=officer,
        scheme_snapshot=items,
    )
    scores = []
    for agency in agencies:
        breakdown, total = [], Decimal(0)
        for item in items:
            points, raw, note = score_item(item, values[item["indicator"]].get(agency.pk))
            total += points
            breakdown.append(
                {"label": item["label"], "raw": raw, "points": str(points), "max": item["points"], "note": note}
            )
        scores.append(PerformanceScore(evaluation=run, agency=agency, total=_q(total), rank=0, breakdown=breakdown))
    scores.sort(key=lambda s: -s.total)
    rank, previous = 0, None
    for position, score in enumerate(scores, start=1):
        if score.total != previous:
            rank, previous = position, score.total
        score.rank = rank
    PerformanceScore.objects.bulk_create(scores)
    return run


def workbook(run):
    """The results as an Excel workbook (openpyxl): one sheet of totals, one of the breakdown."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("考核结果")
    labels = [i["label"] for i in run.scheme_snapshot]
    title = _("%(scheme)s（%(start)s至%(end)s）") % {
        "scheme": run.scheme.name,
        "start": run.period_start,
        "end": run.period_end,
    }
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            _("名次"),
            _("执法主体"),
            *[f"{label}（{i['points']}分）" for label, i in zip(labels, run.scheme_snapshot, strict=True)],
            _("总分"),
        ]
    )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    scores = list(run.scores.select_related("agency").order_by("rank", "agency__name"))
    for score in scores:
        sheet.append(
            [score.rank, score.agency.name, *[float(b["points"]) for b in score.breakdown], float(score.total)]
        )
    sheet.column_dimensions["B"].width = 36
    detail = book.create_sheet(_("指标明细"))
    detail.append([_("执法主体"), _("考核项目"), _("指标值"), _("得分"), _("分值"), _("说明")])
    for score in scores:
        for b in score.breakdown:
            detail.append([score.agency.name, b["label"], b["raw"], float(b["points"]), float(b["max"]), b["note"]])
    detail.column_dimensions["A"].width = 36
    detail.column_dimensions["B"].width = 24
    return book
