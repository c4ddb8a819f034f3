"""Annual statistics (年报, T-annual): the figures against a hand-built year, the 31 January deadline,
publication by the head with a ledger entry, scope of the agency-side pages, the public pages."""

import datetime
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analytics.annual import annual_figures
from analytics.statistics import HEADERS
from cases.models import (
    CaseState,
    CoerciveMeasure,
    CourtApplication,
    DecisionKind,
    Deliberation,
    MeasureKind,
    Payment,
    Procedure,
    Remedy,
    RemedyKind,
    RemedyOutcome,
    ReviewOutcome,
)
from disclosure import annual
from disclosure.models import (
    AnnualReport,
    AnnualReportState,
    Complaint,
    ComplaintKind,
    ComplaintState,
    DisclosureState,
    PenaltyDisclosure,
    annual_due_on,
)
from disclosure.tasks import build_annual_reports
from lawenforce.models import LedgerEntry, PenaltyKind, Sector
from tests.cases.factories import CaseFactory, HearingFactory, LegalReviewFactory, agency_world
from tests.factories import AgencyFactory, OfficerFactory, UserFactory

SH = ZoneInfo("Asia/Shanghai")
D = datetime.date


@pytest.fixture
def world(regions):
    return agency_world(regions)


def _case(world, agency=None, **fields):
    fields.setdefault("registered_by", world.handler1)
    fields.setdefault("power_item", world.power_item)
    return CaseFactory(agency=agency or world.agency, **fields)


