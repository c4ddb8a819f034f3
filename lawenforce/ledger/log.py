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

import dataclasses
import logging

import rfc8785
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lawenforce.models import Checkpoint, LedgerEntry, LedgerSequencer

from . import keys, merkle, signing, timestamp, verify
from .canonical import prepare

CHUNK_SIZE = 50_000
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


def current_root(size=None):
    """(size, root) of the tree from the stored leaf hashes; the current size by default."""
    current = tree_size()
    size = current if size is None else size
    _check_size(size, current)
    return size, merkle.root(leaf_hashes(size), algorithm())


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
    hashes = leaf_hashes(size)
    return Proof(
        "inclusion",
        alg,
        merkle.inclusion_proof(index, hashes, alg),
        size,
        merkle.root(hashes, alg),
        index=index,
        leaf_hash=hashes[index],
    )


def consistency(size1, size2=None):
    """Consistency proof from the tree of ``size1`` (> 0) to ``size2`` (current by default)."""
    current = tree_size()
    size2 = current if size2 is None else size2
    _check_size(size2, current)
    if isinstance(size1, bool) or not isinstance(size1, int) or not 0 < size1 <= size2:
        raise ValueError(f"no consistency proof from size {size1!r} to {size2}")
    alg = algorithm()
    hashes = leaf_hashes(size2)
    return Proof(
        "consistency",
        alg,
        merkle.consistency_proof(size1, hashes, alg),
        size2,
        merkle.root(hashes, alg),
        size1=size1,
        root1=merkle.root(hashes[:size1], alg),
    )


# --- Checkpoints --------------------------------------------------------------------------------


def make_checkpoint(force=False):
    """Sign and store a checkpoint of the current tree; returns the Checkpoint.

    Refuses (LedgerCorrupt) when the stored tree disagrees with any earlier checkpoint: a log must
    never sign two inconsistent tree heads. Without ``force`` an unchanged tree returns the latest
    checkpoint instead of signing a new one. Production without LEDGER_SIGNING_KEY raises
    ``keys.SigningKeyMissing``.
    """
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
    cr = merkle.CompactRange(alg)
    for i, h in enumerate(leaf_hashes(size)):
        if i in roots_at:
            _compare(roots_at[i], cr.root(), i)
        cr.append(h)
    root = cr.root()
    if size in roots_at:
        _compare(roots_at[size], root, size)
        latest = Checkpoint.objects.filter(size=size).order_by("-created_at").first()
        if not force:
            return latest
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

    @property
    def ok(self):
        return not self.problem


def verify_database(chunk_size=CHUNK_SIZE, published=(), vkey=None, all_signatures=False):
    """Recompute the whole tree from the stored leaf bytes; the first disagreement in a Report.

    Checks, in index order: no entry is missing, each leaf names its own index, each leaf's hash
    recomputed from its bytes equals the stored one, the root at every checkpoint size equals the
    checkpoint (stored ones, and ``published`` signed notes given as text), and nothing a
    checkpoint or the sequencer counts is missing at the end. Signatures: the latest stored
    checkpoint's (all with ``all_signatures``) and every published note's, against ``vkey`` (the
    configured key's verifier key by default).
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

    new = merkle.hash_constructor(alg)  # inlined below: this loop is the benchmark
    node = merkle.node_hasher(alg)
    stack, expected, last_good = [], 0, 0
    if 0 in expected_roots and not _roots_agree(expected_roots[0], merkle.hash_empty(alg), report, 0, 0):
        return report
    for chunk in _stream_entries(chunk_size):
        for index, leaf, stored in chunk:
            if index != expected:
                report.index = expected
                report.problem = f"entry {expected} is missing (the next stored entry is {index})"
                return report
            prefix = b'{"index":%d,' % index
            if leaf[: len(prefix)] != prefix:
                report.index = index
                report.problem = "the leaf bytes are not this entry's (they name another index)"
                return report
            h = new(b"\x00" + leaf).digest()
            if h != stored:
                report.index = index
                report.problem = "the leaf bytes do not match the stored leaf hash"
                return report
            size = expected
            while size & 1:
                h = new(b"\x01" + stack.pop() + h).digest()
                size >>= 1
            stack.append(h)
            expected += 1
            if expected in expected_roots:
                if not _roots_agree(expected_roots[expected], _fold(stack, node, alg), report, last_good, expected):
                    return report
                last_good = expected
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


def _stream_entries(chunk_size):
    """Lists of (index, leaf, leaf_hash) in index order, ``chunk_size`` rows per query.

    Keyset pagination (``index >= next``), so each query is a short primary-key range scan and
    memory stays flat. On PostgreSQL with psycopg 3 the rows come in the binary protocol: bytea
    arrives as bytes without hex decoding, which is most of the cost of reading a million leaves.
    """
    connection = transaction.get_connection()
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    index = connection.ops.quote_name("index")
    query = f"SELECT {index}, leaf, leaf_hash FROM {table} WHERE {index} >= %s ORDER BY {index} LIMIT %s"  # noqa: S608 (quoted constants)
    connection.ensure_connection()
    raw = connection.connection
    binary = connection.vendor == "postgresql" and type(raw).__module__.startswith("psycopg.")
    start = 0
    while True:
        if binary:
            import psycopg

            with psycopg.Cursor(raw) as cursor:
                cursor.execute(query, (start, chunk_size), binary=True)
                rows = cursor.fetchall()
        else:
            with connection.cursor() as cursor:
                cursor.execute(query, (start, chunk_size))
                rows = cursor.fetchall()
        if not rows:
            return
        yield rows
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
