"""The ledger on the database: append, tree heads, proofs, checkpoints and the full recomputation.

Appending takes the next index from the one ``LedgerSequencer`` row locked with SELECT … FOR
UPDATE inside the caller's transaction: concurrent writers queue on the row, a rolled-back
transaction gives its index back, and the committed entries are always the contiguous prefix
[0, next_index). (PostgreSQL sequences would commit out of order and leave gaps.) The lock is held
until the caller commits, so append as late in the transaction as possible. On SQLite the
database lock serialises writers the same way.

A leaf is the RFC 8785 JSON ``{"index", "kind", "object", "payload", "time"}``. The index comes
first in JCS key order, so every leaf starts with ``{"index":N,`` and ``verify_database`` can check
each entry's position with a byte comparison instead of parsing JSON.
"""

import bisect
import concurrent.futures
import dataclasses
import gc
import logging
import multiprocessing
import operator

import rfc8785
from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.backends.postgresql.psycopg_any import is_psycopg3  # which driver Django loaded
from django.utils import timezone

from lawenforce.models import Checkpoint, LedgerEntry, LedgerNode, LedgerSequencer

from . import keys, merkle, nodes, signing, timestamp, verify
from .canonical import prepare

CHUNK_SIZE = 1 << 16  # a power of two: whole chunks are perfect subtrees
# The chunks of the parallel verification: small enough that the workers finish together (a million
# entries are 61 of them; 15 chunks of 2^16 on two workers leave one idle for the last).
PARALLEL_CHUNK_SIZE = 1 << 14
TSA_TIMEOUT = 10  # seconds

logger = logging.getLogger(__name__)


class LedgerError(Exception):
    pass


class LedgerCorrupt(LedgerError):
    """The stored tree disagrees with itself or with a signed checkpoint."""


# --- Writing ------------------------------------------------------------------------------------


def _object_ref(obj):
    if obj is None:
        return None
    return {"label": obj._meta.label_lower, "pk": str(obj.pk)}


def _locked_sequencer():
    try:
        return LedgerSequencer.objects.select_for_update().get(pk=1)
    except LedgerSequencer.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            LedgerSequencer.objects.create(pk=1, next_index=0, algorithm=keys.hash_algorithm())
    except IntegrityError:
        pass  # another transaction created it first; lock it below
    return LedgerSequencer.objects.select_for_update().get(pk=1)


