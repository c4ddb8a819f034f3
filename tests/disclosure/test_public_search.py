"""The public search (/public/penalties/): filters, Chinese part-of-name matching, sorting, keyset
paging, bad input, and that nothing outside PenaltyDisclosure.objects.public() is reachable."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from disclosure import search
from disclosure.models import DisclosureState, ExemptReason
from tests.disclosure.record_factories import record
from tests.factories import AgencyFactory, make_uscc

pytestmark = pytest.mark.django_db
URL = "/public/penalties/"


def names(response):
    return re.findall(
        r'<th scope="row"[^>]*><a href="/public/penalties/[0-9a-f-]+/">([^<]+)</a>', response.content.decode()
    )


def test_the_search_page_needs_no_login_and_works_without_filters(client, world):
    record(world)
    response = client.get(URL)
    assert response.status_code == 200
    assert "行政处罚信息公示查询" in response.content.decode()
    assert names(client.get(URL, {"sort": "newest"})) == ["济宁宏达建材有限公司"]


@pytest.mark.parametrize(
    "query, found",
    [
        ("建材", {"济宁宏达建材有限公司", "任城区鑫源建材经营部"}),
        ("宏达", {"济宁宏达建材有限公司"}),
        ("宏达建材有限", {"济宁宏达建材有限公司"}),
        ("材", {"济宁宏达建材有限公司", "任城区鑫源建材经营部"}),
        ("达宏", set()),  # the same characters in another order: no match
        ("建 材", {"济宁宏达建材有限公司", "任城区鑫源建材经营部"}),  # spaces are ignored
        ("ＡＢＣ", {"济宁ABC食品有限公司"}),  # full-width letters find half-width ones
        ("abc", {"济宁ABC食品有限公司"}),
    ],
)
def test_part_of_a_chinese_name_finds_the_company(client, world, query, found):
    for name in ("济宁宏达建材有限公司", "任城区鑫源建材经营部", "济宁ABC食品有限公司", "张某某"):
        record(world, party_name=name)
    assert set(names(client.get(URL, {"q": query}))) == found


def test_filters_by_credit_code_number_agency_item_and_dates(client, world, regions):
    code = make_uscc(42)
    a = record(world, party_name="甲公司", party_uscc=code, decided_on=datetime.date(2026, 1, 10))
    b = record(world, party_name="乙公司", decided_on=datetime.date(2026, 2, 10), power_item=None)
    other = AgencyFactory(region=regions["county2"])
    record(world, party_name="丙公司", agency=other, decided_on=datetime.date(2026, 3, 10))
    assert names(client.get(URL, {"uscc": code})) == ["甲公司"]
    assert names(client.get(URL, {"uscc": code.lower()})) == ["甲公司"]  # lower case is accepted
    assert names(client.get(URL, {"number": b.decision_number})) == ["乙公司"]
    assert set(names(client.get(URL, {"agency": world.agency.pk}))) == {"甲公司", "乙公司"}
    assert names(client.get(URL, {"item": world.power_item.pk})) == ["丙公司", "甲公司"]
    got = client.get(URL, {"date_from": "2026-02-01", "date_to": "2026-02-28"})
    assert names(got) == ["乙公司"]
    assert names(client.get(URL, {"date_from": "2026-02-11"})) == ["丙公司"]
    assert names(client.get(URL, {"date_to": "2026-01-10"})) == ["甲公司"]
    assert a.pk


def test_a_region_finds_its_whole_subtree_and_nothing_beside_it(client, world, regions):
    record(world, party_name="任城公司")  # world.agency is in 任城区 (county of 济宁市)
    record(world, party_name="兖州公司", agency=AgencyFactory(region=regions["county2"]))
    record(world, party_name="菏泽公司", agency=world.other_agency)
    record(world, party_name="街道公司", agency=AgencyFactory(region=regions["township"]))
    assert set(names(client.get(URL, {"region": regions["city"].pk}))) == {"任城公司", "兖州公司", "街道公司"}
    assert set(names(client.get(URL, {"region": regions["county"].pk}))) == {"任城公司", "街道公司"}
    assert names(client.get(URL, {"region": regions["other_city"].pk})) == ["菏泽公司"]
    assert len(names(client.get(URL, {"region": regions["province"].pk}))) == 4


def test_sorting_newest_oldest_and_by_fine(client, world):
    record(world, party_name="一", decided_on=datetime.date(2026, 1, 1), fine_amount=Decimal("500.00"))
    record(world, party_name="二", decided_on=datetime.date(2026, 2, 1), fine_amount=Decimal("90000.00"))
    record(world, party_name="三", decided_on=datetime.date(2026, 3, 1), fine_amount=None, penalty_category="警告")
    assert names(client.get(URL, {"sort": "newest"})) == ["三", "二", "一"]
    assert names(client.get(URL, {"sort": "oldest"})) == ["一", "二", "三"]
    fine = client.get(URL, {"sort": "fine"})
    assert names(fine) == ["二", "一"]  # records without a fine are left out of the fine order, and it says so
    assert "按罚款金额排序时仅列出有罚款的记录" in fine.content.decode()


@pytest.mark.parametrize("sort", ["newest", "oldest", "fine"])
def test_keyset_pages_cover_every_record_once_in_both_directions(client, world, sort):
    for i in range(45):  # several records share a decision date and a fine: the id breaks ties
        record(
            world,
            party_name=f"公司{i:02d}",
            decided_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i // 3),
            fine_amount=Decimal(1000 * (i % 7 + 1)),
        )
    seen, pages, params = [], [], {"sort": sort}
    while True:
        response = client.get(URL, params)
        pages.append(names(response))
        seen += pages[-1]
        match = re.search(r'href="\?([^"]+)" rel="next"', response.content.decode())
        if not match:
            break
        params = dict(pair.split("=", 1) for pair in match.group(1).replace("&amp;", "&").split("&"))
    assert [len(p) for p in pages] == [20, 20, 5]
    assert sorted(seen) == sorted(f"公司{i:02d}" for i in range(45))
    # back from the last page: the previous page is the second one again
    match = re.search(r'href="\?([^"]+)" rel="prev"', response.content.decode())
    params = dict(pair.split("=", 1) for pair in match.group(1).replace("&amp;", "&").split("&"))
    assert names(client.get(URL, params)) == pages[1]


def test_a_malformed_cursor_shows_the_first_page(client, world):
    record(world)
    assert names(client.get(URL, {"sort": "newest", "after": "not-a-cursor"})) == ["济宁宏达建材有限公司"]
    assert names(client.get(URL, {"sort": "fine", "after": "NaN_1"})) == ["济宁宏达建材有限公司"]


def test_the_count_is_bounded_and_says_so(client, world, monkeypatch):
    for i in range(4):
        record(world, party_name=f"公司{i}")
    assert "共 4 条" in client.get(URL, {"sort": "newest"}).content.decode()
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    assert "超过 3 条" in client.get(URL, {"sort": "newest"}).content.decode()


def test_bad_input_gets_a_chinese_message_and_keeps_what_was_typed(client, world):
    record(world)
    response = client.get(URL, {"q": "宏达", "uscc": "91370800ABCDEFGH1X", "date_from": "2026-13-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码" in html and "请核对" in html
    assert "“决定日期自”不是有效日期" in html
    assert 'value="宏达"' in html and 'value="91370800ABCDEFGH1X"' in html and 'value="2026-13-01"' in html
    assert names(response) == []  # no results for a refused query
    reversed_ = client.get(URL, {"date_from": "2026-05-01", "date_to": "2026-01-01"}).content.decode()
    assert "晚于“决定日期至”" in reversed_ and 'value="2026-05-01"' in reversed_
    assert "所选处罚机关不存在" in client.get(URL, {"agency": "999999"}).content.decode()
    assert "不支持这种排序方式" in client.get(URL, {"sort": "cheapest"}).content.decode()


def test_nothing_unpublished_is_listed(client, world):
    today = timezone.localdate()
    record(world, party_name="公示中公司")
    record(world, party_name="待公示公司", state=DisclosureState.PENDING)
    record(world, party_name="不予公示公司", state=DisclosureState.EXEMPT, exempt_reason=ExemptReason.MINOR)
    record(world, party_name="撤下公司", state=DisclosureState.WITHDRAWN, withdrawn_at=timezone.now())
    record(world, party_name="期满公司", state=DisclosureState.EXPIRED, expired_at=timezone.now())
    record(world, party_name="过期未处理公司", publish_until=today - datetime.timedelta(days=1))
    assert names(client.get(URL, {"q": "公司"})) == ["公示中公司"]


def test_the_detail_page_shows_the_public_items_and_the_correction(client, world):
    obj = record(world, confiscated_amount=Decimal("2500.50"))
    html = client.get(reverse("public-penalties:detail", args=[obj.public_id])).content.decode()
    for text in (
        "济宁宏达建材有限公司",
        obj.decision_number,
        "经营超过保质期的食品",
        "10000.00",
        "2500.50",
        obj.agency_name,
    ):
        assert text in html
    assert "已更正" not in html
    corrected = record(world, party_name="更正公司", revision=1, corrected_at=timezone.now())
    html = client.get(reverse("public-penalties:detail", args=[corrected.public_id])).content.decode()
    assert "已更正" in html and "第 1 版" in html


def test_a_withdrawn_record_shows_only_the_notice(client, world):
    obj = record(
        world,
        state=DisclosureState.WITHDRAWN,
        withdrawn_at=timezone.make_aware(datetime.datetime(2026, 4, 3, 9, 30)),
        withdraw_reason="该决定已被行政复议机关撤销。",
    )
    response = client.get(reverse("public-penalties:detail", args=[obj.public_id]))
    html = response.content.decode()
    assert response.status_code == 410
    assert "已于 2026-04-03 09:30 撤下" in html and "该决定已被行政复议机关撤销。" in html
    for hidden in (obj.party_name, obj.decision_number, obj.facts, obj.digest):
        assert hidden not in html


@pytest.mark.parametrize("kind", ["pending", "exempt", "expired", "past_period"])
def test_unpublished_records_answer_404_by_url(client, world, kind):
    fields = {
        "pending": {"state": DisclosureState.PENDING},
        "exempt": {"state": DisclosureState.EXEMPT, "exempt_reason": ExemptReason.PROTECTED},
        "expired": {"state": DisclosureState.EXPIRED, "expired_at": timezone.now()},
        "past_period": {"publish_until": timezone.localdate() - datetime.timedelta(days=1)},
    }[kind]
    obj = record(world, **fields)
    assert client.get(reverse("public-penalties:detail", args=[obj.public_id])).status_code == 404
    assert client.get(reverse("public-penalties:proof", args=[obj.public_id])).status_code == 404
    assert client.get(f"/public/penalties/{obj.pk}/").status_code == 404  # no guessing by database id


def test_the_search_page_is_accessible_and_local(client, world):
    record(world)
    html = client.get(URL, {"sort": "newest"}).content.decode()
    for field in ("q", "uscc", "number", "agency", "region", "item", "date_from", "date_to", "sort"):
        assert f'<label for="id_{field}">' in html
    assert 'role="search"' in html and 'scope="col"' in html and "data-label=" in html
    assert "https://" not in re.sub(r'href="https://[^"]*"', "", html).split("<body", 1)[1].split("</footer>")[0]
    assert re.search(r'<html[^>]+lang="zh-hans"', html)


def test_a_common_name_part_walks_the_recent_index_and_shows_an_estimate(client, world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("index statistics are PostgreSQL's")
    for i in range(30):
        record(
            world,
            party_name=f"济宁宏达建材有限公司{i}",
            decided_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
        )
    record(world, party_name="任城区鑫源五金经营部")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disclosure_penaltydisclosure")
    monkeypatch.setattr(search, "_stats", {"at": -1e9, "freq": {}, "floor": 0.0, "public": 0})  # fresh statistics
    assert search.name_selectivity("有限公司") > 0.5
    assert search.name_selectivity("五金经营") < search.name_selectivity("有限公司")
    assert search.walks({"q": "有限公司"}) and not search.walks({"q": "五金经营"})
    common = client.get(URL, {"q": "有限公司"})
    assert names(common) == [f"济宁宏达建材有限公司{i}" for i in range(29, 9, -1)]
    assert "（估算）" in common.content.decode()
    monkeypatch.setattr(search, "walks", lambda data: False)  # every name through the GIN index: same rows
    exact = client.get(URL, {"q": "有限公司"})
    assert names(exact) == names(common) and "共 30 条" in exact.content.decode()
