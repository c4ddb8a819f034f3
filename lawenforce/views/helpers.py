"""Small helpers shared by the page views: region names in bulk, certificate states, paging."""

import datetime

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lawenforce.models import Certificate, CertificateStatus, Region, RegionLevel

# Certificates that end within this many days are flagged so they are renewed in time.
EXPIRY_WARNING_DAYS = 90

# 国办发〔2018〕118号: legal reviewers should in principle be at least 5% of an agency's officers.
LEGAL_REVIEWER_TARGET = 0.05


def path_codes(path):
    return [code for code in (path or "").split("/") if code]


def region_full_names(paths):
    """{path: full name} for region paths ("370000/370800/"), with one query for all of them.

    `Region.full_name` costs a query per region; a list page calls this once instead.
    """
    paths = set(paths)
    codes = {code for path in paths for code in path_codes(path)}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return {path: "".join(names.get(code, "") for code in path_codes(path)) for path in paths}


def region_choices(agency_queryset, root=None):
    """(code, label) choices of regions that hold agencies of the queryset, down to county level.

    Labels are indented by level so the tree reads in a plain <select>.
    """
    codes = set()
    for path in agency_queryset.order_by().values_list("region__path", flat=True).distinct():
        codes.update(path_codes(path))
    regions = Region.objects.filter(code__in=codes, level__lte=RegionLevel.COUNTY)
    if root is not None:
        regions = regions.filter(path__startswith=root.path)
    regions = list(regions.order_by("path"))
    top = min((r.level for r in regions), default=1)
    return [(r.code, "\u3000" * (r.level - top) + r.name) for r in regions]


def valid_certificate_q(today, prefix=""):
    """Q for a certificate valid on `today` (status valid and the date inside its period)."""
    return Q(
        **{
            f"{prefix}status": CertificateStatus.VALID,
            f"{prefix}valid_from__lte": today,
            f"{prefix}valid_to__gte": today,
        }
    )


def has_valid_certificate(today):
    """Exists() over an officer's certificates valid on `today`, for Officer querysets."""
    return Exists(Certificate.objects.filter(valid_certificate_q(today), officer=OuterRef("pk")))


def has_lapsed_certificate(today):
    """Exists() over an officer's certificates that have expired (by status or by date)."""
    return Exists(
        Certificate.objects.filter(
            Q(status=CertificateStatus.EXPIRED) | Q(status=CertificateStatus.VALID, valid_to__lt=today),
            officer=OuterRef("pk"),
        )
    )


def today():
    return timezone.localdate()


def expiry_horizon(day):
    return day + datetime.timedelta(days=EXPIRY_WARNING_DAYS)


def paginate(request, queryset, per_page):
    """The requested page; a page number out of range or not a number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request):
    """The current GET query without `page`, for pagination links that keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def filter_agencies(agencies, form):
    """Apply the agency filter form (region and below, sector, name contains) to a queryset."""
    if not (form.is_bound and form.is_valid()):
        return agencies
    data = form.cleaned_data
    if data["region"]:
        region = Region.objects.filter(code=data["region"]).first()
        if region:
            agencies = agencies.filter(region__path__startswith=region.path)
    if data["sector"]:
        agencies = agencies.filter(sector=data["sector"])
    if data["q"]:
        agencies = agencies.filter(name__icontains=data["q"])
    return agencies
