"""Agencies in the user's data scope: the list (filterable, paged) and one agency's page."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import render

from lawenforce.access import Role, get_in_scope_or_404, restrict, roles_of, scope_region
from lawenforce.models import Agency, Certificate, Officer, PowerItem

from .forms import AgencyFilterForm
from .helpers import filter_agencies, paginate, query_without_page, region_choices, region_full_names

AGENCY_PAGE_SIZE = 30


@login_required
def agency_list(request):
    user = request.user
    scoped = restrict(Agency.objects.all(), user)
    roles = roles_of(user)
    # An officer's scope is one agency: filters only help those who watch many.
    show_filters = bool(roles & {Role.SUPERVISOR, Role.SYSADMIN})
    form = AgencyFilterForm(
        request.GET or None,
        region_choices=region_choices(scoped, root=scope_region(user)) if show_filters else (),
    )
    agencies = scoped.select_related("region").order_by("region__path", "name")
    agencies = filter_agencies(agencies, form)
    page = paginate(request, agencies, AGENCY_PAGE_SIZE)
    full_names = region_full_names(a.region.path for a in page)
    # Officer counts for this page only: a GROUP BY over the whole scope before paging costs
    # a supervisor of a large region tens of milliseconds (docs/benchmarks.md).
    officer_counts = dict(
        Officer.objects.filter(agency__in=[a.pk for a in page], active=True)
        .order_by()
        .values_list("agency")
        .annotate(n=Count("pk"))
    )
    for agency in page:
        agency.region_full_name = full_names[agency.region.path]
        agency.officer_count = officer_counts.get(agency.pk, 0)
    context = {
        "form": form,
        "show_filters": show_filters,
        "page": page,
        "query": query_without_page(request),
        "scope_region": scope_region(user),
    }
    return render(request, "agencies/list.html", context)


@login_required
def agency_detail(request, pk):
    user = request.user
    agency = get_in_scope_or_404(Agency.objects.select_related("region", "entrusting_agency"), user, pk=pk)
    power_items = (
        PowerItem.objects.held_by(agency)
        .filter(active=True)
        .select_related("enforcement_category")
        .prefetch_related("provisions__law")
    )
    officers = restrict(Officer.objects.filter(agency=agency, active=True), user).prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by("-valid_to"))
    )
    officers = list(officers)
    context = {
        "agency": agency,
        "region_full_name": region_full_names([agency.region.path])[agency.region.path],
        "power_items": power_items,
        "officers": officers,
        "legal_reviewer_count": sum(o.is_legal_reviewer for o in officers),
        "lacking_count": sum(o.needs_certificate and o.valid_certificate() is None for o in officers),
    }
    return render(request, "agencies/detail.html", context)
