"""The public pages in a real headless Chromium (issue 5 item 8, the search half): the search page
loads, a part-of-name search finds the company, the detail page opens, and the verification button
checks the proof in the browser, with SM3 (vendored sm-crypto) and with SHA-256 (Web Crypto)."""

import pytest
from django.db import transaction

from lawenforce.ledger import log, signing
from tests.disclosure.record_factories import in_ledger, record
from tests.ledger.conftest import fill

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("profile, algorithm", [("gm", "sm2"), ("intl", "ed25519")])
def test_search_detail_and_verification_in_chromium(settings, regions, live_server, phone, profile, algorithm):
    settings.LEDGER_PROFILE = profile
    settings.LEDGER_ORIGIN = "zfpt.example.gov.cn/ledger"
    settings.LEDGER_SIGNING_KEY = signing.SigningKey.generate(settings.LEDGER_ORIGIN, algorithm).to_string()
    from tests.cases.factories import agency_world

    world = agency_world(regions)
    fill(3)
    obj = in_ledger(record(world, party_name="济宁宏达建材有限公司"))
    record(world, party_name="任城区鑫源五金经营部")
    with transaction.atomic():
        log.make_checkpoint()

    page = phone  # tests/browser_fixtures.py: Debian's Chromium at phone size
    page.goto(f"{live_server.url}/public/penalties/")
    page.get_by_label("当事人名称").fill("宏达建材")
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name="济宁宏达建材有限公司").click()
    page.wait_for_url(f"**/public/penalties/{obj.public_id}/")
    assert page.get_by_role("heading", name="济宁宏达建材有限公司").is_visible()
    assert "鑫源" not in page.content()
    page.get_by_role("button", name="在浏览器中核验").click()
    result = page.locator("#verify-result")
    result.filter(has_text="核验").wait_for()
    page.wait_for_function("!document.getElementById('verify-result').textContent.includes('正在')")
    assert result.inner_text().startswith("核验通过"), result.inner_text()
