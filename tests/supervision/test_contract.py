"""The fields other apps read (CONTRACTS.md, supervision): names, choices and the one-alert rule."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from supervision.models import Alert, AlertState, DossierEvaluation, EvaluationSample, Rubric, Severity
from tests.cases.factories import CaseFactory


@pytest.fixture
def case(world):
    return CaseFactory(agency=world.agency, registered_by=world.handler1)


@pytest.mark.django_db
def test_alert_has_the_contract_fields_and_states(case):
    alert = Alert.objects.create(
        rule="S-DECISION-OVERDUE",
        case=case,
        agency=case.agency,
        severity=Severity.HIGH,
        title="作出处罚决定超过法定期限",
        facts={"due_on": "2026-06-03"},
    )
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN
    assert {s.value for s in AlertState} == {"open", "notified", "rectified", "dismissed"}
    assert timezone.is_aware(alert.raised_at)
    assert alert.facts == {"due_on": "2026-06-03"}
    assert list(case.alerts.all()) == [alert]


@pytest.mark.django_db
def test_a_second_alert_for_the_same_rule_and_case_is_refused_by_the_database(case):
    Alert.objects.create(rule="S-DECISION-OVERDUE", case=case, agency=case.agency, severity="high", title="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(rule="S-DECISION-OVERDUE", case=case, agency=case.agency, severity="high", title="x")
    Alert.objects.create(rule="S-ARCHIVE-OVERDUE", case=case, agency=case.agency, severity="low", title="y")
    assert case.alerts.count() == 2


@pytest.mark.django_db
def test_a_dossier_evaluation_points_to_its_draw_and_starts_unscored(world, regions, case):
    from lawenforce.models import Sector
    from tests.factories import AgencyFactory, OfficerFactory

    bureau = AgencyFactory(region=regions["city"], sector=Sector.JUSTICE)
    supervisor = OfficerFactory(agency=bureau, is_supervisor=True)
    sample = EvaluationSample.objects.create(
        title="2026年第一季度案卷评查",
        bureau=bureau,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        per_agency=1,
        seed="12345",
        rubric=Rubric.objects.get(is_default=True),
        created_by=supervisor,
    )
    evaluation = DossierEvaluation.objects.create(sample=sample, case=case, agency=case.agency)
    assert evaluation.evaluator is None
    assert evaluation.total_score is None and evaluation.passed is None and evaluation.finalized_at is None
    assert list(case.evaluations.all()) == [evaluation]
    evaluation.total_score = Decimal("86.50")
    evaluation.save()
    evaluation.refresh_from_db()
    assert evaluation.total_score == Decimal("86.50")


@pytest.mark.django_db
def test_the_default_rubric_covers_the_six_parts_and_adds_up_to_100():
    rubric = Rubric.objects.get(is_default=True)
    items = list(rubric.items.all())
    assert {i.section for i in items} == {
        "subject",
        "facts_evidence",
        "procedure",
        "law_discretion",
        "documents",
        "archiving",
    }
    assert sum(i.max_points for i in items) == Decimal("100")
