"""Stored perfect subtrees ("tiles"): proofs and tree heads in O(log n) rows.

The node at (level, index) is the root of the leaves [index·2^level, (index+1)·2^level) (the idea
of C2SP tlog-tiles and Go's sumdb/tlog stored hashes, one row per node). Level 0 is
``LedgerEntry.leaf_hash``; ``LedgerNode`` holds levels ≥ 1. Appending leaf i completes the nodes on
the right edge whose ranges end at i + 1 (as many as i + 1 has trailing zero bits, amortised one),
written in ``log.append``'s transaction under the sequencer lock, so the node table always covers
exactly the committed leaves.

A tree head or proof needs the roots of O(log n) ranges (``merkle.inclusion_ranges`` /
``consistency_ranges``); each range is the binary decomposition of its length into stored perfect
subtrees (``merkle.subtrees``), and the right-edge ranges share theirs, so all of it is O(log n) rows
read in two queries (leaves, nodes).
"""

from django.db.models import Q

from lawenforce.models import LedgerEntry, LedgerNode

from . import merkle


class MissingNodes(Exception):
    """A stored hash the tree needs is not there (rows deleted behind the ORM, or not backfilled)."""


def completed_by(index):
    """The (level, index) nodes that appending leaf ``index`` completes, lowest first, with the
    (level, index) of each one's left child: [((level, node_index), (level - 1, left_index))]."""
    n = index + 1
    levels = (n & -n).bit_length() - 1  # trailing zero bits of n
    return [((level, (n >> level) - 1), (level - 1, (n >> (level - 1)) - 2)) for level in range(1, levels + 1)]


def on_append(index, leaf_hash, algorithm):
    """Store the nodes completed by leaf ``index`` (call under the sequencer lock)."""
    completed = completed_by(index)
    if not completed:
        return []
    lefts = fetch([left for _, left in completed])
    node = merkle.node_hasher(algorithm)
    h, rows = leaf_hash, []
    for (level, node_index), left in completed:
        h = node(lefts[left], h)
        rows.append(LedgerNode(level=level, index=node_index, hash=h))
    LedgerNode.objects.bulk_create(rows)
    return rows


def fetch(wanted):
    """{(level, index): hash} for the given nodes (level 0: the leaf hashes); MissingNodes if any is absent."""
    wanted = set(wanted)
    found = {}
    leaves = [i for level, i in wanted if level == 0]
    if leaves:
        for i, h in LedgerEntry.objects.filter(index__in=leaves).values_list("index", "leaf_hash"):
            found[(0, i)] = bytes(h)
    upper = [(level, i) for level, i in wanted if level]
    if upper:
        condition = Q()
        for level, i in upper:
            condition |= Q(level=level, index=i)
        for level, i, h in LedgerNode.objects.filter(condition).values_list("level", "index", "hash"):
            found[(level, i)] = bytes(h)
    missing = wanted - found.keys()
    if missing:
        level, i = min(missing)
        raise MissingNodes(
            f"stored node (level {level}, index {i}) is missing; run manage.py verify_ledger, "
            "then manage.py rebuild_ledger_nodes"
        )
    return found


def range_roots(ranges, algorithm):
    """MTH of each leaf range [lo, hi) (ranges of a tree head or proof), from the stored nodes."""
    parts = [merkle.subtrees(lo, hi) for lo, hi in ranges]
    hashes = fetch(node for nodes in parts for node in nodes)
    return [merkle.fold([hashes[node] for node in nodes], algorithm) for nodes in parts]


def expected_count(size):
    """How many LedgerNode rows a log of ``size`` leaves has: Σ_{l≥1} ⌊size / 2^l⌋ = size − popcount(size)."""
    return size - bin(size).count("1")


# --- Rebuilding (manage.py rebuild_ledger_nodes, the backfill migration) -------------------------


def rebuild(entry_model=LedgerEntry, node_model=LedgerNode, algorithm="sha256", chunk_size=1 << 16, batch=5000):
    """Delete every node row and recompute all of them from the stored leaf hashes.

    Level by level within aligned chunks of ``chunk_size`` leaves (a power of two), then the same
    over the chunk roots for the levels above: memory stays O(chunk_size). Takes the models as
    arguments so that the migration can pass its historical ones. Returns the number of rows.
    """
    if chunk_size & (chunk_size - 1):
        raise ValueError("chunk_size must be a power of two")
    node_model.objects.all().delete()
    chunk_level = chunk_size.bit_length() - 1
    new = merkle.hash_constructor(algorithm)
    pending, written = [], 0
    chunk_roots = []
    start = 0
    while True:
        rows = list(
            entry_model.objects.filter(index__gte=start, index__lt=start + chunk_size)
            .order_by("index")
            .values_list("index", "leaf_hash")
        )
        if not rows:
            break
        if rows[-1][0] != start + len(rows) - 1 or rows[0][0] != start:
            raise MissingNodes(
                f"ledger entries between {start} and {rows[-1][0]} are missing; run manage.py verify_ledger"
            )
        level = [bytes(h) for _, h in rows]
        for height in range(1, chunk_level + 1):
            level = [new(merkle.NODE_PREFIX + a + b).digest() for a, b in zip(level[0::2], level[1::2], strict=False)]
            if not level:
                break
            base = start >> height
            pending.extend(node_model(level=height, index=base + k, hash=h) for k, h in enumerate(level))
            if len(pending) >= batch:
                node_model.objects.bulk_create(pending, batch_size=batch)
                written += len(pending)
                pending = []
        if len(rows) < chunk_size:
            break  # the end of the log
        chunk_roots.append(level[0])
        start += chunk_size
    level, height = chunk_roots, chunk_level
    while len(level) > 1:
        height += 1
        level = [new(merkle.NODE_PREFIX + a + b).digest() for a, b in zip(level[0::2], level[1::2], strict=False)]
        pending.extend(node_model(level=height, index=k, hash=h) for k, h in enumerate(level))
    node_model.objects.bulk_create(pending, batch_size=batch)
    return written + len(pending)
