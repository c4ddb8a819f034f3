"""The public ex-ante disclosure pages (事前公开): agencies, officers, power items, procedures,
random inspections. No login; they read the live core tables through disclosure.exante (only
public rows and fields), page long lists, and keep a fixed number of queries per page.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.workflow.graph import FLOWS
from lawenforce.models import PenaltyKind, Region
from lawenforce.views.helpers import (
    filter_agencies,
    paginate,
    query_without_page,
    region_choices,
    region_full_names,
)

from . import exante, flowcharts
from .forms_exante import (
    InspectionFilterForm,
    OfficerSearchForm,
    PowerFilterForm,
    PublicAgencyFilterForm,
)

PAGE_SIZE = 30


def _agency_filter(form):
    """The agencies selected by a PublicFilterForm's region / sector / agency, or None for all."""
    if not (form.is_bound and form.is_valid()):
        return None
    data = form.cleaned_data
    agencies = exante.public_agencies()
    chosen = False
    if data.get("region"):
        region = Region.objects.filter(code=data["region"]).first()
        if region:
            agencies, chosen = agencies.filter(region__path__startswith=region.path), True
    if data.get("sector"):
        agencies, chosen = agencies.filter(sector=data["sector"]), True
    if data.get("agency"):
        agencies, chosen = agencies.filter(pk=data["agency"]), True
    return agencies.values("pk") if chosen else None


def _chosen_agency(form):
    if form.is_bound and form.is_valid() and form.cleaned_data.get("agency"):
        return exante.public_agencies().filter(pk=form.cleaned_data["agency"]).first()
    return None


def _context(request, form, page, **extra):
    return {"form": form, "page": page, "query": query_without_page(request), "filtered": form.is_bound, **extra}


@require_GET
def agency_list(request):
    agencies = exante.public_agencies()
    form = PublicAgencyFilterForm(request.GET or None, region_choices=region_choices(agencies))
    listed = filter_agencies(agencies, form)
    if form.is_bound and form.is_valid() and form.cleaned_data["kind"]:
        listed = listed.filter(kind=form.cleaned_data["kind"])
    listed = exante.agency_counts(
        listed.select_related("region", "entrusting_agency").only(
            "name", "kind", "sector", "complaint_phone", "region__path", "entrusting_agency__name"
        )
    ).order_by("region__path", "name", "pk")
    page = paginate(request, listed, PAGE_SIZE)
    names = region_full_names(a.region.path for a in page)
    for agency in page:
        agency.region_full_name = names[agency.region.path]
    return render(request, "public/agency_list.html", _context(request, form, page, section="agencies"))


@require_GET
def agency_detail(request, pk):
    agency = get_object_or_404(
        exante.public_agencies().select_related("region", "entrusting_agency"), pk=pk
    )  # not active: not public (404)
    agency.region_full_name = region_full_names([agency.region.path])[agency.region.path]
    powers = list(exante.public_power_items().filter(agencies=agency).order_by("action_category", "code"))
    entrusted = list(exante.public_agencies().filter(entrusting_agency=agency).only("name"))
    officers = exante.public_officers().filter(agency=agency).count()
    inspections = list(exante.public_inspection_items().filter(agencies=agency).only("name"))
    context = {
        "agency": agency,
        "powers": powers,
        "entrusted": entrusted,
        "officer_count": officers,
        "inspections": inspections,
        "section": "agencies",
    }
    return render(request, "public/agency_detail.html", context)


@require_GET
def officer_list(request):
    agencies = exante.public_agencies()
    form = OfficerSearchForm(request.GET or None, region_choices=region_choices(agencies))
    officers = exante.public_officers()
    selected = _agency_filter(form)
    if selected is not None:
        officers = officers.filter(agency__in=selected)
    if form.is_bound and form.is_valid():
        officers = exante.search_officers(officers, form.cleaned_data["q"])
    page = paginate(request, officers, PAGE_SIZE)
    context = _context(request, form, page, section="officers", agency=_chosen_agency(form))
    return render(request, "public/officer_list.html", context)


@require_GET
def power_list(request):
    agencies = exante.public_agencies()
    form = PowerFilterForm(request.GET or None, region_choices=region_choices(agencies))
    items = exante.public_power_items()
    selected = _agency_filter(form)
    if selected is not None:
        items = items.filter(agencies__in=selected).distinct()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["category"]:
            items = items.filter(action_category=data["category"])
        if data["q"]:
            q = data["q"].strip()
            items = items.filter(name__icontains=q) | items.filter(code__icontains=q)
    items = items.prefetch_related(exante.holding_agencies_prefetch()).order_by("code")
    page = paginate(request, items, PAGE_SIZE)
    context = _context(request, form, page, section="powers", agency=_chosen_agency(form))
    return render(request, "public/power_list.html", context)


@require_GET
def power_detail(request, code):
    item = get_object_or_404(
        exante.public_power_items().prefetch_related(
            exante.holding_agencies_prefetch(),
            "provisions__law",
            "discretion_standards",
        ),
        code=code,
    )
    names = region_full_names(a.region.path for a in item.public_agencies)
    for agency in item.public_agencies:
        agency.region_full_name = names[agency.region.path]
    standards = list(item.discretion_standards.all())
    for standard in standards:
        standard.penalty_labels = [str(PenaltyKind(k).label) for k in standard.penalty_kinds if k in PenaltyKind.values]
    inspections = list(exante.public_inspection_items().filter(power_items=item).only("name"))
    context = {"item": item, "standards": standards, "inspections": inspections, "section": "powers"}
    return render(request, "public/power_detail.html", context)


@require_GET
def inspection_list(request):
    agencies = exante.public_agencies()
    form = InspectionFilterForm(request.GET or None, region_choices=region_choices(agencies))
    items = exante.public_inspection_items()
    selected = _agency_filter(form)
    if selected is not None:
        items = items.filter(agencies__in=selected).distinct()
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        items = items.filter(name__icontains=q) | items.filter(subjects__icontains=q)
    items = items.prefetch_related(
        exante.holding_agencies_prefetch(),
        "power_items__provisions__law",
    ).order_by("name", "pk")
    page = paginate(request, items, PAGE_SIZE)
    context = _context(request, form, page, section="inspections", agency=_chosen_agency(form))
    return render(request, "public/inspection_list.html", context)


@require_GET
def procedures(request):
    charts = []
    for flow in FLOWS.values():
        entries, states = flowcharts.text_steps(flow)
        charts.append({"flow": flow, "svg": flowcharts.render_svg(flow), "entries": entries, "states": states})
    return render(request, "public/procedures.html", {"charts": charts, "section": "procedures"})


@require_GET
def procedure_svg(request, key):
    flow = FLOWS.get(key)
    if flow is None:
        raise Http404(_("没有这种执法程序的流程图。"))
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + flowcharts.render_svg(flow, standalone=True)
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="procedure-{flow.key}.svg"'
    return response
