"""An uploaded item's page acknowledges it with its ledger entry and a link to the receipt."""

import pytest

from evidence.models import EvidenceItem
from lawenforce.ledger import verify
from tests.evidence import samples
from tests.evidence.helpers import open_case, post_file

pytestmark = pytest.mark.django_db


def test_the_item_page_shows_its_ledger_entry_and_the_receipt_verifies(client, world, settings):
    from lawenforce.ledger import signing

    settings.LEDGER_SIGNING_KEY = signing.SigningKey.generate("zfpt.example.gov.cn/ledger", "sm2").to_string()
    case = open_case(world)
    client.force_login(world.handler1.user)
    assert post_file(client, case, samples.JPEG).status_code == 302
    item = EvidenceItem.objects.get(case=case)
    html = client.get(f"/evidence/{item.pk}/").content.decode()
    assert "已存证（日志序号" in html
    receipt = client.get(f"/api/v1/ledger/receipt/evidence/{item.pk}/").json()
    proof = receipt["proof"]
    assert verify.verify_inclusion(
        proof["index"], proof["size"], bytes.fromhex(proof["leaf_hash"]),
        [bytes.fromhex(h) for h in proof["proof"]], bytes.fromhex(proof["root"]),
        algorithm=proof["algorithm"],
    )
    assert verify.parse_checkpoint(receipt["checkpoint"]["note"]).root.hex() == proof["root"]


def test_without_a_signing_key_the_receipt_says_so_instead_of_failing(client, world, settings):
    settings.LEDGER_SIGNING_KEY = ""
    case = open_case(world)
    client.force_login(world.handler1.user)
    post_file(client, case, samples.JPEG)
    item = EvidenceItem.objects.get(case=case)
    response = client.get(f"/api/v1/ledger/receipt/evidence/{item.pk}/")
    assert response.status_code == 503
    assert "LEDGER_SIGNING_KEY" in response.json()["detail"]
