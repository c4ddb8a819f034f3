"""Alerts (监督预警): the list in the user's scope, one alert with its facts, article and record,
and the actions of its lifecycle; the rule catalogue."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lawenforce.access import get_in_scope_or_404, restrict
from lawenforce.views.helpers import paginate, query_without_page
from supervision.forms import AlertFilterForm, TextForm
from supervision.models import ACTIVE_STATES, Alert, AlertState, SupervisionSettings
from supervision.rules import CATALOGUE, get_rule
from supervision.services import alerts as service

from .common import is_supervisor, show_error, staff_required

PAGE_SIZE = 30


def filter_alerts(alerts, form):
    if not (form.is_bound and form.is_valid()):
        return alerts
    data = form.cleaned_data
    if data["rule"]:
        alerts = alerts.filter(rule=data["rule"])
    if data["group"]:
        alerts = alerts.filter(rule__in=[c for c, r in CATALOGUE.items() if r.group == data["group"]])
    if data["state"] == "active":
        alerts = alerts.filter(state__in=ACTIVE_STATES)
    elif data["state"]:
        alerts = alerts.filter(state=data["state"])
    if data["severity"]:
        alerts = alerts.filter(severity=data["severity"])
    if data["agency"]:
        alerts = alerts.filter(agency_id=data["agency"])
    if data["q"]:
        q = data["q"].strip()
        alerts = alerts.filter(
            Q(case__number__icontains=q)
            | Q(case__decision_number__icontains=q)
            | Q(case__title__icontains=q)
            | Q(agency__name__icontains=q)
        )
    return alerts


def describe(alert, today):
    rule = get_rule(alert.rule)
    return rule.describe(alert.facts, today) if rule else alert.message


@staff_required
def alert_list(request):
    form = AlertFilterForm(request.GET or None)
    alerts = filter_alerts(restrict(Alert.objects.all(), request.user), form)
    counts = dict(alerts.order_by().values_list("state").annotate(n=Count("pk")))
    alerts = alerts.select_related("case", "agency").order_by("-raised_at", "-pk")
    page = paginate(request, alerts, PAGE_SIZE)
    today = timezone.localdate()
    for alert in page:
        alert.text = describe(alert, today)
    return render(
        request,
        "supervision/alert_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "counts": [(s, s.label, counts.get(s.value, 0)) for s in AlertState],
            "supervising": is_supervisor(request.user) or request.user.is_superuser,
        },
    )


@staff_required
def alert_detail(request, pk):
    alert = get_in_scope_or_404(
        Alert.objects.select_related("case__agency", "agency", "resolved_by"), request.user, pk=pk
    )
    return _render_detail(request, alert, TextForm())


def _render_detail(request, alert, form, status=200):
    rule = get_rule(alert.rule)
    context = {
        "alert": alert,
        "rule": rule,
        "text": describe(alert, timezone.localdate()),
        "entries": alert.entries.select_related("actor"),
        "notices": alert.notices.select_related("bureau"),
        "actions": service.allowed_actions(request.user, alert),
        "form": form,
        "supervising": is_supervisor(request.user),
    }
    return render(request, "supervision/alert_detail.html", context, status=status)


@staff_required
@require_POST
def alert_action(request, pk, action):
    alert = get_in_scope_or_404(Alert.objects.select_related("case__agency", "agency"), request.user, pk=pk)
    if action not in service.ACTIONS:
        return redirect("supervision:alert", pk=alert.pk)
    form = TextForm(request.POST)
    form.is_valid()
    try:
        service.ACTIONS[action](alert, request.user, form.cleaned_data.get("text", ""))
    except ValidationError as error:
        show_error(form, error)
        return _render_detail(request, alert, form, status=400)
    messages.success(request, _("已保存。"))
    return redirect("supervision:alert", pk=alert.pk)


@staff_required
def rule_catalogue(request):
    settings = SupervisionSettings.current()
    open_counts = dict(
        restrict(Alert.objects.filter(state__in=ACTIVE_STATES), request.user)
        .order_by()
        .values_list("rule")
        .annotate(n=Count("pk"))
    )
    rules = [
        {"rule": rule, "thresholds": rule.thresholds(settings), "open": open_counts.get(code, 0)}
        for code, rule in CATALOGUE.items()
    ]
    return render(request, "supervision/rules.html", {"rules": rules, "settings": settings})
