"""Verification on the detail page: the digest, the ledger inclusion proof against the latest
checkpoint, the proof download, and the browser check (static/disclosure/verify.js), which is run
under Node when it is installed and mirrored step for step by verification.check_bundle()."""

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse

from disclosure import verification
from lawenforce.ledger import log, signing
from lawenforce.ledger import verify as standalone
from tests.disclosure.record_factories import in_ledger, record
from tests.ledger.conftest import fill

pytestmark = pytest.mark.django_db
VERIFY_JS = Path(django_settings.BASE_DIR) / "static" / "disclosure" / "verify.js"


@pytest.fixture(params=["gm", "intl"])
def ledger_profile(request, settings):
    algorithm = {"gm": "sm2", "intl": "ed25519"}[request.param]
    settings.LEDGER_PROFILE = request.param
    settings.LEDGER_ORIGIN = "zfpt.example.gov.cn/ledger"
    key = signing.SigningKey.generate(settings.LEDGER_ORIGIN, algorithm)
    settings.LEDGER_SIGNING_KEY = key.to_string()
    return key


def published_and_checkpointed(world, others=5):
    fill(others)  # other entries before and after, so the proof has several hashes
    obj = in_ledger(record(world))
    fill(others)
    with transaction.atomic():
        log.make_checkpoint()
    return obj


def _other_size(note):
    lines = note.split("\n")
    lines[1] = str(int(lines[1]) + 1)
    return "\n".join(lines)


def node_check(bundle, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [shutil.which("node"), str(VERIFY_JS), str(path)], capture_output=True, text=True, timeout=60
    )
    return result.stdout.strip()


def test_the_served_proof_verifies_with_the_standalone_verifier_and_the_browser_logic(
    ledger_profile, client, world, tmp_path
):
    obj = published_and_checkpointed(world)
    html = client.get(reverse("public-penalties:detail", args=[obj.public_id])).content.decode()
    assert obj.digest in html and str(obj.ledger_index) in html
    assert 'id="proof-bundle"' in html and 'id="verify-button" hidden' in html  # the button needs JS
    assert "<noscript>" in html and "vendor/sm-crypto/sm3.js" in html

    response = client.get(reverse("public-penalties:proof", args=[obj.public_id]))
    assert "attachment" in response["Content-Disposition"]
    bundle = json.loads(response.content)
    proof = bundle["proof"]
    expected = "sm3" if django_settings.LEDGER_PROFILE == "gm" else "sha256"
    assert proof["algorithm"] == expected == bundle["record"]["digest_algorithm"]
    assert proof["index"] == obj.ledger_index and proof["size"] == log.tree_size() > obj.ledger_index
    assert standalone.verify_inclusion(
        proof["index"], proof["size"], proof["leaf_hash"], proof["proof"], proof["root"], proof["algorithm"]
    )
    cp = standalone.parse_checkpoint(bundle["checkpoint"])
    assert cp.root.hex() == proof["root"]
    assert standalone.verify_checkpoint(bundle["checkpoint"], ledger_profile.vkey)
    assert verification.check_bundle(bundle) == (True, "ok")
    # The command line printed on the page passes (exit status 0).
    command = verification.command_line(bundle)
    assert command in html
    argv = command.split()[3:]
    assert standalone.main(argv) == 0
    if shutil.which("node"):
        assert node_check(bundle, tmp_path) == "ok"


@pytest.mark.parametrize(
    "tamper, step",
    [
        (lambda b: b["record"].update(public_json=b["record"]["public_json"].replace("10000.00", "100.00")), "digest"),
        (lambda b: b["ledger"].update(leaf=b["ledger"]["leaf"].replace('"revision":0', '"revision":1')), "leaf_hash"),
        (lambda b: b["proof"]["proof"].__setitem__(0, "00" * 32), "proof"),
        (lambda b: b.update(checkpoint=_other_size(b["checkpoint"])), "checkpoint"),
    ],
)
def test_a_tampered_proof_fails_at_the_right_step_in_both_implementations(
    ledger_profile, client, world, tmp_path, tamper, step
):
    obj = published_and_checkpointed(world)
    bundle = json.loads(client.get(reverse("public-penalties:proof", args=[obj.public_id])).content)
    bad = copy.deepcopy(bundle)
    tamper(bad)
    assert verification.check_bundle(bad) == (False, step)
    if shutil.which("node"):
        assert node_check(bad, tmp_path) == step


def test_a_leaf_that_does_not_name_the_digest_fails(ledger_profile, client, world):
    obj = record(world)
    with transaction.atomic():
        entry = log.append("disclosure.publish", {"digest": "ab" * 32}, obj=obj)
        obj.ledger_index = entry.index
        obj.save(update_fields=["ledger_index"])
        log.make_checkpoint()
    bundle = json.loads(client.get(reverse("public-penalties:proof", args=[obj.public_id])).content)
    assert verification.check_bundle(bundle) == (False, "leaf")


def test_a_record_after_the_latest_checkpoint_says_it_is_not_yet_verifiable(ledger_profile, client, world):
    fill(2)
    with transaction.atomic():
        log.make_checkpoint()
    obj = in_ledger(record(world))
    html = client.get(reverse("public-penalties:detail", args=[obj.public_id])).content.decode()
    assert "尚未纳入已发布的检查点" in html and obj.digest in html
    assert "proof-bundle" not in html
    assert client.get(reverse("public-penalties:proof", args=[obj.public_id])).status_code == 404
