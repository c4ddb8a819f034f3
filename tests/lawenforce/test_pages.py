"""The UI shell: public landing page, role home pages, scoped agency and officer pages, navigation."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from lawenforce.models import CertificateStatus, Sector
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    LegalProvisionFactory,
    OfficerFactory,
    PowerItemFactory,
)
from tests.lawenforce.page_factories import ID_NUMBER, PHONE, build_world, days_from_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(regions):
    return build_world(regions)


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response, response.content.decode()


def nav_keys(html):
    return set(re.findall(r'data-nav="([^"]+)"', html))


# --- Public landing page ------------------------------------------------------------------------


def test_public_landing_renders_without_login_and_lists_agencies_by_region(client, world):
    response = client.get(reverse("public-home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "行政执法综合管理平台" in html
    assert "济宁市任城区市场监督管理局" in html
    assert "菏泽市市场监督管理局" in html
    assert "0537-12315" in html  # complaint phone is public
    assert "山东省济宁市任城区" in html  # grouped under the region's full name
    assert "生态环境" in html
    assert reverse("login") in html


def test_public_landing_shows_nothing_personal(client, world):
    html = client.get(reverse("public-home")).content.decode()
    for secret in (ID_NUMBER, PHONE, "张执法", "37081100000001"):
        assert secret not in html


def test_public_landing_counts_and_filters(client, world):
    html = client.get(reverse("public-home"), {"sector": Sector.ECOLOGY}).content.decode()
    assert "济宁市生态环境局任城区分局" in html
    assert "济宁市任城区市场监督管理局" not in html
    html = client.get(reverse("public-home"), {"region": "371700"}).content.decode()
    assert "菏泽市市场监督管理局" in html
    assert "济宁市任城区市场监督管理局" not in html


def test_public_landing_ignores_a_bad_filter_value(client, world):
    response = client.get(reverse("public-home"), {"sector": "nonsense", "page": "x"})
    assert response.status_code == 200


# --- Home page per role -------------------------------------------------------------------------


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_officer_home_shows_agency_certificate_and_duties(client, world):
    response, html = page(client, world["officer"].user, reverse("home"))
    assert response.status_code == 200
    assert "济宁市任城区市场监督管理局" in html
    assert "山东省济宁市任城区" in html
    assert "法制审核科" in html
    assert "37081100000001" in html
    assert "即将到期" in html  # ends in 30 days: inside the 90-day warning
    assert "剩 30 天" in html
    assert "市场监管执法" in html
    assert "执法人员" in html
    assert ID_NUMBER not in html
    assert 'id="no-valid-certificate"' not in html
    assert 'id="agency-team"' not in html  # the team table is for the agency head
    assert 'id="supervision"' not in html


def test_officer_home_flags_an_expired_certificate(client, world):
    _, html = page(client, world["reviewer"].user, reverse("home"))
    assert "37081100000003" in html
    assert "已过期 10 天" in html
    assert "badge-bad" in html
    assert 'id="no-valid-certificate"' in html  # may not enforce: said at the top
    assert "法制审核人员" in html


def test_agency_head_home_shows_team_certificates_and_reviewer_ratio(client, world):
    _, html = page(client, world["head"].user, reverse("home"))
    assert 'id="agency-team"' in html
    for name in ("张执法", "李局长", "王审核", "赵暂扣"):
        assert name in html
    assert "孙生态" not in html  # another agency
    # 王审核 (expired) and 赵暂扣 (suspended) hold no valid certificate.
    assert re.search(r'id="lacking-count">2<', html)
    # 1 legal reviewer among 4 officers: 25%, above the 5% target.
    assert re.search(r'id="reviewer-ratio">25.0%<', html)
    assert "国办发〔2018〕118号" in html
    assert ID_NUMBER not in html


def test_agency_head_home_warns_when_reviewers_are_below_target(client, world):
    world["reviewer"].is_legal_reviewer = False
    world["reviewer"].save()
    _, html = page(client, world["head"].user, reverse("home"))
    assert re.search(r'id="reviewer-ratio">0.0%<', html)
    assert "目前未达到，还需至少 1 名" in html


def test_supervisor_home_shows_region_sectors_and_agencies_with_expired_certificates(client, world):
    _, html = page(client, world["supervisor"].user, reverse("home"))
    assert "监督辖区：山东省济宁市" in html
    assert "市场监管" in html and "生态环境" in html
    assert "菏泽" not in html
    assert "任城区" in html and "兖州区" in html  # per lower region
    flagged = html.split('id="flagged-title"')[1]
    assert "济宁市任城区市场监督管理局" in flagged  # 王审核's certificate has expired
    assert reverse("agency-detail", args=[world["rencheng_market"].pk]) in flagged
    assert "济宁市兖州区市场监督管理局" not in flagged  # 周兖州 has no certificate at all, none expired


def test_county_supervisor_home_covers_only_their_county(client, world):
    _, html = page(client, world["county_supervisor"].user, reverse("home"))
    assert "监督辖区：山东省济宁市任城区" in html
    assert "兖州" not in html


def test_sysadmin_home_shows_totals_and_admin_links(client, world):
    _, html = page(client, world["admin"], reverse("home"))
    assert 'id="sysadmin"' in html
    assert reverse("admin:index") in html
    assert reverse("admin:lawenforce_officer_changelist") in html


def test_user_without_officer_record_gets_a_chinese_explanation(client, world):
    response, html = page(client, world["nobody"], reverse("home"))
    assert response.status_code == 200
    assert 'id="no-officer"' in html
    assert "请联系本单位的系统管理员" in html
    assert "关联" in html


# --- Navigation by role -------------------------------------------------------------------------


def test_anonymous_nav_shows_only_public_links(client, world):
    html = client.get(reverse("public-home")).content.decode()
    assert nav_keys(html) == {"public-home"}
    assert "工作人员登录" in html


def test_officer_nav(client, world):
    _, html = page(client, world["officer"].user, reverse("home"))
    # supervision-*: the agency's own alerts and notices (issue 6)
    assert nav_keys(html) == {
        "home",
        "cases",
        "own-agency",
        "officer-list",
        "public-home",
        "analytics",
        "supervision-alerts",
        "supervision-notices",
        # disclosure (issue 5): the agency's annual statistics and random-inspection list
        "disclosure-annual",
        "disclosure-inspections",
        "complaints",  # issue 5: complaints routed to the agency
        "disclosure",  # issue 5: the agency's disclosure records
    }
    assert reverse("agency-detail", args=[world["rencheng_market"].pk]) in html
    assert reverse("admin:index") not in html


def test_supervisor_nav(client, world):
    _, html = page(client, world["supervisor"].user, reverse("home"))
    assert nav_keys(html) == {
        "home",
        "cases",
        "agency-list",
        "public-home",
        "analytics",
        # issue 6: the supervision platform
        "supervision",
        "supervision-alerts",
        "supervision-notices",
        "supervision-evaluations",
        "supervision-performance",
        "disclosure-annual",  # the region's annual reports and the late ones (issue 5)
        "complaints",  # issue 5: the region's complaints, read only
        "disclosure",  # issue 5: the region's disclosure records, read-only
    }
    assert "辖区执法主体" in html and "辖区案件" in html


def test_sysadmin_nav(client, world):
    _, html = page(client, world["admin"], reverse("home"))
    assert nav_keys(html) == {"home", "agency-list", "admin", "analytics", "public-home", "complaints"}


def test_logged_in_header_has_logout_form_and_password_change(client, world):
    _, html = page(client, world["officer"].user, reverse("home"))
    assert f'<form class="logout-form" action="{reverse("logout")}" method="post">' in html
    assert reverse("password_change") in html
    assert 'action="/i18n/setlang/"' in html
    assert 'href="#main"' in html  # skip link


# --- Scope: URL guessing finds nothing ----------------------------------------------------------


def test_officer_sees_own_agency_page_with_power_items_and_officers(client, world):
    response, html = page(client, world["officer"].user, reverse("agency-detail", args=[world["rencheng_market"].pk]))
    assert response.status_code == 200
    assert "SD-CF-0001" in html
    assert "《中华人民共和国食品安全法》第一百二十四条" in html
    assert "李局长" in html and "王审核" in html
    assert "无有效执法证" in html
    assert ID_NUMBER not in html
    assert PHONE not in html


@pytest.mark.parametrize("target", ["heze_market", "yanzhou_market", "rencheng_ecology", "city_justice"])
def test_officer_cannot_open_another_agency_by_url(client, world, target):
    response, _ = page(client, world["officer"].user, reverse("agency-detail", args=[world[target].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("target", ["stranger", "eco_officer", "yanzhou_officer"])
def test_officer_cannot_open_an_officer_of_another_agency_by_url(client, world, target):
    response, _ = page(client, world["officer"].user, reverse("officer-detail", args=[world[target].pk]))
    assert response.status_code == 404


def test_officer_detail_shows_certificates_but_never_the_id_number(client, world):
    response, html = page(client, world["head"].user, reverse("officer-detail", args=[world["officer"].pk]))
    assert response.status_code == 200
    assert "张执法" in html
    assert "37081100000001" in html
    assert "即将到期" in html
    assert ID_NUMBER not in html
    assert PHONE not in html


def test_missing_record_is_a_404(client, world):
    response, _ = page(client, world["admin"], reverse("agency-detail", args=[999999]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("supervisor", "target", "status"),
    [
        ("supervisor", "rencheng_market", 200),
        ("supervisor", "township_office", 200),
        ("supervisor", "yanzhou_market", 200),
        ("supervisor", "heze_market", 404),
        ("county_supervisor", "rencheng_market", 200),
        ("county_supervisor", "township_office", 200),
        ("county_supervisor", "yanzhou_market", 404),
        ("county_supervisor", "heze_market", 404),
    ],
)
def test_supervisor_opens_agencies_in_region_and_below_only(client, world, supervisor, target, status):
    response, _ = page(client, world[supervisor].user, reverse("agency-detail", args=[world[target].pk]))
    assert response.status_code == status


def test_supervisor_opens_officers_in_region_but_not_a_sibling_city(client, world):
    user = world["supervisor"].user
    assert page(client, user, reverse("officer-detail", args=[world["yanzhou_officer"].pk]))[0].status_code == 200
    assert page(client, user, reverse("officer-detail", args=[world["stranger"].pk]))[0].status_code == 404


def test_scoped_pages_require_login(client, world):
    for url in (
        reverse("agency-list"),
        reverse("agency-detail", args=[world["rencheng_market"].pk]),
        reverse("officer-list"),
        reverse("officer-detail", args=[world["officer"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


# --- Lists --------------------------------------------------------------------------------------


def test_agency_list_is_scoped_and_filterable(client, world):
    user = world["county_supervisor"].user
    _, html = page(client, user, reverse("agency-list"))
    assert "济宁市任城区市场监督管理局" in html
    assert "古槐街道综合行政执法办公室" in html
    assert "兖州" not in html and "菏泽" not in html
    _, html = page(client, user, reverse("agency-list") + f"?sector={Sector.ECOLOGY}")
    assert "济宁市生态环境局任城区分局" in html
    assert "济宁市任城区市场监督管理局" not in html
    _, html = page(client, user, reverse("agency-list") + "?region=370811")
    assert "济宁市任城区市场监督管理局" in html


def test_agency_list_for_an_officer_is_their_own_agency(client, world):
    _, html = page(client, world["officer"].user, reverse("agency-list"))
    assert "济宁市任城区市场监督管理局" in html
    assert "生态环境局" not in html


def test_agency_list_rejects_bad_filters_without_error(client, world):
    response, html = page(client, world["supervisor"].user, reverse("agency-list") + "?sector=bogus&region=000000")
    assert response.status_code == 200
    assert "field-error" in html


def test_officer_list_is_scoped_and_filters_lacking_certificates(client, world):
    user = world["head"].user
    _, html = page(client, user, reverse("officer-list"))
    assert "张执法" in html and "赵暂扣" in html
    assert "孙生态" not in html and "吴菏泽" not in html
    _, html = page(client, user, reverse("officer-list") + "?cert=lacking")
    assert "王审核" in html and "赵暂扣" in html
    assert "张执法" not in html
    _, html = page(client, user, reverse("officer-list") + "?cert=expiring")
    table = html.split('id="officer-table"')[1]
    assert "张执法" in table
    assert "李局长" not in table


# --- Query counts do not grow with rows ---------------------------------------------------------


@pytest.fixture
def crowd(world):
    """35 more officers with certificates in 任城区市场监管局, 35 more agencies in 济宁市, 30 power items."""
    agency = world["rencheng_market"]
    for i in range(35):
        status = CertificateStatus.VALID if i % 3 else CertificateStatus.EXPIRED
        CertificateFactory(
            officer=OfficerFactory(agency=agency, user=None), status=status, valid_to=days_from_today(40 + i)
        )
        other = AgencyFactory(region=world["regions"]["county2"], sector=Sector.URBAN)
        CertificateFactory(officer=OfficerFactory(agency=other, user=None), valid_to=days_from_today(-5))
    for _ in range(30):
        item = PowerItemFactory(agencies=[agency], enforcement_category=world["category"])
        item.provisions.set([LegalProvisionFactory(), LegalProvisionFactory()])
    return world


@pytest.mark.parametrize(
    ("who", "url_name", "limit"),
    [
        ("admin", "public-home", 11),
        ("admin", "agency-list", 10),
        ("supervisor", "agency-list", 11),
        ("head", "officer-list", 9),
        ("supervisor", "officer-list", 9),
        ("head", "home", 10),
        ("supervisor", "home", 15),
        ("admin", "home", 13),
    ],
)
def test_list_pages_have_bounded_query_counts(client, crowd, django_assert_max_num_queries, who, url_name, limit):
    user = crowd[who] if who == "admin" else crowd[who].user
    client.force_login(user)
    with django_assert_max_num_queries(limit):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_agency_detail_query_count_is_bounded(client, crowd, django_assert_max_num_queries):
    client.force_login(crowd["head"].user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("agency-detail", args=[crowd["rencheng_market"].pk]))
    assert response.status_code == 200
    assert response.content.decode().count('href="/officers/') >= 30


def test_officer_detail_query_count_is_bounded(client, crowd, django_assert_max_num_queries):
    client.force_login(crowd["head"].user)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("officer-detail", args=[crowd["officer"].pk]))
    assert response.status_code == 200


# --- English --------------------------------------------------------------------------------------


def test_english_rendering_via_language_cookie(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("public-home")).content.decode()
    assert '<html lang="en">' in html
    assert "Administrative Enforcement Platform" in html
    assert "行政执法综合管理平台" not in html
    assert "Market regulation" in html  # Sector label from the model's choices


def test_english_home_for_an_officer(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _, html = page(client, world["head"].user, reverse("home"))
    assert "Dashboard" in html
    assert "工作台" not in html
    assert "Agency head" in html


def test_set_language_switches_to_english_and_back(client, world):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("public-home")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Administrative Enforcement Platform" in client.get(reverse("public-home")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("public-home")})
    assert "行政执法综合管理平台" in client.get(reverse("public-home")).content.decode()


def test_english_catalogue_is_compiled():
    assert (Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.mo").is_file()


# --- No CDN ---------------------------------------------------------------------------------------

REMOTE_ASSET = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import\s+(?:url\()?\s*["']?(?:https?:)?//""", re.I
)


