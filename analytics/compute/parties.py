"""Repeat offenders and problem enterprises: parties with two or more decisions that
established a violation, identified by USCC (organisations, individual businesses) or by a
natural person's ID number. One GROUP BY over parties joined to the case facts."""

from django.db.models import Case as When_
from django.db.models import Count, Max, Q, Subquery, Sum, When
from django.db.models.functions import ExtractYear

from analytics.indicators import PENALTY_KIND
from analytics.models import RepeatParty
from cases.models import Party, PartyKind

REPEAT_AT = 2  # decisions against the same party that make it a repeat offender
VIOLATION = Q(case__analytics_fact__violation=True)


def _identified(parties):
    return parties.exclude(uscc="", id_number="").annotate(
        ident=When_(When(~Q(uscc=""), then="uscc"), default="id_number")
    )


def _repeat_identifiers(only=None):
    parties = _identified(Party.objects.order_by().filter(VIOLATION))
    if only is not None:
        parties = parties.filter(ident__in=only)
    return parties.values("ident").annotate(n=Count("case", distinct=True)).filter(n__gte=REPEAT_AT).values("ident")


def _rows(parties):
    return (
        parties.annotate(year=ExtractYear("case__decided_on"))
        .values("ident", "case__agency_id", "year")
        .annotate(
            decisions=Count("case", distinct=True),
            penalties=Count("case", distinct=True, filter=Q(case__decision_kind=PENALTY_KIND)),
            fines=Sum("case__fine_amount"),
            name=Max("name"),
            party_kind=Max("kind"),
            last_decided_on=Max("case__decided_on"),
        )
    )


def _write(rows):
    objects = [
        RepeatParty(
            identifier=r["ident"],
            is_person=r["party_kind"] == PartyKind.NATURAL_PERSON,
            name=r["name"],
            party_kind=r["party_kind"],
            agency_id=r["case__agency_id"],
            year=r["year"],
            decisions=r["decisions"],
            penalties=r["penalties"],
            fines=r["fines"] or 0,
            last_decided_on=r["last_decided_on"],
        )
        for r in rows
    ]
    RepeatParty.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


def rebuild(agencies):
    """Every repeat party's rows for the agencies of an AgencySet."""
    RepeatParty.objects.filter(**agencies.queryset_filter()).delete()
    parties = _identified(Party.objects.order_by().filter(VIOLATION, **agencies.queryset_filter("case__agency")))
    return _write(_rows(parties.filter(ident__in=Subquery(_repeat_identifiers()))))


def refresh_for_cases(case_ids):
    """The rows of the parties of `case_ids` (every agency), after those cases changed."""
    if not case_ids:
        return 0
    idents = set()
    for uscc, id_number in Party.objects.filter(case_id__in=case_ids).values_list("uscc", "id_number"):
        if uscc or id_number:
            idents.add(uscc or id_number)
    if not idents:
        return 0
    RepeatParty.objects.filter(identifier__in=idents).delete()
    parties = _identified(Party.objects.order_by().filter(VIOLATION)).filter(ident__in=idents)
    return _write(_rows(parties.filter(ident__in=Subquery(_repeat_identifiers(idents)))))



