"""The demo cases that `make run` loads are built through the workflow and can be loaded twice."""

import pytest
from django.core.management import call_command

from cases.models import Case, CaseState, LegalReview, ReviewOutcome

pytestmark = pytest.mark.django_db


def test_demo_cases_cover_the_steps_a_newcomer_should_see_and_are_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo_cases", stdout=open("/dev/null", "w"))
    states = set(Case.objects.values_list("state", flat=True))
    assert {CaseState.LEAD, CaseState.INVESTIGATING, CaseState.LEGAL_REVIEW, CaseState.EXECUTING,
            CaseState.ARCHIVED, CaseState.CLOSED} <= states
    assert LegalReview.objects.filter(outcome=ReviewOutcome.PENDING).count() == 1
    numbers = sorted(Case.objects.exclude(number="").values_list("number", flat=True))
    assert numbers == [f"济任市监立〔2026〕{n}号" for n in range(1, 5)]
    count = Case.objects.count()
    call_command("seed_demo_cases", stdout=open("/dev/null", "w"))
    assert Case.objects.count() == count
