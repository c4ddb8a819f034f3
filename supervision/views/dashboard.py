"""The supervisor's dashboard (执法监督驾驶舱), scoped to their region, from precomputed figures;
and the drill-down list of the cases behind any number on it."""

from django.db.models import Count, Max, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseState
from lawenforce.access import agencies_in_scope, restrict, scope_region
from lawenforce.models import Agency, Region
from lawenforce.views.helpers import paginate, query_without_page, region_full_names
from supervision.dashboard import figures as F
from supervision.forms import CaseDrillForm
from supervision.models import ACTIVE_STATES, Alert, DashboardFigure
from supervision.rules import CATALOGUE

from .common import supervisor_required

AGENCY_ROWS = 50


def _scope(request):
    """(agencies queryset, region shown): the user's scope, narrowed to ?region= within it."""
    agencies = agencies_in_scope(request.user)
    region = scope_region(request.user)
    code = request.GET.get("region", "")
    if code:
        wanted = Region.objects.filter(code=code).first()
        if wanted and (region is None or wanted.path.startswith(region.path)):
            region = wanted
            agencies = agencies.filter(region__path__startswith=wanted.path)
    return agencies, region


def _url(region, **params):
    query = {k: v for k, v in params.items() if v not in ("", None)}
    if region is not None:
        query.setdefault("region", region.code)
    return reverse("supervision:cases") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


@supervisor_required
def dashboard(request):
    agencies, region = _scope(request)
    figures = DashboardFigure.objects.filter(agency__in=agencies.values("pk"))
    totals = {}
    for metric, key, total in figures.order_by().values_list("metric", "key").annotate(total=Sum("value")):
        totals.setdefault(metric, {})[key] = total
    computed_at = DashboardFigure.objects.aggregate(at=Max("computed_at"))["at"]

    by_state = totals.get(F.CASES_BY_STATE, {})
    states = [
        {"key": s.value, "label": str(s.label), "value": by_state.get(s.value, 0), "url": _url(region, state=s.value)}
        for s in CaseState
    ]
    active = totals.get(F.ACTIVE_ALERTS_BY_RULE, {})
    every = totals.get(F.ALERTS_BY_RULE, {})
    rules = [
        {
            "code": code,
            "label": str(rule.title),
            "severity": rule.severity,
            "active": active.get(code, 0),
            "total": every.get(code, 0),
            "url": _url(region, rule=code, alert_state="active"),
            "url_all": _url(region, rule=code),
        }
        for code, rule in CATALOGUE.items()
    ]
    monthly = totals.get(F.ALERTS_BY_MONTH, {})
    trend = [{"key": m, "value": monthly.get(m, 0), "url": _url(region, month=m)} for m in F.months()]
    overdue = [r for r in rules if r["code"] in F.OVERDUE_RULES]
    evaluations = totals.get(F.EVALUATIONS, {})

    per_agency = {}
    rows = figures.filter(metric__in=[F.CASES_BY_STATE, F.ACTIVE_ALERTS_BY_RULE, F.EVALUATIONS]).order_by()
    for agency_id, metric, key, value in rows.values_list("agency_id", "metric", "key").annotate(v=Sum("value")):
        row = per_agency.setdefault(agency_id, {"cases": 0, "open": 0, "alerts": 0, "evaluated": 0, "passed": 0})
        if metric == F.CASES_BY_STATE:
            row["cases"] += value
            if key not in (CaseState.CLOSED, CaseState.ARCHIVED, CaseState.NOT_FILED):
                row["open"] += value
        elif metric == F.ACTIVE_ALERTS_BY_RULE:
            row["alerts"] += value
        else:
            row[key] = value
    top = sorted(per_agency.items(), key=lambda kv: (-kv[1]["alerts"], -kv[1]["cases"]))[:AGENCY_ROWS]
    names = dict(Agency.objects.filter(pk__in=[a for a, _ in top]).values_list("pk", "name"))
    agency_rows = [
        {
            "name": names.get(agency_id, ""),
            **row,
            "rate": round(100 * row["passed"] / row["evaluated"]) if row["evaluated"] else None,
            "url": _url(region, agency=agency_id),
            "alerts_url": _url(region, agency=agency_id, alert_state="active"),
        }
        for agency_id, row in top
    ]
    children = []
    if region is not None:
        child_regions = list(Region.objects.filter(parent=region).order_by("path"))
        if child_regions:
            paths = dict(Agency.objects.filter(pk__in=per_agency).values_list("pk", "region__path"))
            for child in child_regions:
                ids = [a for a, p in paths.items() if p.startswith(child.path)]
                children.append(
                    {
                        "region": child,
                        "cases": sum(per_agency[a]["cases"] for a in ids),
                        "alerts": sum(per_agency[a]["alerts"] for a in ids),
                        "url": reverse("supervision:dashboard") + f"?region={child.code}",
                    }
                )
    evaluated = evaluations.get("evaluated", 0)
    chart_data = {
        "states": states,
        "rules": sorted([r for r in rules if r["active"]], key=lambda r: -r["active"])[:12],
        "trend": trend,
        "agencies": [r for r in agency_rows if r["evaluated"]][:20],
    }
    context = {
        "region": region,
        "region_name": region_full_names([region.path])[region.path] if region else "",
        "computed_at": computed_at,
        "states": states,
        "total_cases": sum(s["value"] for s in states),
        "open_cases": sum(
            s["value"] for s in states if s["key"] not in (CaseState.CLOSED, CaseState.ARCHIVED, CaseState.NOT_FILED)
        ),
        "rules": rules,
        "active_alerts": sum(active.values()),
        "overdue": overdue,
        "overdue_total": sum(r["active"] for r in overdue),
        "evaluated": evaluated,
        "passed": evaluations.get("passed", 0),
        "pass_rate": round(100 * evaluations.get("passed", 0) / evaluated) if evaluated else None,
        "agency_rows": agency_rows,
        "agency_count": len(per_agency),
        "children": children,
        "chart_data": chart_data,
        "overdue_url": _url(region, group="overdue", alert_state="active"),
        "evaluated_url": _url(region, evaluation="evaluated"),
        "failed_url": _url(region, evaluation="failed"),
        "alerts_url": _url(region, alert_state="active"),
    }
    return render(request, "supervision/dashboard.html", context)


@supervisor_required
def drill_down(request):
    """The cases behind a dashboard number (live data, same definitions as the figures)."""
    form = CaseDrillForm(request.GET or None)
    agencies, region = _scope(request)
    cases = restrict(Case.objects.all(), request.user).filter(agency__in=agencies.values("pk"))
    if form.is_valid():
        data = form.cleaned_data
        if data["agency"]:
            cases = cases.filter(agency_id=data["agency"])
        cases = F.drill_cases(
            cases,
            state=data["state"],
            rule=data["rule"],
            group=data["group"],
            alert_state=data["alert_state"],
            month=data["month"] or "",
            evaluation=data["evaluation"],
        )
    cases = cases.select_related("agency").order_by("-created_at", "-pk")
    page = paginate(request, cases, 30)
    ids = [c.pk for c in page]
    counts = dict(
        Alert.objects.filter(case_id__in=ids, state__in=ACTIVE_STATES)
        .order_by()
        .values_list("case_id")
        .annotate(n=Count("pk"))
    )
    for case in page:
        case.active_alerts = counts.get(case.pk, 0)
    return render(
        request,
        "supervision/drill_down.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "region": region,
            "computed_at": timezone.now(),
        },
    )
