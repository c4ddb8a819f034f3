"""Concurrent writers get contiguous indices (PostgreSQL: the sequencer row lock)."""

import threading

import pytest
from django.db import connection, transaction

from lawenforce.ledger import log, merkle, nodes
from lawenforce.models import LedgerEntry, LedgerNode


class Simulated(Exception):
    pass


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_give_contiguous_indices_and_rollbacks_leave_no_gap(ledger_profile):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers with its database lock")
    threads_count, per_thread = 12, 5
    start = threading.Barrier(threads_count)
    committed, errors = [], []
    lock = threading.Lock()

    def writer(t):
        from django.db import connection as thread_connection

        try:
            start.wait(timeout=30)
            for i in range(per_thread):
                try:
                    with transaction.atomic():
                        entry = log.append("history", {"thread": t, "i": i})
                        if (t + i) % 4 == 3:  # every fourth change fails after taking its index
                            raise Simulated
                    with lock:
                        committed.append(entry.index)
                except Simulated:
                    pass
        except Exception as exc:  # noqa: BLE001 (reported below)
            with lock:
                errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    expected = sum(1 for t in range(threads_count) for i in range(per_thread) if (t + i) % 4 != 3)
    assert sorted(committed) == list(range(expected))
    assert list(LedgerEntry.objects.order_by("index").values_list("index", flat=True)) == list(range(expected))
    assert log.tree_size() == expected
    report = log.verify_database()  # also every stored subtree hash against the leaves
    assert report.ok and report.size == expected, report.problem
    assert LedgerNode.objects.count() == nodes.expected_count(expected)
    hashes = log.leaf_hashes(expected)
    assert log.current_root() == (expected, merkle.root(hashes, log.algorithm()))
    assert log.inclusion(expected - 1).hashes == merkle.inclusion_proof(expected - 1, hashes, log.algorithm())
