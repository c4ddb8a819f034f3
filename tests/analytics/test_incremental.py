"""The incremental path: events mark what changed, and a refresh recomputes only that — and
arrives at exactly what a full recompute would."""

import datetime

import pytest
from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from analytics import dirty
from analytics.compute import refresh
from analytics.indicators import VIOLATION_KINDS
from analytics.models import (
    CaseFact,
    Cell,
    CellSource,
    DirtyCase,
    DirtyCell,
    IndicatorValue,
    OfficerMonth,
    RepeatParty,
)
from cases import workflow
from cases.models import Case, DecisionKind
from tests.analytics.factories import make_complaint
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
FIELDS = (
    "indicator",
    "scope_kind",
    "agency",
    "region",
    "period_kind",
    "year",
    "number",
    "numerator",
    "denominator",
    "value",
)


def snapshot():
    return sorted(IndicatorValue.objects.values_list(*FIELDS), key=str)


def parties_snapshot():
    fields = (
        "identifier",
        "is_person",
        "name",
        "party_kind",
        "agency",
        "year",
        "decisions",
        "penalties",
        "fines",
        "last_decided_on",
    )
    return sorted(RepeatParty.objects.values_list(*fields), key=str)


def test_an_incremental_refresh_equals_a_full_recompute(computed):
    w = computed
    c5 = w.cases["c5"]
    Case.objects.filter(pk=c5.pk).update(decided_on=D(2025, 4, 15), decision_kind=DecisionKind.PENALTY, state="decided")
    new = CaseFactory(
        agency=w.agencies["a2"],
        power_item=w.items["p3"],
        registered_by=w.officers["o6"],
        state="investigating",
        number="测新",
        filed_on=D(2025, 3, 3),
    )
    new.handlers.set([w.officers["o6"]])
    Case.objects.filter(pk=w.cases["c8"].pk).update(decision_kind=DecisionKind.NOT_ESTABLISHED)
    dirty.mark_cases([c5.pk, new.pk, w.cases["c8"].pk])
    untouched = IndicatorValue.objects.get(indicator="violation_count", agency=w.agencies["b1"], period_kind="year")

    run = refresh.incremental()

    assert run.cases == 3
    assert not DirtyCase.objects.exists()
    after_incremental = snapshot()
    parties_after_incremental = parties_snapshot()
    # B1 had no change: its values were not rewritten.
    assert IndicatorValue.objects.get(pk=untouched.pk).computed_at == untouched.computed_at
    refresh.full(w.regions["province"], 2025)
    assert after_incremental == snapshot()
    assert parties_after_incremental == parties_snapshot()
    assert RepeatParty.objects.filter(year=2025).exists()  # every generated party shares one credit code
    # The complaint k2 came in in January; its case c5 was decided in April: January's rate moved.
    january = IndicatorValue.objects.get(
        indicator="complaint_case_rate", agency=w.agencies["a1"], period_kind="month", year=2025, number=1
    )
    assert (january.numerator, january.denominator) == (2, 2)


def test_a_withdrawn_decision_takes_its_complaint_out_of_the_dealt_count(computed):
    """Complaints dealt with move by a partial row (+1/−1) when their case's decision comes or
    goes; the complaints of the month are not counted again. Withdrawing c1's decision (k1 came
    in in January) must end as a full recompute does."""
    w = computed
    c1 = w.cases["c1"]
    Case.objects.filter(pk=c1.pk).update(decided_on=None, decision_kind="", state="investigating")
    dirty.mark_cases([c1.pk])
    refresh.incremental()
    assert Cell.objects.filter(source=CellSource.COMPLAINTS, complaints_dealt=-1).count() == 1
    after = snapshot()
    january = IndicatorValue.objects.get(
        indicator="complaint_case_rate", agency=w.agencies["a1"], period_kind="month", year=2025, number=1
    )
    assert (january.numerator, january.denominator) == (0, 2)
    refresh.full(w.regions["province"], 2025)
    assert after == snapshot()
    assert not Cell.objects.filter(complaints_dealt__lt=0).exists()  # the full recompute counts afresh


