"""The dossier of a closed case (案卷) and its archive export.

    build_dossier(case, actor, *, retention=None) → Dossier(path, sha256, size, pages, parts)
    latest_dossier(case) → Dossier | None
    manifest(case, dossier=None) → dict;  canonical_json(obj) → bytes
    export_zip(case, actor) → binary file object of the zip (dossier.pdf, documents/, evidence/,
                              manifest.json, checkpoint.txt, README.txt)

The evidence app and the ledger are reached only through `cases.dossier.sources`.
"""

from .build import PROCEDURAL_ORDER, Dossier, Part, build_dossier, latest_dossier, ordered_documents
from .manifest import canonical_json, export_filename, export_zip, manifest

__all__ = [
    "PROCEDURAL_ORDER",
    "Dossier",
    "Part",
    "build_dossier",
    "canonical_json",
    "export_filename",
    "export_zip",
    "latest_dossier",
    "manifest",
    "ordered_documents",
]
