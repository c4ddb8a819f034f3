"""Ledger benchmarks (issue: evidence, tamper-evident record, dossier).

`make bench-ledger` (SQLite) or `DATABASE_URL=postgres://… make bench-ledger`. On a fresh database:

1. append throughput: `log.append` one entry per transaction (as a workflow step does) and 100
   per transaction;
2. `verify_database` (what `manage.py verify_ledger` runs) over `--entries` entries, reported as a
   ratio to plain hashlib over the same leaf bytes in the same run (goal ≥ 0.3), with the worker
   processes it uses (`--processes`, default `LEDGER_VERIFY_PROCESSES`) and, for comparison, in one
   process. The baseline stays one hashlib call per leaf in this process. The entries are
   written with bulk_create in exactly the form `append` gives them (leaf = RFC 8785 JSON that
   starts with its own index), because a million single appends would measure the sequencer, not
   verification; on PostgreSQL the tables are then vacuumed and analysed, as autovacuum would;
3. stored subtree hashes (LedgerNode): `rebuild_ledger_nodes` over the `--entries` entries (what the
   backfill migration does), then one inclusion proof and one consistency proof at that size (median
   of `--proofs` random ones, from the stored nodes), against the same proof computed the old way
   (every leaf hash read and the tree rebuilt, `merkle.inclusion_proof`), and appends at that size;
4. peak memory of a 1 GB evidence upload through the streaming upload handler.
"""

import argparse
import hashlib
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.core import fresh_database  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--upload-mb", type=int, default=1024)
    parser.add_argument("--proofs", type=int, default=200)
    parser.add_argument(
        "--processes", type=int, default=None, help="verify_database worker processes (default LEDGER_VERIFY_PROCESSES)"
    )
    args = parser.parse_args()

    fresh_database()
    from django.db import connection

    from lawenforce.ledger import keys

    print(f"# Ledger benchmarks ({connection.vendor}, profile {keys.profile()}, hash {keys.hash_algorithm()})\n")
    bare = _appends_without_nodes(args.appends)
    single, batched = _appends(args.appends)
    print(f"- append, one entry per transaction: {single:,.0f} entries/s")
    print(
        f"- append, one entry per transaction, subtree hashes not stored (same run, for comparison): {bare:,.0f} entries/s"
    )
    print(f"- append, 100 entries per transaction: {batched:,.0f} entries/s")
    load_before = os.getloadavg()[0]
    verify_s, one_s, processes, plain_s, sha256_s, n, rebuild_s = _verify(args.entries, args.processes)
    load_after = os.getloadavg()[0]
    print(
        f"- verify_database over {n:,} entries (best of 3), {processes} process(es): {verify_s:.2f} s; plain hashlib "
        f"{keys.hash_algorithm()} over the same leaf bytes: {plain_s:.2f} s; ratio {plain_s / verify_s:.2f} "
        f"(goal ≥ 0.3); plain SHA-256: {sha256_s:.2f} s, ratio {sha256_s / verify_s:.2f}"
    )
    print(
        f"- verify_database in one process (same run, best of 3): {one_s:.2f} s; ratio {plain_s / one_s:.2f}, "
        f"to SHA-256 {sha256_s / one_s:.2f}"
    )
    print(
        f"- load average (1 min) before writing the entries: {load_before:.2f}; after the verify runs: {load_after:.2f}"
    )
    inclusion_s, consistency_s, old_s, appended = _proofs(args.proofs, args.appends)
    print(f"- rebuild_ledger_nodes over {n:,} entries (the backfill migration): {rebuild_s:.1f} s")
    print(
        f"- at {n:,} entries, from the stored nodes (median of {args.proofs}): inclusion proof "
        f"{inclusion_s * 1000:.2f} ms, consistency proof {consistency_s * 1000:.2f} ms; "
        f"the old way (all leaf hashes read, tree rebuilt), one inclusion proof: {old_s:.2f} s"
    )
    print(f"- append at {n:,} entries, one entry per transaction: {appended:,.0f} entries/s")
    if args.upload_mb:
        seconds, rss_growth, peak = _upload(args.upload_mb)
        print(
            f"- evidence upload of {args.upload_mb} MB: {seconds:.1f} s, peak traced Python memory "
            f"{peak / 2**20:.1f} MB, process RSS growth {rss_growth / 2**20:.1f} MB"
        )


