"""The faster paths of the public search (docs/benchmarks.md, "Public penalty search") give the same
answers: a part of a name inside a region through the search_terms index, the cached option lists,
and migration 0004's SQL backfill, which must store exactly what grams.search_terms() stores."""

import importlib
import re
import types

import pytest
from django.db import connection

from disclosure import grams, search_choices
from disclosure.models import DisclosureState, PenaltyDisclosure
from lawenforce.models import AgencyStatus
from tests.disclosure.record_factories import record
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
URL = "/public/penalties/"


def names(response):
    return re.findall(
        r'<th scope="row"[^>]*><a href="/public/penalties/[0-9a-f-]+/">([^<]+)</a>', response.content.decode()
    )


def test_region_terms_are_every_prefix_of_the_path():
    assert grams.region_terms("370000/370800/370811/") == ["r:370000/", "r:370000/370800/", "r:370000/370800/370811/"]
    assert grams.region_terms("") == []
    assert grams.search_terms("宏达", "37/3708/") == "宏 达 宏达 r:37/ r:37/3708/"


def test_the_publisher_and_the_generator_store_the_search_terms(world):
    row = record(world, party_name="任城区宏达建材")
    row.refresh_from_db()
    assert row.search_terms == grams.search_terms("任城区宏达建材", row.region_path)
    assert f"r:{world.agency.region.path}" in row.search_terms.split(" ")


def test_a_name_inside_a_region_finds_only_that_subtree(client, world, regions):
    record(world, party_name="任城宏达建材")  # 任城区, in 济宁市
    record(world, party_name="街道宏达建材", agency=AgencyFactory(region=regions["township"]))
    record(world, party_name="兖州宏达建材", agency=AgencyFactory(region=regions["county2"]))
    record(world, party_name="菏泽宏达建材", agency=world.other_agency)
    record(world, party_name="任城宏达未公示", state=DisclosureState.PENDING)
    assert set(names(client.get(URL, {"q": "宏达", "region": regions["county"].pk}))) == {
        "任城宏达建材",
        "街道宏达建材",
    }
    assert set(names(client.get(URL, {"q": "宏达建材", "region": regions["city"].pk}))) == {
        "任城宏达建材",
        "街道宏达建材",
        "兖州宏达建材",
    }
    assert names(client.get(URL, {"q": "宏达", "region": regions["other_city"].pk})) == ["菏泽宏达建材"]
    assert len(names(client.get(URL, {"q": "达", "region": regions["province"].pk}))) == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL backfill is PostgreSQL's")
def test_the_migration_backfill_stores_what_the_publisher_stores(world, regions):
    rows = [
        record(world, party_name="济宁宏达建材有限公司"),
        record(world, party_name="张某某", agency=AgencyFactory(region=regions["township"])),
        record(world, party_name="菏泽ABC食品", agency=world.other_agency),
    ]
    PenaltyDisclosure.objects.update(search_terms="")
    migration = importlib.import_module("disclosure.migrations.0004_searchperf")
    migration.fill(None, types.SimpleNamespace(connection=connection))
    for row in rows:
        row.refresh_from_db()
        assert row.search_terms == grams.search_terms(row.party_name, row.region_path)


def test_the_option_lists_follow_a_saved_agency_and_keep_the_choice(client, world, regions):
    record(world)
    page = client.get(URL, {"region": regions["county"].pk}).content.decode()
    assert f'<option value="{regions["county"].pk}" selected>\u3000\u3000任城区</option>' in page
    assert '<option value="" selected>全部</option>' in page  # the agency and type selects
    new = AgencyFactory(region=regions["county2"], name="兖州区新设执法局")
    assert f'<option value="{new.pk}">兖州区新设执法局</option>' in client.get(URL).content.decode()
    new.status = AgencyStatus.DISSOLVED
    new.save()
    assert "兖州区新设执法局" not in client.get(URL).content.decode()
    # A cached list shown to the public never widens what a submitted choice may be.
    search_choices.lists()["agency"].append((str(new.pk), new.name))
    response = client.get(URL, {"agency": new.pk})
    assert "所选处罚机关不存在" in response.content.decode()
