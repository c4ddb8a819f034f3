"""Repeat offenders and problem enterprises, read from the RepeatParty snapshot."""

from django.db.models import Count, Max, Sum

from analytics.models import RepeatParty
from cases.views.common import mask_id

# A party is shown as a problem enterprise (问题企业) from this many decisions in the period, or
# from this much in fines: repeat violations or heavy penalties call for credit supervision.
PROBLEM_DECISIONS = 3
PROBLEM_FINES = 100_000


def repeat_parties(scope, years, kind="", minimum=2, limit=200):
    """Parties with at least `minimum` violation decisions by agencies in `scope` in `years`."""
    rows = RepeatParty.objects.filter(**scope.case_filter(), year__in=years)
    if kind == "person":
        rows = rows.filter(is_person=True)
    elif kind == "organisation":
        rows = rows.filter(is_person=False)
    grouped = (
        rows.values("identifier", "is_person")
        .annotate(
            decisions=Sum("decisions"),
            penalties=Sum("penalties"),
            fines=Sum("fines"),
            agencies=Count("agency", distinct=True),
            last=Max("last_decided_on"),
            name=Max("name"),
            party_kind=Max("party_kind"),
            row=Max("pk"),
        )
        .filter(decisions__gte=minimum)
        .order_by("-decisions", "-fines", "identifier")
    )
    return list(grouped[:limit])


def shown_identifier(identifier, is_person):
    """A natural person's ID number is masked on every page and export; credit codes are public."""
    return mask_id(identifier) if is_person else identifier


def is_problem(row):
    return row["decisions"] >= PROBLEM_DECISIONS or (row["fines"] or 0) >= PROBLEM_FINES