def test_a_decision_and_a_changed_complaint_of_the_same_month_are_counted_once(computed):
    """k2's case c5 is decided while k2 itself moves state: the month is recounted from every
    source, so the +1 for the decision must not be added on top."""
    w = computed
    c5, k2 = w.cases["c5"], w.complaints["k2"]
    Case.objects.filter(pk=c5.pk).update(decided_on=D(2025, 4, 15), decision_kind=DecisionKind.PENALTY, state="decided")
    k2.state = "closed"
    k2.save()  # marks its month
    dirty.mark_cases([c5.pk])
    refresh.incremental()
    after = snapshot()
    refresh.full(w.regions["province"], 2025)
    assert after == snapshot()


def test_a_case_moved_to_another_agency_takes_its_evaluation_and_remedy_along(computed):
    """Evaluations and remedies count under their case's agency and power item: when a case
    moves, both the old and the new cells of its evaluation are recounted."""
    w = computed
    c1 = w.cases["c1"]
    evaluation = apps.get_model("supervision", "DossierEvaluation")
    assert evaluation.objects.filter(case=c1, finalized_at__month=4).exists()  # finalised in April
    Case.objects.filter(pk=c1.pk).update(agency=w.agencies["a2"], power_item=w.items["p3"])
    dirty.mark_cases([c1.pk])
    refresh.incremental()
    after = snapshot()
    refresh.full(w.regions["province"], 2025)
    assert after == snapshot()
    april = IndicatorValue.objects.get(
        indicator="evaluation_pass_rate", agency=w.agencies["a2"], period_kind="month", year=2025, number=4
    )
    assert april.denominator >= 1


def test_a_changed_complaint_marks_its_old_and_new_months(computed):
    w = computed
    k4 = w.complaints["k4"]
    k4.received_at = timezone.make_aware(datetime.datetime(2025, 5, 2, 9, 0))
    k4.save()
    assert set(DirtyCell.objects.filter(year=2025).values_list("agency_id", "year", "month")) == {
        (w.agencies["a1"].pk, 2025, 2),
        (w.agencies["a1"].pk, 2025, 5),
    }
    refresh.incremental()
    after = snapshot()
    refresh.full(w.regions["province"], 2025)
    assert after == snapshot()


def test_new_complaint_counts_after_the_refresh(computed):
    w = computed
    make_complaint(
        99,
        w.agencies["a1"],
        timezone.make_aware(datetime.datetime(2025, 6, 1, 9)),
        w.items["p1"],
        accepted_on=D(2025, 6, 2),
    )
    refresh.incremental()
    june = IndicatorValue.objects.get(
        indicator="complaint_case_rate", agency=w.agencies["a1"], period_kind="month", year=2025, number=6
    )
    assert (june.numerator, june.denominator) == (0, 1)


def test_lost_derived_tables_are_recomputed_before_an_incremental_refresh(computed):
    """What a PostgreSQL crash does to the unlogged facts, cells, officer months and repeat
    parties (migration analytics.0002): they come back empty. The next refresh must not work
    from the empty facts: it recomputes the year in full, then the values are those of a full
    recompute, including the change that was queued."""
    w = computed
    refresh.incremental()  # what the set-up queued
    c5 = w.cases["c5"]
    Case.objects.filter(pk=c5.pk).update(decided_on=D(2025, 4, 15), decision_kind=DecisionKind.PENALTY, state="decided")
    dirty.mark_cases([c5.pk])
    for model in (CaseFact, Cell, OfficerMonth, RepeatParty):
        model.objects.all().delete()

    run = refresh.incremental()

    assert run.kind == "full" and run.year == 2025
    assert CaseFact.objects.exists() and Cell.objects.exists() and OfficerMonth.objects.exists()
    assert not DirtyCase.objects.exists()
    after, parties_after = snapshot(), parties_snapshot()
    assert RepeatParty.objects.exists()
    refresh.full(w.regions["province"], 2025)
    assert (after, parties_after) == (snapshot(), parties_snapshot())
    april = IndicatorValue.objects.get(
        indicator="violation_count", agency=c5.agency, period_kind="month", year=2025, number=4
    )
    assert (
        april.numerator
        == Case.objects.filter(
            agency=c5.agency, decided_on__year=2025, decided_on__month=4, decision_kind__in=VIOLATION_KINDS
        ).count()
    )


