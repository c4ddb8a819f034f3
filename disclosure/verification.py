"""Verification of a published penalty record (公示内容核验): what the detail page, its proof
download and the browser check (static/disclosure/verify.js) use.

A record is verifiable when its digest is a ledger leaf covered by the latest published checkpoint:

1. the digest of ``public_json`` (the canonical bytes shown) equals the record's digest;
2. the ledger entry at ``ledger_index`` names that digest in its payload, and hashing the entry's
   bytes (RFC 6962 leaf: H(0x00 || leaf)) gives its leaf hash;
3. the inclusion proof folds that leaf hash to the checkpoint's root (RFC 9162 §2.1.3.2).

``check_bundle()`` is the same computation as verify.js, step for step, so a Python test proves what
the page's button does; ``lawenforce.ledger.verify`` checks step 3 independently from the command line.
"""

import base64
import json

from django.core.cache import cache

from lawenforce.ledger import log, merkle
from lawenforce.ledger import verify as standalone
from lawenforce.models import Checkpoint, LedgerEntry

BUNDLE_FORMAT = "lawenforce-penalty-disclosure-proof/1"
PROOF_CACHE_SECONDS = 3600


def latest_checkpoint():
    return Checkpoint.objects.order_by("-size", "-created_at").first()


def _inclusion(index, checkpoint):
    """The inclusion proof as a dict (hex), cached: computing it reads every leaf hash once. The log
    is append-only, so (index, size, root) names one proof for good."""
    size = checkpoint.size
    key = f"disclosure-proof:{index}:{size}:{bytes(checkpoint.root_hash).hex()}"
    proof = cache.get(key)
    if proof is None:
        proof = log.inclusion(index, size).as_dict()
        cache.set(key, proof, PROOF_CACHE_SECONDS)
    return proof


def bundle(record):
    """Everything needed to check ``record`` offline, or None while no checkpoint covers it yet."""
    checkpoint = latest_checkpoint()
    if record.ledger_index is None or checkpoint is None or checkpoint.size <= record.ledger_index:
        return None
    entry = LedgerEntry.objects.filter(index=record.ledger_index).first()
    if entry is None:
        return None
    proof = _inclusion(record.ledger_index, checkpoint)
    return {
        "format": BUNDLE_FORMAT,
        "record": {
            "public_id": str(record.public_id),
            "revision": record.revision,
            "digest": record.digest,
            "digest_algorithm": record.digest_algorithm,
            "public_json": record.public_json,
        },
        "ledger": {"index": entry.index, "leaf": bytes(entry.leaf).decode("utf-8")},
        "proof": proof,
        "checkpoint": checkpoint.note,
    }


def command_line(data):
    """The stand-alone verifier's command for the bundle's inclusion proof."""
    proof = data["proof"]
    hashes = ",".join(proof["proof"]) or '""'
    return (
        f"python -m lawenforce.ledger.verify inclusion --index {proof['index']} --size {proof['size']} "
        f"--leaf-hash {proof['leaf_hash']} --root {proof['root']} --proof {hashes} "
        f"--algorithm {proof['algorithm']}"
    )


def _payload_names(payload, digest):
    return isinstance(payload, dict) and any(str(value).lower() == digest for value in payload.values())


def check_bundle(data):
    """(ok, step) for a proof bundle: the computation of verify.js, in Python. ``step`` names the
    first check that failed ("digest", "leaf", "leaf_hash", "checkpoint", "proof") or "ok"."""
    try:
        record, ledger, proof = data["record"], data["ledger"], data["proof"]
        digest = merkle.hash_function(record["digest_algorithm"])
        if digest(record["public_json"].encode("utf-8")).hex() != record["digest"].lower():
            return False, "digest"
        leaf = ledger["leaf"].encode("utf-8")
        body = json.loads(leaf)
        if body.get("index") != proof["index"] or not _payload_names(body.get("payload"), record["digest"].lower()):
            return False, "leaf"
        tree = merkle.hash_function(proof["algorithm"])
        if tree(b"\x00" + leaf).hex() != proof["leaf_hash"]:
            return False, "leaf_hash"
        lines = data["checkpoint"].split("\n")
        size, root = int(lines[1]), base64.b64decode(lines[2]).hex()
        if size != proof["size"] or root != proof["root"]:
            return False, "checkpoint"
        r, fn, sn = bytes.fromhex(proof["leaf_hash"]), proof["index"], proof["size"] - 1
        for sibling in proof["proof"]:
            p = bytes.fromhex(sibling)
            if sn == 0:
                return False, "proof"
            if fn & 1 or fn == sn:
                r = tree(b"\x01" + p + r)
                if not fn & 1:
                    while fn and not fn & 1:
                        fn >>= 1
                        sn >>= 1
            else:
                r = tree(b"\x01" + r + p)
            fn >>= 1
            sn >>= 1
        if sn != 0 or r.hex() != root:
            return False, "proof"
        # The independent check of step 3.
        if not standalone.verify_inclusion(
            proof["index"], proof["size"], proof["leaf_hash"], proof["proof"], root, proof["algorithm"]
        ):
            return False, "proof"
    except (KeyError, TypeError, ValueError, IndexError):
        return False, "format"
    return True, "ok"
