"""The admin pages load for an administrator, and a scoped staff account sees only its scope."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from lawenforce.models import (
    Agency,
    CalendarDay,
    CalendarYear,
    Certificate,
    DiscretionStandard,
    EnforcementCategory,
    Law,
    LegalProvision,
    Officer,
    PowerItem,
    Region,
)
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    LegalProvisionFactory,
    OfficerFactory,
    PowerItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Region, EnforcementCategory, Agency, Officer, Certificate, Law, LegalProvision, PowerItem,
    DiscretionStandard, CalendarYear, CalendarDay,
]


@pytest.fixture
def populated(regions):
    agency = AgencyFactory(region=regions["county"])
    cert = CertificateFactory(officer=OfficerFactory(agency=agency))
    item = PowerItemFactory(agencies=[agency])
    item.provisions.add(LegalProvisionFactory())
    return {"agency": agency, "cert": cert, "item": item}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_changelist_and_add_pages_load(client, populated, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_admin_change_page_shows_the_agency_and_its_history(client, populated):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    agency = populated["agency"]
    assert client.get(reverse("admin:lawenforce_agency_change", args=[agency.pk])).status_code == 200
    assert client.get(reverse("admin:lawenforce_agency_history", args=[agency.pk])).status_code == 200


def test_admin_refuses_an_invalid_credit_code_and_keeps_the_input(client, regions):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:lawenforce_agency_add"),
        {"name": "新设执法局", "uscc": "11370811000000001X", "region": regions["county"].pk,
         "kind": "statutory", "sector": "market", "status": "active"},
    )
    assert response.status_code == 200
    assert "校验位不符" in response.content.decode()
    assert "新设执法局" in response.content.decode()
    assert not Agency.objects.filter(name="新设执法局").exists()


def test_a_scoped_staff_account_sees_only_its_agency_in_the_admin(client, regions):
    own = AgencyFactory(region=regions["county"], name="本局")
    other = AgencyFactory(region=regions["other_city"], name="外地局")
    clerk = OfficerFactory(agency=own, user=UserFactory(is_staff=True))
    clerk.user.user_permissions.add(*Permission.objects.filter(codename__in=["view_agency", "change_agency"]))
    client.force_login(clerk.user)
    listing = client.get(reverse("admin:lawenforce_agency_changelist")).content.decode()
    assert "本局" in listing and "外地局" not in listing
    assert client.get(reverse("admin:lawenforce_agency_change", args=[other.pk])).status_code in (302, 404)


def test_the_admin_is_closed_to_non_staff_users(client, regions):
    officer = OfficerFactory(agency=AgencyFactory(region=regions["county"]))
    client.force_login(officer.user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
