"""seed_demo builds a valid, realistic demo jurisdiction, and a second run changes nothing."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.utils import timezone

from lawenforce.access import Role, agencies_in_scope, restrict, roles_of
from lawenforce.demo.people import DEMO_PASSWORD
from lawenforce.models import (
    ActionCategory,
    Agency,
    AgencyKind,
    Certificate,
    CertificateStatus,
    EnforcementCategory,
    Officer,
    PowerItem,
    Region,
    RegionLevel,
)
from lawenforce.validators import validate_uscc

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "admin",
    "officer",
    "head",
    "reviewer",
    "supervisor",
    "county_supervisor",
    "eco_officer",
    "expired_officer",
]


# The demo password is hashed for eight accounts per run; PBKDF2 would dominate the test time.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, inside a transaction rolled back at the end.

    Each test still runs in its own savepoint (pytest-django's db fixture), so a test that
    re-seeds or changes rows leaves the shared seed as it was, and other modules never see it.
    """
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            yield seed()
            transaction.set_rollback(True)


def user(username):
    return get_user_model().objects.get(username=username)


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def can_log_in(username):
    request = RequestFactory().post("/accounts/login/")  # django-axes needs the request
    return authenticate(request, username=username, password=DEMO_PASSWORD) is not None


def test_reference_categories_come_with_the_migrations():
    codes = set(EnforcementCategory.objects.values_list("code", flat=True))
    assert {"market", "ecology", "urban", "transport", "culture", "emergency"} <= codes


def test_builds_a_province_two_cities_counties_and_townships_with_correct_parents(seeded):
    by_level = {level: Region.objects.filter(level=level).count() for level in RegionLevel.values}
    assert by_level[RegionLevel.PROVINCE] >= 1
    assert by_level[RegionLevel.CITY] >= 2
    assert by_level[RegionLevel.COUNTY] >= 4
    assert by_level[RegionLevel.TOWNSHIP] >= 6
    for region in Region.objects.exclude(level=RegionLevel.PROVINCE).select_related("parent"):
        assert region.parent.level == region.level - 1, region
        assert region.path == f"{region.parent.path}{region.code}/"
    assert Region.objects.get(code="370811011").full_name == "山东省济宁市任城区古槐街道"


def test_a_second_run_changes_no_row_of_any_model_and_logins_still_work(seeded):
    before = row_counts()
    output = seed()
    assert row_counts() == before
    assert "本次新建 0 条，更新 0 条，重设关联 0 处" in output
    assert all(can_log_in(username) for username in DEMO_LOGINS)


def test_a_run_restores_a_changed_demo_password(seeded):
    head = user("head")
    head.set_password("Changed-by-someone-1")
    head.save()
    seed()
    assert can_log_in("head")


def test_the_command_prints_counts_and_the_demo_logins(seeded):
    assert "执法主体" in seeded and DEMO_PASSWORD in seeded
    for username in DEMO_LOGINS:
        assert f"  {username} " in seeded


def test_every_agency_has_a_valid_credit_code_and_the_entrusted_office_its_entrusting_agency(seeded):
    for uscc in Agency.objects.values_list("uscc", flat=True):
        validate_uscc(uscc)
    entrusted = Agency.objects.filter(kind=AgencyKind.ENTRUSTED)
    assert entrusted.exists()
    for agency in entrusted:
        assert agency.entrusting_agency is not None
        assert agency.entrusting_agency.kind != AgencyKind.ENTRUSTED
        agency.full_clean()
    assert Agency.objects.filter(kind=AgencyKind.AUTHORISED).exists()


def test_certificates_include_expired_suspended_and_revoked_ones(seeded):
    today = timezone.localdate()
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert {CertificateStatus.VALID, CertificateStatus.EXPIRED, CertificateStatus.SUSPENDED} <= statuses
    assert CertificateStatus.REVOKED in statuses
    assert not Certificate.objects.filter(status=CertificateStatus.EXPIRED, valid_to__gte=today).exists()
    assert not Certificate.objects.filter(status=CertificateStatus.VALID, valid_to__lt=today).exists()
    assert not Certificate.objects.filter(categories__isnull=True).exists()


def test_the_demo_officer_is_certified_and_the_expired_officer_is_not(seeded):
    market = EnforcementCategory.objects.get(code="market")
    assert user("officer").officer.valid_certificate(category=market) is not None
    expired = user("expired_officer").officer
    assert expired.certificates.count() == 1
    assert expired.valid_certificate() is None


def test_every_power_item_has_quoted_provisions_and_penalties_have_valid_discretion_standards(seeded):
    items = PowerItem.objects.prefetch_related("provisions", "discretion_standards", "agencies")
    assert {item.action_category for item in items} >= {
        ActionCategory.PENALTY,
        ActionCategory.INSPECTION,
        ActionCategory.COERCION,
    }
    for item in items:
        assert item.agencies.exists(), item
        assert item.provisions.exists(), item
        assert all(provision.text.strip() for provision in item.provisions.all()), item
        if item.action_category == ActionCategory.PENALTY:
            assert item.discretion_standards.exists(), item
        for standard in item.discretion_standards.all():
            standard.full_clean()
            if standard.statutory_max is not None and standard.fine_max is not None:
                assert standard.fine_max <= standard.statutory_max


