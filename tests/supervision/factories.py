"""Data for supervision tests: cases in the states the rules look at, written as rows (the
workflow would refuse most of what the rules are there to catch)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from cases.models import CaseEvent, CaseState, DecisionKind, Procedure
from evidence.models import EvidenceItem
from lawenforce.models import PenaltyKind, Sector
from supervision import engine
from supervision.models import Alert
from supervision.rules import CATALOGUE
from tests.cases.factories import CaseFactory, PartyFactory
from tests.factories import AgencyFactory, OfficerFactory

D = datetime.date


def filed(world, *, filed_on=datetime.date(2026, 3, 5), state=CaseState.INVESTIGATING, handlers=None, **fields):
    fields.setdefault("power_item", world.power_item)
    archived = state == CaseState.ARCHIVED
    case = CaseFactory(
        agency=world.agency,
        registered_by=world.handler1,
        state=CaseState.CLOSED if archived else state,
        number=f"济任市监立〔2026〕{CaseFactory._meta.model.objects.count() + 1}号",
        lead_received_on=filed_on - datetime.timedelta(days=2),
        filed_on=filed_on,
        violation_date=filed_on - datetime.timedelta(days=10),
        **fields,
    )
    case.handlers.set(handlers if handlers is not None else [world.handler1, world.handler2])
    PartyFactory(case=case)
    if archived:  # archived cases are read-only (cases/readonly.py): archive last
        type(case).objects.filter(pk=case.pk).update(state=CaseState.ARCHIVED)
        case.state = CaseState.ARCHIVED
    return case


def decided(world, *, decided_on=datetime.date(2026, 4, 20), fine=Decimal("60000"), kinds=None, **fields):
    fields.setdefault("state", CaseState.DECIDED)
    return filed(
        world,
        decision_kind=DecisionKind.PENALTY,
        decision_number=f"济任市监罚〔2026〕{CaseFactory._meta.model.objects.count() + 1}号",
        decided_on=decided_on,
        decided_by=world.head,
        penalty_kinds=kinds or [PenaltyKind.FINE],
        fine_amount=fine,
        discretion_standard=world.standard,
        **fields,
    )


def summary(world, *, decided_on=datetime.date(2026, 3, 2), **fields):
    case = CaseFactory(
        agency=world.agency,
        registered_by=world.handler1,
        procedure=Procedure.SUMMARY,
        state=CaseState.DECIDED,
        power_item=world.power_item,
        lead_received_on=decided_on,
        decision_kind=DecisionKind.PENALTY,
        decided_on=decided_on,
        penalty_kinds=[PenaltyKind.WARNING],
        **{"decision_number": "济任市监当罚〔2026〕1号", **fields},
    )
    case.handlers.set([world.handler1, world.handler2])
    return case


def event(case, to_state, at, action="环节"):
    """A CaseEvent entered at `at` (an aware datetime): CaseEvent.at is set on insert, so update it."""
    e = CaseEvent.objects.create(case=case, action=action, to_state=to_state)
    CaseEvent.objects.filter(pk=e.pk).update(at=at)
    return e


def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def evidence(case, officer, *, collected_at, uploaded_at, title="现场照片"):
    return EvidenceItem.objects.create(
        case=case,
        kind="audiovisual",
        title=title,
        proves="当事人陈列过期食品。",
        collected_at=collected_at,
        collected_place="某超市",
        collected_by=officer,
        uploaded_by=officer,
        uploaded_at=uploaded_at,
        file="evidence/2026/03/x.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="0" * 64,
        sm3="0" * 64,
    )


def bureau(regions, region="city", **kwargs):
    return AgencyFactory(region=regions[region], sector=Sector.JUSTICE, **kwargs)


def supervisor(agency, **kwargs):
    return OfficerFactory(agency=agency, is_supervisor=True, **kwargs)


def run(code, today, cases=None):
    return engine.run(rules=[CATALOGUE[code]], cases=cases, today=today)


def alerted(code, today, cases=None):
    """The ids of the cases with an alert of rule `code` after a run on `today`."""
    run(code, today, cases)
    return set(Alert.objects.filter(rule=code).values_list("case_id", flat=True))