def test_no_template_or_static_file_loads_remote_assets():
    base = Path(settings.BASE_DIR)
    offenders = []
    for folder in ("templates", "static"):
        for path in (base / folder).rglob("*"):
            if path.is_file() and path.suffix in {".html", ".css", ".js", ".svg", ".txt"}:
                for match in REMOTE_ASSET.finditer(path.read_text(encoding="utf-8")):
                    offenders.append(f"{path.relative_to(base)}: {match.group(0)}")
    assert offenders == []


@pytest.mark.django_db
def test_supervisors_are_not_counted_as_officers_lacking_a_certificate(client, regions):
    from lawenforce.models import Sector
    from tests.factories import AgencyFactory, CertificateFactory, OfficerFactory

    bureau = AgencyFactory(region=regions["city"], sector=Sector.JUSTICE)
    supervisor = OfficerFactory(agency=bureau, is_supervisor=True)
    market = AgencyFactory(region=regions["county"])
    CertificateFactory(officer=OfficerFactory(agency=market))
    uncertified = OfficerFactory(agency=market, name="无证人员")
    client.force_login(supervisor.user)
    page = client.get("/officers/?cert=lacking").content.decode()
    assert f'href="/officers/{uncertified.pk}/"' in page
    assert f'href="/officers/{supervisor.pk}/"' not in page
    home = client.get("/home/").content.decode()
    assert "系统中没有您的执法证记录" not in home
