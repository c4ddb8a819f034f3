"""Officers in the user's data scope and their certificates. Resident ID numbers are never shown."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from lawenforce.access import get_in_scope_or_404, restrict
from lawenforce.models import Certificate, Officer

from .forms import OfficerFilterForm
from .helpers import (
    expiry_horizon,
    has_valid_certificate,
    paginate,
    query_without_page,
    region_full_names,
    today,
    valid_certificate_q,
)

OFFICER_PAGE_SIZE = 30


def _certificates():
    return Prefetch("certificates", queryset=Certificate.objects.order_by("-valid_to"))


@login_required
def officer_list(request):
    user = request.user
    day = today()
    officers = (
        restrict(Officer.objects.filter(active=True), user).select_related("agency").prefetch_related(_certificates())
    )
    form = OfficerFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            officers = officers.filter(name__icontains=data["q"])
        if data["cert"] == OfficerFilterForm.LACKING:
            officers = officers.needing_certificate().filter(~has_valid_certificate(day))
        elif data["cert"] == OfficerFilterForm.EXPIRING:
            expiring = Certificate.objects.filter(valid_certificate_q(day), valid_to__lte=expiry_horizon(day))
            officers = officers.filter(pk__in=expiring.values("officer"))
    page = paginate(request, officers, OFFICER_PAGE_SIZE)
    return render(request, "officers/list.html", {"form": form, "page": page, "query": query_without_page(request)})


@login_required
def officer_detail(request, pk):
    officer = get_in_scope_or_404(
        Officer.objects.select_related("agency__region").prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.order_by("-valid_to").prefetch_related("categories"),
            )
        ),
        request.user,
        pk=pk,
    )
    path = officer.agency.region.path
    context = {
        "officer": officer,
        "region_full_name": region_full_names([path])[path],
        "certificates": officer.certificates.all(),
    }
    return render(request, "officers/detail.html", context)
