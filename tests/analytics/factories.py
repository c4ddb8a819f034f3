"""A small hand-built enforcement year (2025) whose indicator values are worked out by hand in
tests/analytics/test_indicators_by_hand.py, and helpers to build complaints, evaluations and
remedies (the models of disclosure, supervision and cases)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from cases.models import CaseState, DecisionKind, Procedure, Remedy, RemedyKind
from cases.models.remedies import OVERTURNING_OUTCOMES
from lawenforce.models import CertificateStatus, LegalProvision, Sector
from tests.cases.factories import CaseFactory, PartyFactory
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    EnforcementCategoryFactory,
    LawFactory,
    OfficerFactory,
    PowerItemFactory,
)

D = datetime.date


def at(day, hour=10, minute=0):
    """An aware datetime in Asia/Shanghai."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone())


@dataclass
class World:
    agencies: dict = field(default_factory=dict)
    officers: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    provisions: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    complaints: dict = field(default_factory=dict)
    regions: dict = field(default_factory=dict)


def make_complaint(n, agency, received_at, item=None, state="accepted", accepted_on=None, case=None):
    model = apps.get_model("disclosure", "Complaint")
    return model.objects.create(
        tracking_code=f"T{n:08d}",
        kind="report",
        received_at=received_at,
        region=agency.region,
        agency=agency,
        power_item=item,
        state=state,
        accepted_on=accepted_on,
        case=case,
        subject_name="某某商贸有限公司",
        title="反映违法经营",
        content="测试投诉举报。",
        anonymous=True,
    )


def make_evaluation(case, bureau, evaluator, passed, finalized_at, score=None):
    sample_model = apps.get_model("supervision", "EvaluationSample")
    rubric_model = apps.get_model("supervision", "Rubric")
    rubric = rubric_model.objects.filter(is_default=True).first() or rubric_model.objects.get_or_create(name="测试评查标准")[0]
    sample, _created = sample_model.objects.get_or_create(
        title="测试评查",
        defaults={
            "bureau": bureau,
            "period_start": D(2025, 1, 1),
            "period_end": D(2025, 12, 31),
            "per_agency": 5,
            "seed": "test",
            "rubric": rubric,
            "created_by": evaluator,
        },
    )
    return apps.get_model("supervision", "DossierEvaluation").objects.create(
        sample=sample,
        case=case,
        agency=case.agency,
        evaluator=evaluator,
        passed=passed,
        finalized_at=finalized_at,
        total_score=score if score is not None else (Decimal("90") if passed else Decimal("60")),
    )


def make_remedy(case, officer, kind, outcome="", outcome_on=None, filed_on=None):
    return Remedy.objects.create(
        case=case,
        kind=kind,
        body="某某人民政府" if kind == RemedyKind.RECONSIDERATION else "某某人民法院",
        filed_on=filed_on or (case.decided_on + datetime.timedelta(days=20)),
        outcome=outcome,
        outcome_on=outcome_on,
        overturned=outcome in OVERTURNING_OUTCOMES,
        recorded_by=officer,
    )


def _case(world, key, agency, item, handlers, *, filed=None, decided=None, kind="", summary=False, **extra):
    state = CaseState.CLOSED if decided else CaseState.INVESTIGATING if filed else CaseState.LEAD
    case = CaseFactory(
        agency=agency,
        power_item=item,
        registered_by=handlers[0],
        procedure=Procedure.SUMMARY if summary else Procedure.ORDINARY,
        state=state,
        number="" if summary else (f"测{key}" if filed else ""),
        decision_number=f"决{key}" if decided and kind in ("penalty", "no_penalty_first") else "",
        filed_on=filed,
        decided_on=decided,
        decision_kind=kind,
        fine_amount=Decimal("5000") if kind == DecisionKind.PENALTY else None,
        **extra,
    )
    case.handlers.set(handlers)
    world.cases[key] = case
    return case