def append(kind, payload, obj=None):
    """Append one leaf inside the caller's transaction; returns the saved LedgerEntry.

    ``payload`` must hold no personal data (use ``canonical.salted_digest``). ``obj``, a model
    instance, is recorded as (app_label.model, pk), in the leaf and in indexed columns.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger entries are appended inside the transaction of the change they record")
    if not kind or not isinstance(kind, str):
        raise ValueError("an entry needs a kind")
    now = timezone.now()
    ref = _object_ref(obj)
    body = prepare({"kind": kind, "object": ref, "payload": payload, "time": now})  # fails before the lock
    with transaction.atomic():
        sequencer = _locked_sequencer()
        if sequencer.algorithm != keys.hash_algorithm():
            raise LedgerError(
                f"存证日志使用 {sequencer.algorithm}，而 LEDGER_PROFILE={keys.profile()} 要求 {keys.hash_algorithm()}；"
                "更换配置需要新建日志。"
            )
        index = sequencer.next_index
        leaf = rfc8785.dumps({"index": index, **body})
        entry = LedgerEntry.objects.create(
            index=index,
            kind=kind,
            object_label=ref["label"] if ref else "",
            object_pk=ref["pk"] if ref else "",
            leaf=leaf,
            leaf_hash=merkle.leaf_hash(leaf, sequencer.algorithm),
            created_at=now,
        )
        nodes.on_append(index, entry.leaf_hash, sequencer.algorithm)  # the subtrees this leaf completes
        sequencer.next_index = index + 1
        sequencer.save(update_fields=["next_index"])
    return entry


# --- Reading ------------------------------------------------------------------------------------


def algorithm():
    """The log's hash algorithm: the one it started with, else the configured profile's."""
    stored = LedgerSequencer.objects.filter(pk=1).values_list("algorithm", flat=True).first()
    return stored or keys.hash_algorithm()


def tree_size():
    return LedgerSequencer.objects.filter(pk=1).values_list("next_index", flat=True).first() or 0


def _check_size(size, current):
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= current:
        raise ValueError(f"tree size {size!r} is outside 0..{current}")


def leaf_hashes(size, chunk_size=CHUNK_SIZE):
    """The stored leaf hashes [0, size) as a list of bytes; LedgerCorrupt when any is missing."""
    rows = (
        LedgerEntry.objects.filter(index__lt=size)
        .order_by("index")
        .values_list("leaf_hash", flat=True)
        .iterator(chunk_size=chunk_size)
    )
    hashes = [bytes(h) for h in rows]
    if len(hashes) != size:
        raise LedgerCorrupt(f"{size - len(hashes)} entries below {size} are missing; run manage.py verify_ledger")
    return hashes


def _range_roots(ranges, alg):
    try:
        return nodes.range_roots(ranges, alg)
    except nodes.MissingNodes as exc:
        raise LedgerCorrupt(str(exc)) from exc


def current_root(size=None):
    """(size, root) of the tree, from O(log size) stored subtree hashes; the current size by default."""
    current = tree_size()
    size = current if size is None else size
    _check_size(size, current)
    alg = algorithm()
    if not size:
        return 0, merkle.hash_empty(alg)
    return size, _range_roots([(0, size)], alg)[0]


@dataclasses.dataclass(frozen=True)
class Proof:
    kind: str  # "inclusion" or "consistency"
    algorithm: str
    hashes: list
    size: int
    root: bytes
    index: int | None = None
    leaf_hash: bytes | None = None
    size1: int | None = None
    root1: bytes | None = None

    def as_dict(self):
        """Hex strings, ready for JSON (the API's answer)."""
        out = {"kind": self.kind, "algorithm": self.algorithm, "size": self.size, "root": self.root.hex()}
        if self.kind == "inclusion":
            out.update(index=self.index, leaf_hash=self.leaf_hash.hex())
        else:
            out.update(size1=self.size1, root1=self.root1.hex())
        out["proof"] = [h.hex() for h in self.hashes]
        return out


def inclusion(index, size=None):
    """Inclusion proof of entry ``index`` in the tree of ``size`` (current by default)."""
    current = tree_size()
    size = current if size is None else size
    _check_size(size, current)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
        raise ValueError(f"entry {index!r} is not in a tree of size {size}")
    alg = algorithm()
    ranges = merkle.inclusion_ranges(index, size)
    *path, root, leaf = _range_roots([*ranges, (0, size), (index, index + 1)], alg)
    return Proof("inclusion", alg, path, size, root, index=index, leaf_hash=leaf)


def consistency(size1, size2=None):
    """Consistency proof from the tree of ``size1`` (> 0) to ``size2`` (current by default)."""
    current = tree_size()
    size2 = current if size2 is None else size2
    _check_size(size2, current)
    if isinstance(size1, bool) or not isinstance(size1, int) or not 0 < size1 <= size2:
        raise ValueError(f"no consistency proof from size {size1!r} to {size2}")
    alg = algorithm()
    ranges = merkle.consistency_ranges(size1, size2)
    *path, root1, root2 = _range_roots([*ranges, (0, size1), (0, size2)], alg)
    return Proof("consistency", alg, path, size2, root2, size1=size1, root1=root1)


# --- Checkpoints --------------------------------------------------------------------------------


def make_checkpoint(force=False, from_leaves=True):
    """Sign and store a checkpoint of the current tree; returns the Checkpoint.

    Refuses (LedgerCorrupt) when the stored tree disagrees with any earlier checkpoint: a log must
    never sign two inconsistent tree heads. Without ``force`` an unchanged tree returns the latest
    checkpoint instead of signing a new one. Production without LEDGER_SIGNING_KEY raises
    ``keys.SigningKeyMissing``.

    ``from_leaves=False`` (receipts signed on demand, inside a workflow step) takes the root from the
    stored subtree hashes in O(log n) rows and checks only that they still give the latest
    checkpoint's root; the scheduled checkpoint (the default) re-derives every root from the leaves,
    and ``verify_ledger`` checks every checkpoint, so a head signed from tampered nodes is found.
    """
    if not from_leaves:
        return _checkpoint_from_nodes(force)
    key = keys.signing_key()
    size = tree_size()
    alg = algorithm()
    earlier = list(Checkpoint.objects.order_by("size", "created_at").values_list("pk", "size", "root_hash"))
    beyond = [pk for pk, cp_size, _ in earlier if cp_size > size]
    if beyond:
        raise LedgerCorrupt(f"checkpoint #{beyond[0]} covers more entries than the log's {size}: entries were removed")
    roots_at = {}
    for pk, cp_size, root in earlier:
        roots_at.setdefault(cp_size, []).append((pk, bytes(root)))
    hashes = leaf_hashes(size)
    cr = merkle.CompactRange(alg)
    for cut in sorted(s for s in roots_at if s < size):
        cr.extend_fast(hashes[cr.size : cut])
        _compare(roots_at[cut], cr.root(), cut)
    cr.extend_fast(hashes[cr.size :])
    root = cr.root()
    # The proofs and receipts are served from the stored subtrees: never sign a root they disagree with.
    if size and _range_roots([(0, size)], alg)[0] != root:
        raise LedgerCorrupt("the stored subtree hashes disagree with the leaves; run manage.py verify_ledger")
    if size in roots_at:
        _compare(roots_at[size], root, size)
        latest = Checkpoint.objects.filter(size=size).order_by("-created_at").first()
        if not force:
            return latest
    return _sign(key, size, root, alg)


def _checkpoint_from_nodes(force):
    key = keys.signing_key()
    size = tree_size()
    alg = algorithm()
    latest = Checkpoint.objects.order_by("-size", "-created_at").first()
    if latest is not None and latest.size > size:
        raise LedgerCorrupt(f"checkpoint #{latest.pk} covers more entries than the log's {size}: entries were removed")
    ranges = [(0, size)] + ([(0, latest.size)] if latest is not None and latest.size else [])
    roots = _range_roots(ranges, alg) if size else [merkle.hash_empty(alg)]
    root = roots[0]
    if latest is not None and latest.size:
        _compare([(latest.pk, bytes(latest.root_hash))], roots[-1], latest.size)
        if latest.size == size and not force:
            return latest
    return _sign(key, size, root, alg)


def _sign(key, size, root, alg):
    text = signing.checkpoint_text(keys.origin(), size, root)
    note, signature = signing.sign_note(text, key)
    checkpoint = Checkpoint.objects.create(
        size=size, root_hash=root, algorithm=alg, key_name=key.name, note=note, signature=signature
    )
    timestamp_checkpoint(checkpoint)
    return checkpoint


def timestamp_checkpoint(checkpoint):
    """Ask LEDGER_TSA_URL for an RFC 3161 token over the signed note's bytes and store it.

    Returns True when a token was stored. Without a TSA configured it does nothing; when the TSA
    fails it logs a warning and leaves the checkpoint without a token (``manage.py make_checkpoint
    --timestamp-missing`` retries): the checkpoint itself is never lost.
    """
    url = getattr(settings, "LEDGER_TSA_URL", "")
    if not url:
        return False
    try:
        token = timestamp.request_token(checkpoint.note.encode(), url, TSA_TIMEOUT)
    except timestamp.TimestampError as exc:
        logger.warning("checkpoint #%s (size %s) has no time-stamp: %s", checkpoint.pk, checkpoint.size, exc)
        return False
    checkpoint.timestamp_token = token
    checkpoint.save(update_fields=["timestamp_token"])
    return True


def _compare(checkpoints, root, size):
    for pk, cp_root in checkpoints:
        if cp_root != root:
            raise LedgerCorrupt(f"the tree of the first {size} entries disagrees with checkpoint #{pk}")


# --- Full recomputation (manage.py verify_ledger) ----------------------------------------------


@dataclasses.dataclass
class Report:
    size: int = 0
    root: bytes = b""
    checkpoints: int = 0
    index: int | None = None  # the first entry that disagrees (None: the tree is sound, or not locatable)
    problem: str = ""
    node: tuple | None = None  # (level, index) of the first stored subtree hash that disagrees

    @property
    def ok(self):
        return not self.problem


def verify_database(chunk_size=CHUNK_SIZE, published=(), vkey=None, all_signatures=False, processes=None):
    """Recompute the whole tree from the stored leaf bytes; the first disagreement in a Report.

    Checks, in index order: no entry is missing, each leaf names its own index, each leaf's hash
    recomputed from its bytes equals the stored one, the root at every checkpoint size equals the
    checkpoint (stored ones, and ``published`` signed notes given as text), and nothing a
    checkpoint or the sequencer counts is missing at the end. Signatures: the latest stored
    checkpoint's (all with ``all_signatures``) and every published note's, against ``vkey`` (the
    configured key's verifier key by default).

    ``processes`` (default ``settings.LEDGER_VERIFY_PROCESSES``): whole chunks (of at most
    ``PARALLEL_CHUNK_SIZE``) are hashed in that many worker processes when it is safe
    (``_parallel_processes``); the Report is the same.
    """
    alg = algorithm()
    report = Report()
    expected_roots = {}  # size -> [(label, root)]
    for pk, size, root in Checkpoint.objects.order_by("size").values_list("pk", "size", "root_hash"):
        expected_roots.setdefault(size, []).append((f"checkpoint #{pk}", bytes(root)))
    if vkey is None and (published or Checkpoint.objects.exists()):
        try:
            vkey = keys.signing_key().vkey
        except Exception:  # no key here: signatures are not checked, roots still are
            vkey = None
    problem = _check_stored_notes(vkey, all_signatures, alg)
    if problem:
        report.problem = problem
        return report
    for n, text in enumerate(published):
        cp = verify.parse_checkpoint(text)
        label = f"published checkpoint {n + 1}"
        if cp is None:
            report.problem = f"{label} is not a well-formed checkpoint"
            return report
        if vkey and not verify.verify_checkpoint(text, vkey):
            report.problem = f"{label}: the signature does not verify"
            return report
        expected_roots.setdefault(cp.size, []).append((label, cp.root))
    report.checkpoints = sum(len(v) for v in expected_roots.values())

    # The cyclic garbage collector is paused meanwhile: the rows are a million short-lived tuples
    # without cycles, and collections triggered by their allocation cost as much as the hashing.
    paused = gc.isenabled()
    gc.disable()
    try:
        processes = _parallel_processes(processes, chunk_size)
        if processes > 1:
            chunk_size = min(chunk_size, PARALLEL_CHUNK_SIZE)
        nodes_check = _NodeCheck(alg, chunk_size)
        _verify_tree(alg, chunk_size, expected_roots, report, nodes_check, processes)
        if report.ok:
            nodes_check.finish(report)
        return report
    finally:
        if paused:
            gc.enable()


def _verify_tree(alg, chunk_size, expected_roots, report, nodes_check, processes=1):
    """One chunk of the index range at a time. A chunk that is whole (every leaf names its own
    index, every recomputed leaf hash equals the stored one, nothing is missing) is hashed level by
    level; its levels are compared with the stored subtree hashes (``nodes_check``) and its aligned
    perfect subtrees added to the tree; a chunk that is not goes to the row-by-row check
    (_verify_rows), which names the first entry that disagrees.

    With ``processes`` > 1 the whole chunks are first hashed by worker processes
    (``_verify_chunks_in_parallel``), up to the first chunk that is not whole or not full; the loop
    below then goes on from there exactly as without them.
    """
    tree = merkle.CompactRange(alg)
    last_good = 0
    if 0 in expected_roots and not _roots_agree(expected_roots[0], merkle.hash_empty(alg), report, 0, 0):
        return report
    cuts = sorted(s for s in expected_roots if s > 0)
    if processes > 1:
        last_good = _verify_chunks_in_parallel(tree, chunk_size, cuts, expected_roots, report, nodes_check, processes)
        if report.problem:
            return report
    while True:
        start = tree.size
        leaves, stored = _fetch_range(start, start + chunk_size)
        n = len(leaves)
        whole = n and _is_whole(start, leaves, stored, alg)
        if whole:
            levels = nodes_check.chunk(start, stored)
            pos = start
            for cut in cuts[bisect.bisect_right(cuts, start) : bisect.bisect_right(cuts, start + n)]:
                _extend(tree, stored, levels, start, pos, cut)
                pos = cut
                if not _roots_agree(expected_roots[cut], tree.root(), report, last_good, cut):
                    return report
                last_good = cut
            _extend(tree, stored, levels, start, pos, start + n)
        del leaves, stored
        if whole and n == chunk_size:
            continue
        if whole and _first_index_from(tree.size) is None:
            break  # the end of the log
        before = tree.size
        last_good = _verify_rows(tree, chunk_size, expected_roots, report, last_good)
        if report.problem:
            return report
        if tree.size == before:
            break  # nothing stored from here on
    expected = tree.size
    stack, node = tree.hashes, merkle.node_hasher(alg)
    report.size = expected
    report.root = _fold(stack, node, alg)
    counted = max([tree_size(), *expected_roots.keys()])
    if counted > expected:
        sources = [label for s, cps in expected_roots.items() if s > expected for label, _ in cps]
        report.index = expected
        report.problem = (
            f"entries from {expected} are missing: {', '.join(sources) or 'the sequencer'} counts {counted}"
        )
    return report


def _is_whole(start, leaves, stored, alg):
    """Every leaf of [start, start + len(leaves)) names its own index, and its recomputed hash is the stored one."""
    n = len(leaves)
    return (
        all(map(bytes.startswith, leaves, map(b'{"index":%d,'.__mod__, range(start, start + n))))
        and merkle.leaf_hashes(leaves, alg) == stored
    )


# --- Whole chunks in worker processes ------------------------------------------------------------


def _parallel_processes(requested, chunk_size):
    """How many processes ``verify_database`` may hash chunks in: ``requested`` (the setting by
    default) when that is safe, else 1 (the sequential code).

    Safe means: chunks are perfect subtrees (a power-of-two chunk size); "fork" exists (the workers
    inherit the code and settings, no re-import); no connection is inside a transaction or has
    autocommit off (the parent closes every connection before forking, so that each worker opens
    its own, and the workers must see what the caller sees: committed rows); and the database is
    not an in-memory SQLite one (a worker could not open it). Tests run inside transactions, so
    they take the sequential path unless they ask otherwise (tests/ledger/test_verify_parallel.py).
    """
    if requested is None:
        requested = getattr(settings, "LEDGER_VERIFY_PROCESSES", 1)
    if requested is None or requested <= 1 or chunk_size < 2 or chunk_size & (chunk_size - 1):
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block or (conn.connection is not None and not conn.get_autocommit()):
            return 1
    connection = transaction.get_connection()
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return 1
    return requested


def _verify_chunks_in_parallel(tree, chunk_size, cuts, expected_roots, report, nodes_check, processes):
    """Hash the whole chunks [0, k·chunk_size) in worker processes, consuming their results in index
    order; returns the size of the last checkpoint that agreed.

    Each worker does for its chunk what the sequential loop does (``_verify_chunk``) and sends back
    only the chunk root, its first bad stored node and the subtree hashes at the checkpoint sizes
    inside it; the parent appends those to ``tree`` and compares the roots at the checkpoints exactly
    as the loop does. At the first chunk that is not whole the pool is dropped and ``tree`` stops
    there: the sequential loop goes on from ``tree.size`` and names the first bad entry as always.
    Nothing is done when there are fewer than two whole chunks.
    """
    last_good = 0
    table, index = _table_and_index()
    highest = _raw_query(f"SELECT MAX({index}) FROM {table}", ())[0][0]  # noqa: S608 (quoted constants)
    chunks = 0 if highest is None else (highest + 1) // chunk_size
    if chunks < 2:
        return last_good
    starts = range(0, chunks * chunk_size, chunk_size)
    inside = [cuts[bisect.bisect_right(cuts, s) : bisect.bisect_right(cuts, s + chunk_size)] for s in starts]
    connection = transaction.get_connection()
    connections.close_all()  # each worker opens its own connection; the parent reconnects after
    context = multiprocessing.get_context("fork")
    workers = min(processes, chunks)
    with concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_started, initargs=(connection,)
    ) as pool:
        futures = [
            pool.submit(_verify_chunk, tree.algorithm, chunk_size, start, chunk_cuts)
            for start, chunk_cuts in zip(starts, inside, strict=True)
        ]
        try:
            for start, chunk_cuts, future in zip(starts, inside, futures, strict=True):
                result = future.result()
                if result is None:
                    break  # not whole: the sequential loop finds what is wrong
                root, problem, pieces = result
                nodes_check.take(start, root, problem)
                pos = start
                for cut, hashes in zip(chunk_cuts, pieces, strict=False):
                    _append_pieces(tree, pos, cut, hashes)
                    pos = cut
                    if not _roots_agree(expected_roots[cut], tree.root(), report, last_good, cut):
                        return last_good
                    last_good = cut
                _append_pieces(tree, pos, start + chunk_size, pieces[-1])
        finally:
            pool.shutdown(cancel_futures=True)
    return last_good


