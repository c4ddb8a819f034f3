"""Data scope: who may see and change what. The one place is lawenforce.access."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from guardian.shortcuts import assign_perm

from lawenforce import access
from lawenforce.access import Role
from lawenforce.models import Agency, Certificate, Officer, Sector
from tests.factories import AgencyFactory, CertificateFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(regions):
    """Two agencies in 任城区, one in 兖州区, one in 菏泽; justice bureaus at city and county level."""
    w = {
        "rencheng_market": AgencyFactory(region=regions["county"]),
        "township_office": AgencyFactory(region=regions["township"]),
        "yanzhou_market": AgencyFactory(region=regions["county2"]),
        "heze_market": AgencyFactory(region=regions["other_city"]),
        "city_justice": AgencyFactory(region=regions["city"], sector=Sector.JUSTICE),
        "county_justice": AgencyFactory(region=regions["county"], sector=Sector.JUSTICE),
    }
    w["officer"] = OfficerFactory(agency=w["rencheng_market"])
    w["colleague"] = OfficerFactory(agency=w["rencheng_market"])
    w["stranger"] = OfficerFactory(agency=w["heze_market"])
    w["city_supervisor"] = OfficerFactory(agency=w["city_justice"], is_supervisor=True)
    w["county_supervisor"] = OfficerFactory(agency=w["county_justice"], is_supervisor=True)
    return w


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_an_officer_sees_only_their_own_agency(world):
    user = world["officer"].user
    assert list(access.restrict(Agency.objects.all(), user)) == [world["rencheng_market"]]
    assert names(access.restrict(Officer.objects.all(), user)) == {world["officer"].name, world["colleague"].name}


def test_a_city_supervisor_sees_the_city_and_every_region_below_it(world):
    visible = set(access.restrict(Agency.objects.all(), world["city_supervisor"].user))
    assert world["rencheng_market"] in visible
    assert world["township_office"] in visible
    assert world["yanzhou_market"] in visible
    assert world["heze_market"] not in visible


def test_a_county_supervisor_does_not_see_a_sibling_county(world):
    visible = set(access.restrict(Agency.objects.all(), world["county_supervisor"].user))
    assert world["rencheng_market"] in visible
    assert world["township_office"] in visible
    assert world["yanzhou_market"] not in visible


def test_supervisors_see_but_never_change_agency_records(world):
    user = world["city_supervisor"].user
    assert not access.restrict(Agency.objects.all(), user, "change").exists()
    assert not access.can(user, "change", world["rencheng_market"])
    assert access.can(user, "view", world["rencheng_market"])


def test_certificates_follow_their_officers_agency(world):
    mine = CertificateFactory(officer=world["colleague"])
    theirs = CertificateFactory(officer=world["stranger"])
    visible = set(access.restrict(Certificate.objects.all(), world["officer"].user))
    assert mine in visible and theirs not in visible


def test_anonymous_and_unlinked_users_see_nothing(world):
    assert not access.restrict(Agency.objects.all(), AnonymousUser()).exists()
    assert not access.restrict(Agency.objects.all(), UserFactory()).exists()


def test_a_superuser_sees_everything(world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert access.restrict(Agency.objects.all(), admin).count() == Agency.objects.count()
    assert Role.SYSADMIN in access.roles_of(admin)


def test_a_per_object_grant_opens_one_agency_outside_the_scope(world):
    user = world["officer"].user
    assign_perm("lawenforce.view_agency", user, world["heze_market"])
    visible = set(access.restrict(Agency.objects.all(), user))
    assert visible == {world["rencheng_market"], world["heze_market"]}
    assert not access.can(user, "change", world["heze_market"])


def test_an_out_of_scope_lookup_looks_like_a_missing_one(world):
    with pytest.raises(Http404):
        access.get_in_scope_or_404(Agency.objects.all(), world["officer"].user, pk=world["heze_market"].pk)
    with pytest.raises(Http404):
        access.get_in_scope_or_404(Agency.objects.all(), world["officer"].user, pk=999999)


def test_an_inactive_officer_loses_the_scope(world):
    world["officer"].active = False
    world["officer"].save()
    user = type(world["officer"].user).objects.get(pk=world["officer"].user_id)
    assert not access.restrict(Agency.objects.all(), user).exists()


def test_roles_come_from_the_officer_duties(world):
    head = OfficerFactory(agency=world["rencheng_market"], is_agency_head=True, is_legal_reviewer=False)
    reviewer = OfficerFactory(agency=world["rencheng_market"], is_legal_reviewer=True)
    assert access.roles_of(head.user) == {Role.OFFICER, Role.AGENCY_HEAD}
    assert access.roles_of(reviewer.user) == {Role.OFFICER, Role.LEGAL_REVIEWER}
    assert access.roles_of(world["city_supervisor"].user) == {Role.SUPERVISOR}
    assert access.scope_region(world["city_supervisor"].user).code == "370800"


def test_a_supervisor_flag_outside_a_justice_bureau_is_refused(world):
    officer = OfficerFactory.build(agency=world["rencheng_market"], is_supervisor=True, user=None)
    with pytest.raises(Exception) as exc:
        officer.full_clean()
    assert "司法行政部门" in str(exc.value)