def test_a_refresh_with_nothing_queued_does_nothing(computed):
    refresh.incremental()  # what the set-up itself queued (certificates of this year)
    assert refresh.incremental() is None


@pytest.mark.django_db(transaction=True)
def test_a_workflow_step_updates_the_indicators_after_commit(world):
    """Filing a case through the workflow: after the commit the receiver marks it and the (eager)
    task refreshes; one refresh per transaction, however many rows it marked."""
    w = world
    refresh.full(w.regions["province"], 2025)
    head = w.officers["o1"]
    head.is_agency_head = True
    head.save()
    case = workflow.register_lead(
        agency=w.agencies["a1"],
        actor=w.officers["o1"],
        source="inspection",
        title="新线索",
        lead_received_on=D(2025, 6, 3),
        parties=[
            {
                "kind": "legal_person",
                "name": "某某有限公司",
                "uscc": "91330100799655058B",
                "legal_representative": "王某",
            }
        ],
    )
    if True:
        workflow.approve_filing(
            case,
            head,
            handlers=[w.officers["o2"], w.officers["o3"]],
            power_item=w.items["p1"],
            violation_date=D(2025, 6, 1),
            filed_on=D(2025, 6, 5),
        )
    june = IndicatorValue.objects.get(
        indicator="cases_per_officer", agency=w.agencies["a1"], period_kind="month", year=2025, number=6
    )
    assert june.numerator == 1
    assert not DirtyCase.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failing_refresh_never_fails_the_workflow_step(world, monkeypatch):
    def broken():
        raise RuntimeError("analytics is down")

    monkeypatch.setattr(refresh, "incremental", broken)
    if True:
        case = workflow.register_lead(
            agency=world.agencies["a1"],
            actor=world.officers["o1"],
            source="inspection",
            title="新线索",
            lead_received_on=D(2025, 6, 3),
        )
    assert Case.objects.filter(pk=case.pk).exists()
    assert DirtyCase.objects.filter(case_id=case.pk).exists()  # still queued for the next run


def test_a_full_recompute_over_stored_facts_equals_one_from_scratch(computed):
    """The full recompute upserts the case facts and the repeat parties (an unchanged row is not
    written): a case
    moved out of the year, a case that no longer counts and a changed decision must end exactly as if the
    facts had been built from nothing."""
    w = computed
    fact_fields = ("case_id", "agency_id", "power_item_id", "handled_ym", "decided_ym", "violation", "penalty")
    c1, c2, c8 = w.cases["c1"], w.cases["c2"], w.cases["c8"]
    Case.objects.filter(pk=c1.pk).update(filed_on=D(2026, 2, 1), decided_on=None, decision_kind="")
    Case.objects.filter(pk=c8.pk).update(decision_kind=DecisionKind.NOT_ESTABLISHED)
    Case.objects.filter(pk=c2.pk).update(filed_on=None, decided_on=None, decision_kind="")  # no longer counted

    def facts_of_2025():
        in_2025 = Q(handled_ym__range=(202501, 202512)) | Q(decided_ym__range=(202501, 202512))
        return sorted(CaseFact.objects.filter(in_2025).values_list(*fact_fields))

    refresh.full(w.regions["province"], 2025)
    upserted, values, repeat = facts_of_2025(), snapshot(), parties_snapshot()
    for model in (CaseFact, Cell, OfficerMonth, RepeatParty, IndicatorValue):
        model.objects.all().delete()
    refresh.full(w.regions["province"], 2025)

    assert upserted == facts_of_2025()
    assert values == snapshot()
    assert repeat == parties_snapshot() and repeat  # compared and rewritten in place = built afresh
    assert c1.pk not in {row[0] for row in upserted}  # rewritten to 2026, not left in 2025
    assert not CaseFact.objects.filter(case_id=c2.pk).exists()
    assert not CaseFact.objects.get(case_id=c8.pk).violation


