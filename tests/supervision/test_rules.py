"""Each rule of the catalogue: a case that fires it and one that does not."""

import datetime
from decimal import Decimal

import pytest

from cases.models import CaseState, CoerciveMeasure, Deliberation, Extension, LegalReview, Payment, ReviewOutcome
from lawenforce.models import CertificateStatus
from supervision.models import Alert
from supervision.rules import CATALOGUE, Trigger
from tests.cases.factories import CaseFactory, CoerciveMeasureFactory, HearingFactory, PriorNoticeFactory
from tests.factories import CertificateFactory, OfficerFactory, PowerItemFactory

from .factories import D, aware, decided, event, evidence, filed, summary
from .factories import alerted as fired

pytestmark = pytest.mark.django_db


def lead(world, received):
    return CaseFactory(agency=world.agency, registered_by=world.handler1, lead_received_on=received)


def test_every_rule_names_its_article_severity_and_trigger():
    for code, rule in CATALOGUE.items():
        assert code.startswith("S-")
        assert rule.title and rule.description and rule.article, code
        assert rule.severity in {"high", "medium", "low"}
        assert rule.trigger in Trigger.values


def test_filing_due_soon_fires_within_the_warning_days_only(world):
    near = lead(world, D(2026, 5, 20))  # 15 working days → 2026-06-10
    far = lead(world, D(2026, 6, 1))
    assert fired("S-FILING-DUE-SOON", D(2026, 6, 5)) == {near.pk}
    alert = Alert.objects.get(case=near)
    assert alert.facts["due_on"] == "2026-06-10"
    assert far.pk not in fired("S-FILING-DUE-SOON", D(2026, 6, 5))


def test_filing_overdue_fires_for_an_old_lead_and_a_late_filing_not_a_timely_one(world):
    stale = lead(world, D(2026, 3, 2))
    late = filed(world, filed_on=D(2026, 4, 10))
    late.lead_received_on = D(2026, 3, 2)
    late.save()
    timely = filed(world, filed_on=D(2026, 3, 5))
    assert fired("S-FILING-OVERDUE", D(2026, 4, 15)) == {stale.pk, late.pk}
    assert Alert.objects.get(case=late).facts["filed_on"] == "2026-04-10"
    assert timely.pk not in fired("S-FILING-OVERDUE", D(2026, 4, 15))


def test_decision_due_soon_counts_an_approved_extension(world):
    near = filed(world, filed_on=D(2026, 3, 5))  # 90 days → 2026-06-03
    extended = filed(world, filed_on=D(2026, 3, 5))
    Extension.objects.create(
        case=extended, days=30, reason="案情复杂", approved_by=world.head, approved_on=D(2026, 5, 20)
    )
    assert fired("S-DECISION-DUE-SOON", D(2026, 5, 30)) == {near.pk}


def test_decision_overdue_fires_when_undecided_or_decided_late(world):
    open_late = filed(world, filed_on=D(2026, 1, 5))
    decided_late = decided(world, filed_on=D(2026, 1, 5), decided_on=D(2026, 5, 1))
    decided_in_time = decided(world, filed_on=D(2026, 1, 5), decided_on=D(2026, 3, 2))
    found = fired("S-DECISION-OVERDUE", D(2026, 6, 1))
    assert found == {open_late.pk, decided_late.pk}
    assert decided_in_time.pk not in found
    assert Alert.objects.get(case=decided_late).facts["due_on"] == "2026-04-07"


def test_service_overdue_fires_seven_working_days_after_the_decision(world):
    unserved = decided(world, decided_on=D(2026, 3, 2))
    served = decided(world, decided_on=D(2026, 3, 2), served_on=D(2026, 3, 5), state=CaseState.EXECUTING)
    assert fired("S-SERVICE-OVERDUE", D(2026, 4, 1)) == {unserved.pk}
    assert served.pk not in fired("S-SERVICE-OVERDUE", D(2026, 4, 1))


def test_payment_overdue_fires_until_paid_and_then_clears_itself(world):
    unpaid = decided(
        world, fine=Decimal("10000"), served_on=D(2026, 3, 5), payment_due_on=D(2026, 3, 20), state=CaseState.EXECUTING
    )
    assert fired("S-PAYMENT-OVERDUE", D(2026, 4, 1)) == {unpaid.pk}
    Payment.objects.create(
        case=unpaid, amount=Decimal("10000"), paid_on=D(2026, 4, 2), receipt_number="1", recorded_by=world.handler1
    )
    fired("S-PAYMENT-OVERDUE", D(2026, 4, 3))
    alert = Alert.objects.get(case=unpaid, rule="S-PAYMENT-OVERDUE")
    assert alert.state == "rectified" and alert.cleared_at is not None
    assert alert.entries.get().kind == "cleared"


