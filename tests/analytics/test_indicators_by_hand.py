"""Every indicator against the hand-built year of tests/analytics/factories.py, worked out here.

Agencies: A1 (任城区: officers o1–o3 certified all year, o4 never, o5 until 28 Feb), A2 (兖州区: o6,
o7), B1 (菏泽市: o8, o9). Items P1 (provisions p1a, p1b; held by A1, B1), P2 (p2, p3; A1, A2),
P3 (p4; A2). Cases of 2025:

    A1  c1 P1 filed 10 Jan, penalty 20 Feb (o1 o2)    c2 P1 filed 15 Jan, 首违不罚 5 Mar (o1 o2)
        c3 P2 filed 3 Feb, not established 25 Feb (o1 o5)   c4 P2 on the spot, penalty 10 Mar (o2 o3)
        c5 P2 filed 1 Mar, undecided (o1 o2)            c6 a lead, never filed
    A2  c7 P3 filed 20 Jan, penalty 2 Apr (o6 o7)       c8 P2 filed 11 Feb, transfer 28 Feb (o6 o7)
    B1  c9 P1 filed 14 Feb, penalty 20 Mar (o8 o9)

Complaints: A1 k1 P1 5 Jan → c1; k2 P2 31 Jan 23:30 → c5; k3 P2 1 Feb 00:30 rejected; k4 P2 10 Feb
accepted, no case; k5 (no item) 12 Feb → c3; A2 k6 P3 22 Jan → c7. (k2 and k3 are on either side of
midnight in Beijing time, and on the same UTC day.) Evaluations: c1 passed Apr, c2 failed Apr,
c9 passed May, c7 unfinished. Remedies: c1 upheld May and revoked Jun, c9 changed Jul, c7 pending.
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from analytics.models import IndicatorValue

pytestmark = pytest.mark.django_db


def value(world, code, scope, kind="year", number=0):
    lookup = {"agency": world.agencies[scope]} if scope in world.agencies else {"region": world.regions[scope]}
    return IndicatorValue.objects.get(indicator=code, period_kind=kind, year=2025, number=number, **lookup)


def assert_value(row, num, den, expected):
    assert (row.numerator, row.denominator) == (num, den)
    if expected is None:
        assert row.value is None
    else:
        assert row.value == Decimal(float(expected)).quantize(Decimal("0.000001"))


def test_cases_per_officer_counts_cases_filed_or_decided_on_the_spot_per_certified_officer(computed):
    w = computed
    assert_value(value(w, "cases_per_officer", "a1"), 5, 3, Fraction(5, 3))  # o5 expired, o4 never certified
    assert_value(value(w, "cases_per_officer", "a1", "month", 1), 2, 4, Fraction(1, 2))  # o5 still valid in Jan
    assert_value(value(w, "cases_per_officer", "a1", "month", 3), 2, 3, Fraction(2, 3))  # c4 (on the spot), c5
    assert_value(value(w, "cases_per_officer", "city"), 7, 5, Fraction(7, 5))
    assert_value(value(w, "cases_per_officer", "province"), 8, 7, Fraction(8, 7))


def test_officer_engagement_is_the_share_of_certified_officers_who_handled_a_case(computed):
    w = computed
    assert_value(value(w, "officer_engagement", "a1"), 3, 3, 1)
    # February: o1–o3 and o5 certified on the 28th; c3's handlers o1 and o5 handled a case.
    assert_value(value(w, "officer_engagement", "a1", "month", 2), 2, 4, Fraction(1, 2))
    assert_value(value(w, "officer_engagement", "a1", "month", 3), 3, 3, 1)
    assert_value(value(w, "officer_engagement", "province"), 7, 7, 1)


def test_provision_usage_counts_distinct_provisions_of_penalty_decisions_against_those_held(computed):
    w = computed
    assert_value(value(w, "provision_usage", "a1"), 4, 4, 1)
    assert_value(value(w, "provision_usage", "a1", "month", 2), 2, 4, Fraction(1, 2))  # c1 under P1
    assert_value(value(w, "provision_usage", "a2"), 1, 3, Fraction(1, 3))  # c7 under P3; c8 was a transfer
    # Q1 of the province: A1 used p1a p1b p2 p3, B1 used p1a p1b again — a union, not a sum.
    assert_value(value(w, "provision_usage", "province", "quarter", 1), 4, 5, Fraction(4, 5))
    assert_value(value(w, "provision_usage", "city", "quarter", 2), 1, 5, Fraction(1, 5))


def test_violation_count_counts_decisions_that_established_a_violation(computed):
    w = computed
    assert value(w, "violation_count", "a1").numerator == 3  # c1, c2 (首违不罚 still a violation), c4; not c3
    assert value(w, "violation_count", "a2").numerator == 2  # c7, c8 (transfer)
    assert value(w, "violation_count", "city").numerator == 5
    assert value(w, "violation_count", "province").numerator == 6
    assert value(w, "violation_count", "a1", "month", 3).numerator == 2
    assert value(w, "violation_count", "township").numerator == 0


def test_violation_type_rate_reports_the_most_frequent_type_and_its_share(computed):
    w = computed
    a1 = value(w, "violation_type_rate", "a1")
    assert_value(a1, 2, 3, Fraction(2, 3))
    assert a1.key_item == w.items["p1"]
    city = value(w, "violation_type_rate", "city")  # P1 2, P2 2, P3 1: a tie goes to the first item
    assert_value(city, 2, 5, Fraction(2, 5))
    assert city.key_item == w.items["p1"]


def test_complaint_case_rate_counts_accepted_complaints_whose_case_was_decided(computed):
    w = computed
    assert_value(value(w, "complaint_case_rate", "a1"), 2, 4, Fraction(1, 2))  # k1, k5 of k1 k2 k4 k5
    assert_value(value(w, "complaint_case_rate", "a1", "month", 1), 1, 2, Fraction(1, 2))  # k2 is January
    assert_value(value(w, "complaint_case_rate", "a1", "month", 2), 1, 2, Fraction(1, 2))  # k3 refused
    assert_value(value(w, "complaint_case_rate", "city"), 3, 5, Fraction(3, 5))
    assert not IndicatorValue.objects.filter(indicator="complaint_case_rate", agency=w.agencies["b1"]).exists()


def test_focus_match_is_the_overlap_of_the_case_and_complaint_distributions(computed):
    w = computed
    # A1: cases P1 2, P2 3 → 0.4, 0.6; complaints with a matter P1 1, P2 3 → 0.25, 0.75.
    assert_value(value(w, "focus_match", "a1"), 5, 4, Fraction(1, 4) + Fraction(6, 10))
    assert_value(value(w, "focus_match", "a1", "month", 1), 2, 2, Fraction(1, 2))
    # 济宁市: cases P1 2, P2 4, P3 1; complaints P1 1, P2 3, P3 1.
    expected = min(Fraction(2, 7), Fraction(1, 5)) + min(Fraction(4, 7), Fraction(3, 5)) + min(Fraction(1, 7), Fraction(1, 5))
    assert_value(value(w, "focus_match", "city"), 7, 5, expected)
    assert_value(value(w, "focus_match", "b1"), 1, 0, None)  # no complaints: nothing to compare


def test_evaluation_pass_rate_counts_finalised_evaluations_by_the_month_they_were_finalised(computed):
    w = computed
    assert_value(value(w, "evaluation_pass_rate", "a1"), 1, 2, Fraction(1, 2))
    assert_value(value(w, "evaluation_pass_rate", "a1", "month", 4), 1, 2, Fraction(1, 2))
    assert_value(value(w, "evaluation_pass_rate", "province"), 2, 3, Fraction(2, 3))
    assert not IndicatorValue.objects.filter(indicator="evaluation_pass_rate", agency=w.agencies["a2"]).exists()


def test_remedy_loss_rate_counts_each_concluded_proceeding(computed):
    w = computed
    assert_value(value(w, "remedy_loss_rate", "a1"), 1, 2, Fraction(1, 2))  # upheld, then revoked in court
    assert_value(value(w, "remedy_loss_rate", "b1"), 1, 1, 1)
    assert_value(value(w, "remedy_loss_rate", "province"), 2, 3, Fraction(2, 3))
    assert_value(value(w, "remedy_loss_rate", "province", "quarter", 2), 1, 2, Fraction(1, 2))


def test_a_second_full_recompute_gives_the_same_values(computed):
    from analytics.compute import refresh

    before = sorted(IndicatorValue.objects.values_list("indicator", "scope_kind", "agency", "region", "period_kind", "number", "numerator", "denominator", "value"))
    refresh.full(computed.regions["province"], 2025)
    after = sorted(IndicatorValue.objects.values_list("indicator", "scope_kind", "agency", "region", "period_kind", "number", "numerator", "denominator", "value"))
    assert before == after
