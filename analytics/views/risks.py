"""The risk list a supervisor acts on: acknowledge, resolve with what was done, or dismiss with
a reason. Agencies see their own risks (read-only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics import scope as scopes
from analytics.forms import RiskActionForm
from analytics.models import RiskItem, RiskState
from analytics.risks import BY_RULE
from analytics.tables import Column, Table
from lawenforce.access import get_in_scope_or_404, officer_of, restrict

from .common import base_context, export, wants_xlsx

OPEN_STATES = (RiskState.OPEN, RiskState.ACKNOWLEDGED)


def _notice_url():
    """The supervision app's "issue a notice" page, when it exists (issue 6)."""
    for name in ("supervision:notice-new", "supervision:notice-create"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def _risks(request, scope, period, show):
    risks = restrict(RiskItem.objects.all(), request.user).filter(**scope.case_filter(), year=period.year)
    if show != "all":
        risks = risks.filter(state__in=OPEN_STATES)
    return risks.select_related("agency__region", "handled_by").order_by("state", "-updated_at", "pk")


@login_required
def risk_list(request, form_for=None, bound=None):
    context = base_context(request, "analytics:risks")
    scope, period = context["scope"], context["period"]
    show = request.GET.get("show", "")
    risks = list(_risks(request, scope, period, show))
    for risk in risks:
        risk.rule_def = BY_RULE.get(risk.rule)
        risk.form = bound if bound is not None and risk.pk == form_for else RiskActionForm(initial={"state": RiskState.ACKNOWLEDGED})
    table = Table(
        _("风险提示"),
        [
            Column("agency", _("执法主体")),
            Column("rule", _("风险")),
            Column("detail", _("说明")),
            Column("action", _("建议措施")),
            Column("state", _("处理状态")),
            Column("note", _("处理意见")),
            Column("updated", _("更新时间")),
        ],
        [
            {
                "agency": r.agency.name,
                "rule": r.rule_def.title if r.rule_def else r.rule,
                "detail": r.detail,
                "action": r.rule_def.action if r.rule_def else "",
                "state": r.get_state_display(),
                "note": r.note,
                "updated": timezone.localtime(r.updated_at).strftime("%Y-%m-%d %H:%M"),
            }
            for r in risks
        ],
    )
    if wants_xlsx(request):
        return export([table], _("风险提示"), scope, period)
    context.update(
        {"risks": risks, "show": show, "can_act": scopes.is_supervising(request.user), "notice_url": _notice_url()}
    )
    return render(request, "analytics/risks.html", context, status=400 if bound is not None else 200)


@login_required
def risk_action(request, pk):
    if request.method != "POST":
        return redirect("analytics:risks")
    if not scopes.is_supervising(request.user):
        raise PermissionDenied
    risk = get_in_scope_or_404(RiskItem.objects.all(), request.user, "view", pk=pk)
    form = RiskActionForm(request.POST)
    if not form.is_valid():
        return risk_list(request, form_for=risk.pk, bound=form)
    risk.state = form.cleaned_data["state"]
    risk.note = form.cleaned_data["note"].strip()
    risk.handled_by = officer_of(request.user)
    risk.handled_at = timezone.now()
    risk.save(update_fields=["state", "note", "handled_by", "handled_at"])
    messages.success(request, _("已记录：%(agency)s，%(state)s。") % {"agency": risk.agency.name, "state": risk.get_state_display()})
    return redirect(f"{reverse('analytics:risks')}?{request.GET.urlencode()}")
