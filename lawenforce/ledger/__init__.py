"""The ledger: an append-only Merkle-tree transparency log (RFC 6962 / RFC 9162) over history records,
evidence digests and document digests. See lawenforce/ledger/README.md.

This package's ``__init__`` imports nothing, so that ``merkle``, ``verify``, ``canonical`` and
``signing`` stay importable without Django; ``log`` and ``keys`` are the Django side.
"""
