"""verify_ledger finds changes made behind the ORM with raw SQL, and names the first bad entry."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from lawenforce.ledger import log, merkle, nodes
from lawenforce.ledger.canonical import salted_digest
from lawenforce.models import LedgerNode

pytestmark = pytest.mark.django_db

TABLE = "lawenforce_ledgerentry"


def q(name):
    return connection.ops.quote_name(name)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=q(TABLE), index=q("index")), params)


def row(index):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT leaf, leaf_hash FROM {q(TABLE)} WHERE {q('index')} = %s", [index])  # noqa: S608
        leaf, leaf_hash = cursor.fetchone()
    return bytes(leaf), bytes(leaf_hash)


@pytest.fixture
def ledger(ledger_profile):
    """Ten entries of the kinds the ledger records, and a checkpoint at 10."""
    with transaction.atomic():
        for i in range(10):
            if i % 3 == 0:
                payload = {"model": "cases.case", "history_id": i, "type": "~", "by": salted_digest("张三")}
                log.append("history", payload)
            elif i % 3 == 1:
                log.append("evidence", {"evidence_id": i, "sha256": f"{i:02x}" * 32})
            else:
                log.append("document", {"document_id": i, "sha256": f"{i + 100:02x}" * 32})
    log.make_checkpoint()
    call_command("verify_ledger", skip_sources=True)  # sound before the tampering
    return ledger_profile


def failure():
    # These leaves are synthetic (no records behind them): check the ledger alone here;
    # test_tamper_sources.py changes the records themselves.
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger", skip_sources=True)
    assert excinfo.value.returncode == 1
    return str(excinfo.value)


def test_a_sound_ledger_passes(ledger, capsys):
    call_command("verify_ledger", skip_sources=True)
    out = capsys.readouterr().out
    assert out.startswith("OK: 10 entries, root ") and "1 checkpoints agree" in out


def test_a_changed_history_row_is_found(ledger):
    leaf, _ = row(3)
    assert b'"history_id":3' in leaf
    sql("UPDATE {table} SET leaf = %s WHERE {index} = 3", [leaf.replace(b'"type":"~"', b'"type":"-"')])
    message = failure()
    assert "first bad entry: 3" in message and "leaf hash" in message


def test_a_changed_evidence_digest_is_found(ledger):
    leaf, _ = row(4)
    sql("UPDATE {table} SET leaf = %s WHERE {index} = 4", [leaf.replace(b"04" * 32, b"ff" * 32)])
    assert "first bad entry: 4" in failure()


def test_a_changed_stored_leaf_hash_is_found(ledger):
    sql("UPDATE {table} SET leaf_hash = %s WHERE {index} = 6", [bytes(32)])
    assert "first bad entry: 6" in failure()


def test_a_deleted_entry_is_found(ledger):
    sql("DELETE FROM {table} WHERE {index} = 5")
    message = failure()
    assert "first bad entry: 5" in message and "missing" in message


@pytest.mark.parametrize("with_hashes", [False, True])
def test_two_swapped_entries_are_found(ledger, with_hashes):
    (leaf2, hash2), (leaf7, hash7) = row(2), row(7)
    if with_hashes:
        sql("UPDATE {table} SET leaf = %s, leaf_hash = %s WHERE {index} = 2", [leaf7, hash7])
        sql("UPDATE {table} SET leaf = %s, leaf_hash = %s WHERE {index} = 7", [leaf2, hash2])
    else:
        sql("UPDATE {table} SET leaf = %s WHERE {index} = 2", [leaf7])
        sql("UPDATE {table} SET leaf = %s WHERE {index} = 7", [leaf2])
    assert "first bad entry: 2" in failure()


def test_a_truncated_tail_is_found_against_the_stored_checkpoint(ledger):
    sql("DELETE FROM {table} WHERE {index} >= 7")
    sql("UPDATE lawenforce_ledgersequencer SET next_index = 7")  # the intruder tidies up
    message = failure()
    assert "first bad entry: 7" in message and "checkpoint #" in message


def test_a_truncated_tail_is_found_against_a_published_checkpoint(ledger, tmp_path):
    with transaction.atomic():
        for i in range(10, 40):  # 40 entries: stored nodes (levels ≥ nodes.STORED_FROM) over 0–31
            log.append("evidence", {"evidence_id": i, "sha256": f"{i:02x}" * 32})
    published = tmp_path / "checkpoint.txt"
    published.write_text(log.make_checkpoint().note, encoding="utf-8")
    sql("DELETE FROM {table} WHERE {index} >= 24")
    sql("UPDATE lawenforce_ledgersequencer SET next_index = 24")
    sql("DELETE FROM lawenforce_checkpoint")  # … and removes the stored checkpoints too
    # … and the stored subtrees over the removed entries (16–31 and 0–31), keeping 0–15.
    over_the_tail = [(lv, i) for lv, i in LedgerNode.objects.values_list("level", "index") if (i + 1) << lv > 24]
    assert sorted(over_the_tail) == [(4, 1), (5, 0)]
    for lv, i in over_the_tail:
        sql("DELETE FROM lawenforce_ledgernode WHERE level = %s AND {index} = %s", [lv, i])
    assert LedgerNode.objects.count() == nodes.expected_count(24) == 1
    call_command("verify_ledger", skip_sources=True)  # the database alone now looks consistent
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger", checkpoint=[str(published)], skip_sources=True)
    assert "first bad entry: 24" in str(excinfo.value) and "published checkpoint 1" in str(excinfo.value)


def test_a_consistently_rewritten_entry_is_found_by_the_checkpoint(ledger):
    # Bytes, index prefix and leaf hash all rewritten to agree: only the signed root can tell.
    leaf, _ = row(4)
    forged = leaf.replace(b"04" * 32, b"ee" * 32)
    sql(
        "UPDATE {table} SET leaf = %s, leaf_hash = %s WHERE {index} = 4",
        [forged, merkle.leaf_hash(forged, log.algorithm())],
    )
    message = failure()
    assert "disagrees with checkpoint #" in message and "between 0 and 9" in message
    with pytest.raises(log.LedgerCorrupt):
        log.make_checkpoint(force=True)  # and the log refuses to sign the forged tree


def test_a_checkpoint_whose_columns_differ_from_its_note_is_found(ledger):
    sql("UPDATE lawenforce_checkpoint SET root_hash = %s", [bytes(32)])
    assert "differs from its signed note" in failure()


def test_leaves_hold_no_personal_data(ledger):
    assert "张三".encode() not in b"".join(row(i)[0] for i in range(10))
    assert json.loads(row(0)[0])["payload"]["by"] == salted_digest("张三")