def test_archive_overdue_fires_thirty_days_after_closing(world):
    unarchived = filed(world, state=CaseState.CLOSED, closed_on=D(2026, 3, 2))
    archived = filed(world, state=CaseState.ARCHIVED, closed_on=D(2026, 3, 2), archived_on=D(2026, 3, 20))
    assert fired("S-ARCHIVE-OVERDUE", D(2026, 5, 1)) == {unarchived.pk}
    assert archived.pk not in fired("S-ARCHIVE-OVERDUE", D(2026, 5, 1))


def test_summary_report_overdue_uses_the_configured_working_days(world):
    unreported = summary(world, decided_on=D(2026, 3, 2))
    reported = summary(
        world, decided_on=D(2026, 3, 2), reported_on=D(2026, 3, 3), decision_number="济任市监当罚〔2026〕2号"
    )
    assert fired("S-SUMMARY-REPORT-OVERDUE", D(2026, 3, 20)) == {unreported.pk}
    assert reported.pk not in fired("S-SUMMARY-REPORT-OVERDUE", D(2026, 3, 20))


def test_evidence_uploaded_after_24_hours_fires(world):
    late = filed(world)
    timely = filed(world)
    evidence(late, world.handler1, collected_at=aware(D(2026, 3, 6)), uploaded_at=aware(D(2026, 3, 8)))
    evidence(timely, world.handler1, collected_at=aware(D(2026, 3, 6)), uploaded_at=aware(D(2026, 3, 6), 15))
    assert fired("S-EVIDENCE-LATE", D(2026, 3, 9)) == {late.pk}
    assert Alert.objects.get(case=late).facts["items"][0]["hours"] == 48


def test_fewer_than_two_handlers_fires(world):
    alone = filed(world, handlers=[world.handler1])
    pair = filed(world)
    assert fired("S-HANDLERS-TOO-FEW", D(2026, 3, 9)) == {alone.pk}
    assert pair.pk not in fired("S-HANDLERS-TOO-FEW", D(2026, 3, 9))


def test_a_certificate_expired_on_the_day_or_of_another_category_fires(world):
    expired = OfficerFactory(agency=world.agency, name="过期人员")
    CertificateFactory(officer=expired, categories=[world.category], valid_to=D(2026, 2, 28))
    other_category = OfficerFactory(agency=world.agency, name="类别不符")
    from tests.factories import EnforcementCategoryFactory

    CertificateFactory(
        officer=other_category, categories=[EnforcementCategoryFactory(code="test-other", name="测试其他类别")]
    )
    bad = filed(world, handlers=[world.handler1, expired])
    wrong = filed(world, handlers=[world.handler1, other_category])
    good = filed(world)
    assert fired("S-CERTIFICATE-INVALID", D(2026, 3, 9)) == {bad.pk, wrong.pk}
    assert Alert.objects.get(case=bad).facts["officers"] == ["过期人员"]
    assert good.pk not in fired("S-CERTIFICATE-INVALID", D(2026, 3, 9))


def test_a_certificate_suspended_after_the_filing_does_not_fire_but_one_suspended_before_does(world):
    later = OfficerFactory(agency=world.agency, name="后来暂扣")
    cert = CertificateFactory(officer=later, categories=[world.category])
    case = filed(world, filed_on=D(2026, 3, 5), handlers=[world.handler1, later])
    cert.status = CertificateStatus.SUSPENDED
    cert.save()  # recorded today (after 2026-03-05)
    assert case.pk not in fired("S-CERTIFICATE-INVALID", D(2026, 12, 1))
    today_case = filed(
        world, filed_on=datetime.date.today() + datetime.timedelta(days=1), handlers=[world.handler1, later]
    )
    assert today_case.pk in fired("S-CERTIFICATE-INVALID", D(2026, 12, 1))


def test_a_power_item_the_agency_does_not_hold_fires(world):
    foreign = PowerItemFactory(enforcement_category=world.category, agencies=[world.other_agency])
    outside = filed(world, power_item=foreign)
    inside = filed(world)
    assert fired("S-POWER-ITEM-NOT-HELD", D(2026, 3, 9)) == {outside.pk}
    assert inside.pk not in fired("S-POWER-ITEM-NOT-HELD", D(2026, 3, 9))