def _worker_started(connection):
    """A worker process's first step: the garbage collector paused, and the parent's database
    connection (closed before the fork, so it opens a new one here) installed as this process's.

    Installed explicitly rather than found through ``connections``: where Django keeps a thread's
    connections depends on whether an event loop is running, and forking resets that in the child
    (asyncio's after-fork hook), so a child could otherwise see another connection than its parent.
    """
    gc.disable()
    connections[connection.alias] = connection


def _append_pieces(tree, pos, stop, hashes):
    for (level, _), h in zip(merkle.subtrees(pos, stop), hashes, strict=True):
        tree.append_subtree(h, level)


def _verify_chunk(alg, chunk_size, start, cuts):
    """In a worker: the whole-chunk check of [start, start + chunk_size) (``_verify_tree``'s fast path).

    None when the chunk is not whole (an entry missing, a leaf naming another index or disagreeing
    with its stored hash: the parent's sequential loop will say which). Otherwise (the chunk root,
    the first bad stored node inside the chunk or None, and for each stretch [previous cut, cut) up
    to each of ``cuts`` and then to the chunk's end, the hashes of its ``merkle.subtrees``).
    """
    leaves, stored = _fetch_range(start, start + chunk_size)
    if len(leaves) != chunk_size or not _is_whole(start, leaves, stored, alg):
        return None
    del leaves
    check = _NodeCheck(alg, chunk_size)
    check.size = start  # the chunks before this one are the other workers'
    levels = check.chunk(start, stored)
    pieces, pos = [], start
    for stop in [*cuts, start + chunk_size]:
        pieces.append([levels[level][i - (start >> level)] for level, i in merkle.subtrees(pos, stop)])
        pos = stop
    return levels[-1][0], check.problem, pieces


