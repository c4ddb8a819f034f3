"""Routing a complaint to the competent agency (region and matter), and the acceptance deadline."""

import datetime
import zoneinfo

import pytest

from disclosure.complaints import routing, services
from lawenforce.models import AgencyKind, AgencyStatus, CalendarDay, Sector
from tests.disclosure.complaint_factories import submit
from tests.factories import AgencyFactory, PowerItemFactory

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def table(world, regions):
    """county: market (world.agency, holds the item), ecology; city: market, urban; province: justice;
    an entrusted market organisation in the county (never chosen)."""
    return {
        "county_market": world.agency,
        "county_ecology": AgencyFactory(name="任城区生态环境分局", region=regions["county"], sector=Sector.ECOLOGY),
        "city_market": AgencyFactory(name="济宁市市场监督管理局", region=regions["city"], sector=Sector.MARKET),
        "city_urban": AgencyFactory(name="济宁市城市管理局", region=regions["city"], sector=Sector.URBAN),
        "province_justice": AgencyFactory(name="山东省司法厅", region=regions["province"], sector=Sector.JUSTICE),
        "entrusted": AgencyFactory(
            name="任城区市场监管执法大队",
            region=regions["county"],
            sector=Sector.MARKET,
            kind=AgencyKind.ENTRUSTED,
            entrusting_agency=world.agency,
        ),
    }


@pytest.mark.parametrize(
    ("place", "sector", "with_item", "expected"),
    [
        # The item's holder in the complaint's own county.
        ("county", "", True, "county_market"),
        # A township walks up to its county.
        ("township", Sector.MARKET, False, "county_market"),
        # By sector in the county.
        ("county", Sector.ECOLOGY, False, "county_ecology"),
        # No urban agency in the county: the city's.
        ("county", Sector.URBAN, False, "city_urban"),
        # The other county of the city has no market agency: the city's, not the neighbour county's.
        ("county2", Sector.MARKET, False, "city_market"),
        # Nobody for transport anywhere: the nearest justice bureau.
        ("county", Sector.TRANSPORT, False, "province_justice"),
    ],
)
def test_routing_table(regions, table, world, place, sector, with_item, expected):
    result = routing.route(regions[place], sector=sector, power_item=world.power_item if with_item else None)
    assert result.agency == table[expected]
    assert result.note


def test_item_held_only_higher_up_goes_to_the_holder_not_the_local_sector_agency(regions, table, world):
    item = PowerItemFactory(name="对无照经营的行政处罚", agencies=[table["city_market"]])
    result = routing.route(regions["county"], sector=Sector.MARKET, power_item=item)
    assert result.agency == table["city_market"]
    assert "对无照经营的行政处罚" in result.note and "济宁市" in result.note


def test_item_nobody_holds_falls_back_to_the_sector_and_says_so(regions, table):
    item = PowerItemFactory(name="无人承担的事项", agencies=[])
    result = routing.route(regions["county"], sector=Sector.ECOLOGY, power_item=item)
    assert result.agency == table["county_ecology"]
    assert "无机关持有" in result.note


def test_suspended_and_entrusted_agencies_are_never_chosen(regions, table, world):
    world.agency.status = AgencyStatus.SUSPENDED
    world.agency.save()
    result = routing.route(regions["county"], sector=Sector.MARKET)
    assert result.agency == table["city_market"]


def test_several_equal_candidates_take_the_first_by_name_and_the_note_counts_them(regions, table):
    AgencyFactory(name="任城区生态环境保护综合执法大队", region=regions["county"], sector=Sector.ECOLOGY)
    result = routing.route(regions["county"], sector=Sector.ECOLOGY)
    assert result.agency.name == min("任城区生态环境分局", "任城区生态环境保护综合执法大队")
    assert "另有 1 个" in result.note


def test_unroutable_goes_to_the_configured_default_then_nowhere(regions, settings):
    fallback = AgencyFactory(name="某省营商环境投诉中心", region=regions["other_city"], sector=Sector.OTHER)
    settings.COMPLAINT_DEFAULT_AGENCY = fallback.uscc
    assert routing.route(regions["county"], sector=Sector.TRANSPORT).agency == fallback
    settings.COMPLAINT_DEFAULT_AGENCY = ""
    result = routing.route(regions["county"], sector=Sector.TRANSPORT)
    assert result.agency is None and "人工分派" in result.note


def test_a_submitted_complaint_carries_the_route_and_its_note(table, world):
    complaint = submit(world, sector=Sector.URBAN)
    assert complaint.agency == table["city_urban"]
    assert complaint.routing_note.startswith("按领域")
    assert complaint.events.filter(public=False, note=complaint.routing_note).exists()


# --- Deadlines --------------------------------------------------------------------------------


def test_seven_working_days_skip_the_national_day_holiday(world):
    # 2026-09-30 (Wednesday) is the last working day before the National Day holiday (10-01 … 10-07);
    # Saturday 10-10 is a make-up working day (调休). Working days: 10-08, 09, 10, 12, 13, 14, 15.
    complaint = submit(world, now=datetime.datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI))
    assert complaint.accept_due_on == datetime.date(2026, 10, 15)
    # Seven plain days later would have been inside the holiday.
    assert complaint.accept_due_on > datetime.date(2026, 10, 7)


def test_received_late_in_the_evening_counts_from_the_shanghai_date(world):
    # 23:30 in Shanghai on Friday 2026-11-27 is 15:30 UTC the same day; Monday 11-30 is working day 1.
    complaint = submit(world, now=datetime.datetime(2026, 11, 27, 15, 30, tzinfo=datetime.UTC))
    assert complaint.accept_due_on == datetime.date(2026, 12, 8)


def test_a_year_the_calendar_does_not_know_leaves_the_deadline_empty(world):
    assert services.accept_due_on(datetime.date(2040, 3, 1)) is None


def test_an_administrator_holiday_moves_the_deadline(world):
    assert services.accept_due_on(datetime.date(2026, 12, 4)) == datetime.date(2026, 12, 15)
    CalendarDay.objects.create(date=datetime.date(2026, 12, 7), kind="holiday", name="测试调休")
    from lawenforce import calendar

    calendar.clear_cache()
    assert services.accept_due_on(datetime.date(2026, 12, 4)) == datetime.date(2026, 12, 16)