def test_a_major_decision_without_an_approved_review_fires(world):
    unreviewed = decided(world, is_major=True)
    returned = decided(world, is_major=True)
    LegalReview.objects.create(
        case=returned, submitted_at=aware(D(2026, 4, 1)), submitted_by=world.handler1, outcome=ReviewOutcome.RETURNED
    )
    approved = decided(world, is_major=True)
    LegalReview.objects.create(
        case=approved,
        submitted_at=aware(D(2026, 4, 1)),
        submitted_by=world.handler1,
        outcome=ReviewOutcome.APPROVED,
        reviewer=world.reviewer,
    )
    ordinary = decided(world)
    assert fired("S-REVIEW-MISSING", D(2026, 5, 1)) == {unreviewed.pk, returned.pk}
    assert approved.pk not in fired("S-REVIEW-MISSING", D(2026, 5, 1)) and ordinary.pk not in fired(
        "S-REVIEW-MISSING", D(2026, 5, 1)
    )


def test_a_review_given_by_a_handler_fires(world):
    by_handler = decided(world, is_major=True)
    LegalReview.objects.create(
        case=by_handler,
        submitted_at=aware(D(2026, 4, 1)),
        submitted_by=world.handler1,
        reviewer=world.handler2,
        outcome=ReviewOutcome.APPROVED,
        reviewed_at=aware(D(2026, 4, 2)),
    )
    proper = decided(world, is_major=True)
    LegalReview.objects.create(
        case=proper,
        submitted_at=aware(D(2026, 4, 1)),
        submitted_by=world.handler1,
        reviewer=world.reviewer,
        outcome=ReviewOutcome.APPROVED,
    )
    assert fired("S-REVIEWER-IS-HANDLER", D(2026, 5, 1)) == {by_handler.pk}


def test_a_hearing_hosted_by_a_handler_fires(world):
    bad = filed(world)
    HearingFactory(case=bad, host=world.handler1)
    good = filed(world)
    HearingFactory(case=good, host=world.reviewer)
    assert fired("S-HEARING-HOST-IS-HANDLER", D(2026, 5, 1)) == {bad.pk}


def test_a_penalty_outside_the_standard_without_an_approved_deviation_fires(world):
    below = decided(world, fine=Decimal("20000"))
    approved = decided(world, fine=Decimal("20000"))
    Deliberation.objects.create(
        case=approved,
        held_on=D(2026, 4, 15),
        conclusion="同意",
        approves_deviation=True,
        deviation_reason="首次违法，主动退赔",
    )
    inside = decided(world, fine=Decimal("60000"))
    found = fired("S-DISCRETION-DEVIATION", D(2026, 5, 1))
    assert found == {below.pk}
    assert "不在裁量基准幅度" in Alert.objects.get(case=below).facts["problem"]
    assert inside.pk not in found and approved.pk not in found


def test_a_fine_above_the_statutory_maximum_fires_even_with_a_deliberation(world):
    above = decided(world, fine=Decimal("150000"))
    Deliberation.objects.create(
        case=above, held_on=D(2026, 4, 15), conclusion="同意", approves_deviation=True, deviation_reason="x"
    )
    at_max = decided(world, fine=Decimal("100000"))
    assert fired("S-FINE-ABOVE-MAX", D(2026, 5, 1)) == {above.pk}
    assert at_max.pk not in fired("S-FINE-ABOVE-MAX", D(2026, 5, 1))


def test_a_penalty_with_a_hearing_right_not_told_fires(world):
    untold = decided(world, fine=Decimal("100000"))  # the organisation threshold: 100,000 yuan
    PriorNoticeFactory(case=untold, hearing_right=False)
    told = decided(world, fine=Decimal("100000"))
    PriorNoticeFactory(case=told, hearing_right=True, hearing_request_deadline=D(2026, 4, 8))
    small = decided(world, fine=Decimal("60000"))
    PriorNoticeFactory(case=small, hearing_right=False)
    assert fired("S-HEARING-RIGHT-NOT-NOTIFIED", D(2026, 5, 1)) == {untold.pk}


def test_a_hearing_less_than_seven_working_days_after_its_notice_fires(world):
    rushed = filed(world)
    HearingFactory(case=rushed, host=world.reviewer, notice_served_on=D(2026, 4, 10), scheduled_on=D(2026, 4, 14))
    proper = filed(world)
    HearingFactory(case=proper, host=world.reviewer, notice_served_on=D(2026, 4, 10), scheduled_on=D(2026, 4, 24))
    assert fired("S-HEARING-NOTICE-SHORT", D(2026, 5, 1)) == {rushed.pk}


def test_a_seizure_past_its_period_fires(world):
    kept = filed(world)
    CoerciveMeasureFactory(case=kept, approved_by=world.head, decided_on=D(2026, 3, 10), ends_on=D(2026, 4, 9))
    released = filed(world)
    CoerciveMeasureFactory(
        case=released,
        approved_by=world.head,
        decided_on=D(2026, 3, 10),
        ends_on=D(2026, 4, 9),
        state="released",
        ended_on=D(2026, 4, 5),
    )
    assert fired("S-SEIZURE-OVERDUE", D(2026, 4, 20)) == {kept.pk}
    assert CoerciveMeasure.objects.count() == 2


