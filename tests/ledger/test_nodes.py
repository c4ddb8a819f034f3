"""Stored subtree hashes (LedgerNode): proofs from O(log n) rows equal the in-memory RFC 6962 proofs,
the node table is exactly what a rebuild computes, and verify_ledger finds a node changed behind the ORM."""

import importlib
import random

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lawenforce.ledger import log, merkle, nodes, verify
from lawenforce.models import LedgerEntry, LedgerNode

from .conftest import fill

pytestmark = pytest.mark.django_db

TABLE = "lawenforce_ledgernode"


def sql(statement, params=()):
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=q(TABLE), index=q("index"), level=q("level")), params)


def stored_nodes():
    return sorted((lv, i, bytes(h)) for lv, i, h in LedgerNode.objects.values_list("level", "index", "hash"))


def leaf_hashes():
    return [bytes(h) for h in LedgerEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]


def verify_failure(**options):
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger", skip_sources=True, **options)
    return str(excinfo.value)


def test_subtrees_decompose_every_range_into_aligned_perfect_subtrees():
    assert merkle.subtrees(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert merkle.subtrees(8, 11) == [(1, 4), (0, 10)]
    for n in range(1, 70):
        for lo, hi in [(0, n), *merkle.inclusion_ranges(n // 2, n), *merkle.consistency_ranges(max(1, n // 3), n)]:
            covered = [(i << lv, (i + 1) << lv) for lv, i in merkle.subtrees(lo, hi)]
            assert covered[0][0] == lo and covered[-1][1] == hi
            assert all(a[1] == b[0] for a, b in zip(covered, covered[1:], strict=False))


def check_proofs(sizes, rng):
    """Every tree head of the given sizes, inclusion of the first, last and random leaves, consistency
    from the first, last and random earlier sizes; also checked with the stand-alone verifier."""
    hashes = leaf_hashes()
    alg = log.algorithm()
    for size in sizes:
        tree = hashes[:size]
        root = merkle.root(tree, alg)
        assert log.current_root(size) == (size, root)
        for index in {0, size - 1, *rng.sample(range(size), min(size, 6))}:
            proof = log.inclusion(index, size)
            assert proof.hashes == merkle.inclusion_proof(index, tree, alg)
            assert (proof.root, proof.leaf_hash) == (root, hashes[index])
            assert verify.verify_inclusion(index, size, hashes[index], proof.hashes, root, alg)
        for size1 in {1, size, *rng.sample(range(1, size + 1), min(size, 6))}:
            proof = log.consistency(size1, size)
            assert proof.hashes == merkle.consistency_proof(size1, tree, alg)
            assert (proof.root1, proof.root) == (merkle.root(hashes[:size1], alg), root)
            assert verify.verify_consistency(size1, size, proof.root1, root, proof.hashes, alg)


def test_stored_node_proofs_equal_the_in_memory_proofs_for_every_size(ledger_profile):
    fill(70)
    check_proofs(range(1, 71), random.Random(6962))


def bulk_fill(n):
    """n entries quickly: the leaves appended in one transaction (the nodes as log.append writes them)."""
    from django.db import transaction

    with transaction.atomic():
        for i in range(n):
            log.append("history", {"model": "cases.case", "history_id": i, "digest": f"{i:064x}"})


def test_stored_node_proofs_equal_the_in_memory_proofs_for_larger_sizes(ledger_profile):
    bulk_fill(4097)
    assert len(stored_nodes()) == nodes.expected_count(4097)
    check_proofs([255, 256, 257, 1000, 1023, 1024, 4095, 4096, 4097], random.Random(9162))


def test_appends_store_exactly_the_complete_subtrees_of_the_stored_levels(ledger_profile):
    fill(70)
    stored = stored_nodes()
    assert nodes.STORED_FROM == 4
    assert [(lv, i) for lv, i, _ in stored] == [(4, 0), (4, 1), (4, 2), (4, 3), (5, 0), (5, 1), (6, 0)]
    assert len(stored) == nodes.expected_count(70) == 70 // 16 + 70 // 32 + 70 // 64
    assert all((i + 1) << lv <= 70 for lv, i, _ in stored)
    alg = log.algorithm()
    hashes = leaf_hashes()
    for lv, i, h in stored:
        assert h == merkle.perfect_root(hashes[i << lv : (i + 1) << lv], alg)
    for chunk_size in (4, 16, 32, 1 << 16):
        assert nodes.rebuild(algorithm=alg, chunk_size=chunk_size) == len(stored)
        assert stored_nodes() == stored  # the rebuild (any chunking) computes the same rows


def rows_read(sql_queries):
    """The rows the node and leaf queries of a proof read (run again to count them)."""
    total = 0
    with connection.cursor() as cursor:
        for query in sql_queries:
            if "ledgernode" in query["sql"] or "leaf_hash" in query["sql"]:
                cursor.execute(query["sql"])
                total += len(cursor.fetchall())
    return total


@pytest.mark.parametrize("size", [100, 1000, 4097])
def test_a_proof_reads_a_logarithmic_number_of_rows_in_a_few_queries(ledger_profile, size):
    """The same fixed number of queries at every size; at most 2·2^K leaves plus O(log n) nodes."""
    bulk_fill(size)
    bound = 2 * (1 << nodes.STORED_FROM) + 3 * size.bit_length() + 1
    for index in (0, 37, size // 2, size - 1):
        for proof in (log.inclusion, log.consistency):
            with CaptureQueriesContext(connection) as queries:
                proof(max(index, 1) if proof is log.consistency else index)
            assert len(queries) <= 4  # sequencer size, algorithm, leaves, nodes
            assert rows_read(queries.captured_queries) <= bound


def test_a_changed_node_is_found_and_named(ledger_profile):
    fill(70)
    call_command("verify_ledger", skip_sources=True)
    sql("UPDATE {table} SET hash = %s WHERE {level} = 6 AND {index} = 0", [bytes(32)])  # a subtree of the root
    message = verify_failure()
    assert "first bad node: level 6, index 0" in message and "entries 0–63" in message
    assert "differs from the hash recomputed" in message
    # In small chunks too (the node is then above the chunk level).
    assert "first bad node: level 6, index 0" in verify_failure(chunk_size=2)
    with pytest.raises(log.LedgerCorrupt):
        log.make_checkpoint()  # never sign a root the served proofs disagree with
    call_command("rebuild_ledger_nodes", chunk_size=8)
    call_command("verify_ledger", skip_sources=True)
    assert log.inclusion(65).hashes == merkle.inclusion_proof(65, leaf_hashes(), log.algorithm())
    assert log.inclusion(33).hashes == merkle.inclusion_proof(33, leaf_hashes(), log.algorithm())


def test_a_deleted_node_and_a_stray_node_are_found(ledger_profile):
    fill(37)
    sql("DELETE FROM {table} WHERE {level} = 5")
    assert "first bad node: level 5, index 0" in verify_failure() and "is missing" in verify_failure()
    with pytest.raises(log.LedgerCorrupt, match="rebuild_ledger_nodes"):
        log.inclusion(3)
    call_command("rebuild_ledger_nodes")
    sql("INSERT INTO {table} ({level}, {index}, hash) VALUES (4, 2, %s)", [bytes(32)])  # entries 32–47
    message = verify_failure()
    assert "first bad node: level 4, index 2" in message and "not all of its entries" in message
    for chunk_size in (4, 16, 32):
        assert "first bad node: level 4, index 2" in verify_failure(chunk_size=chunk_size)
    call_command("rebuild_ledger_nodes")
    # A row below the stored levels (they are computed from the entries) is a stray too.
    sql("INSERT INTO {table} ({level}, {index}, hash) VALUES (1, 3, %s)", [bytes(32)])
    for chunk_size in (2, 4, 16, 1000, log.CHUNK_SIZE):
        message = verify_failure(chunk_size=chunk_size)
        assert "first bad node: level 1, index 3" in message and "levels below 4" in message


def test_a_missing_entry_under_a_computed_node_is_reported(ledger_profile):
    fill(40)
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM lawenforce_ledgerentry WHERE {q('index')} = 34")  # noqa: S608
    with pytest.raises(
        log.LedgerCorrupt, match=r"entry 34 \(under node \(level 2, index 8\)\) is missing.*verify_ledger"
    ):
        log.inclusion(39)  # its path needs the node over 32–35, computed from its entries
    assert "first bad entry: 34" in verify_failure()


def test_the_backfill_migration_computes_the_nodes_of_an_existing_log(ledger_profile):
    fill(21)
    before = stored_nodes()
    LedgerNode.objects.all().delete()
    assert "is missing" in verify_failure()
    backfill = importlib.import_module("lawenforce.migrations.0005_ledger_nodes_backfill")
    backfill.backfill(apps, None)
    assert stored_nodes() == before
    call_command("verify_ledger", skip_sources=True)


@pytest.fixture
def log_of_70(ledger_profile):
    bulk_fill(70)


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 4, 8, 16, 32, 1000, log.CHUNK_SIZE])
@pytest.mark.parametrize(("level", "index"), [(4, 0), (4, 3), (5, 1), (6, 0)])
def test_every_chunking_names_the_same_first_bad_node(log_of_70, chunk_size, level, index):
    """Chunks that are powers of two check the nodes in the verification's own pass; others (and the
    row-by-row detour) in a separate pass: the same answer either way."""
    assert log.verify_database(chunk_size=chunk_size).ok
    sql("UPDATE {table} SET hash = %s WHERE {level} = %s AND {index} = %s", [bytes(32), level, index])
    report = log.verify_database(chunk_size=chunk_size)
    assert report.node == (level, index) and report.index is None and report.size == 70, report.problem


def test_a_bad_entry_is_reported_before_a_bad_node(ledger_profile):
    fill(20)
    sql("UPDATE {table} SET hash = %s WHERE {level} = 4 AND {index} = 0", [bytes(32)])
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE lawenforce_ledgerentry SET leaf_hash = %s WHERE {q('index')} = 9", [bytes(32)])  # noqa: S608
    report = log.verify_database(chunk_size=8)
    assert report.index == 9 and report.node is None


def test_the_api_says_in_chinese_when_a_node_is_missing(ledger_profile, regions):
    from tests.cases.factories import agency_world

    from .test_wiring import API, token_client

    world = agency_world(regions)
    fill(33)
    client = token_client(world.handler1)
    assert client.get(f"{API}/inclusion/", {"index": 3}).status_code == 200
    sql("DELETE FROM {table} WHERE {level} = 4")  # (4, 1) over 16–31 is on both paths
    for url, params in [(f"{API}/inclusion/", {"index": 3}), (f"{API}/consistency/", {"first": 2})]:
        response = client.get(url, params)
        assert response.status_code == 503
        assert response.json()["code"] == "ledger_corrupt" and "verify_ledger" in response.json()["detail"]


def test_a_checkpoint_signed_on_demand_reads_a_logarithmic_number_of_rows(ledger_profile):
    """Receipts sign inside a workflow step (serving a decision): the root comes from the stored
    subtree hashes, checked against the latest checkpoint, never from every leaf."""
    bulk_fill(4097)
    first = log.make_checkpoint()  # the scheduled kind, from the leaves
    fill(3)
    bound = 2 * 2 * (1 << nodes.STORED_FROM) + 2 * 3 * (4100).bit_length() + 2
    with CaptureQueriesContext(connection) as queries:
        quick = log.make_checkpoint(from_leaves=False)
    assert quick.size == 4100 and quick.pk != first.pk
    assert bytes(quick.root_hash) == merkle.root(leaf_hashes(), log.algorithm())
    assert rows_read(queries.captured_queries) <= bound
    assert log.make_checkpoint(from_leaves=False).pk == quick.pk  # unchanged tree: no new signature


def test_a_checkpoint_signed_on_demand_refuses_nodes_that_disagree_with_the_last_one(ledger_profile):
    fill(40)
    log.make_checkpoint()
    fill(2)
    sql("UPDATE {table} SET hash = %s WHERE {level} = 5 AND {index} = 0", [bytes(32)])
    with pytest.raises(log.LedgerCorrupt):
        log.make_checkpoint(from_leaves=False)