@pytest.fixture
def year_2025(world):
    """A small year, every figure computed by hand in the test below."""
    a = _case(
        world,
        lead_received_on=D(2025, 3, 1),
        filed_on=D(2025, 3, 5),
        decided_on=D(2025, 6, 10),
        decision_kind=DecisionKind.PENALTY,
        penalty_kinds=[PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS],
        fine_amount=Decimal("5000.00"),
        confiscated_amount=Decimal("1200.50"),
        closed_on=D(2025, 7, 1),
        state=CaseState.CLOSED,
    )
    # Filed in 2025, decided in 2026: counts as filed only.
    _case(
        world,
        lead_received_on=D(2025, 11, 20),
        filed_on=D(2025, 12, 1),
        decided_on=D(2026, 1, 10),
        decision_kind=DecisionKind.PENALTY,
        penalty_kinds=[PenaltyKind.FINE],
        fine_amount=Decimal("9999.00"),
        state=CaseState.DECIDED,
    )
    # On-the-spot warning: a decision, a summary-procedure decision, not a lead.
    c = _case(
        world,
        procedure=Procedure.SUMMARY,
        lead_received_on=D(2025, 8, 8),
        decided_on=D(2025, 8, 8),
        decision_kind=DecisionKind.PENALTY,
        penalty_kinds=[PenaltyKind.WARNING],
        state=CaseState.SERVED,
    )
    # Lead in 2024, filed and decided (no penalty) in 2025.
    _case(
        world,
        lead_received_on=D(2024, 12, 30),
        filed_on=D(2025, 1, 2),
        decided_on=D(2025, 2, 2),
        decision_kind=DecisionKind.NO_PENALTY_MINOR,
        state=CaseState.DECIDED,
    )
    # Another agency's case: never counted.
    _case(
        world,
        agency=world.other_agency,
        registered_by=OfficerFactory(agency=world.other_agency),
        lead_received_on=D(2025, 3, 1),
        filed_on=D(2025, 3, 2),
        decided_on=D(2025, 3, 3),
        decision_kind=DecisionKind.PENALTY,
        penalty_kinds=[PenaltyKind.FINE],
        fine_amount=Decimal("70000"),
    )
    HearingFactory(case=a, host=world.head, held_on=D(2025, 5, 1))
    LegalReviewFactory(
        case=a,
        submitted_by=world.handler1,
        outcome=ReviewOutcome.APPROVED,
        reviewed_at=datetime.datetime(2025, 5, 20, 10, tzinfo=SH),
    )
    LegalReviewFactory(
        case=a,
        submitted_by=world.handler1,
        outcome=ReviewOutcome.RETURNED,
        reviewed_at=datetime.datetime(2025, 12, 31, 23, 30, tzinfo=SH),
    )
    # 1 January 2026 00:10 in Beijing is still 2025 in UTC: not in 2025.
    LegalReviewFactory(
        case=a,
        submitted_by=world.handler1,
        outcome=ReviewOutcome.RETURNED,
        reviewed_at=datetime.datetime(2026, 1, 1, 0, 10, tzinfo=SH),
    )
    Deliberation.objects.create(case=a, held_on=D(2025, 5, 25), conclusion="同意处罚。")
    for kind, day in (
        (MeasureKind.SEIZURE, D(2025, 4, 1)),
        (MeasureKind.SEAL_UP, D(2025, 4, 2)),
        (MeasureKind.SEAL_UP, D(2024, 12, 1)),
    ):
        CoerciveMeasure.objects.create(
            case=a,
            kind=kind,
            number=f"强{day}",
            decided_on=day,
            approved_by=world.head,
            reason="理由",
            ends_on=day + datetime.timedelta(days=30),
        )
    Payment.objects.create(
        case=a, amount=Decimal("5000.00"), paid_on=D(2025, 7, 1), receipt_number="1", recorded_by=world.handler1
    )
    Payment.objects.create(
        case=a, amount=Decimal("1200.50"), paid_on=D(2026, 1, 2), receipt_number="2", recorded_by=world.handler1
    )
    CourtApplication.objects.create(
        case=c, reminder_served_on=D(2025, 9, 1), applied_on=D(2025, 9, 20), court="任城区人民法院"
    )

    def complaint(n, kind, received, **kw):
        return Complaint.objects.create(
            tracking_code=f"T{n}",
            kind=kind,
            received_at=received,
            region=world.agency.region,
            agency=world.agency,
            subject_name="某公司",
            title="事由",
            content="内容",
            **kw,
        )

    complaint(
        1,
        ComplaintKind.COMPLAINT,
        datetime.datetime(2025, 2, 1, 9, tzinfo=SH),
        state=ComplaintState.ACCEPTED,
        accepted_on=D(2025, 2, 3),
        case=a,
    )
    complaint(
        2,
        ComplaintKind.REPORT,
        datetime.datetime(2025, 9, 1, 9, tzinfo=SH),
        state=ComplaintState.REJECTED,
        rejected_on=D(2025, 9, 3),
    )
    complaint(
        3,
        ComplaintKind.REPORT,
        datetime.datetime(2025, 10, 1, 9, tzinfo=SH),
        state=ComplaintState.CLOSED,
        accepted_on=D(2025, 10, 2),
        case=c,
    )
    complaint(4, ComplaintKind.REPORT, datetime.datetime(2024, 12, 31, 23, tzinfo=SH))

    def record(case, **kw):
        return PenaltyDisclosure.objects.create(
            case=case, agency=world.agency, region_path=world.agency.region.path, decided_on=case.decided_on, **kw
        )

    record(
        a,
        state=DisclosureState.PUBLISHED,
        publish_due_on=D(2025, 6, 19),
        published_at=datetime.datetime(2025, 6, 20, 9, tzinfo=SH),
    )
    record(
        c,
        state=DisclosureState.WITHDRAWN,
        publish_due_on=D(2025, 8, 19),
        published_at=datetime.datetime(2025, 8, 12, 9, tzinfo=SH),
        withdrawn_at=datetime.datetime(2025, 11, 1, 9, tzinfo=SH),
    )
    Remedy.objects.create(
        case=a,
        kind=RemedyKind.RECONSIDERATION,
        body="济宁市人民政府",
        filed_on=D(2025, 8, 1),
        outcome=RemedyOutcome.REVOKED,
        outcome_on=D(2025, 10, 1),
        overturned=True,
        recorded_by=world.handler1,
    )
    Remedy.objects.create(
        case=c,
        kind=RemedyKind.LITIGATION,
        body="任城区人民法院",
        filed_on=D(2024, 10, 1),
        outcome=RemedyOutcome.UPHELD,
        outcome_on=D(2025, 3, 1),
        recorded_by=world.handler1,
    )
    return world


def test_figures_of_a_hand_built_year(year_2025):
    world = year_2025
    figures = annual_figures(world.agency, 2025)
    assert figures["year"] == 2025 and figures["agency"]["name"] == world.agency.name
    assert figures["cases"] == {
        "leads_registered": 2,  # A (Mar) and B (Nov); the summary case is not a lead, D's lead was 2024
        "filed": 3,  # A, B, D
        "decided": 3,  # A, C, D (B is decided in 2026)
        "decisions_by_kind": {DecisionKind.PENALTY: 2, DecisionKind.NO_PENALTY_MINOR: 1},
        "summary_procedure": 1,
        "closed": 1,
    }
    assert figures["penalties"] == {
        "decisions": 2,
        "by_kind": {PenaltyKind.CONFISCATE_GAINS: 1, PenaltyKind.FINE: 1, PenaltyKind.WARNING: 1},
        "fines_total": Decimal("5000.00"),
        "confiscated_total": Decimal("1200.50"),
    }
    assert figures["procedure"] == {
        "hearings_held": 1,
        "legal_reviews": 2,  # 20 May and 31 December 23:30 Beijing time; not 1 January 00:10
        "legal_reviews_not_approved": 1,
        "deliberations": 1,
        "coercive_measures": 2,
        "coercive_measures_by_kind": {MeasureKind.SEIZURE: 1, MeasureKind.SEAL_UP: 1},
    }
    assert figures["execution"] == {"collected_total": Decimal("5000.00"), "court_applications": 1}
    assert figures["complaints"] == {
        "total": 3,
        "complaints": 1,
        "reports": 2,
        "rejected": 1,
        "accepted": 2,
        "to_cases": 2,
        "reports_to_cases": 1,
    }
    assert figures["disclosure"] == {"published": 2, "published_late": 1, "withdrawn": 1}
    assert figures["remedies"] == {
        "filed": 1,
        "outcomes": 2,
        "by_kind": {RemedyKind.RECONSIDERATION: 1, RemedyKind.LITIGATION: 1},
        "overturned": 1,
    }
    # head, handler1, handler2, reviewer hold certificates valid on 31 December 2025; one officer has none.
    assert figures["officers"] == {"certified": 4, "legal_reviewers": 1}


