"""Appending, proofs and checkpoints on the database."""

import base64
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction

from lawenforce.ledger import keys, log, merkle, signing, verify
from lawenforce.models import Checkpoint, LedgerEntry, LedgerSequencer

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_append_stores_the_canonical_leaf_verbatim_with_its_hash(ledger_profile, settings, regions):
    region = regions["county"]
    with transaction.atomic():
        entry = log.append("evidence", {"sha256": "ab" * 32, "fine": "200.00", "name": "e\u0301"}, obj=region)
    entry = LedgerEntry.objects.get(index=0)
    leaf = bytes(entry.leaf)
    data = json.loads(leaf)
    assert leaf.startswith(b'{"index":0,"kind":"evidence","object":')
    assert data["object"] == {"label": "lawenforce.region", "pk": str(region.pk)}
    assert data["payload"]["name"] == "é"  # NFC
    assert data["time"].endswith("Z")
    algorithm = "sm3" if settings.LEDGER_PROFILE == "gm" else "sha256"
    assert bytes(entry.leaf_hash) == merkle.leaf_hash(leaf, algorithm)
    assert (entry.object_label, entry.object_pk) == ("lawenforce.region", str(region.pk))
    assert LedgerSequencer.objects.get().algorithm == algorithm


@pytest.mark.django_db(transaction=True)
def test_appends_outside_a_transaction_are_refused(ledger_profile):
    with pytest.raises(RuntimeError):
        log.append("history", {"x": 1})


def test_a_rolled_back_transaction_gives_its_index_back(ledger_profile):
    fill(2)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert log.append("history", {"doomed": True}).index == 2
        1 / 0  # noqa: B018 (the change the entry recorded fails)
    with transaction.atomic():
        assert log.append("history", {"kept": True}).index == 2
    assert list(LedgerEntry.objects.values_list("index", flat=True)) == [0, 1, 2]
    assert log.tree_size() == 3


def test_bad_payloads_fail_before_taking_an_index(ledger_profile):
    with transaction.atomic():
        with pytest.raises(TypeError):
            log.append("history", {"raw": b"bytes"})
        assert log.append("history", {"ok": 1}).index == 0


def test_inclusion_and_consistency_proofs_verify_with_the_standalone_verifier(ledger_profile):
    fill(13)
    alg = log.algorithm()
    size, root = log.current_root()
    assert size == 13
    for index in range(13):
        proof = log.inclusion(index)
        assert proof.root == root
        assert verify.verify_inclusion(index, 13, proof.leaf_hash, proof.hashes, root, alg)
        d = proof.as_dict()
        assert verify.verify_inclusion(d["index"], d["size"], d["leaf_hash"], d["proof"], d["root"], d["algorithm"])
    for size1 in range(1, 14):
        for size2 in range(size1, 14):
            proof = log.consistency(size1, size2)
            assert verify.verify_consistency(size1, size2, proof.root1, proof.root, proof.hashes, alg)
    assert log.inclusion(3, size=5).root == log.current_root(5)[1]
    for bad in [lambda: log.inclusion(13), lambda: log.inclusion(0, size=14), lambda: log.consistency(0, 5)]:
        with pytest.raises(ValueError):
            bad()


def test_make_checkpoint_signs_a_c2sp_note_with_the_profile_key(ledger_profile, settings):
    fill(5)
    checkpoint = log.make_checkpoint()
    size, root = log.current_root()
    assert checkpoint.note.startswith(f"zfpt.example.gov.cn/ledger\n5\n{base64.b64encode(root).decode()}\n\n\u2014 ")
    assert (checkpoint.size, bytes(checkpoint.root_hash)) == (5, root)
    assert verify.verify_checkpoint(checkpoint.note, ledger_profile.vkey)
    assert bytes(checkpoint.signature)[:4] == ledger_profile.key_id
    assert log.make_checkpoint().pk == checkpoint.pk  # nothing new: the same checkpoint
    assert log.make_checkpoint(force=True).pk != checkpoint.pk
    fill(3)
    later = log.make_checkpoint()
    proof = log.consistency(5, 8)
    assert verify.verify_consistency(5, 8, checkpoint.root_hash, later.root_hash, proof.hashes, log.algorithm())


def test_make_checkpoint_command_prints_the_note(ledger_profile, capsys):
    fill(2)
    call_command("make_checkpoint")
    out = capsys.readouterr().out
    assert verify.verify_checkpoint(out, ledger_profile.vkey)
    call_command("make_checkpoint", "--new-key")
    out = capsys.readouterr().out
    private = out.split("LEDGER_SIGNING_KEY=")[1].split()[0]
    assert signing.SigningKey.from_string(private).algorithm == ledger_profile.algorithm


def test_production_refuses_to_make_checkpoints_without_a_key(settings, monkeypatch):
    settings.DEBUG = False
    settings.LEDGER_SIGNING_KEY = ""
    fill(1)
    with pytest.raises(keys.SigningKeyMissing):
        log.make_checkpoint()
    assert not Checkpoint.objects.exists()


def test_debug_generates_a_development_key_once(settings, tmp_path, caplog):
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    settings.LEDGER_PROFILE = "gm"
    settings.LEDGER_SIGNING_KEY = ""
    first = keys.signing_key()
    assert "DEVELOPMENT" in caplog.text
    assert (tmp_path / "var" / "ledger-dev-key.gm").stat().st_mode & 0o777 == 0o600
    assert keys.signing_key().vkey == first.vkey
    assert (tmp_path / "var" / "ledger-dev-key.gm.pub").read_text().strip() == first.vkey


def test_a_key_of_the_other_profile_is_refused(settings):
    settings.LEDGER_PROFILE = "gm"
    settings.LEDGER_SIGNING_KEY = signing.SigningKey.generate("x.example/log", "ed25519").to_string()
    with pytest.raises(ImproperlyConfigured):
        keys.signing_key()


def test_changing_the_profile_of_a_started_log_is_refused(ledger_profile, settings):
    fill(1)
    settings.LEDGER_PROFILE = "intl" if settings.LEDGER_PROFILE == "gm" else "gm"
    with pytest.raises(log.LedgerError), transaction.atomic():
        log.append("history", {"x": 1})
