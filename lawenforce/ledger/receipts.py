"""Receipts (存证回执): an entry, its inclusion proof and the signed checkpoint the proof is against.

One definition for every receipt the platform issues: the receipt API (``api.ReceiptView``, for
documents and evidence acknowledgements) and the receipt attached to a served decision
(``cases.workflow.execution.serve_decision``). A receipt is JSON a party can keep and check
offline, without the platform: ``python -m lawenforce.ledger.verify receipt FILE`` (see
``verify.verify_receipt``) recomputes the leaf hash from the leaf bytes, checks that the leaf names
the document's SHA-256, and checks the inclusion proof against the root in the signed checkpoint.

The checkpoint is the latest one when it covers the entry; otherwise one is signed on demand
(checkpoints are also made on a schedule, ``tasks.make_checkpoint``). Without a signing key
``keys.SigningKeyMissing`` propagates: the caller decides what the user is told.
"""

from django.db import transaction
from django.utils import timezone

from lawenforce.models import Checkpoint, LedgerEntry

from . import log

FORMAT = "lawenforce-receipt/1"


def entry_for(kind, obj):
    """The newest ledger entry of ``kind`` for ``obj``, or None."""
    return (
        LedgerEntry.objects.filter(kind=kind, object_label=obj._meta.label_lower, object_pk=str(obj.pk))
        .order_by("-index")
        .first()
    )


def latest_checkpoint():
    return Checkpoint.objects.order_by("-size", "-created_at").first()


def covering_checkpoint(entry):
    """The latest checkpoint if it covers ``entry``, else a new one signed now (from the stored
    subtree hashes: O(log n), since this runs inside a workflow step such as serving a decision)."""
    checkpoint = latest_checkpoint()
    if checkpoint is None or checkpoint.size <= entry.index:
        with transaction.atomic():
            checkpoint = log.make_checkpoint(from_leaves=False)
    return checkpoint


def checkpoint_dict(checkpoint):
    return {
        "size": checkpoint.size,
        "root": bytes(checkpoint.root_hash).hex(),
        "algorithm": checkpoint.algorithm,
        "key_name": checkpoint.key_name,
        "created_at": timezone.localtime(checkpoint.created_at).isoformat(),
        "note": checkpoint.note,
    }


def receipt(entry, checkpoint, **about):
    """The receipt of ``entry`` against ``checkpoint`` (which must cover it); ``about`` is added as is
    (what the entry is about, e.g. the document and the service), for the reader, not for the proof."""
    return {
        "format": FORMAT,
        **about,
        "index": entry.index,
        "leaf": bytes(entry.leaf).decode("utf-8"),
        "leaf_hash": bytes(entry.leaf_hash).hex(),
        "proof": log.inclusion(entry.index, size=checkpoint.size).as_dict(),
        "checkpoint": checkpoint_dict(checkpoint),
    }
