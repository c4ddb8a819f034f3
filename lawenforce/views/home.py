"""The home page after login (工作台): what each role needs to see first, from real data.

- every officer (incl. agency head and legal reviewer): their agency, their certificates, their duties;
- agency head: the agency's officers and certificates, officers lacking a valid certificate, and the
  legal reviewer ratio against the 5% target of 国办发〔2018〕118号;
- supervisor: their region, the agencies in it and below (per sector, per lower region) and the
  agencies with officers whose certificates have lapsed;
- system administrator: totals and links to the admin.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import render

from lawenforce import calendar
from lawenforce.access import Role, officer_of, restrict, roles_of, scope_region
from lawenforce.models import (
    Agency,
    Certificate,
    Law,
    Officer,
    PowerItem,
    Region,
    Sector,
)

from .helpers import (
    LEGAL_REVIEWER_TARGET,
    has_lapsed_certificate,
    has_valid_certificate,
    path_codes,
    region_full_names,
    today,
    valid_certificate_q,
)

# The supervisor's list of agencies with lapsed certificates shows the worst ones first, up to this many.
FLAGGED_AGENCY_LIMIT = 50


def _officer_section(officer):
    agency = officer.agency
    path = agency.region.path
    certificates = list(officer.certificates.order_by("-valid_to").prefetch_related("categories"))
    day = today()
    return {
        "agency": agency,
        "region_full_name": region_full_names([path])[path],
        "certificates": certificates,
        "has_valid_certificate": any(cert.is_valid_on(day) for cert in certificates),
    }


def _agency_head_section(user, officer):
    day = today()
    team = list(
        restrict(Officer.objects.filter(agency_id=officer.agency_id, active=True), user).prefetch_related(
            Prefetch("certificates", queryset=Certificate.objects.order_by("-valid_to"))
        )
    )
    reviewers = sum(o.is_legal_reviewer for o in team)
    ratio = reviewers / len(team) if team else None
    return {
        "team": team,
        "team_size": len(team),
        "lacking_count": sum(o.needs_certificate and o.valid_certificate(day) is None for o in team),
        "reviewer_count": reviewers,
        "reviewer_ratio": ratio,
        "reviewer_target": LEGAL_REVIEWER_TARGET,
        "reviewer_target_met": ratio is not None and ratio >= LEGAL_REVIEWER_TARGET,
        # The smallest number of reviewers that meets the target for this team size.
        "reviewer_needed": max(0, -(-len(team) * 5 // 100) - reviewers) if team else 0,
    }


def _supervisor_section(user):
    day = today()
    region = scope_region(user)
    agencies = restrict(Agency.objects.all(), user)
    by_sector = dict(agencies.order_by().values_list("sector").annotate(n=Count("pk")))

    # Agencies per region directly below the supervisor's region (and the region itself).
    depth = len(path_codes(region.path))
    per_child = {}
    for path in agencies.order_by().values_list("region__path", flat=True):
        codes = path_codes(path)
        key = codes[depth] if len(codes) > depth else None
        per_child[key] = per_child.get(key, 0) + 1
    children = Region.objects.filter(parent=region).order_by("path")
    child_rows = [(child, per_child.get(child.code, 0)) for child in children]

    officers = restrict(Officer.objects.filter(active=True), user)
    lapsed = officers.needing_certificate().filter(has_lapsed_certificate(day), ~has_valid_certificate(day))
    lapsed_by_agency = dict(lapsed.order_by().values_list("agency").annotate(n=Count("pk")))
    flagged = list(agencies.filter(pk__in=lapsed_by_agency).select_related("region"))
    for agency in flagged:
        agency.lapsed_count = lapsed_by_agency[agency.pk]
    flagged.sort(key=lambda a: (-a.lapsed_count, a.region.path, a.name))
    flagged = flagged[:FLAGGED_AGENCY_LIMIT]
    names = region_full_names([region.path, *(a.region.path for a in flagged)])
    for agency in flagged:
        agency.region_full_name = names[agency.region.path]

    return {
        "region": region,
        "region_full_name": names[region.path],
        "agency_total": sum(by_sector.values()),
        "own_region_count": per_child.get(None, 0),
        "sector_counts": [(value, label, by_sector[value]) for value, label in Sector.choices if by_sector.get(value)],
        "child_rows": child_rows,
        "officer_total": officers.count(),
        "lacking_total": officers.needing_certificate().filter(~has_valid_certificate(day)).count(),
        "flagged": flagged,
        "flagged_total": len(lapsed_by_agency),
    }


def _sysadmin_section():
    day = today()
    officers = Officer.objects.filter(active=True)
    return {
        "region_count": Region.objects.count(),
        "agency_count": Agency.objects.active().count(),
        "officer_count": officers.count(),
        "valid_certificate_count": Certificate.objects.filter(valid_certificate_q(day)).count(),
        "lacking_count": officers.needing_certificate().filter(~has_valid_certificate(day)).count(),
        "unlinked_count": officers.filter(user__isnull=True).count(),
        "power_item_count": PowerItem.objects.filter(active=True).count(),
        "law_count": Law.objects.count(),
        # Periods that end next year cannot be computed until its State Council notice is entered.
        "unknown_calendar_years": [y for y in (day.year, day.year + 1) if not calendar.is_known_year(y)],
    }


@login_required
def home(request):
    user = request.user
    roles = roles_of(user)
    officer = officer_of(user)
    context = {"roles": roles, "officer": officer}
    if officer is not None:
        context["me"] = _officer_section(officer)
        context["duties"] = [role.label for role in Role if role in roles and role != Role.SYSADMIN]
    if Role.AGENCY_HEAD in roles:
        context["head"] = _agency_head_section(user, officer)
    if Role.SUPERVISOR in roles:
        context["supervision"] = _supervisor_section(user)
    if Role.SYSADMIN in roles:
        context["admin_totals"] = _sysadmin_section()
    context["no_role"] = officer is None and Role.SYSADMIN not in roles
    return render(request, "home/home.html", context)
