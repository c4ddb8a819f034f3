"""Stored perfect subtrees ("tiles"): proofs and tree heads in O(log n) rows.

The node at (level, index) is the root of the leaves [index·2^level, (index+1)·2^level) (the idea
of C2SP tlog-tiles and Go's sumdb/tlog stored hashes, one row per node). Level 0 is
``LedgerEntry.leaf_hash``; ``LedgerNode`` holds only the levels ≥ ``STORED_FROM`` (K): a node of
level 1..K−1 is computed when needed from its at most 2^K − 1 leaves. Appending leaf i completes the
nodes on the right edge whose ranges end at i + 1; the stored ones (level ≥ K: one append in 2^K)
are written in ``log.append``'s transaction under the sequencer lock, so the node table always
covers exactly the committed leaves.

A tree head or proof needs the roots of O(log n) ranges (``merkle.inclusion_ranges`` /
``consistency_ranges``); each range is the binary decomposition of its length into stored perfect
subtrees (``merkle.subtrees``), and the right-edge ranges share theirs: O(log n) stored nodes plus,
for the subtrees below level K, at most 2·2^K leaves (the bottom of the path and of the right edge),
read in two queries (leaves, nodes) whatever the size.
"""

from django.db.models import Q

from lawenforce.models import LedgerEntry, LedgerNode

from . import merkle

# The lowest stored level K. Storing every level costs n − popcount(n) rows, as many as the entries,
# and verify_ledger has to read and compare all of them; storing the levels ≥ K costs ~n/2^(K−1) rows
# (1/16 of them for K = 4: one row per 8 entries), and a proof then reads at most 2·2^K leaf hashes
# for the bottom of the tree plus O(log n) nodes: still O(log n) rows for a fixed K, a few
# microseconds of hashing more. Larger K: fewer rows to verify and write, more leaves per proof.
STORED_FROM = 4


class MissingNodes(Exception):
    """A stored hash the tree needs is not there (rows deleted behind the ORM, or not backfilled)."""


def completed_by(index):
    """The (level, index) nodes that appending leaf ``index`` completes, lowest first, with the
    (level, index) of each one's left child: [((level, node_index), (level - 1, left_index))]."""
    n = index + 1
    levels = (n & -n).bit_length() - 1  # trailing zero bits of n
    return [((level, (n >> level) - 1), (level - 1, (n >> (level - 1)) - 2)) for level in range(1, levels + 1)]


def on_append(index, leaf_hash, algorithm):
    """Store the nodes of level ≥ STORED_FROM completed by leaf ``index`` (call under the sequencer lock).

    The level-K node from its 2^K leaves (the new one and the 2^K − 1 stored before it, one query),
    each higher one from its stored left child (one query)."""
    completed = [(node, left) for node, left in completed_by(index) if node[0] >= STORED_FROM]
    if not completed:
        return []
    width = 1 << STORED_FROM
    earlier = [
        bytes(h)
        for h in LedgerEntry.objects.filter(index__gt=index - width, index__lt=index)
        .order_by("index")
        .values_list("leaf_hash", flat=True)
    ]
    if len(earlier) != width - 1:
        raise MissingNodes(
            f"ledger entries between {index - width + 1} and {index - 1} are missing; run manage.py verify_ledger"
        )
    h = merkle.perfect_root([*earlier, bytes(leaf_hash)], algorithm)
    (level, node_index), _ = completed[0]
    rows = [LedgerNode(level=level, index=node_index, hash=h)]
    if len(completed) > 1:
        lefts = fetch([left for _, left in completed[1:]], algorithm)
        node = merkle.node_hasher(algorithm)
        for (level, node_index), left in completed[1:]:
            h = node(lefts[left], h)
            rows.append(LedgerNode(level=level, index=node_index, hash=h))
    LedgerNode.objects.bulk_create(rows)
    return rows


def fetch(wanted, algorithm):
    """{(level, index): hash} for the given nodes; MissingNodes if any is absent.

    Level 0: the leaf hashes; levels 1..STORED_FROM − 1: computed from their leaves (read in the same
    query as the level-0 ones); higher levels: the stored rows (one query)."""
    wanted = set(wanted)
    found, hashes = {}, {}
    low = [(level, i) for level, i in wanted if level < STORED_FROM]
    if low:
        leaves = {j for level, i in low for j in range(i << level, (i + 1) << level)}
        hashes = {
            i: bytes(h) for i, h in LedgerEntry.objects.filter(index__in=leaves).values_list("index", "leaf_hash")
        }
        for level, i in low:
            span = [hashes.get(j) for j in range((i << level), (i + 1) << level)]
            if None in span:
                continue  # reported as missing below
            found[(level, i)] = span[0] if level == 0 else merkle.perfect_root(span, algorithm)
    upper = [(level, i) for level, i in wanted if level >= STORED_FROM]
    if upper:
        condition = Q()
        for level, i in upper:
            condition |= Q(level=level, index=i)
        for level, i, h in LedgerNode.objects.filter(condition).values_list("level", "index", "hash"):
            found[(level, i)] = bytes(h)
    missing = wanted - found.keys()
    if missing:
        level, i = min(missing)
        if level >= STORED_FROM:
            what = f"stored node (level {level}, index {i})"
        else:  # computed from its entries: name the first absent one
            entry = next(j for j in range(i << level, (i + 1) << level) if j not in hashes)
            what = f"ledger entry {entry}" + (f" (under node (level {level}, index {i}))" if level else "")
        raise MissingNodes(f"{what} is missing; run manage.py verify_ledger, then manage.py rebuild_ledger_nodes")
    return found


def range_roots(ranges, algorithm):
    """MTH of each leaf range [lo, hi) (ranges of a tree head or proof), from the stored nodes."""
    parts = [merkle.subtrees(lo, hi) for lo, hi in ranges]
    hashes = fetch((node for nodes in parts for node in nodes), algorithm)
    return [merkle.fold([hashes[node] for node in nodes], algorithm) for nodes in parts]


def expected_count(size):
    """How many LedgerNode rows a log of ``size`` leaves has: Σ_{l≥K} ⌊size / 2^l⌋ (about size / 2^(K−1))."""
    return sum(size >> level for level in range(STORED_FROM, size.bit_length()))


# --- Rebuilding (manage.py rebuild_ledger_nodes, the backfill migration) -------------------------


def rebuild(entry_model=LedgerEntry, node_model=LedgerNode, algorithm="sha256", chunk_size=1 << 16, batch=5000):
    """Delete every node row and recompute the stored ones (levels ≥ STORED_FROM) from the leaf hashes.

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
            if height < STORED_FROM:
                continue
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
        if height >= STORED_FROM:
            pending.extend(node_model(level=height, index=k, hash=h) for k, h in enumerate(level))
    node_model.objects.bulk_create(pending, batch_size=batch)
    return written + len(pending)
