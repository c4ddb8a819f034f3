"""The figures of an agency's annual enforcement statistics (年报, T-annual): ``annual_figures(agency, year)``.

One source for the published annual report (disclosure.annual, disclosure.models.AnnualReport)
and the annual statistics page (analytics.statistics flattens this dict under its HEADERS). Every
figure is an aggregate over the live tables, in a fixed number of queries per agency (14, whatever
the number of cases), never a row loop over cases except for the per-kind count of the penalty
kinds list (one query, one column).

What counts in a year (Beijing time, 1 January to 31 December):
- cases: leads by the day received (ordinary procedure), filed by filing date, decisions by
  decision date (both procedures), closed by closing date;
- penalties: decisions of kind "给予行政处罚" by decision date; fines and confiscations are the
  amounts decided; collected money is what was paid in the year (cases.Payment);
- procedure: hearings by the day held, legal reviews by the day reviewed, deliberations by the day
  held, coercive measures by decision date; court applications by the day applied;
- complaints: received in the year (routed to the agency), accepted / rejected by their dates, and
  those turned into a case;
- disclosure: penalty records published in the year, of which published after their due date, and
  records withdrawn in the year;
- remedies: reconsideration and litigation filed in the year, concluded in the year (by kind), and
  of those overturned (changed, revoked, remade, confirmed unlawful or void);
- officers: officers of the agency holding a certificate valid on 31 December of the year (today
  for the current year), and legal reviewers on the staff now.
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

ZERO = Decimal("0.00")


def _money(value):
    return (value or ZERO).quantize(Decimal("0.01"))


def _day_range(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _moment_range(year):
    """Aware datetimes [start, end) of the year in the current time zone (Asia/Shanghai)."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _counts_by(queryset, field):
    return {key: n for key, n in queryset.order_by().values_list(field).annotate(n=Count("pk")) if key}


