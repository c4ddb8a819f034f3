"""The analytics pages as users reach them: scope, drill-down, exports, risks, query counts."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics.models import IndicatorValue, RiskItem, RiskState
from analytics.risks import evaluate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Y = "period=2025"


def login(client, officer):
    user = officer.user or UserFactory()
    if officer.user_id is None:
        officer.user = user
        officer.save()
    client.force_login(user)
    return user


@pytest.fixture
def supervisor(computed, client):
    login(client, computed.officers["supervisor"])
    return computed


def test_the_city_supervisor_sees_the_nine_indicators_of_the_city(supervisor, client):
    response = client.get(f"{reverse('analytics:overview')}?scope=r370800&{Y}")
    assert response.status_code == 200
    page = response.content.decode()
    for name in [
        "举报案件查处率",
        "执法重心吻合度",
        "人均执法量",
        "执法岗位关联率",
        "制度条款使用率",
        "违法问题发生量",
        "违法类型发生率",
        "案卷评查合格率",
        "复议诉讼败诉率",
    ]:
        assert name in page
    assert "140.00" not in page and "1.40" in page  # 人均执法量 7/5
    assert "60.0%" in page  # 举报案件查处率 3/5


def test_the_definition_is_shown_next_to_the_figure(supervisor, client):
    page = client.get(f"{reverse('analytics:indicator', args=['focus_match'])}?scope=r370800&{Y}").content.decode()
    assert "Σ min" in page and "分子" in page and "分母" in page and "口径说明" in page


def test_a_supervisor_cannot_open_another_city_or_its_agencies(supervisor, client):
    w = supervisor
    assert client.get(f"{reverse('analytics:overview')}?scope=r371700&{Y}").status_code == 404
    b1 = w.agencies["b1"].pk
    assert client.get(f"{reverse('analytics:overview')}?scope=a{b1}&{Y}").status_code == 404
    url = reverse("analytics:drilldown", args=["violation_count", "numerator"])
    assert client.get(f"{url}?scope=a{b1}&{Y}").status_code == 404
    assert client.get(f"{reverse('analytics:overview')}?scope=r370000&{Y}").status_code == 404


def test_an_officer_sees_only_their_own_agency(computed, client):
    w = computed
    login(client, w.officers["o1"])
    response = client.get(f"{reverse('analytics:overview')}?{Y}")
    assert response.status_code == 200 and w.agencies["a1"].name in response.content.decode()
    assert client.get(f"{reverse('analytics:overview')}?scope=a{w.agencies['a2'].pk}&{Y}").status_code == 404
    assert client.get(f"{reverse('analytics:overview')}?scope=r370811&{Y}").status_code == 404


def test_the_public_is_sent_to_the_login_page(computed, client):
    response = client.get(reverse("analytics:overview"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_each_number_drills_down_to_exactly_the_records_it_counts(supervisor, client):
    w = supervisor
    scope = "r370800"
    for code, part in [
        ("violation_count", "numerator"),
        ("cases_per_officer", "numerator"),
        ("cases_per_officer", "denominator"),
        ("violation_type_rate", "numerator"),  # without ?item=: the most frequent type, as the figure
        ("violation_type_rate", "denominator"),
        ("complaint_case_rate", "numerator"),
        ("complaint_case_rate", "denominator"),
        ("remedy_loss_rate", "numerator"),
        ("remedy_loss_rate", "denominator"),
        ("evaluation_pass_rate", "denominator"),
        ("officer_engagement", "denominator"),
        ("officer_engagement", "numerator"),
        ("focus_match", "denominator"),
        ("focus_match", "numerator"),
        ("provision_usage", "numerator"),
        ("provision_usage", "denominator"),
    ]:
        stored = IndicatorValue.objects.get(indicator=code, region=w.regions["city"], period_kind="year", year=2025)
        response = client.get(f"{reverse('analytics:drilldown', args=[code, part])}?scope={scope}&{Y}")
        assert response.status_code == 200, (code, part)
        expected = stored.numerator if part == "numerator" else stored.denominator
        assert response.context["page"].paginator.count == expected, (code, part)


def test_the_drilldown_of_a_violation_type_lists_that_type(supervisor, client):
    w = supervisor
    url = reverse("analytics:drilldown", args=["violation_type_rate", "numerator"])
    response = client.get(f"{url}?scope=r370800&{Y}&item={w.items['p1'].pk}")
    assert response.context["page"].paginator.count == 2  # c1, c2


def test_every_number_of_the_indicator_page_links_to_its_records(supervisor, client):
    for code in ("violation_count", "complaint_case_rate"):
        response = client.get(f"{reverse('analytics:indicator', args=[code])}?scope=r370800&{Y}")
        links = [
            cell
            for table in response.context["tables"]
            for row in table.rows
            for key, cell in row.items()
            if key in ("numerator", "denominator") and hasattr(cell, "url")
        ]
        # the monthly trend and the lower regions (370811, 370812) both link their counts
        assert any("period=2025-" in link.url for link in links) and any("scope=r370811" in link.url for link in links)
        for link in links:
            assert client.get(link.url).context["page"].paginator.count == link.text, link.url


def test_hot_spot_counts_drill_down_to_the_violations_behind_them(supervisor, client):
    response = client.get(f"{reverse('analytics:hotspots')}?scope=r370800&{Y}")
    rows = response.context["table"].rows
    links = [(row["total"], *[v for k, v in row.items() if k.startswith("i")]) for row in rows]
    checked = 0
    for row in links:
        for cell in row:
            if hasattr(cell, "url"):
                listed = client.get(cell.url)
                assert listed.status_code == 200
                assert listed.context["page"].paginator.count == cell.text
                checked += 1
    assert checked >= 2
    types = response.context["type_table"].rows
    first = types[0]["count"]
    assert client.get(first.url).context["page"].paginator.count == first.text
    assert sum(r["total"].text if hasattr(r["total"], "url") else r["total"] for r in rows) == sum(
        r["count"].text if hasattr(r["count"], "url") else r["count"] for r in types
    )


def test_every_table_exports_to_excel_with_chinese_headers(supervisor, client):
    for url in [
        reverse("analytics:overview"),
        reverse("analytics:indicator", args=["violation_type_rate"]),
        reverse("analytics:drilldown", args=["violation_count", "numerator"]),
        reverse("analytics:parties"),
        reverse("analytics:hotspots"),
        reverse("analytics:risks"),
        reverse("analytics:annual"),
        reverse("analytics:report"),
    ]:
        response = client.get(f"{url}?scope=r370800&{Y}&format=xlsx")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        headers = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
        assert headers and all(any("\u4e00" <= ch <= "\u9fff" for ch in str(h)) for h in headers), (url, headers)


def test_the_indicator_export_keeps_the_numbers(supervisor, client):
    response = client.get(f"{reverse('analytics:overview')}?scope=r370800&{Y}&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["人均执法量"][1:4] == (1.4, 7, 5)


def test_pages_take_a_bounded_number_of_queries(supervisor, client):
    for url in [
        reverse("analytics:overview"),
        reverse("analytics:indicator", args=["violation_count"]),
        reverse("analytics:indicator", args=["provision_usage"]),
        reverse("analytics:drilldown", args=["violation_count", "numerator"]),
        reverse("analytics:parties"),
        reverse("analytics:hotspots"),
        reverse("analytics:risks"),
        reverse("analytics:annual"),
        reverse("analytics:report"),
    ]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{url}?scope=r370800&{Y}").status_code == 200
        assert len(ctx.captured_queries) <= 40, (url, len(ctx.captured_queries))


def test_pages_do_not_read_the_case_table_except_drilldowns(supervisor, client):
    for url in [
        reverse("analytics:overview"),
        reverse("analytics:indicator", args=["violation_count"]),
        reverse("analytics:report"),
    ]:
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"{url}?scope=r370800&{Y}")
        assert not [q for q in ctx.captured_queries if '"cases_case"' in q["sql"]], url


def test_a_supervisor_acts_on_a_risk_and_a_dismissal_needs_a_reason(supervisor, client):
    w = supervisor
    IndicatorValue.objects.filter(indicator="remedy_loss_rate", agency=w.agencies["a1"], period_kind="year").update(
        numerator=2, denominator=3, value="0.666667"
    )
    evaluate([w.agencies["a1"].pk], 2025)
    risk = RiskItem.objects.get(rule="high_remedy_loss", agency=w.agencies["a1"])
    url = reverse("analytics:risk-action", args=[risk.pk]) + f"?scope=r370800&{Y}"
    response = client.post(url, {"state": RiskState.DISMISSED, "note": ""})
    assert response.status_code == 400
    assert "请写明" in response.content.decode()
    response = client.post(url, {"state": RiskState.ACKNOWLEDGED, "note": "已约谈"})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.state == RiskState.ACKNOWLEDGED and risk.handled_by == w.officers["supervisor"]
    # Recomputing keeps the disposition.
    evaluate([w.agencies["a1"].pk], 2025)
    risk.refresh_from_db()
    assert risk.state == RiskState.ACKNOWLEDGED and risk.note == "已约谈"


def test_an_officer_cannot_act_on_risks_or_reach_another_cities_risk(supervisor, client):
    w = supervisor
    evaluate([w.agencies["b1"].pk], 2025)
    IndicatorValue.objects.filter(indicator="remedy_loss_rate", agency=w.agencies["b1"], period_kind="year").update(
        numerator=3, denominator=3, value="1"
    )
    evaluate([w.agencies["b1"].pk], 2025)
    other = RiskItem.objects.get(rule="high_remedy_loss", agency=w.agencies["b1"])
    assert client.post(reverse("analytics:risk-action", args=[other.pk]), {"state": "acknowledged"}).status_code == 404
    login(client, w.officers["o1"])
    assert client.post(reverse("analytics:risk-action", args=[other.pk]), {"state": "acknowledged"}).status_code == 403


def test_a_recovered_figure_clears_its_risk(supervisor):
    w = supervisor
    row = IndicatorValue.objects.get(indicator="remedy_loss_rate", agency=w.agencies["a1"], period_kind="year")
    IndicatorValue.objects.filter(pk=row.pk).update(numerator=2, denominator=3, value="0.666667")
    evaluate([w.agencies["a1"].pk], 2025)
    IndicatorValue.objects.filter(pk=row.pk).update(numerator=0, denominator=3, value="0")
    evaluate([w.agencies["a1"].pk], 2025)
    assert RiskItem.objects.get(rule="high_remedy_loss", agency=w.agencies["a1"]).state == RiskState.CLEARED


def test_repeat_parties_are_listed_by_credit_code_with_id_numbers_masked(computed, client):
    from analytics.compute import parties
    from analytics.compute.sql import AgencySet
    from cases.models import Party
    from tests.cases.factories import resident_id

    w = computed
    Party.objects.filter(case__in=[w.cases["c1"], w.cases["c2"], w.cases["c4"]]).update(uscc="91370800MA3C5Y5L2X")
    person = resident_id("37081119800101123")
    Party.objects.filter(case__in=[w.cases["c7"], w.cases["c8"]]).update(
        kind="natural_person", uscc="", id_number=person, name="张三"
    )
    parties.rebuild(AgencySet(region=w.regions["province"]), 2025)
    login(client, w.officers["supervisor"])
    response = client.get(f"{reverse('analytics:parties')}?scope=r370800&{Y}")
    page = response.content.decode()
    assert "91370800MA3C5Y5L2X" in page and person not in page and person[:6] + "********" in page
    table = response.context["table"]
    assert [r["decisions"] for r in table.rows] == [3, 2]
    assert table.rows[0]["flag"] == "问题企业"


def test_annual_statistics_list_every_agency_of_the_scope(supervisor, client):
    response = client.get(f"{reverse('analytics:annual')}?scope=r370800&{Y}")
    names = [str(r["agency"]) for r in response.context["table"].rows]
    assert names == ["任城区市场监管局", "兖州区市场监管局"]


def test_the_report_lists_the_chosen_level(supervisor, client):
    response = client.get(f"{reverse('analytics:report')}?scope=r370800&{Y}&level=3")
    assert [r["unit"] for r in response.context["table"].rows] == ["任城区", "兖州区"]
    figure = response.context["table"].rows[0]["violation_count"]
    assert figure.url == f"{reverse('analytics:indicator', args=['violation_count'])}?scope=r370811&period=2025"
    stored = IndicatorValue.objects.get(
        indicator="violation_count", region__code="370811", period_kind="year", year=2025
    )
    assert figure.text == stored.value
    assert client.get(figure.url).status_code == 200


def test_a_bad_period_answers_with_a_clear_error(supervisor, client):
    assert client.get(f"{reverse('analytics:overview')}?period=2025-13").status_code == 404


def test_the_navigation_offers_analytics_to_staff(supervisor, client):
    page = client.get(reverse("home")).content.decode()
    assert reverse("analytics:overview") in page


def test_the_api_answers_the_snapshot_values_in_scope(supervisor, client):
    response = client.get(f"/api/v1/analytics/indicators/?scope=r370800&{Y}")
    assert response.status_code == 200
    data = {row["code"]: row for row in response.json()["indicators"]}
    assert (data["cases_per_officer"]["numerator"], data["cases_per_officer"]["denominator"]) == (7, 5)
    assert data["focus_match"]["definition"]["numerator"]
    assert client.get(f"/api/v1/analytics/indicators/?scope=r371700&{Y}").status_code == 404


def test_annual_statistics_use_the_annual_report_figures_when_they_exist(supervisor, client, monkeypatch):
    """One source: with analytics.annual.annual_figures present, every figure comes from it."""
    from decimal import Decimal

    from analytics import statistics

    def fake(agency, year):
        return {
            "agency": {"name": agency.name},
            "year": year,
            "cases": {"filed": 7, "decisions_by_kind": {"penalty": 3, "transfer": 1}},
            "penalties": {"fines_total": Decimal("1500.00")},
            "new_figure": 2,
        }

    monkeypatch.setattr(statistics, "annual_figures", fake)
    response = client.get(f"{reverse('analytics:annual')}?scope=r370800&{Y}")
    table = response.context["table"]
    headers = [str(c.header) for c in table.columns]
    assert headers[2:] == [
        "立案数",
        "决定：给予行政处罚",
        "决定：涉嫌犯罪，移送司法机关",
        "罚款金额（元）",
        "new_figure",
    ]
    assert table.rows[0]["f0"] == 7 and table.rows[0]["f3"] == Decimal("1500.00")
    assert "同一来源" in response.content.decode()


def test_annual_statistics_read_the_stored_report_before_computing(supervisor, client, monkeypatch):
    """A report already built (frozen once published) is what the statistics show, in one query for
    all agencies; only an agency without a report has its figures computed."""
    from analytics import statistics
    from disclosure.models import AnnualReport, AnnualReportState, annual_due_on
    from lawenforce.models import Agency

    computed = []

    def live(agency, year):
        computed.append(agency.name)
        return {"cases": {"filed": 99}}

    monkeypatch.setattr(statistics, "annual_figures", live)
    rencheng = Agency.objects.get(name="任城区市场监管局")
    AnnualReport.objects.create(
        agency=rencheng,
        year=2025,
        figures={"cases": {"filed": 7}},
        state=AnnualReportState.PUBLISHED,
        due_on=annual_due_on(2025),
    )
    table = client.get(f"{reverse('analytics:annual')}?scope=r370800&{Y}").context["table"]
    by_agency = {str(r["agency"]): r["f0"] for r in table.rows}
    assert by_agency == {"任城区市场监管局": 7, "兖州区市场监管局": 99}
    assert computed == ["兖州区市场监管局"]
