"""The chunked fast path of verify_database agrees with the row-by-row check at every boundary.

Chunks of 4 over 10 entries (whole chunks 0–3 and 4–7, a short last chunk 8–9) with checkpoints
inside chunks (3, 6) and at the end (10): each tamper must be named exactly as with one chunk.
"""

import pytest
from django.db import connection, transaction

from lawenforce.ledger import log, merkle

from .conftest import fill

pytestmark = pytest.mark.django_db

TABLE = "lawenforce_ledgerentry"


def sql(statement, params=()):
    with connection.cursor() as cursor:
        q = connection.ops.quote_name
        cursor.execute(statement.format(table=q(TABLE), index=q("index")), params)


@pytest.fixture
def ledger(ledger_profile):
    entries = []
    for upto in (3, 6, 10):
        entries += fill(upto - len(entries))
        log.make_checkpoint()
    return entries


@pytest.mark.parametrize("chunk_size", [1, 2, 4, 8, 16, log.CHUNK_SIZE])
def test_a_sound_ledger_gives_the_same_root_in_any_chunking(ledger, chunk_size):
    report = log.verify_database(chunk_size=chunk_size)
    assert report.ok, report.problem
    assert report.size == 10 and report.checkpoints == 3
    assert report.root == merkle.root([bytes(e.leaf_hash) for e in ledger], log.algorithm())


@pytest.mark.parametrize("chunk_size", [2, 4, log.CHUNK_SIZE])
@pytest.mark.parametrize(
    ("deleted", "first"),
    [((4,), 4), ((8,), 8), ((3,), 3), ((4, 5, 6, 7), 4), ((9,), 9), ((0,), 0)],
)
def test_a_deleted_entry_is_named_at_any_chunk_boundary(ledger, chunk_size, deleted, first):
    for index in deleted:
        sql("DELETE FROM {table} WHERE {index} = %s", [index])
    report = log.verify_database(chunk_size=chunk_size)
    assert report.index == first
    assert "missing" in report.problem


@pytest.mark.parametrize("chunk_size", [2, 4, log.CHUNK_SIZE])
@pytest.mark.parametrize("index", [0, 3, 4, 7, 9])
def test_a_changed_leaf_is_named_in_any_chunk(ledger, chunk_size, index):
    sql("UPDATE {table} SET leaf_hash = %s WHERE {index} = %s", [bytes(32), index])
    report = log.verify_database(chunk_size=chunk_size)
    assert report.index == index and "leaf hash" in report.problem


@pytest.mark.parametrize("chunk_size", [2, 4, log.CHUNK_SIZE])
@pytest.mark.parametrize(("index", "between"), [(1, "between 0 and 2"), (4, "between 3 and 5"), (8, "between 6 and 9")])
def test_a_consistent_forgery_is_caught_by_the_checkpoint_inside_the_chunk(ledger, chunk_size, index, between):
    leaf = bytes(ledger[index].leaf).replace(b'"digest":"', b'"digest":"f')
    sql(
        "UPDATE {table} SET leaf = %s, leaf_hash = %s WHERE {index} = %s",
        [leaf, merkle.leaf_hash(leaf, log.algorithm()), index],
    )
    report = log.verify_database(chunk_size=chunk_size)
    assert "disagrees with checkpoint" in report.problem and between in report.problem


def test_a_truncated_tail_after_a_whole_chunk_is_found(ledger):
    sql("DELETE FROM {table} WHERE {index} >= 8")
    with transaction.atomic():
        sql("UPDATE lawenforce_ledgersequencer SET next_index = 8")
    report = log.verify_database(chunk_size=4)
    assert report.index == 8 and "missing" in report.problem and "checkpoint #" in report.problem


@pytest.mark.postgres
def test_postgresql_rows_come_in_the_binary_protocol(monkeypatch):
    """psycopg 3 reads bytea in binary, without hex decoding (most of the cost of reading the leaves)."""
    if connection.vendor != "postgresql":
        pytest.skip("psycopg 3's binary protocol is PostgreSQL's")
    import psycopg

    binary = []
    execute = psycopg.Cursor.execute

    def spy(self, query, params=None, **options):
        binary.append(options.get("binary"))
        return execute(self, query, params, **options)

    monkeypatch.setattr(psycopg.Cursor, "execute", spy)
    assert log._raw_query("SELECT %s::bytea", [b"\x00\x01"]) == [(b"\x00\x01",)]
    assert binary == [True]
