"""verify_database with whole chunks hashed in worker processes gives the same Report as in one process.

The parallel path needs committed rows in a database other processes can open, so these tests run
outside a transaction (``transaction=True``): on PostgreSQL against the test database itself; on
SQLite the in-memory test database is copied to a file that stands in for it during the test.
Chunks of 16 and 64 over 200 entries, with checkpoints inside chunks (40, 150), at a chunk boundary
(64) and at the end (200, inside the short last chunk): each tamper must be reported exactly as by
the sequential code, and the pool must stop at the chunk holding it.
"""

import asyncio
import sqlite3

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from lawenforce.ledger import log, merkle

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = (40, 64, 150, 200)  # a checkpoint at each
ENTRIES, NODES = "lawenforce_ledgerentry", "lawenforce_ledgernode"


@pytest.fixture
def file_database(tmp_path):
    """The test database, on a file the worker processes can open (SQLite: a copy of the in-memory one)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "ledger.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)  # the schema and what the migrations wrote
    target.close()
    in_memory = connections["default"]
    on_file = in_memory.__class__({**in_memory.settings_dict, "NAME": str(path)}, alias="default")
    connections["default"] = on_file
    try:
        yield
    finally:
        on_file.close()
        connections["default"] = in_memory


@pytest.fixture
def ledger(ledger_profile, file_database):
    for upto in SIZES:
        with transaction.atomic():
            for i in range(log.tree_size(), upto):
                log.append("history", {"model": "cases.case", "history_id": i, "digest": f"{i:064x}"})
        log.make_checkpoint()
    return ledger_profile


@pytest.fixture
def pooled(monkeypatch):
    """The tree size the worker processes reached in each verify_database call (the spy on the pool)."""
    reached = []
    real = log._verify_chunks_in_parallel

    def spy(tree, *args):
        try:
            return real(tree, *args)
        finally:
            reached.append(tree.size)

    monkeypatch.setattr(log, "_verify_chunks_in_parallel", spy)
    return reached


def sql(statement, params=()):
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(statement.format(entries=q(ENTRIES), nodes=q(NODES), index=q("index"), level=q("level")), params)


def row(index):
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT leaf, leaf_hash FROM {q(ENTRIES)} WHERE {q('index')} = %s", [index])  # noqa: S608
        leaf, leaf_hash = cursor.fetchone()
    return bytes(leaf), bytes(leaf_hash)


def both(chunk_size, **options):
    """The parallel Report, after checking that it equals the sequential one."""
    parallel = log.verify_database(chunk_size=chunk_size, processes=2, **options)
    sequential = log.verify_database(chunk_size=chunk_size, processes=1, **options)
    assert parallel == sequential
    return parallel


def test_the_parallel_path_is_taken_only_when_it_is_safe(ledger):
    assert log._parallel_processes(2, 16) == 2
    assert log._parallel_processes(None, 16) == max(1, settings.LEDGER_VERIFY_PROCESSES)
    assert log._parallel_processes(1, 16) == 1
    assert log._parallel_processes(2, 12) == 1  # chunks that are not perfect subtrees
    with transaction.atomic():  # the workers could not see the caller's uncommitted rows
        assert log._parallel_processes(2, 16) == 1


@pytest.mark.parametrize("chunk_size", [16, 64])
def test_a_sound_log_gives_the_same_report_in_parallel(ledger, pooled, chunk_size):
    report = both(chunk_size)
    assert report.ok, report.problem
    assert report.size == 200 and report.checkpoints == len(SIZES)
    hashes = [row(i)[1] for i in range(200)]
    assert report.root == merkle.root(hashes, log.algorithm())
    assert pooled == [200 // chunk_size * chunk_size]  # every whole chunk came from the workers


def test_the_workers_take_chunks_of_at_most_the_parallel_chunk_size(ledger, pooled, monkeypatch):
    monkeypatch.setattr(log, "PARALLEL_CHUNK_SIZE", 32)
    report = both(log.CHUNK_SIZE)  # in one process: one chunk; with workers: six of 32 and a short one
    assert report.ok and report.size == 200, report.problem
    assert pooled == [192]


@pytest.fixture
def running_loop():
    """An event loop left running in this thread (as the browser tests' Playwright leaves one): Django
    then keeps the thread's connections per context, and a forked child starts without the loop."""
    loop = asyncio.new_event_loop()
    asyncio.events._set_running_loop(loop)
    yield
    connections.close_all()  # the connections opened meanwhile are kept where only the loop finds them
    asyncio.events._set_running_loop(None)
    loop.close()


def test_the_workers_use_the_callers_connection_whatever_the_event_loop(ledger_profile, running_loop, ledger, pooled):
    assert both(16).ok
    assert pooled == [192]  # a worker reading another database (the in-memory one) would stop at 0


def test_the_command_takes_the_number_of_processes(ledger, pooled, capsys):
    call_command("verify_ledger", skip_sources=True, chunk_size=16, processes=2)
    assert capsys.readouterr().out.startswith("OK: 200 entries, root ")
    call_command("verify_ledger", skip_sources=True, chunk_size=16, processes=1)
    assert pooled == [192]  # the second run did not use the pool


def failure(**options):
    """The command's message, with workers; the same as without."""
    messages = []
    for processes in (2, 1):
        with pytest.raises(CommandError) as excinfo:
            call_command("verify_ledger", skip_sources=True, chunk_size=16, processes=processes, **options)
        messages.append(str(excinfo.value))
    assert messages[0] == messages[1]
    return messages[0]


@pytest.mark.parametrize(("index", "stops_at"), [(0, 0), (37, 32), (150, 144), (195, 192)])
def test_a_changed_leaf_is_named_in_parallel(ledger, pooled, index, stops_at):
    leaf, _ = row(index)
    sql("UPDATE {entries} SET leaf = %s WHERE {index} = %s", [leaf.replace(b'"digest":"', b'"digest":"f'), index])
    message = failure()
    assert f"first bad entry: {index}" in message and "leaf hash" in message
    report = both(16)
    assert report.index == index and "leaf hash" in report.problem
    assert set(pooled) == {stops_at}  # the pool stopped at the chunk holding the entry (or had the whole log)


@pytest.mark.parametrize("chunk_size", [16, 64])
def test_a_changed_stored_leaf_hash_is_named_in_parallel(ledger, pooled, chunk_size):
    sql("UPDATE {entries} SET leaf_hash = %s WHERE {index} = 70", [bytes(32)])
    report = both(chunk_size)
    assert report.index == 70 and "leaf hash" in report.problem
    assert set(pooled) == {70 // chunk_size * chunk_size}


@pytest.mark.parametrize(("deleted", "first"), [((5,), 5), ((64,), 64), ((63,), 63), ((96, 97, 98), 96), ((199,), 199)])
def test_a_deleted_entry_is_named_in_parallel(ledger, pooled, deleted, first):
    for index in deleted:
        sql("DELETE FROM {entries} WHERE {index} = %s", [index])
    message = failure()
    assert f"first bad entry: {first}" in message and "missing" in message
    report = both(16)
    assert report.index == first and "missing" in report.problem
    assert set(pooled) == {min(first // 16 * 16, 192)}


@pytest.mark.parametrize("with_hashes", [False, True])
def test_two_swapped_entries_are_named_in_parallel(ledger, pooled, with_hashes):
    (leaf_a, hash_a), (leaf_b, hash_b) = row(20), row(130)
    if with_hashes:
        sql("UPDATE {entries} SET leaf = %s, leaf_hash = %s WHERE {index} = 20", [leaf_b, hash_b])
        sql("UPDATE {entries} SET leaf = %s, leaf_hash = %s WHERE {index} = 130", [leaf_a, hash_a])
    else:
        sql("UPDATE {entries} SET leaf = %s WHERE {index} = 20", [leaf_b])
        sql("UPDATE {entries} SET leaf = %s WHERE {index} = 130", [leaf_a])
    assert "first bad entry: 20" in failure()
    assert both(64).index == 20
    assert set(pooled) == {16, 0}  # chunk 16–31 (chunks of 16), chunk 0–63 (chunks of 64)


def test_a_truncated_tail_is_named_in_parallel_against_the_stored_checkpoint(ledger, pooled):
    sql("DELETE FROM {entries} WHERE {index} >= 100")
    sql("DELETE FROM {nodes} WHERE ({index} + 1) * (1 << {level}) > 100")  # tidily, the subtrees over it
    sql("UPDATE lawenforce_ledgersequencer SET next_index = 100")
    message = failure()
    assert "first bad entry: 100" in message and "checkpoint #" in message
    report = both(16)
    assert report.index == 100 and report.size == 100
    assert set(pooled) == {96}


def test_a_truncated_tail_is_named_in_parallel_against_a_published_checkpoint(ledger, pooled, tmp_path):
    published = tmp_path / "checkpoint.txt"
    published.write_text(log.make_checkpoint(force=True).note, encoding="utf-8")
    sql("DELETE FROM {entries} WHERE {index} >= 130")
    sql("DELETE FROM {nodes} WHERE ({index} + 1) * (1 << {level}) > 130")
    sql("UPDATE lawenforce_ledgersequencer SET next_index = 130")
    sql("DELETE FROM lawenforce_checkpoint")
    call_command("verify_ledger", skip_sources=True, chunk_size=16, processes=2)  # consistent by itself
    message = failure(checkpoint=[str(published)])
    assert "first bad entry: 130" in message and "published checkpoint 1" in message
    report = both(16, published=[published.read_text(encoding="utf-8")])
    assert report.index == 130 and "published checkpoint 1" in report.problem


@pytest.mark.parametrize(("index", "between"), [(10, "between 0 and 39"), (100, "between 64 and 149")])
def test_a_consistent_forgery_is_caught_by_the_checkpoint_in_parallel(ledger, pooled, index, between):
    leaf = row(index)[0].replace(b'"digest":"', b'"digest":"f')
    sql(
        "UPDATE {entries} SET leaf = %s, leaf_hash = %s WHERE {index} = %s",
        [leaf, merkle.leaf_hash(leaf, log.algorithm()), index],
    )
    for chunk_size in (16, 64):
        report = both(chunk_size)
        assert "disagrees with checkpoint #" in report.problem and between in report.problem
        assert report.index is None and report.node is None


@pytest.mark.parametrize(("level", "index"), [(4, 0), (4, 5), (5, 2), (6, 0), (6, 1), (7, 0)])
def test_a_bad_stored_node_is_named_in_parallel(ledger, pooled, level, index):
    sql("UPDATE {nodes} SET hash = %s WHERE {level} = %s AND {index} = %s", [bytes(32), level, index])
    assert f"first bad node: level {level}, index {index}" in failure()
    for chunk_size in (16, 64):
        report = both(chunk_size)
        assert report.node == (level, index) and report.index is None and report.size == 200, report.problem
    assert pooled == [192] * 3  # the entries are sound: the workers had every whole chunk


def test_a_missing_and_a_stray_node_are_named_in_parallel(ledger):
    sql("DELETE FROM {nodes} WHERE {level} = 4 AND {index} = 6")
    message = failure()
    assert "first bad node: level 4, index 6" in message and "is missing" in message
    sql("INSERT INTO {nodes} ({level}, {index}, hash) VALUES (4, 6, %s)", [_node_hash(4, 6)])
    assert both(16).ok
    sql("INSERT INTO {nodes} ({level}, {index}, hash) VALUES (4, 12, %s)", [bytes(32)])  # over 192–207
    report = both(16)
    assert report.node == (4, 12) and "not all of its entries" in report.problem


def _node_hash(level, index):
    hashes = [row(i)[1] for i in range(index << level, (index + 1) << level)]
    return merkle.perfect_root(hashes, log.algorithm())


def test_a_bad_entry_is_reported_before_a_bad_node_in_parallel(ledger):
    sql("UPDATE {nodes} SET hash = %s WHERE {level} = 4 AND {index} = 0", [bytes(32)])
    sql("UPDATE {entries} SET leaf_hash = %s WHERE {index} = 90", [bytes(32)])
    report = both(16)
    assert report.index == 90 and report.node is None
