"""The records behind each number: every part of every indicator as a list a user can open.

Each function returns (row kind, queryset) for an indicator part, a scope and a period; the
queryset is narrowed with lawenforce.access.restrict (or the agencies in the user's scope), so a
drill-down never shows more than the user may see. The filters are the indicator's definition,
so the list has exactly as many entries as the stored number counted when it was computed.
"""

import datetime

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics import sources
from analytics.compute.cells import NOT_ACCEPTED_STATES
from analytics.compute.values import USABLE_CERTIFICATE_STATES
from analytics.indicators import BY_CODE, PENALTY_KIND, VIOLATION_KINDS
from analytics.tables import Column, Link, Table
from cases.models import Case, Party
from lawenforce.access import agencies_in_scope, restrict
from lawenforce.models import Certificate, LegalProvision, Officer, PowerItem

CASES, COMPLAINTS, REMEDIES, EVALUATIONS, OFFICERS, PROVISIONS = (
    "cases",
    "complaints",
    "remedies",
    "evaluations",
    "officers",
    "provisions",
)


def _range(period):
    return (period.start, period.end)


def handled_cases(user, scope, period):
    return (
        restrict(Case.objects.all(), user)
        .filter(**scope.case_filter())
        .annotate(handled_on=Coalesce("filed_on", "decided_on"))
        .filter(handled_on__range=_range(period))
    )


def decided_cases(user, scope, period, kinds):
    return restrict(Case.objects.all(), user).filter(
        **scope.case_filter(), decided_on__range=_range(period), decision_kind__in=kinds
    )


