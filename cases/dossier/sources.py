"""The one adapter between the dossier and the apps built alongside it: `evidence` (the evidence
items of a case) and `lawenforce.ledger` (inclusion proofs and the checkpoint).

Both may be absent or not yet finished: then the evidence list is empty and the manifest carries
`"ledger": null` for every file and `"checkpoint": null`. Wiring the real APIs is a change to this
file only.

    evidence_items(case) → [EvidenceRow, …]
    ledger_entry(sha256, obj) → {"index", "leaf", "proof", "checkpoint"} | None
    ledger_checkpoint() → str | None
"""

import os
from dataclasses import dataclass
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class EvidenceRow:
    """One line of the evidence list (证据清单) and one file of the export."""

    pk: Any
    obj: Any  # the evidence item (for its ledger entry)
    kind: str  # the label (书证、物证、视听资料…)
    title: str
    proves: str  # 证明对象
    collected_at: Any  # date or datetime or None
    collected_by: str
    sha256: str
    sm3: str
    file: Any  # a FieldFile, or None when the item has no file
    size: int | None

    @property
    def extension(self):
        name = getattr(self.file, "name", "") or ""
        return os.path.splitext(name)[1].lower()


def _evidence_model():
    if not apps.is_installed("evidence"):
        return None
    try:
        return apps.get_model("evidence", "EvidenceItem")
    except LookupError:
        return None


def _label(item, field):
    display = getattr(item, f"get_{field}_display", None)
    if callable(display):
        return str(display())
    return str(getattr(item, field, "") or "")


def _person(value):
    if value is None:
        return ""
    return str(getattr(value, "name", value))


def evidence_items(case):
    """The evidence items of `case` in the evidence app's order; [] while that app has no model."""
    model = _evidence_model()
    if model is None:
        return []
    items = model._default_manager.filter(case=case)
    rows = []
    for item in items:
        file = getattr(item, "file", None)
        size = getattr(item, "size", None)
        if size is None and file:
            try:
                size = file.size
            except (OSError, ValueError):
                size = None
        rows.append(
            EvidenceRow(
                pk=item.pk,
                obj=item,
                kind=_label(item, "kind"),
                title=str(getattr(item, "title", "") or item),
                proves=str(getattr(item, "proves", "") or ""),
                collected_at=getattr(item, "collected_at", None),
                collected_by=_person(getattr(item, "collected_by", None)),
                sha256=str(getattr(item, "sha256", "") or ""),
                sm3=str(getattr(item, "sm3", "") or ""),
                file=file if file else None,
                size=size,
            )
        )
    return rows


# ---------------------------------------------------------------- the ledger
# lawenforce.ledger keys its entries by object (label, pk). A file's entry is the newest entry of its
# object whose leaf names the file's SHA-256; its inclusion proof is given against the newest signed
# checkpoint (shipped as checkpoint.txt), so an entry made after that checkpoint has no proof yet.


def _ledger():
    try:
        from lawenforce.ledger import log
        from lawenforce.models.ledger import Checkpoint, LedgerEntry
    except ImportError:
        return None
    return log, Checkpoint, LedgerEntry


def _latest_checkpoint(ledger):
    _log, checkpoint_model, _entry = ledger
    return checkpoint_model.objects.order_by("-size", "-created_at").first()


def ledger_entry(sha256, obj=None):
    """The ledger entry of a file: {"index", "leaf" (the leaf's JSON text, naming the file's SHA-256,
    so an offline verifier can recompute the leaf hash), "proof" (inclusion proof, hex, with
    leaf_hash, index, size and algorithm), "checkpoint": {"size", "root"}}, or None when there is no ledger, no entry for this object and digest, or no signed
    checkpoint covering it yet."""
    ledger = _ledger()
    if ledger is None or obj is None or not sha256:
        return None
    log, _checkpoint_model, entry_model = ledger
    checkpoint = _latest_checkpoint(ledger)
    if checkpoint is None:
        return None
    candidates = entry_model.objects.filter(
        object_label=obj._meta.label_lower, object_pk=str(obj.pk), index__lt=checkpoint.size
    ).order_by("-index")
    needle = sha256.lower().encode("ascii")
    entry = next((e for e in candidates if needle in bytes(e.leaf)), None)
    if entry is None:
        return None
    proof = log.inclusion(entry.index, size=checkpoint.size).as_dict()
    return {
        "index": entry.index,
        "leaf": bytes(entry.leaf).decode("utf-8"),
        "proof": proof,
        "checkpoint": {"size": checkpoint.size, "root": bytes(checkpoint.root_hash).hex()},
    }


def ledger_checkpoint():
    """The newest signed checkpoint note (checkpoint.txt), or None."""
    ledger = _ledger()
    if ledger is None:
        return None
    checkpoint = _latest_checkpoint(ledger)
    return checkpoint.note if checkpoint is not None else None