def _leaves(figures, prefix=""):
    for key, value in figures.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and path not in HEADERS:
            yield from _leaves(value, f"{path}.")
        else:
            yield path


def test_keys_match_the_statistics_headers(world):
    figures = annual_figures(world.agency, 2025)
    leaves = set(_leaves({k: v for k, v in figures.items() if k not in ("agency", "year")}))
    assert leaves == set(HEADERS)


def test_a_fixed_number_of_queries_per_agency(year_2025):
    with CaptureQueriesContext(connection) as small:
        annual_figures(year_2025.agency, 2025)
    for i in range(5):
        _case(
            year_2025,
            filed_on=D(2025, 4, i + 1),
            decided_on=D(2025, 5, i + 1),
            decision_kind=DecisionKind.PENALTY,
            penalty_kinds=[PenaltyKind.FINE],
            fine_amount=Decimal("100"),
        )
    with CaptureQueriesContext(connection) as large:
        figures = annual_figures(year_2025.agency, 2025)
    assert len(large) == len(small)
    assert figures["penalties"]["fines_total"] == Decimal("5500.00")


# --- The deadline and the report's life ---------------------------------------------------------------


def test_due_on_is_31_january_of_the_next_year():
    assert annual_due_on(2025) == D(2026, 1, 31)
    report = AnnualReport(year=2025, due_on=annual_due_on(2025), state=AnnualReportState.DRAFT)
    assert not report.is_late(D(2026, 1, 31))
    assert report.is_late(D(2026, 2, 1))
    report.state, report.published_on = AnnualReportState.PUBLISHED, D(2026, 1, 31)
    assert not report.is_late(D(2027, 1, 1))
    report.published_on = D(2026, 2, 1)
    assert report.is_late()


def test_late_queryset(world):
    on_time = AnnualReport.objects.create(
        agency=world.agency,
        year=2024,
        due_on=annual_due_on(2024),
        state=AnnualReportState.PUBLISHED,
        published_on=D(2025, 1, 20),
    )
    late = AnnualReport.objects.create(
        agency=world.agency,
        year=2023,
        due_on=annual_due_on(2023),
        state=AnnualReportState.PUBLISHED,
        published_on=D(2024, 2, 1),
    )
    overdue = AnnualReport.objects.create(agency=world.agency, year=2025, due_on=annual_due_on(2025))
    assert set(AnnualReport.objects.late(D(2026, 2, 1))) == {late, overdue}
    assert set(AnnualReport.objects.late(D(2026, 1, 31))) == {late}
    assert on_time not in AnnualReport.objects.late(D(2030, 1, 1))


def test_build_reports_for_every_enforcement_agency(world, regions):
    AgencyFactory(region=regions["city"], sector=Sector.JUSTICE)  # the justice bureau does not report
    assert build_annual_reports(2025) == 2  # world.agency and world.other_agency
    report = AnnualReport.objects.get(agency=world.agency, year=2025)
    assert report.state == AnnualReportState.DRAFT and report.due_on == D(2026, 1, 31)
    assert set(HEADERS) <= set(_leaves({k: v for k, v in report.figures.items() if k not in ("agency", "year")}))
    assert annual.build_reports(2025) == 2 and AnnualReport.objects.count() == 2  # idempotent


def test_command_builds_the_year(world, capsys):
    call_command("build_annual_reports", "--year", "2025")
    assert "2025年度统计" in capsys.readouterr().out
    assert AnnualReport.objects.filter(year=2025).count() == 2