def _extend(tree, stored, levels, start, pos, stop):
    """Add the leaves [pos, stop) of the chunk starting at ``start`` to ``tree``: from the chunk's own
    levels when it has them (the same subtrees, not hashed twice), else level by level."""
    if levels is None:
        tree.extend_fast(stored[pos - start : stop - start])
        return
    for level, i in merkle.subtrees(pos, stop):
        tree.append_subtree(levels[level][i - (start >> level)], level)


def _verify_rows(tree, chunk_size, expected_roots, report, last_good):
    """The exact, row-by-row check of up to ``chunk_size`` stored rows from index ``tree.size`` on.

    Sets ``report.problem`` (and ``report.index``) at the first disagreement; otherwise appends the
    rows to ``tree``. Returns the size of the last checkpoint that agreed.
    """
    new = merkle.hash_constructor(tree.algorithm)
    for index, leaf, stored in next(_stream_entries(chunk_size, tree.size), ()):
        expected = tree.size
        if index != expected:
            report.index = expected
            report.problem = f"entry {expected} is missing (the next stored entry is {index})"
            return last_good
        prefix = b'{"index":%d,' % index
        if leaf[: len(prefix)] != prefix:
            report.index = index
            report.problem = "the leaf bytes are not this entry's (they name another index)"
            return last_good
        if new(b"\x00" + leaf).digest() != stored:
            report.index = index
            report.problem = "the leaf bytes do not match the stored leaf hash"
            return last_good
        tree.append(stored)
        if tree.size in expected_roots:
            if not _roots_agree(expected_roots[tree.size], tree.root(), report, last_good, tree.size):
                return last_good
            last_good = tree.size
    return last_good