def test_a_surcharge_above_the_fine_fires(world):
    over = decided(world, fine=Decimal("10000"), state=CaseState.EXECUTING)
    Payment.objects.create(
        case=over,
        amount=Decimal("22000"),
        surcharge_part=Decimal("12000"),
        paid_on=D(2026, 6, 1),
        receipt_number="1",
        recorded_by=world.handler1,
    )
    capped = decided(world, fine=Decimal("10000"), state=CaseState.EXECUTING)
    Payment.objects.create(
        case=capped,
        amount=Decimal("20000"),
        surcharge_part=Decimal("10000"),
        paid_on=D(2026, 6, 1),
        receipt_number="2",
        recorded_by=world.handler1,
    )
    assert fired("S-SURCHARGE-ABOVE-FINE", D(2026, 6, 2)) == {over.pk}


def test_a_step_entered_long_after_its_date_fires_with_the_configured_threshold(world):
    from supervision.models import SupervisionSettings

    late = decided(world, decided_on=D(2026, 4, 20))
    event(late, CaseState.DECIDED, aware(D(2026, 4, 30)))
    prompt = decided(world, decided_on=D(2026, 4, 20))
    event(prompt, CaseState.DECIDED, aware(D(2026, 4, 21)))
    assert fired("S-BACKFILL-LATE", D(2026, 5, 1)) == {late.pk}
    assert Alert.objects.get(case=late).facts["entries"][0]["days"] == 10
    settings = SupervisionSettings.current()
    settings.backfill_days = 14
    settings.save()
    Alert.objects.all().delete()
    assert fired("S-BACKFILL-LATE", D(2026, 5, 1)) == set()


def test_evidence_of_before_the_decision_entered_after_it_fires(world):
    backfilled = decided(world, decided_on=D(2026, 4, 20))
    event(backfilled, CaseState.DECIDED, aware(D(2026, 4, 20)))
    evidence(backfilled, world.handler1, collected_at=aware(D(2026, 4, 19)), uploaded_at=aware(D(2026, 4, 22)))
    later_fact = decided(world, decided_on=D(2026, 4, 20))
    event(later_fact, CaseState.DECIDED, aware(D(2026, 4, 20)))
    evidence(later_fact, world.handler1, collected_at=aware(D(2026, 4, 21)), uploaded_at=aware(D(2026, 4, 21), 12))
    assert fired("S-BACKFILL-AFTER-DECISION", D(2026, 5, 1)) == {backfilled.pk}


def _disclosure(case, **fields):
    from disclosure.models import PenaltyDisclosure

    values = {
        "agency": case.agency,
        "decided_on": case.decided_on,
        "region_path": case.agency.region.path,
        "party_name": "济宁某某食品有限公司",
    }
    values.update(fields)
    return PenaltyDisclosure.objects.create(case=case, **values)


def test_a_decision_not_published_by_its_deadline_fires_and_a_timely_one_does_not(world):
    pending = decided(world)
    _disclosure(pending, publish_due_on=D(2026, 4, 29), state="pending")
    late = decided(world)
    _disclosure(late, publish_due_on=D(2026, 4, 29), state="published", published_at=aware(D(2026, 5, 6)))
    timely = decided(world)
    _disclosure(timely, publish_due_on=D(2026, 4, 29), state="published", published_at=aware(D(2026, 4, 28)))
    exempt = decided(world)
    _disclosure(exempt, publish_due_on=D(2026, 4, 29), state="exempt")
    assert fired("S-DISCLOSURE-OVERDUE", D(2026, 5, 10)) == {pending.pk, late.pk}
    assert Alert.objects.get(case=late).facts["records"][0]["done_on"] == "2026-05-06"


def test_a_fallen_decision_withdrawn_late_fires(world):
    kept = decided(world)
    _disclosure(
        kept,
        publish_due_on=D(2026, 4, 29),
        state="published",
        published_at=aware(D(2026, 4, 28)),
        withdraw_due_on=D(2026, 6, 3),
    )
    withdrawn = decided(world)
    _disclosure(
        withdrawn,
        publish_due_on=D(2026, 4, 29),
        state="withdrawn",
        published_at=aware(D(2026, 4, 28)),
        withdraw_due_on=D(2026, 6, 3),
        withdrawn_at=aware(D(2026, 6, 2)),
    )
    assert fired("S-WITHDRAWAL-OVERDUE", D(2026, 6, 10)) == {kept.pk}