def test_publish_by_the_head_records_the_figures_in_the_ledger(year_2025, monkeypatch):
    world = year_2025
    report = annual.build_report(world.agency, 2025)
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 1, 20, 10, tzinfo=SH))
    report = annual.publish_report(report, world.head, note="  口径说明  ")
    assert report.state == AnnualReportState.PUBLISHED and report.published_on == D(2026, 1, 20)
    assert not report.is_late() and report.note == "口径说明"
    entry = LedgerEntry.objects.get(index=report.ledger_index)
    assert entry.kind == annual.LEDGER_KIND
    leaf = json.loads(bytes(entry.leaf))
    assert leaf["payload"]["figures"]["penalties"]["fines_total"] == "5000.00"
    assert leaf["payload"]["late"] is False and leaf["payload"]["year"] == 2025
    # Published reports never change, even when the task runs again.
    with pytest.raises(annual.AnnualReportError):
        annual.publish_report(report, world.head)
    annual.build_report(world.agency, 2025)
    report.refresh_from_db()
    assert report.figures["cases"]["filed"] == 3


def test_publication_after_31_january_is_late(world, monkeypatch):
    report = annual.build_report(world.agency, 2025)
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 2, 2, 10, tzinfo=SH))
    report = annual.publish_report(report, world.head)
    assert report.is_late()
    assert report in AnnualReport.objects.late()


def test_only_the_head_publishes_and_only_after_the_year(world):
    report = annual.build_report(world.agency, 2025)
    for officer in (world.handler1, None, OfficerFactory(agency=world.other_agency, is_agency_head=True)):
        with pytest.raises(annual.AnnualReportError, match="机关负责人"):
            annual.check_can_publish(report, officer)
    this_year = annual.build_report(world.agency, timezone.localdate().year)
    with pytest.raises(annual.AnnualReportError, match="尚未结束"):
        annual.check_can_publish(this_year, world.head)


# --- Pages and scope -----------------------------------------------------------------------------------


def _login(client, officer):
    if officer.user is None:
        officer.user = UserFactory()
        officer.save()
    client.force_login(officer.user)


@pytest.fixture
def reports(world):
    own = annual.build_report(world.agency, 2025)
    other = annual.build_report(world.other_agency, 2025)
    return own, other


def test_agency_pages_are_scoped(client, world, reports):
    own, other = reports
    _login(client, world.handler1)
    response = client.get(reverse("disclosure-annual:list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [own]
    assert client.get(reverse("disclosure-annual:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("disclosure-annual:detail", args=[other.pk])).status_code == 404
    # An officer who is not the head sees why they cannot publish; a POST is refused with the message.
    response = client.post(
        reverse("disclosure-annual:detail", args=[own.pk]), {"action": "publish", "note": "我的说明"}
    )
    assert response.status_code == 200
    assert "机关负责人" in response.content.decode() and "我的说明" in response.content.decode()
    own.refresh_from_db()
    assert own.state == AnnualReportState.DRAFT


def test_pages_need_login(client, reports):
    response = client.get(reverse("disclosure-annual:list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_head_publishes_in_the_browser(client, world, reports):
    own, _other = reports
    _login(client, world.head)
    response = client.post(
        reverse("disclosure-annual:detail", args=[own.pk]), {"action": "publish", "note": "本年度说明"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.state == AnnualReportState.PUBLISHED and own.note == "本年度说明" and own.ledger_index is not None
    public = client.get(reverse("exante:annual-detail", args=[own.pk])).content.decode()
    assert "本年度说明" in public and "立案数" in public and "罚款金额（元）" in public


def test_supervisor_sees_the_region_and_late_reports_but_cannot_act(client, world, reports, regions):
    own, other = reports
    bureau = AgencyFactory(region=regions["city"], sector=Sector.JUSTICE, name="济宁市司法局")
    supervisor = OfficerFactory(agency=bureau, is_supervisor=True, user=UserFactory())
    _login(client, supervisor)
    response = client.get(reverse("disclosure-annual:list") + "?late=1")
    assert response.status_code == 200
    # Both drafts of 2025 are past 31 January 2026 (today is later); only the region's is visible.
    assert list(response.context["page"]) == [own] and response.context["late_count"] == 1
    assert "逾期" in response.content.decode()
    assert client.get(reverse("disclosure-annual:detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("disclosure-annual:detail", args=[own.pk]), {"action": "publish"}).status_code == 404


def test_public_sees_only_published_reports(client, world, reports):
    own, other = reports
    assert client.get(reverse("exante:annual-detail", args=[own.pk])).status_code == 404  # a draft
    annual.publish_report(own, world.head)
    html = client.get(reverse("exante:annual")).content.decode()
    assert world.agency.name in html and world.other_agency.name not in html
    assert "逾期公开" in html  # published after 31 January 2026
    response = client.get(reverse("exante:annual") + f"?year=2025&agency={world.agency.pk}")
    assert list(response.context["page"]) == [own]
