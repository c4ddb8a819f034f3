"""What every analytics page shares: the scope and period from the query string, the scope
picker, and the Excel answer of a page's tables."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics import queries
from analytics import scope as scopes
from analytics.models import IndicatorValue
from analytics.periods import MONTH, QUARTER, YEAR, Period
from analytics.tables import xlsx_response


def parse_period(request):
    text = request.GET.get("period", "")
    if not text:
        return Period(timezone.localdate().year)
    try:
        return Period.parse(text)
    except ValueError:
        raise Http404(_("期间格式不正确：请使用 2025、2025-Q1 或 2025-03。"))


def period_choices(selected):
    years = sorted(set(IndicatorValue.objects.values_list("year", flat=True).distinct()) | {selected.year}, reverse=True)
    options = []
    for year in years:
        options.append(Period(year, YEAR))
        options += [Period(year, QUARTER, q) for q in range(1, 5)]
        options += [Period(year, MONTH, m) for m in range(1, 13)]
    return options


def scope_choices(user, current):
    """The scopes a user can pick: their region tree (supervisors) or their agency."""
    home = scopes.default_scope(user)
    options = [home]
    if home.is_region:
        from lawenforce.models import Region

        for region in Region.objects.subtree(home.obj).exclude(pk=home.obj.pk).order_by("path"):
            options.append(scopes.Scope("region", region))
    if current.key not in {o.key for o in options}:
        options.append(current)
    return options


def base_context(request, url_name, **kwargs):
    scope = scopes.resolve(request.user, request.GET.get("scope", ""))
    period = parse_period(request)
    return {
        "scope": scope,
        "period": period,
        "scope_options": scope_choices(request.user, scope),
        "period_options": period_choices(period),
        "breadcrumbs": scopes.breadcrumbs(request.user, scope),
        "supervising": scopes.is_supervising(request.user),
        "last_run": queries.last_run(),
        "form_action": reverse(url_name, kwargs=kwargs),
        "export_query": _with(request, format="xlsx"),
    }


def _with(request, **extra):
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in extra.items():
        query[key] = value
    return query.urlencode()


def wants_xlsx(request):
    return request.GET.get("format") == "xlsx"


def export(tables, name, scope, period):
    return xlsx_response(tables, f"{name}-{scope.name}-{period}")


