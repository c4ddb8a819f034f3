"""The surcharge on a late fine: 3% of the fine a day, never more than the fine (APL 72(1), ACL 45)."""

import datetime
from decimal import Decimal

import pytest

from cases.models import Payment
from cases.rules import amount_outstanding, payment_split, surcharge, surcharge_accrued
from tests.cases.factories import decided_case

D = datetime.date
FINE = Decimal("10000")
DUE = D(2026, 3, 1)


def test_ten_days_late_is_thirty_percent():
    result = surcharge(FINE, DUE, D(2026, 3, 11))
    assert result == Decimal("3000.00")
    assert isinstance(result, Decimal)
    assert result.as_tuple().exponent == -2


def test_forty_days_late_is_capped_at_the_fine():
    assert surcharge(FINE, DUE, D(2026, 4, 10)) == Decimal("10000.00")


def test_on_time_or_early_there_is_no_surcharge():
    assert surcharge(FINE, DUE, DUE) == Decimal("0.00")
    assert surcharge(FINE, DUE, D(2026, 2, 20)) == Decimal("0.00")
    assert isinstance(surcharge(FINE, DUE, DUE), Decimal)


def test_no_fine_or_no_due_date_means_no_surcharge():
    assert surcharge(None, DUE, D(2026, 4, 1)) == Decimal("0.00")
    assert surcharge(FINE, None, D(2026, 4, 1)) == Decimal("0.00")


def test_rounds_half_up_to_the_fen():
    # 33.35 × 3% = 1.0005 → 1.00; 16.75 × 3% = 0.5025 → 0.50; 0.50 × 3% × 1 = 0.015 → 0.02
    assert surcharge(Decimal("33.35"), DUE, D(2026, 3, 2)) == Decimal("1.00")
    assert surcharge(Decimal("0.50"), DUE, D(2026, 3, 2)) == Decimal("0.02")


def test_accepts_strings_and_ints_as_amounts():
    assert surcharge("10000", DUE, D(2026, 3, 2)) == Decimal("300.00")
    assert surcharge(10000, DUE, D(2026, 3, 2)) == Decimal("300.00")


@pytest.mark.django_db
def test_a_partial_payment_slows_the_surcharge(world):
    case = decided_case(world, payment_due_on=DUE)
    # 5 days on 10,000 (1,500), then 5 days on the 4,000 left after paying 6,000 (600).
    Payment.objects.create(
        case=case, amount=Decimal("6000"), paid_on=D(2026, 3, 6), receipt_number="1", recorded_by=world.handler1
    )
    assert surcharge_accrued(case, D(2026, 3, 11)) == Decimal("2100.00")
    assert amount_outstanding(case, D(2026, 3, 11)) == Decimal("6100.00")


@pytest.mark.django_db
def test_principal_is_paid_before_the_surcharge(world):
    case = decided_case(world, payment_due_on=DUE)
    assert payment_split(case, Decimal("13000"), D(2026, 3, 11)) == (Decimal("10000.00"), Decimal("3000.00"))
    assert payment_split(case, Decimal("500"), D(2026, 3, 11)) == (Decimal("500.00"), Decimal("0.00"))


@pytest.mark.django_db
def test_confiscation_is_owed_but_carries_no_surcharge(world):
    case = decided_case(world, confiscation=Decimal("2000"), payment_due_on=DUE)
    assert amount_outstanding(case, DUE) == Decimal("12000.00")
    assert amount_outstanding(case, D(2026, 3, 2)) == Decimal("12300.00")
