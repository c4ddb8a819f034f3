"""Annual statistics reports: the public list and detail, and the agency-side review and publication.

Public pages show published reports only (a draft is 404 by URL). The agency pages use
lawenforce.access.restrict: officers see their own agency's reports, supervisors their region's
and below (with the late ones flagged, T-annual), out of scope is 404. Only the agency head
publishes (disclosure.annual.check_can_publish).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from analytics.statistics import SKIPPED, _choice_labels, flatten
from lawenforce.access import Role, get_in_scope_or_404, officer_of, restrict, roles_of
from lawenforce.models import Agency, Region
from lawenforce.views.helpers import paginate, query_without_page, region_choices, region_full_names

from . import annual, exante
from .forms_exante import AnnualFilterForm
from .models import AnnualReport, AnnualReportState

PAGE_SIZE = 30


class PublishForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("对统计数据的说明（如口径、变化原因），随年报一并公开。"),
    )


def _filter_reports(reports, form):
    if not (form.is_bound and form.is_valid()):
        return reports
    data = form.cleaned_data
    if data.get("year"):
        reports = reports.filter(year=data["year"])
    if data.get("region"):
        region = Region.objects.filter(code=data["region"]).first()
        if region:
            reports = reports.filter(agency__region__path__startswith=region.path)
    if data.get("sector"):
        reports = reports.filter(agency__sector=data["sector"])
    if data.get("agency"):
        reports = reports.filter(agency_id=data["agency"])
    return reports


SECTIONS = {
    "cases": gettext_lazy("案件办理"),
    "penalties": gettext_lazy("行政处罚"),
    "procedure": gettext_lazy("程序与法制审核"),
    "execution": gettext_lazy("执行"),
    "complaints": gettext_lazy("投诉举报"),
    "disclosure": gettext_lazy("处罚信息公示"),
    "remedies": gettext_lazy("行政复议与行政诉讼"),
    "officers": gettext_lazy("执法人员"),
}


def _rows(report):
    """[(section title, [(header, value)…])…]: the figures in readable Chinese tables, one per part."""
    labels = _choice_labels()
    out = []
    for key, value in report.figures.items():
        if key in SKIPPED:
            continue
        rows = flatten({key: value}, labels)
        if rows:
            out.append((SECTIONS.get(key, key), rows))
    return out


# --- Public -------------------------------------------------------------------------------------


@require_GET
def public_list(request):
    form = AnnualFilterForm(request.GET or None, region_choices=region_choices(exante.public_agencies()))
    reports = AnnualReport.objects.published().select_related("agency__region").defer("figures", "note")
    reports = _filter_reports(reports, form).order_by("-year", "agency__region__path", "agency__name", "pk")
    page = paginate(request, reports, PAGE_SIZE)
    names = region_full_names(r.agency.region.path for r in page)
    for report in page:
        report.region_full_name = names[report.agency.region.path]
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "filtered": form.is_bound,
        "section": "annual",
    }
    return render(request, "public/annual_list.html", context)


@require_GET
def public_detail(request, pk):
    report = get_object_or_404(AnnualReport.objects.published().select_related("agency__region"), pk=pk)
    context = {"report": report, "rows": _rows(report), "section": "annual"}
    return render(request, "public/annual_detail.html", context)


# --- Agency side and supervision ------------------------------------------------------------------


@login_required
@require_GET
def manage_list(request):
    reports = restrict(AnnualReport.objects.all(), request.user).select_related("agency__region").defer("figures")
    form = AnnualFilterForm(request.GET or None, region_choices=region_choices(restrict(Agency.objects.all(), request.user)))
    reports = _filter_reports(reports, form)
    late_only = request.GET.get("late") == "1"
    today = timezone.localdate()
    if late_only:
        reports = reports.late(today)
    reports = reports.order_by("-year", "agency__region__path", "agency__name", "pk")
    page = paginate(request, reports, PAGE_SIZE)
    for report in page:
        report.late = report.is_late(today)
    roles = roles_of(request.user)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "filtered": form.is_bound,
        "late_only": late_only,
        "late_count": restrict(AnnualReport.objects.all(), request.user).late(today).count(),
        "is_supervisor": Role.SUPERVISOR in roles,
    }
    return render(request, "disclosure/annual_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manage_detail(request, pk):
    report = get_in_scope_or_404(
        AnnualReport.objects.select_related("agency__region", "published_by"), request.user, pk=pk
    )
    officer = officer_of(request.user)
    can_publish = True
    try:
        annual.check_can_publish(report, officer)
        refusal = ""
    except annual.AnnualReportError as exc:
        can_publish, refusal = False, str(exc)
    form = PublishForm(request.POST or None, initial={"note": report.note})
    if request.method == "POST":
        # Writing needs write scope: a supervisor may read a report, never act on it (404 as if absent).
        get_in_scope_or_404(AnnualReport.objects.all(), request.user, "change", pk=pk)
        action = request.POST.get("action")
        if action == "refresh" and not report.is_published:
            annual.build_report(report.agency, report.year)
            messages.success(request, _("已按最新数据重新生成统计数据。"))
            return redirect("disclosure-annual:detail", pk=report.pk)
        if action == "publish" and form.is_valid():
            try:
                report = annual.publish_report(report, officer, note=form.cleaned_data["note"])
            except annual.AnnualReportError as exc:
                form.add_error(None, str(exc))
            else:
                if report.is_late():
                    messages.warning(
                        request,
                        _("年报已公开，但晚于 %(due)s 的法定期限，已记为逾期公开并报执法监督机关。")
                        % {"due": report.due_on},
                    )
                else:
                    messages.success(request, _("年报已公开，并已记入存证日志。"))
                return redirect("disclosure-annual:detail", pk=report.pk)
    context = {
        "report": report,
        "rows": _rows(report),
        "form": form,
        "can_publish": can_publish,
        "refusal": refusal,
        "late": report.is_late(),
        "can_write": not report.is_published
        and restrict(AnnualReport.objects.filter(pk=report.pk), request.user, "change").exists(),
        "states": AnnualReportState,
    }
    return render(request, "disclosure/annual_detail.html", context)