def hand_built(regions):
    """The data set of test_indicators_by_hand (see its docstring for the expected values)."""
    w = World(regions=regions)
    category = EnforcementCategoryFactory(code="market", name="市场监管")
    a1 = AgencyFactory(name="任城区市场监管局", region=regions["county"], sector=Sector.MARKET)
    a2 = AgencyFactory(name="兖州区市场监管局", region=regions["county2"], sector=Sector.MARKET)
    b1 = AgencyFactory(name="菏泽市市场监管局", region=regions["other_city"], sector=Sector.MARKET)
    bureau = AgencyFactory(name="济宁市司法局", region=regions["city"], sector=Sector.JUSTICE)
    w.agencies.update(a1=a1, a2=a2, b1=b1, bureau=bureau)
    l1, l2 = LawFactory(name="中华人民共和国食品安全法"), LawFactory(name="中华人民共和国产品质量法")
    for key, law, article in [("p1a", l1, 34), ("p1b", l1, 124), ("p2", l1, 125), ("p3", l2, 49), ("p4", l2, 50)]:
        w.provisions[key] = LegalProvision.objects.create(law=law, article=article, text="条文。")
    p1 = PowerItemFactory(code="CF-1", name="对经营过期食品的行政处罚", enforcement_category=category, agencies=[a1, b1])
    p2 = PowerItemFactory(code="CF-2", name="对无证经营的行政处罚", enforcement_category=category, agencies=[a1, a2])
    p3 = PowerItemFactory(code="CF-3", name="对销售不合格产品的行政处罚", enforcement_category=category, agencies=[a2])
    p1.provisions.set([w.provisions["p1a"], w.provisions["p1b"]])
    p2.provisions.set([w.provisions["p2"], w.provisions["p3"]])
    p3.provisions.set([w.provisions["p4"]])
    w.items.update(p1=p1, p2=p2, p3=p3)

    def officer(key, agency, cert=True, **cert_fields):
        o = OfficerFactory(agency=agency, name=key)
        if cert:
            CertificateFactory(officer=o, categories=[category], **cert_fields)
        w.officers[key] = o
        return o

    o1, o2, o3 = officer("o1", a1), officer("o2", a1), officer("o3", a1)
    officer("o4", a1, cert=False)
    o5 = officer("o5", a1, valid_to=D(2025, 2, 28), status=CertificateStatus.EXPIRED)
    o6, o7 = officer("o6", a2), officer("o7", a2)
    o8, o9 = officer("o8", b1), officer("o9", b1)
    supervisor = OfficerFactory(agency=bureau, name="监督员", is_supervisor=True)
    w.officers["supervisor"] = supervisor

    c1 = _case(w, "c1", a1, p1, [o1, o2], filed=D(2025, 1, 10), decided=D(2025, 2, 20), kind="penalty")
    c2 = _case(w, "c2", a1, p1, [o1, o2], filed=D(2025, 1, 15), decided=D(2025, 3, 5), kind="no_penalty_first")
    c3 = _case(w, "c3", a1, p2, [o1, o5], filed=D(2025, 2, 3), decided=D(2025, 2, 25), kind="not_established")
    _case(w, "c4", a1, p2, [o2, o3], decided=D(2025, 3, 10), kind="penalty", summary=True)
    c5 = _case(w, "c5", a1, p2, [o1, o2], filed=D(2025, 3, 1))
    _case(w, "c6", a1, None, [o1])  # a lead that was never filed: counts nowhere
    c7 = _case(w, "c7", a2, p3, [o6, o7], filed=D(2025, 1, 20), decided=D(2025, 4, 2), kind="penalty")
    _case(w, "c8", a2, p2, [o6, o7], filed=D(2025, 2, 11), decided=D(2025, 2, 28), kind="transfer")
    c9 = _case(w, "c9", b1, p1, [o8, o9], filed=D(2025, 2, 14), decided=D(2025, 3, 20), kind="penalty")
    for case in w.cases.values():
        PartyFactory(case=case)

    k = w.complaints
    k["k1"] = make_complaint(1, a1, at(D(2025, 1, 5)), p1, accepted_on=D(2025, 1, 8), case=c1)
    k["k2"] = make_complaint(2, a1, at(D(2025, 1, 31), 23, 30), p2, accepted_on=D(2025, 2, 3), case=c5)
    k["k3"] = make_complaint(3, a1, at(D(2025, 2, 1), 0, 30), p2, state="rejected")
    k["k4"] = make_complaint(4, a1, at(D(2025, 2, 10)), p2, state="closed", accepted_on=D(2025, 2, 12))
    k["k5"] = make_complaint(5, a1, at(D(2025, 2, 12)), None, accepted_on=D(2025, 2, 13), case=c3)
    k["k6"] = make_complaint(6, a2, at(D(2025, 1, 22)), p3, accepted_on=D(2025, 1, 24), case=c7)

    make_evaluation(c1, bureau, supervisor, True, at(D(2025, 4, 10)))
    make_evaluation(c2, bureau, supervisor, False, at(D(2025, 4, 20)))
    make_evaluation(c9, bureau, supervisor, True, at(D(2025, 5, 1)))
    make_evaluation(c7, bureau, supervisor, None, None)  # not finalised: counts nowhere

    make_remedy(c1, o1, RemedyKind.RECONSIDERATION, "upheld", D(2025, 5, 10))
    make_remedy(c1, o1, RemedyKind.LITIGATION, "revoked", D(2025, 6, 15))
    make_remedy(c9, o8, RemedyKind.RECONSIDERATION, "changed", D(2025, 7, 1))
    make_remedy(c7, o6, RemedyKind.LITIGATION)  # pending: counts nowhere
    return w