def annual_figures(agency, year):
    """{"agency": …, "year": …, "cases": {…}, "penalties": {…}, …}: the keys of analytics.statistics.HEADERS."""
    from cases.models import (
        Case,
        CaseState,
        CoerciveMeasure,
        CourtApplication,
        DecisionKind,
        Deliberation,
        Hearing,
        LegalReview,
        Payment,
        Procedure,
        Remedy,
        ReviewOutcome,
    )
    from disclosure.models import Complaint, ComplaintKind, PenaltyDisclosure
    from lawenforce.views.helpers import valid_certificate_q

    first, last = _day_range(year)
    start, end = _moment_range(year)
    days = {"__gte": first, "__lte": last}

    def within(field):
        return Q(**{f"{field}{op}": day for op, day in days.items()})

    cases = Case.objects.filter(agency=agency).order_by()
    decided = cases.filter(within("decided_on")).exclude(state=CaseState.NOT_FILED)
    penalty = Q(decision_kind=DecisionKind.PENALTY)
    case_row = cases.aggregate(
        leads=Count("pk", filter=within("lead_received_on") & Q(procedure=Procedure.ORDINARY)),
        filed=Count("pk", filter=within("filed_on")),
        decided=Count("pk", filter=within("decided_on")),
        summary=Count("pk", filter=within("decided_on") & Q(procedure=Procedure.SUMMARY)),
        closed=Count("pk", filter=within("closed_on")),
        penalties=Count("pk", filter=within("decided_on") & penalty),
        fines=Sum("fine_amount", filter=within("decided_on") & penalty),
        confiscated=Sum("confiscated_amount", filter=within("decided_on") & penalty),
    )
    penalty_kinds = Counter()
    for kinds in decided.filter(penalty).values_list("penalty_kinds", flat=True):
        penalty_kinds.update(k for k in kinds or [] if k)

    of_agency = {"case__agency": agency}
    reviews = LegalReview.objects.filter(reviewed_at__gte=start, reviewed_at__lt=end, **of_agency).aggregate(
        total=Count("pk"), not_approved=Count("pk", filter=~Q(outcome=ReviewOutcome.APPROVED))
    )
    measures_by_kind = _counts_by(CoerciveMeasure.objects.filter(within("decided_on"), **of_agency), "kind")

    complaints = Complaint.objects.filter(agency=agency, received_at__gte=start, received_at__lt=end).aggregate(
        total=Count("pk"),
        complaints=Count("pk", filter=Q(kind=ComplaintKind.COMPLAINT)),
        reports=Count("pk", filter=Q(kind=ComplaintKind.REPORT)),
        rejected=Count("pk", filter=Q(rejected_on__isnull=False)),
        accepted=Count("pk", filter=Q(accepted_on__isnull=False)),
        to_cases=Count("pk", filter=Q(case__isnull=False)),
        reports_to_cases=Count("pk", filter=Q(case__isnull=False, kind=ComplaintKind.REPORT)),
    )
    published = PenaltyDisclosure.objects.filter(agency=agency).aggregate(
        published=Count("pk", filter=Q(published_at__gte=start, published_at__lt=end)),
        published_late=Count(
            "pk",
            filter=Q(published_at__gte=start, published_at__lt=end, publish_due_on__isnull=False)
            & Q(published_at__date__gt=F("publish_due_on")),
        ),
        withdrawn=Count("pk", filter=Q(withdrawn_at__gte=start, withdrawn_at__lt=end)),
    )
    remedies = Remedy.objects.filter(**of_agency)
    remedy_row = remedies.aggregate(
        filed=Count("pk", filter=within("filed_on")),
        outcomes=Count("pk", filter=within("outcome_on") & ~Q(outcome="")),
        overturned=Count("pk", filter=within("outcome_on") & Q(overturned=True)),
    )
    on_day = min(last, timezone.localdate())
    officers = agency.officers.filter(active=True).order_by()
    officer_row = officers.aggregate(
        certified=Count("pk", filter=Q(pk__in=_certified(agency, on_day, valid_certificate_q))),
        legal_reviewers=Count("pk", filter=Q(is_legal_reviewer=True)),
    )

    return {
        "agency": {"id": agency.pk, "name": agency.name, "uscc": agency.uscc},
        "year": year,
        "cases": {
            "leads_registered": case_row["leads"],
            "filed": case_row["filed"],
            "decided": case_row["decided"],
            "decisions_by_kind": _counts_by(cases.filter(within("decided_on")), "decision_kind"),
            "summary_procedure": case_row["summary"],
            "closed": case_row["closed"],
        },
        "penalties": {
            "decisions": case_row["penalties"],
            "by_kind": dict(sorted(penalty_kinds.items())),
            "fines_total": _money(case_row["fines"]),
            "confiscated_total": _money(case_row["confiscated"]),
        },
        "procedure": {
            "hearings_held": Hearing.objects.filter(within("held_on"), **of_agency).count(),
            "legal_reviews": reviews["total"],
            "legal_reviews_not_approved": reviews["not_approved"],
            "deliberations": Deliberation.objects.filter(within("held_on"), **of_agency).count(),
            "coercive_measures": sum(measures_by_kind.values()),
            "coercive_measures_by_kind": measures_by_kind,
        },
        "execution": {
            "collected_total": _money(
                Payment.objects.filter(within("paid_on"), **of_agency).aggregate(s=Sum("amount"))["s"]
            ),
            "court_applications": CourtApplication.objects.filter(within("applied_on"), **of_agency).count(),
        },
        "complaints": complaints,
        "disclosure": published,
        "remedies": {
            "filed": remedy_row["filed"],
            "outcomes": remedy_row["outcomes"],
            "by_kind": _counts_by(remedies.filter(within("outcome_on")).exclude(outcome=""), "kind"),
            "overturned": remedy_row["overturned"],
        },
        "officers": officer_row,
    }


def _certified(agency, day, valid_certificate_q):
    from lawenforce.models import Certificate

    return Certificate.objects.filter(valid_certificate_q(day), officer__agency=agency).values("officer_id")
