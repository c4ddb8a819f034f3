"""Compare the ledger with the records it vouches for (run by ``manage.py verify_ledger``).

``log.verify_database`` proves the ledger itself is intact. This module proves the records are:
a history row, an evidence digest or a document digest changed, deleted or inserted behind the
ORM (raw SQL, a database console) no longer matches its leaf, and the first such entry is named.

- "history" leaves: the history row is read again and its payload rebuilt exactly as
  ``hooks.leaf_payload`` built it; every history row must also have its leaf.
- "evidence" and "document" leaves: every payload key the recorded object also has (sha256, sm3,
  size, kind, number …) must still hold the same value.

Lawful erasure of personal data (a personal field emptied later) is not tampering: a salted
digest in the leaf against an empty value now is accepted.
"""

import json
from dataclasses import dataclass

from django.apps import apps

from lawenforce.models import LedgerEntry

from .canonical import prepare
from .hooks import leaf_payload

CHUNK = 5000


@dataclass
class Mismatch:
    index: int | None
    problem: str


def _history_model(label):
    model = apps.get_model(label)
    return model.history.model if hasattr(model, "history") else None


def _same_history(recorded, current, personal):
    if recorded.keys() != current.keys():
        return False
    for key, value in recorded.items():
        if key == "fields":
            for name, old in value.items():
                new = current["fields"].get(name)
                if old != new and not (name in personal and new in (None, "")):
                    return False
        elif value != current[key]:
            return False
    return True


def _check_history(index, payload, seen):
    history_model = _history_model(payload["model"])
    if history_model is None:
        return Mismatch(index, f"{payload['model']} keeps no history")
    seen.setdefault(history_model, set()).add(int(payload["history_id"]))
    row = history_model.objects.filter(pk=payload["history_id"]).first()
    if row is None:
        return Mismatch(index, f"history record {payload['model']} #{payload['history_id']} was deleted")
    personal = {
        f.attname
        for f in row.instance_type._meta.concrete_fields
        if f.name in set(getattr(row.instance_type, "ledger_personal_fields", ()) or ())
    }
    current = prepare(leaf_payload(row))
    if not _same_history(payload, current, personal):
        diff = sorted(k for k in payload.get("fields", {}) if payload["fields"][k] != current["fields"].get(k))
        diff += [k for k in payload if k != "fields" and payload[k] != current.get(k)]
        return Mismatch(
            index,
            f"history record {payload['model']} #{payload['history_id']} differs from its leaf ({', '.join(diff)})",
        )
    return None


def _check_object(index, kind, ref, payload):
    model = apps.get_model(ref["label"])
    obj = model._default_manager.filter(pk=ref["pk"]).first()
    if obj is None:
        return Mismatch(index, f"{kind} {ref['label']} #{ref['pk']} was deleted")
    for key, recorded in payload.items():
        if key.endswith("_id") or not hasattr(obj, key):
            continue
        if prepare(getattr(obj, key), key) != recorded:
            return Mismatch(index, f"{kind} {ref['label']} #{ref['pk']}: {key} differs from its leaf")
    return None


def _unlogged(seen):
    """History rows that have no leaf (inserted behind the ORM)."""
    for history_model, ids in seen.items():
        extra = history_model.objects.exclude(pk__in=ids).values_list("pk", flat=True).first()
        if extra is not None:
            label = history_model.instance_type._meta.label_lower
            return Mismatch(None, f"history record {label} #{extra} has no ledger entry")
    return None


def reconcile(chunk_size=CHUNK):
    """The first record that disagrees with its leaf, or None."""
    seen = {}
    rows = LedgerEntry.objects.filter(kind__in=("history", "evidence", "document")).order_by("index")
    for index, kind, leaf in rows.values_list("index", "kind", "leaf").iterator(chunk_size=chunk_size):
        body = json.loads(bytes(leaf))
        payload = body.get("payload") or {}
        if kind == "history":
            problem = _check_history(index, payload, seen)
        elif body.get("object"):
            problem = _check_object(index, kind, body["object"], payload)
        else:
            problem = None
        if problem:
            return problem
    return _unlogged(seen)