class _NodeCheck:
    """Every stored subtree hash (LedgerNode: levels ≥ nodes.STORED_FROM) against its recomputation
    from the verified leaf hashes.

    ``chunk`` takes the verified leaf hashes of one aligned chunk (2^k positions), hashes its levels,
    compares them with the chunk's stored nodes (one query) and returns the levels, which
    ``_verify_tree`` then uses for the tree itself (no second hashing); ``finish`` does the levels
    above a chunk from the chunk roots and looks for stray rows. A chunk that was not aligned (a
    chunk size that is not a power of two, a row-by-row detour) makes ``finish`` run the whole check
    as a separate pass over the leaf hashes. A row below the stored levels is a stray. The first bad node is kept and reported only when the
    leaves themselves are sound (a bad entry is the better answer).
    """

    def __init__(self, alg, chunk_size):
        self.alg = alg
        self.size = 0
        self.chunk_size = chunk_size
        self.aligned = chunk_size >= 2 and not chunk_size & (chunk_size - 1)
        self.chunk_level = chunk_size.bit_length() - 1
        self.heights = range(max(1, nodes.STORED_FROM), self.chunk_level + 1)  # stored levels inside a chunk
        self.chunk_roots = []
        self.problem = None  # (level, index, what)
        self.new = merkle.hash_constructor(alg)
        ops = transaction.get_connection().ops
        table, self.index_col = ops.quote_name(LedgerNode._meta.db_table), ops.quote_name("index")
        level, index = ops.quote_name("level"), self.index_col
        self.clause = f"({level} = %s AND {index} >= %s AND {index} < %s)"
        self.node_sql = f"SELECT {level}, {index}, hash FROM {table} WHERE {{}} ORDER BY {level}, {index}"  # noqa: S608 (quoted constants)
        self.hash_sql = f"SELECT hash FROM {table} WHERE {{}} ORDER BY {level}, {index}"  # noqa: S608 (quoted constants)
        self.above_sql = f"SELECT {level}, {index}, hash FROM {table} WHERE {level} > %s ORDER BY {level}, {index}"  # noqa: S608
        self.below_sql = f"SELECT {level}, {index} FROM {table} WHERE {level} < %s ORDER BY {level}, {index}"  # noqa: S608

    def chunk(self, start, hashes):
        """Check the nodes of the verified leaf hashes [start, start + len(hashes)); their levels, or None."""
        if not self.aligned or start % self.chunk_size or start != self.size:
            self.aligned = False
            return None
        new, prefix = self.new, merkle.NODE_PREFIX
        levels, level = [hashes], hashes
        for _ in range(self.chunk_level):
            level = [new(prefix + a + b).digest() for a, b in zip(level[0::2], level[1::2], strict=False)]
            levels.append(level)
        self.size = start + len(hashes)
        if len(hashes) == self.chunk_size:
            self.chunk_roots.append(level[0])
        if self.problem is None and self.heights:
            params = [
                p for height in self.heights for p in (height, start >> height, (start + self.chunk_size) >> height)
            ]
            where = " OR ".join([self.clause] * len(self.heights))
            if len(hashes) == self.chunk_size:
                # A whole chunk fills every (level, index) slot of its ranges: with (level, index)
                # unique, the same number of rows in (level, index) order and equal hashes is
                # equality. One list comparison, no per-row tuples; on a difference, the exact check.
                expected = [h for height in self.heights for h in levels[height]]
                stored = _raw_query(self.hash_sql.format(where), params)
                got = list(map(operator.itemgetter(0), stored))
                if got and not isinstance(got[0], bytes):  # drivers that give memoryview
                    got = [bytes(h) for h in got]
                if got == expected:
                    return levels
            expected = [
                (height, (start >> height) + k, h) for height in self.heights for k, h in enumerate(levels[height])
            ]
            self.problem = _first_difference(expected, _raw_query(self.node_sql.format(where), params))
        return levels

    def take(self, start, root, problem):
        """The whole chunk at ``start`` checked in a worker process (``_verify_chunk``): its root and first bad node."""
        self.size = start + self.chunk_size
        self.chunk_roots.append(root)
        if self.problem is None:
            self.problem = problem

    def finish(self, report):
        """After the leaves verified sound up to ``report.size``: the rest of the check; sets the report."""
        size = report.size
        if not self.aligned or self.size != size:  # the fast path did not see every chunk: a separate pass
            check = _NodeCheck(self.alg, 1 << max(1, self.chunk_size.bit_length() - 1))
            entries, index = transaction.get_connection().ops.quote_name(LedgerEntry._meta.db_table), self.index_col
            leaf_sql = f"SELECT leaf_hash FROM {entries} WHERE {index} >= %s AND {index} < %s ORDER BY {index}"  # noqa: S608 (quoted constants)
            for start in range(0, size, check.chunk_size):
                check.chunk(start, [bytes(h) for (h,) in _raw_query(leaf_sql, (start, start + check.chunk_size))])
            check.finish(report)
            return
        if self.problem is None:
            expected, level, height = [], self.chunk_roots, self.chunk_level
            while len(level) > 1:
                height += 1
                level = [
                    self.new(merkle.NODE_PREFIX + a + b).digest()
                    for a, b in zip(level[0::2], level[1::2], strict=False)
                ]
                if height >= nodes.STORED_FROM:
                    expected.extend((height, k, h) for k, h in enumerate(level))
            self.problem = _first_difference(expected, _raw_query(self.above_sql, (self.chunk_level,)))
        if self.problem is None and self.heights:  # rows beyond every chunk compared (the chunks cover [0, covered))
            covered = -(-size // self.chunk_size) * self.chunk_size
            params = [p for h in self.heights for p in (h, covered >> h, 1 << 62)]
            stray = _raw_query(self.node_sql.format(" OR ".join([self.clause] * len(self.heights))), params)
            if stray:
                self.problem = (stray[0][0], stray[0][1], "is stored although not all of its entries are in the log")
        if self.problem is None:  # the levels below STORED_FROM are computed from the leaves, never stored
            stray = _raw_query(self.below_sql, (min(nodes.STORED_FROM, self.chunk_level + 1),))
            if stray:
                self.problem = (
                    stray[0][0],
                    stray[0][1],
                    f"is stored although the levels below {nodes.STORED_FROM} are computed from the entries",
                )
        if self.problem is not None:
            _bad_node(report, *self.problem)


def _first_difference(expected, stored):
    """The first difference of two (level, index, hash) lists in (level, index) order, or None."""
    stray = "is stored although not all of its entries are in the log"
    stored = [(level, i, bytes(h)) for level, i, h in stored]
    for want, got in zip(expected, stored, strict=False):
        if want[:2] != got[:2]:
            return (*got[:2], stray) if got[:2] < want[:2] else (*want[:2], "is missing")
        if want[2] != got[2]:
            return (*want[:2], "differs from the hash recomputed from its leaves")
    if len(expected) > len(stored):
        return (*expected[len(stored)][:2], "is missing")
    if len(stored) > len(expected):
        return (*stored[len(expected)][:2], stray)
    return None


def _bad_node(report, level, index, what):
    first, last = index << level, ((index + 1) << level) - 1
    report.node = (level, index)
    report.problem = (
        f"stored node (level {level}, index {index}) over entries {first}–{last} {what}; "
        "run manage.py rebuild_ledger_nodes once the entries are sound"
    )
    return False


def _raw_query(sql, params):
    """Rows of a raw query; bytea in psycopg 3's binary protocol on PostgreSQL (no hex decoding).
    With psycopg2 (Django's ``is_psycopg3`` says which driver it loaded) Django's cursor."""
    connection = transaction.get_connection()
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql" and is_psycopg3:
        import psycopg

        with psycopg.Cursor(raw) as cursor:
            cursor.execute(sql, params, binary=True)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _table_and_index():
    ops = transaction.get_connection().ops
    return ops.quote_name(LedgerEntry._meta.db_table), ops.quote_name("index")


def _fetch_range(start, stop):
    """(leaves, leaf_hashes) of the stored entries with start <= index < stop, in index order."""
    table, index = _table_and_index()
    sql = f"SELECT leaf, leaf_hash FROM {table} WHERE {index} >= %s AND {index} < %s ORDER BY {index}"  # noqa: S608 (quoted constants)
    rows = _raw_query(sql, (start, stop))
    if not rows:
        return [], []
    leaves, hashes = zip(*rows, strict=True)
    if not isinstance(leaves[0], bytes):  # drivers that give memoryview
        leaves, hashes = [bytes(x) for x in leaves], [bytes(x) for x in hashes]
    return list(leaves), list(hashes)


def _first_index_from(start):
    table, index = _table_and_index()
    sql = f"SELECT MIN({index}) FROM {table} WHERE {index} >= %s"  # noqa: S608 (quoted constants)
    return _raw_query(sql, (start,))[0][0]


def _stream_entries(chunk_size, start=0):
    """Lists of (index, leaf, leaf_hash) in index order, ``chunk_size`` rows per query.

    Keyset pagination (``index >= next``), so each query is a short primary-key range scan and
    memory stays flat. On PostgreSQL with psycopg 3 the rows come in the binary protocol: bytea
    arrives as bytes without hex decoding, which is most of the cost of reading a million leaves.
    """
    table, index = _table_and_index()
    query = f"SELECT {index}, leaf, leaf_hash FROM {table} WHERE {index} >= %s ORDER BY {index} LIMIT %s"  # noqa: S608 (quoted constants)
    while True:
        rows = _raw_query(query, (start, chunk_size))
        if not rows:
            return
        yield [(i, bytes(leaf), bytes(h)) for i, leaf, h in rows]
        start = rows[-1][0] + 1


def _fold(stack, node, alg):
    if not stack:
        return merkle.hash_empty(alg)
    h = stack[-1]
    for left in reversed(stack[:-1]):
        h = node(left, h)
    return h


def _roots_agree(checkpoints, root, report, last_good, size):
    for label, cp_root in checkpoints:
        if cp_root != root:
            report.problem = (
                f"the tree of the first {size} entries disagrees with {label}; "
                f"the first changed entry is between {last_good} and {size - 1}"
            )
            return False
    return True


def _check_stored_notes(vkey, all_signatures, alg):
    """A stored checkpoint's columns must match its own signed note (and the signature verify)."""
    latest = Checkpoint.objects.order_by("-size", "-created_at").values_list("pk", flat=True).first()
    for pk, size, root, note in Checkpoint.objects.values_list("pk", "size", "root_hash", "note").iterator():
        cp = verify.parse_checkpoint(note)
        if cp is None or cp.size != size or cp.root != bytes(root):
            return f"checkpoint #{pk}: the stored size or root differs from its signed note"
        if vkey and (all_signatures or pk == latest) and not verify.verify_checkpoint(note, vkey):
            return f"checkpoint #{pk}: the signature does not verify with {vkey.split('+')[0]}"
    return ""
