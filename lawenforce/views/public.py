"""The public landing page: what the platform is, and the enforcement agencies the public may know about.

Only information that the enforcement disclosure rules (行政执法公示制度) make public is shown:
agency name, kind, sector, region and complaint phone, and aggregate counts. Nothing personal.
"""

from django.db.models import Count
from django.shortcuts import render

from lawenforce.models import Agency, AgencyKind, Sector

from .forms import AgencyFilterForm
from .helpers import filter_agencies, paginate, query_without_page, region_choices, region_full_names

PUBLIC_PAGE_SIZE = 50


def public_home(request):
    agencies = Agency.objects.active()
    form = AgencyFilterForm(request.GET or None, region_choices=region_choices(agencies))
    listed = agencies.select_related("region").only(
        "name", "kind", "sector", "complaint_phone", "region__path", "region__name"
    )
    listed = filter_agencies(listed, form)
    page = paginate(request, listed, PUBLIC_PAGE_SIZE)
    full_names = region_full_names(a.region.path for a in page)
    for agency in page:
        agency.region_full_name = full_names[agency.region.path]

    by_sector = dict(agencies.order_by().values_list("sector").annotate(n=Count("pk")))
    by_kind = dict(agencies.order_by().values_list("kind").annotate(n=Count("pk")))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "total": sum(by_sector.values()),
        "sector_counts": [(label, by_sector[value]) for value, label in Sector.choices if by_sector.get(value)],
        "kind_counts": [(label, by_kind[value]) for value, label in AgencyKind.choices if by_kind.get(value)],
        "filtered": form.is_bound,
        "section": "home",
    }
    return render(request, "public/home.html", context)
