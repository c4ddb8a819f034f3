from dataclasses import dataclass

import pytest

from lawenforce.models import Officer, Sector
from tests.cases.factories import agency_world
from tests.factories import AgencyFactory, OfficerFactory, UserFactory


@pytest.fixture
def world(regions):
    return agency_world(regions)


@dataclass
class Bureaus:
    city: object  # 济宁市司法局-like: watches 济宁市 and below (world.agency is in 任城区)
    county: object  # watches 任城区 only
    other: object  # 菏泽市: world.agency is out of its scope
    city_supervisor: Officer
    county_supervisor: Officer
    other_supervisor: Officer


def _supervisor(agency, name):
    return OfficerFactory(agency=agency, is_supervisor=True, name=name, user=UserFactory(username=name))


@pytest.fixture
def bureaus(regions, world):
    city = AgencyFactory(region=regions["city"], sector=Sector.JUSTICE, short_name="济司", name="济宁市司法局")
    county = AgencyFactory(region=regions["county"], sector=Sector.JUSTICE, short_name="任司", name="任城区司法局")
    other = AgencyFactory(region=regions["other_city"], sector=Sector.JUSTICE, short_name="菏司", name="菏泽市司法局")
    return Bureaus(
        city,
        county,
        other,
        _supervisor(city, "city_sup"),
        _supervisor(county, "county_sup"),
        _supervisor(other, "other_sup"),
    )


def login(client, officer):
    client.force_login(officer.user)
    return client