def test_food_safety_article_124_has_a_fixed_band_and_a_multiple_band(seeded):
    item = PowerItem.objects.get(code="CF-SCJG-001")
    lead_in = item.provisions.get(article=124, item__isnull=True)
    assert "货值金额不足一万元的，并处五万元以上十万元以下罚款" in lead_in.text
    low = item.discretion_standards.get(violation__contains="不足一万元", circumstance="general")
    assert low.fine_range() == (50000, 80000)
    high = item.discretion_standards.get(violation__contains="一万元以上", circumstance="general")
    assert high.fine_range(20000) == (200000, 280000)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", {Role.SYSADMIN}),
        ("officer", {Role.OFFICER}),
        ("head", {Role.OFFICER, Role.AGENCY_HEAD}),
        ("reviewer", {Role.OFFICER, Role.LEGAL_REVIEWER}),
        ("supervisor", {Role.SUPERVISOR}),
        ("county_supervisor", {Role.SUPERVISOR}),
        ("eco_officer", {Role.OFFICER}),
        ("expired_officer", {Role.OFFICER}),
    ],
)
def test_each_demo_login_has_its_role(seeded, username, expected):
    assert roles_of(user(username)) == expected


def test_demo_logins_belong_to_the_intended_agencies(seeded):
    rc_market = "济宁市任城区市场监督管理局"
    for username in ("officer", "head", "reviewer", "expired_officer"):
        assert user(username).officer.agency.name == rc_market
    assert user("eco_officer").officer.agency.name == "济宁市生态环境局"
    assert user("reviewer").officer.legal_qualification_no
    assert user("admin").is_superuser and user("admin").is_staff


def test_city_supervisor_sees_every_jining_agency_and_no_heze_agency(seeded):
    visible = set(restrict(Agency.objects.all(), user("supervisor")).values_list("pk", flat=True))
    jining = set(Agency.objects.filter(region__path__startswith="370000/370800/").values_list("pk", flat=True))
    heze = set(Agency.objects.filter(region__path__startswith="370000/371700/").values_list("pk", flat=True))
    assert heze and visible == jining
    assert not visible & heze


def test_county_supervisor_sees_only_rencheng_agencies(seeded):
    supervisor = user("county_supervisor")
    visible = agencies_in_scope(supervisor)
    assert visible.exists()
    assert all(path.startswith("370000/370800/370811/") for path in visible.values_list("region__path", flat=True))
    assert visible.count() == Agency.objects.filter(region__path__startswith="370000/370800/370811/").count()
    assert not agencies_in_scope(supervisor, "change").exists()


def test_supervisors_are_only_in_justice_bureaus(seeded):
    for officer in Officer.objects.filter(is_supervisor=True).select_related("agency"):
        assert officer.agency.is_supervisory
        officer.full_clean()


def test_size_option_adds_generated_agencies_officers_and_certificates_once(seeded):
    before = row_counts()
    output = seed(size=20, officers_per_agency=3)
    after = row_counts()
    assert after["lawenforce.Agency"] - before["lawenforce.Agency"] == 20
    assert after["lawenforce.Officer"] - before["lawenforce.Officer"] == 60
    assert after["lawenforce.Certificate"] - before["lawenforce.Certificate"] == 60
    assert "新建执法主体 20" in output
    generated = Agency.objects.filter(short_name__startswith="压测")
    for uscc in generated.values_list("uscc", flat=True):
        validate_uscc(uscc)
    assert all(agency.power_items.exists() for agency in generated)
    assert generated.filter(region__level=RegionLevel.TOWNSHIP).exists()
    assert seed(size=20, officers_per_agency=3) and row_counts() == after


def test_size_option_gives_the_same_agency_whatever_the_size(seeded):
    seed(size=3, officers_per_agency=2)
    first = Agency.objects.get(short_name="压测00002")
    names = sorted(first.officers.values_list("name", flat=True))
    seed(size=5, officers_per_agency=2, clear_bulk=True)
    again = Agency.objects.get(short_name="压测00002")
    assert (again.uscc, again.name) == (first.uscc, first.name)
    assert sorted(again.officers.values_list("name", flat=True)) == names
    assert Agency.objects.filter(short_name__startswith="压测").count() == 5


def test_certificate_dates_are_fixed_so_reruns_on_another_day_change_nothing(seeded):
    cert = user("officer").officer.certificates.get()
    assert cert.valid_from.year in (2023, 2024, 2025)
    assert cert.valid_to > datetime.date(2027, 12, 31)