def _appends(n):
    from django.db import transaction

    from lawenforce.ledger import log

    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            log.append("bench", {"i": i})
    single = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for block in range(n // 100):
        with transaction.atomic():
            for i in range(100):
                log.append("bench", {"i": block * 100 + i})
    batched = (n // 100) * 100 / (time.perf_counter() - start)
    return single, batched


def _appends_without_nodes(n):
    """The append rate with the node maintenance switched off, then the rows it skipped written."""
    from django.db import transaction

    from lawenforce.ledger import log, nodes

    real = nodes.on_append
    nodes.on_append = lambda *args: []
    try:
        start = time.perf_counter()
        for i in range(n):
            with transaction.atomic():
                log.append("bench", {"i": i})
        rate = n / (time.perf_counter() - start)
    finally:
        nodes.on_append = real
    with transaction.atomic():
        nodes.rebuild(algorithm=log.algorithm())
    return rate


def _verify(total, processes=None):
    import rfc8785
    from django.db import connection, transaction
    from django.utils import timezone

    from lawenforce.ledger import keys, log, merkle, nodes
    from lawenforce.models import LedgerEntry, LedgerNode, LedgerSequencer

    alg = log.algorithm()
    start_index = log.tree_size()
    now = timezone.now()
    batch = []
    with transaction.atomic():
        for index in range(start_index, total):
            leaf = rfc8785.dumps(
                {
                    "index": index,
                    "kind": "bench",
                    "object": None,
                    "payload": {"sha256": hashlib.sha256(str(index).encode()).hexdigest()},
                    "time": now.isoformat(),
                }
            )
            batch.append(
                LedgerEntry(index=index, kind="bench", leaf=leaf, leaf_hash=merkle.leaf_hash(leaf, alg), created_at=now)
            )
            if len(batch) == 10_000:
                LedgerEntry.objects.bulk_create(batch)
                batch = []
        LedgerEntry.objects.bulk_create(batch)
        LedgerSequencer.objects.filter(pk=1).update(next_index=total)
    del batch
    # The bulk rows bypass append, so their subtree hashes are computed as the backfill migration does.
    start = time.perf_counter()
    with transaction.atomic():
        log._locked_sequencer()
        rebuilt = nodes.rebuild(algorithm=alg)
    rebuild_s = time.perf_counter() - start
    assert rebuilt == nodes.expected_count(total)
    if connection.vendor == "postgresql":
        # What autovacuum does to a freshly loaded table before long (the benchmark server runs with
        # autovacuum off): without it every read of the million rows is ~15 % slower.
        with connection.cursor() as cursor:
            for table in (LedgerEntry._meta.db_table, LedgerNode._meta.db_table):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
    leaves = [bytes(b) for b in LedgerEntry.objects.order_by("index").values_list("leaf", flat=True).iterator(10_000)]
    hashers = {alg: merkle.hash_function(alg) for alg in {keys.hash_algorithm(), "sha256"}}
    used = log._parallel_processes(processes, log.CHUNK_SIZE)
    # Best of three, alternating, so that other jobs on a shared machine weigh on both sides alike.
    verify_s, one_s, plain = float("inf"), float("inf"), dict.fromkeys(hashers, float("inf"))
    for _ in range(3):
        start = time.perf_counter()
        report = log.verify_database(processes=processes)
        verify_s = min(verify_s, time.perf_counter() - start)
        assert report.ok and report.size == total, report.problem
        if used > 1:
            start = time.perf_counter()
            single = log.verify_database(processes=1)
            one_s = min(one_s, time.perf_counter() - start)
            assert single == report
        for alg, hasher in hashers.items():
            start = time.perf_counter()
            for leaf in leaves:
                hasher(b"\x00" + leaf)
            plain[alg] = min(plain[alg], time.perf_counter() - start)
    one_s = verify_s if used == 1 else one_s
    return verify_s, one_s, used, plain[keys.hash_algorithm()], plain["sha256"], len(leaves), rebuild_s


def _proofs(count, appends):
    import random
    import statistics

    from django.db import transaction

    from lawenforce.ledger import log, merkle, verify

    alg = log.algorithm()
    size = log.tree_size()
    rng = random.Random(6962)  # noqa: S311 (reproducible sample, not security)
    inclusion, consistency = [], []
    for _ in range(count):
        index = rng.randrange(size)
        start = time.perf_counter()
        proof = log.inclusion(index)
        inclusion.append(time.perf_counter() - start)
        assert verify.verify_inclusion(index, size, proof.leaf_hash, proof.hashes, proof.root, alg)
        size1 = rng.randrange(1, size + 1)
        start = time.perf_counter()
        proof = log.consistency(size1)
        consistency.append(time.perf_counter() - start)
        assert verify.verify_consistency(size1, size, proof.root1, proof.root, proof.hashes, alg)
    index = rng.randrange(size)
    start = time.perf_counter()
    old = merkle.inclusion_proof(index, log.leaf_hashes(size), alg)
    old_s = time.perf_counter() - start
    assert old == log.inclusion(index).hashes
    start = time.perf_counter()
    for i in range(appends):
        with transaction.atomic():
            log.append("bench", {"i": i})
    appended = appends / (time.perf_counter() - start)
    report = log.verify_database()
    assert report.ok, report.problem
    return statistics.median(inclusion), statistics.median(consistency), old_s, appended


def _upload(mb):
    """Uses the upload test's generated multipart body (tests/evidence/test_memory.py)."""
    import tracemalloc

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from cases.models import Case
    from tests.evidence.helpers import fields
    from tests.evidence.test_memory import GeneratedBody

    settings.MAX_UPLOAD_SIZE = 2 * 1024**3
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    call_command("seed_demo_cases", stdout=open(os.devnull, "w"))
    user = get_user_model().objects.get(username="officer")
    case = Case.objects.get(number="济任市监立〔2026〕4号")
    client = Client()
    client.force_login(user)
    url = f"/evidence/cases/{case.pk}/new/"
    assert client.get(url).status_code == 200
    body = GeneratedBody(fields(user.officer), mb * 2**20)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    start = time.perf_counter()
    response = client.generic(
        "POST",
        url,
        b"",
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(body.length),
            "CONTENT_TYPE": f"multipart/form-data; boundary={body.boundary}",
        },
    )
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 302, response.content[:500]
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    return seconds, rss_growth, peak


if __name__ == "__main__":
    main()