def _in_month_range(field, period):
    """Aware-datetime range of the period in Asia/Shanghai (the indicators' clock)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return {f"{field}__gte": start, f"{field}__lt": end}


def complaints(user, scope, period, accepted_only=False, dealt=False):
    model = sources.model(sources.COMPLAINTS)
    if model is None:
        raise Http404
    rows = model.objects.filter(
        agency__in=agencies_in_scope(user), **scope.case_filter(), **_in_month_range("received_at", period)
    )
    if accepted_only:
        rows = rows.filter(accepted_on__isnull=False).exclude(state__in=NOT_ACCEPTED_STATES)
    if dealt:
        rows = rows.filter(case__decided_on__isnull=False)
    return rows.select_related("agency", "power_item", "case").order_by("received_at", "pk")


def remedies(user, scope, period, overturned=False):
    model = sources.model(sources.REMEDIES)
    rows = model.objects.filter(
        case__in=restrict(Case.objects.all(), user),
        outcome_on__range=_range(period),
        **scope.case_filter("case__agency"),
    ).exclude(outcome="")
    if overturned:
        rows = rows.filter(overturned=True)
    return rows.select_related("case__agency").order_by("outcome_on", "pk")


def evaluations(user, scope, period, passed=False):
    model = sources.model(sources.EVALUATIONS)
    if model is None:
        raise Http404
    rows = model.objects.filter(
        case__in=restrict(Case.objects.all(), user),
        passed__isnull=False,
        **scope.case_filter("case__agency"),
        **_in_month_range("finalized_at", period),
    )
    if passed:
        rows = rows.filter(passed=True)
    return rows.select_related("case__agency").order_by("finalized_at", "pk")


def certified_officers(user, scope, period):
    day = period.stock_day()
    usable = Certificate.objects.filter(status__in=USABLE_CERTIFICATE_STATES, valid_from__lte=day, valid_to__gte=day)
    officers = restrict(Officer.objects.filter(active=True, is_supervisor=False), user).filter(**scope.case_filter())
    handled = handled_cases(user, scope, period)
    return (
        officers.filter(certificates__in=usable)
        .distinct()
        .annotate(
            period_cases=Count(
                "handled_cases",
                filter=Q(handled_cases__in=handled.values("pk")),
                distinct=True,
            )
        )
        .select_related("agency")
        .prefetch_related(Prefetch("certificates", queryset=usable.order_by("number"), to_attr="usable"))
        .order_by("period_cases", "agency__name", "name")
    )


def penalty_provisions(user, scope, period):
    held = PowerItem.objects.filter(action_category="penalty", agencies__in=scope.agencies() & agencies_in_scope(user))
    used = decided_cases(user, scope, period, [PENALTY_KIND])
    return (
        LegalProvision.objects.filter(power_items__in=held)
        .distinct()
        .annotate(uses=Count("power_items__cases", filter=Q(power_items__cases__in=used.values("pk")), distinct=True))
        .select_related("law")
        .order_by("uses", "law__name", "article", "paragraph", "item")
    )


def rows_for(user, scope, period, code, part, item=None):
    """(row kind, queryset) behind `part` of indicator `code`; Http404 for an unknown part."""
    indicator = BY_CODE.get(code)
    if indicator is None or part not in indicator.parts or not indicator.available:
        raise Http404
    handled = lambda: handled_cases(user, scope, period)  # noqa: E731
    violations = lambda: decided_cases(user, scope, period, VIOLATION_KINDS)  # noqa: E731
    table = {
        ("complaint_case_rate", "numerator"): lambda: (COMPLAINTS, complaints(user, scope, period, True, True)),
        ("complaint_case_rate", "denominator"): lambda: (COMPLAINTS, complaints(user, scope, period, True)),
        ("focus_match", "numerator"): lambda: (CASES, handled().filter(power_item__isnull=False)),
        ("focus_match", "denominator"): lambda: (
            COMPLAINTS,
            complaints(user, scope, period).filter(power_item__isnull=False),
        ),
        ("cases_per_officer", "numerator"): lambda: (CASES, handled()),
        ("cases_per_officer", "denominator"): lambda: (OFFICERS, certified_officers(user, scope, period)),
        ("officer_engagement", "numerator"): lambda: (
            OFFICERS,
            certified_officers(user, scope, period).filter(period_cases__gt=0),
        ),
        ("officer_engagement", "denominator"): lambda: (OFFICERS, certified_officers(user, scope, period)),
        ("provision_usage", "numerator"): lambda: (
            PROVISIONS,
            penalty_provisions(user, scope, period).filter(uses__gt=0),
        ),
        ("provision_usage", "denominator"): lambda: (PROVISIONS, penalty_provisions(user, scope, period)),
        ("violation_count", "numerator"): lambda: (CASES, violations()),
        ("violation_type_rate", "numerator"): lambda: (CASES, violations().filter(power_item_id=item)),
        ("violation_type_rate", "denominator"): lambda: (CASES, violations()),
        ("evaluation_pass_rate", "numerator"): lambda: (EVALUATIONS, evaluations(user, scope, period, True)),
        ("evaluation_pass_rate", "denominator"): lambda: (EVALUATIONS, evaluations(user, scope, period)),
        ("remedy_loss_rate", "numerator"): lambda: (REMEDIES, remedies(user, scope, period, True)),
        ("remedy_loss_rate", "denominator"): lambda: (REMEDIES, remedies(user, scope, period)),
    }
    kind, rows = table[(code, part)]()
    if kind == CASES:
        rows = (
            rows.select_related("agency", "power_item")
            .prefetch_related(Prefetch("parties", queryset=Party.objects.order_by("pk")))
            .order_by("decided_on", "filed_on", "pk")
        )
    return kind, rows


def _case_link(case):
    return Link(case.reference or _("（尚未编号）"), reverse("cases:detail", args=[case.pk]))


def _party_name(case):
    parties = list(case.parties.all())
    if not parties:
        return ""
    first = parties[0].name
    return first + (_("等 %(n)d 人") % {"n": len(parties)} if len(parties) > 1 else "")


COLUMNS = {
    CASES: [
        Column("reference", gettext_lazy("案号或决定书文号")),
        Column("title", gettext_lazy("案由")),
        Column("party", gettext_lazy("当事人")),
        Column("agency", gettext_lazy("执法主体")),
        Column("item", gettext_lazy("权责事项")),
        Column("filed_on", gettext_lazy("立案日期")),
        Column("decided_on", gettext_lazy("决定日期")),
        Column("decision", gettext_lazy("决定类型")),
        Column("state", gettext_lazy("状态")),
    ],
    COMPLAINTS: [
        Column("code", gettext_lazy("受理编号")),
        Column("kind", gettext_lazy("类型")),
        Column("received_at", gettext_lazy("接收时间")),
        Column("state", gettext_lazy("办理状态")),
        Column("agency", gettext_lazy("执法主体")),
        Column("item", gettext_lazy("事项")),
        Column("case", gettext_lazy("引出的案件")),
        Column("decided_on", gettext_lazy("案件决定日期")),
    ],
    REMEDIES: [
        Column("case", gettext_lazy("案号或决定书文号")),
        Column("agency", gettext_lazy("执法主体")),
        Column("kind", gettext_lazy("救济途径")),
        Column("body", gettext_lazy("复议机关或人民法院")),
        Column("outcome", gettext_lazy("结果")),
        Column("outcome_on", gettext_lazy("结果作出日期")),
        Column("overturned", gettext_lazy("是否败诉")),
    ],
    EVALUATIONS: [
        Column("case", gettext_lazy("案号或决定书文号")),
        Column("agency", gettext_lazy("执法主体")),
        Column("score", gettext_lazy("总分"), numeric=True),
        Column("passed", gettext_lazy("评查结论")),
        Column("finalized_at", gettext_lazy("评查完成时间")),
    ],
    OFFICERS: [
        Column("name", gettext_lazy("姓名")),
        Column("agency", gettext_lazy("执法主体")),
        Column("certificate", gettext_lazy("执法证号")),
        Column("cases", gettext_lazy("当期承办案件数"), numeric=True),
    ],
    PROVISIONS: [
        Column("law", gettext_lazy("法律法规")),
        Column("article", gettext_lazy("条款")),
        Column("uses", gettext_lazy("当期处罚决定数"), numeric=True),
    ],
}


def row(kind, obj):
    """One drill-down row as a dict keyed like COLUMNS[kind]."""
    if kind == CASES:
        return {
            "reference": _case_link(obj),
            "title": obj.title,
            "party": _party_name(obj),
            "agency": obj.agency.name,
            "item": obj.power_item.name if obj.power_item else "",
            "filed_on": obj.filed_on,
            "decided_on": obj.decided_on,
            "decision": obj.get_decision_kind_display(),
            "state": obj.get_state_display(),
        }
    if kind == COMPLAINTS:
        return {
            "code": obj.tracking_code,
            "kind": obj.get_kind_display(),
            "received_at": timezone.localtime(obj.received_at).strftime("%Y-%m-%d %H:%M"),
            "state": obj.get_state_display(),
            "agency": obj.agency.name if obj.agency_id else "",
            "item": obj.power_item.name if obj.power_item_id else "",
            "case": _case_link(obj.case) if obj.case_id else "",
            "decided_on": obj.case.decided_on if obj.case_id else None,
        }
    if kind == REMEDIES:
        return {
            "case": _case_link(obj.case),
            "agency": obj.case.agency.name,
            "kind": obj.get_kind_display(),
            "body": obj.body,
            "outcome": obj.get_outcome_display(),
            "outcome_on": obj.outcome_on,
            "overturned": _("败诉") if obj.overturned else _("否"),
        }
    if kind == EVALUATIONS:
        return {
            "case": _case_link(obj.case),
            "agency": obj.case.agency.name,
            "score": obj.total_score,
            "passed": _("合格") if obj.passed else _("不合格"),
            "finalized_at": timezone.localtime(obj.finalized_at).strftime("%Y-%m-%d") if obj.finalized_at else "",
        }
    if kind == OFFICERS:
        return {
            "name": Link(obj.name, reverse("officer-detail", args=[obj.pk])),
            "agency": obj.agency.name,
            "certificate": "、".join(c.number for c in obj.usable),
            "cases": obj.period_cases,
        }
    return {"law": str(obj.law), "article": obj.citation, "uses": obj.uses}


def table(kind, objects, title):
    return Table(title, COLUMNS[kind], [row(kind, obj) for obj in objects])