def test_the_repeat_parties_of_a_case_that_changed_nothing_they_count_are_not_rewritten(computed):
    """A step that leaves a case's decision as it was (a notice served) re-reads its parties' rows
    and finds them equal, on every database: the rows keep their ids."""
    w = computed
    refresh.incremental()  # what the set-up queued
    before = sorted(RepeatParty.objects.values_list("pk", flat=True))
    assert before
    dirty.mark_cases([case.pk for case in w.cases.values()])
    refresh.incremental()
    assert sorted(RepeatParty.objects.values_list("pk", flat=True)) == before


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_repeat_parties_are_refreshed_alongside(world, monkeypatch):
    """On PostgreSQL, when the refresh is not inside a caller's transaction (the Celery task, the
    benchmark), the repeat parties are recomputed in a second thread on its own connection while
    the indicators are. The result must be the one a full recompute gives."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite allows one writer at a time: the refresh does everything in one thread")
    threads = []
    original = refresh._alongside

    def watched(concurrent, work, *args, **kwargs):
        threads.append(concurrent)
        return original(concurrent, work, *args, **kwargs)

    refresh.full(world.regions["province"], 2025)
    monkeypatch.setattr(refresh, "_alongside", watched)
    c5 = world.cases["c5"]
    Case.objects.filter(pk=c5.pk).update(decided_on=D(2025, 4, 15), decision_kind=DecisionKind.PENALTY, state="decided")
    dirty.mark_cases([c5.pk])
    refresh.incremental()
    assert threads == [True]
    monkeypatch.setattr(refresh, "_alongside", original)
    after, parties_after = snapshot(), parties_snapshot()
    refresh.full(world.regions["province"], 2025)
    assert (after, parties_after) == (snapshot(), parties_snapshot())
    assert parties_after


@pytest.mark.django_db(transaction=True)
def test_a_failure_alongside_rolls_the_whole_refresh_back(world, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the second thread is PostgreSQL's")
    from analytics.compute import parties

    refresh.full(world.regions["province"], 2025)
    c5 = world.cases["c5"]
    Case.objects.filter(pk=c5.pk).update(decided_on=D(2025, 4, 15), decision_kind=DecisionKind.PENALTY, state="decided")
    dirty.mark_cases([c5.pk])
    before = snapshot()

    def broken(case_ids):
        raise RuntimeError("parties failed")

    monkeypatch.setattr(parties, "refresh_for_cases", broken)
    with pytest.raises(RuntimeError, match="parties failed"):
        refresh.incremental()
    assert snapshot() == before  # nothing of the refresh was kept
    assert DirtyCase.objects.filter(case_id=c5.pk).exists()  # still queued for the next run


def test_a_decision_recomputes_only_the_indicators_it_can_move(computed):
    """A decision changes violation, penalty and complaint counts, not officers or evaluations:
    those indicators are not recomputed (their rows keep their time), and the result is still
    exactly a full recompute's."""
    w = computed
    refresh.incremental()  # what the set-up queued
    officers_before = dict(
        IndicatorValue.objects.filter(indicator="cases_per_officer").values_list("pk", "computed_at")
    )
    c5 = w.cases["c5"]
    Case.objects.filter(pk=c5.pk).update(decided_on=D(2025, 4, 15), decision_kind=DecisionKind.PENALTY, state="decided")
    dirty.mark_cases([c5.pk])
    refresh.incremental()
    assert officers_before and dict(
        IndicatorValue.objects.filter(indicator="cases_per_officer").values_list("pk", "computed_at")
    ) == officers_before
    after = snapshot()
    refresh.full(w.regions["province"], 2025)
    assert after == snapshot()
