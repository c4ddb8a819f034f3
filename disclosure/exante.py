"""What the public may see of the core data (事前公开, T-ex-ante), in one place.

Every public ex-ante page reads the live core tables through these querysets (no copies), so
what is shown is always current, and only the public fields are loaded (``only``): an officer's
ID number, phone or birth date are never read, let alone shown.

- agencies: active ones (a suspended or dissolved agency may not enforce);
- officers: active officers of active agencies holding a certificate valid today; only valid
  certificates are listed (《行政处罚法》第四十二条: only certified officers enforce, and the public
  checks an officer in the field by name or certificate number);
- power items: active items; their legal basis is the article text of their provisions;
- random-inspection items: those marked public (active).
"""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from lawenforce.models import Agency, Certificate, Officer, PowerItem
from lawenforce.views.helpers import has_valid_certificate, valid_certificate_q

from .models import RandomInspectionItem

OFFICER_PUBLIC_FIELDS = ("name", "agency__name", "agency__region__path")


def public_agencies():
    return Agency.objects.active()


def public_officers(today=None):
    today = today or timezone.localdate()
    valid = Certificate.objects.filter(valid_certificate_q(today)).only("number", "officer_id", "valid_to")
    return (
        Officer.objects.needing_certificate()
        .filter(active=True, agency__in=public_agencies())
        .filter(has_valid_certificate(today))
        .select_related("agency__region")
        .only(*OFFICER_PUBLIC_FIELDS)
        .prefetch_related(
            Prefetch("certificates", queryset=valid.prefetch_related("categories"), to_attr="public_certificates")
        )
        .order_by("agency__region__path", "agency__name", "name", "pk")
    )


def search_officers(officers, q):
    """By name (contains) or certificate number (contains): what a citizen reads off a badge."""
    q = (q or "").strip()
    if not q:
        return officers
    numbers = Certificate.objects.filter(number__icontains=q).values("officer_id")
    return officers.filter(Q(name__icontains=q) | Q(pk__in=numbers))


def public_power_items():
    return PowerItem.objects.filter(active=True).select_related("enforcement_category")


def holding_agencies_prefetch(to_attr="public_agencies"):
    return Prefetch(
        "agencies", queryset=public_agencies().select_related("region").only("name", "region__path"), to_attr=to_attr
    )


def public_inspection_items():
    return RandomInspectionItem.objects.public()


def agency_counts(agencies):
    """Annotate the public counts shown in the agency list: power items held, certified officers."""
    today = timezone.localdate()
    certified = Officer.objects.needing_certificate().filter(active=True).filter(has_valid_certificate(today))
    return agencies.annotate(
        n_powers=Count("power_items", filter=Q(power_items__active=True), distinct=True),
        n_officers=Count("officers", filter=Q(officers__in=certified), distinct=True),
    )
