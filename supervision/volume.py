"""Generated case volume for the supervision benchmark: cases spread over the last two years in
states that fit their age, with the step rows the schedule rules read (extensions, payments,
seizures), and a few per cent of missed deadlines. Bulk inserts only; rows are marked by the
title prefix 压测 like cases/volume.py. Never run this on production data."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases.models import (
    Case,
    CaseState,
    CoerciveMeasure,
    DecisionKind,
    Extension,
    MeasureKind,
    MeasureState,
    Payment,
    Procedure,
    Source,
)
from lawenforce.models import Agency, Officer

MARKER = "压测"
BATCH = 5000
TITLES = ["涉嫌经营超过保质期食品案", "涉嫌发布虚假广告案", "涉嫌销售不合格产品案", "涉嫌无证经营案", "涉嫌价格违法案"]


def _d(day, lo, hi, rng):
    return day + datetime.timedelta(days=rng.randint(lo, hi))


def _state_for_age(age, rng):
    r = rng.random()
    if age < 20:
        return CaseState.LEAD if r < 0.4 else CaseState.INVESTIGATING
    if age < 90:
        for state, p in (
            (CaseState.INVESTIGATING, 0.35),
            (CaseState.UNDER_REVIEW, 0.45),
            (CaseState.NOTIFIED, 0.55),
            (CaseState.PENDING_DECISION, 0.6),
            (CaseState.DECIDED, 0.68),
            (CaseState.EXECUTING, 0.85),
        ):
            if r < p:
                return state
        return CaseState.CLOSED
    if age < 130:
        return (
            CaseState.INVESTIGATING
            if r < 0.03
            else CaseState.EXECUTING
            if r < 0.12
            else CaseState.CLOSED
            if r < 0.4
            else CaseState.ARCHIVED
        )
    return (
        CaseState.INVESTIGATING
        if r < 0.005
        else CaseState.EXECUTING
        if r < 0.02
        else CaseState.CLOSED
        if r < 0.05
        else CaseState.ARCHIVED
    )


ORDER = [
    CaseState.LEAD,
    CaseState.INVESTIGATING,
    CaseState.UNDER_REVIEW,
    CaseState.NOTIFIED,
    CaseState.PENDING_DECISION,
    CaseState.DECIDED,
    CaseState.EXECUTING,
    CaseState.CLOSED,
    CaseState.ARCHIVED,
]


def _case(rng, agency, officer, today, i):
    received = today - datetime.timedelta(days=rng.randint(0, 730))
    state = _state_for_age((today - received).days, rng)
    step = ORDER.index(state)
    case = Case(
        agency_id=agency,
        procedure=Procedure.ORDINARY,
        state=state,
        title=f"{MARKER}{rng.choice(TITLES)}",
        source=rng.choice(Source.values),
        lead_received_on=received,
        registered_by_id=officer,
        lead_summary="压测",
    )
    if step >= 1:
        case.filed_on = min(_d(received, 1, 30 if rng.random() < 0.03 else 12, rng), today)
        case.number = f"压测立〔{case.filed_on.year}〕{i}号"
    if step >= 5:
        case.decided_on = min(
            _d(case.filed_on, 95, 130, rng) if rng.random() < 0.03 else _d(case.filed_on, 20, 80, rng), today
        )
        case.decision_kind = DecisionKind.PENALTY
        case.decision_number = f"压测罚〔{case.decided_on.year}〕{i}号"
        case.penalty_kinds = ["fine"]
        case.fine_amount = Decimal(rng.choice([2000, 5000, 10000, 50000]))
    if step >= 6:
        case.served_on = min(
            _d(case.decided_on, 10, 25, rng) if rng.random() < 0.02 else _d(case.decided_on, 1, 6, rng), today
        )
        case.payment_due_on = case.served_on + datetime.timedelta(days=15)
    if step >= 7:
        case.closed_on = min(_d(case.served_on, 2, 20, rng), today)
    if step >= 8:
        case.archived_on = min(
            _d(case.closed_on, 35, 70, rng) if rng.random() < 0.03 else _d(case.closed_on, 1, 25, rng), today
        )
    return case


def generate(count, seed=20261201, today=None):
    """Add `count` cases over the enforcing agencies with officers; returns the number made."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    staff = dict(
        Officer.objects.filter(active=True, agency__in=Agency.objects.active().exclude(sector="justice")).values_list(
            "agency_id", "pk"
        )
    )
    agencies = sorted(staff)
    now = timezone.now()
    offset = Case.objects.count()  # numbers stay unique when generating in several steps
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        cases = []
        for k in range(n):
            agency = rng.choice(agencies)
            cases.append(_case(rng, agency, staff[agency], today, offset + made + k + 1))
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=BATCH)
            _children(rng, cases, staff, now)
        made += n
    return made


def _children(rng, cases, staff, now):
    extensions, payments, measures = [], [], []
    for case in cases:
        officer = staff[case.agency_id]
        if case.filed_on and rng.random() < 0.05:
            extensions.append(
                Extension(
                    case=case,
                    days=30,
                    reason="压测",
                    approved_by_id=officer,
                    approved_on=case.filed_on + datetime.timedelta(days=60),
                )
            )
        if case.closed_on and case.fine_amount:
            payments.append(
                Payment(
                    case=case,
                    amount=case.fine_amount,
                    paid_on=case.closed_on,
                    receipt_number="压测",
                    recorded_by_id=officer,
                )
            )
        if case.filed_on and rng.random() < 0.03:
            decided = case.filed_on + datetime.timedelta(days=2)
            ends = decided + datetime.timedelta(days=30)
            kept = case.state in (CaseState.INVESTIGATING, CaseState.UNDER_REVIEW) and rng.random() < 0.3
            measures.append(
                CoerciveMeasure(
                    case=case,
                    kind=MeasureKind.SEIZURE,
                    number="压测强",
                    decided_on=decided,
                    approved_by_id=officer,
                    reason="压测",
                    ends_on=ends,
                    state=MeasureState.IN_FORCE if kept else MeasureState.RELEASED,
                    ended_on=None if kept else ends - datetime.timedelta(days=5),
                )
            )
    Extension.objects.bulk_create(extensions, batch_size=BATCH)
    Payment.objects.bulk_create(payments, batch_size=BATCH)
    CoerciveMeasure.objects.bulk_create(measures, batch_size=BATCH)
