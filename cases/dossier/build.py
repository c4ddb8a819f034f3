"""The dossier (案卷): one paginated PDF of the closed case, in the standard order.

    cover (封面) → table of contents (卷内文件目录) → the documents in procedural order → the evidence
    list (证据清单) → the proofs of service (送达回证) → the closing report (结案报告)

Every page carries the dossier's page number "第 N 页 共 M 页" (top right; each document keeps its
own footer). The parts are rendered first and counted with pypdf, then the cover and the table of
contents are rendered with the page numbers, then everything is merged and stamped.

The PDF is stored in the default storage under `dossiers/<agency>/case<pk>/`; until
`DocumentKind.DOSSIER` exists there is no database row for it (`latest_dossier(case)` finds it).
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.documents import current_documents, generate, render_document_html
from cases.documents.kinds import issuing_agency
from cases.documents.render import html_to_pdf, render_html
from cases.errors import WorkflowError
from cases.models import CaseState, DocumentKind

from . import sources
from .pdf import assemble, page_count

K = DocumentKind
# The documents between the table of contents and the evidence list, in procedural order; kinds of
# the same rank (inquiry and inspection records) keep the order they were made in.
PROCEDURAL_ORDER = {
    K.FILING_APPROVAL: 0,
    K.INQUIRY_RECORD: 1,
    K.INSPECTION_RECORD: 1,
    K.PRIOR_NOTICE: 2,
    K.HEARING_NOTICE: 3,
    K.HEARING_RECORD: 4,
    K.LEGAL_REVIEW_OPINION: 5,
    K.PENALTY_DECISION: 6,
    K.NO_PENALTY_DECISION: 6,
    K.SUMMARY_DECISION: 6,
    K.SEIZURE_DECISION: 7,
}
AFTER_EVIDENCE = (K.PROOF_OF_SERVICE, K.CLOSING_REPORT)
OTHER_RANK = 8  # a kind added later and not placed yet: after the decisions, before the evidence list
DOSSIER_KIND = "dossier"
EVIDENCE_LIST = "evidence_list"


@dataclass(frozen=True)
class Part:
    """One entry of the table of contents."""

    kind: str
    title: str
    number: str
    first_page: int
    pages: int
    document_id: int | None = None


@dataclass(frozen=True)
class Dossier:
    path: str  # name in the default storage
    sha256: str
    size: int
    pages: int
    parts: tuple = field(default=())

    def open(self):
        return default_storage.open(self.path, "rb")


def dossier_folder(case):
    return f"dossiers/{case.agency_id}/case{case.pk}"


def document_bytes(document):
    """The stored PDF of a document, checked against its recorded SHA-256."""
    with document.file.open("rb") as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise WorkflowError(
            _("文书“%(title)s %(number)s”的存储文件与登记的哈希值不一致，可能已被篡改，不能组卷。")
            % {"title": document.title, "number": document.number},
            code="document_digest_mismatch",
        )
    return data


def ordered_documents(case):
    """The case's current documents in dossier order: [(section, Document)] where section is
    "documents" (procedural order), "service" or "closing"."""
    docs = list(current_documents(case).exclude(kind=DOSSIER_KIND).order_by("created_at", "pk"))
    main = sorted(
        (d for d in docs if d.kind not in AFTER_EVIDENCE),
        key=lambda d: PROCEDURAL_ORDER.get(d.kind, OTHER_RANK),  # stable: creation order within a rank
    )
    service = [d for d in docs if d.kind == K.PROOF_OF_SERVICE]
    closing = [d for d in docs if d.kind == K.CLOSING_REPORT][-1:]
    return [("documents", d) for d in main] + [("service", d) for d in service] + [("closing", d) for d in closing]


def _require(case, actor):
    if actor is None or actor.agency_id != case.agency_id:
        raise WorkflowError(_("只有本案执法主体的人员才能组卷。"), code="other_agency")
    if case.state not in (CaseState.CLOSED, CaseState.ARCHIVED) or not case.closed_on:
        raise WorkflowError(_("案件结案后才能组卷归档。"), code="not_closed")


def _closing_report(case, actor):
    """The stored closing report, generated now if the case has none. An archived case can no longer
    take a new document: its report is then printed into the dossier only (returns None, PDF)."""
    from cases.readonly import is_archived

    existing = current_documents(case).filter(kind=K.CLOSING_REPORT).order_by("created_at", "pk").last()
    if existing is not None:
        return existing, None
    if is_archived(case):
        return None, html_to_pdf(render_document_html(case, K.CLOSING_REPORT))
    return generate(case, K.CLOSING_REPORT, actor), None


def _render(template, context):
    return html_to_pdf(render_html(f"cases/dossier/{template}.html", context))


def build_dossier(case, actor, *, retention=None):
    """Assemble the dossier of a closed (or archived) case and store it; returns a `Dossier`.

    Generates the closing report when the case has none. Reads the archiving date from
    `case.archived_on` (archive_case sets it before calling). `retention` (保管期限) defaults to
    settings.DOSSIER_RETENTION (blank: filled in by hand)."""
    _require(case, actor)
    _stored, closing_pdf = _closing_report(case, actor)

    # The body: (kind, title, number, document id, PDF) in dossier order.
    body = []
    evidence_done = False
    for section, document in ordered_documents(case):
        if section != "documents" and not evidence_done:
            body.append(_evidence_part(case))
            evidence_done = True
        body.append((document.kind, document.title, document.number, document.pk, document_bytes(document)))
    if not evidence_done:
        body.append(_evidence_part(case))
    if closing_pdf is not None:
        body.append((K.CLOSING_REPORT, str(K.CLOSING_REPORT.label), "", None, closing_pdf))

    counts = [page_count(pdf) for *_meta, pdf in body]
    base = _cover_context(case, actor, retention)
    cover_pages, toc_pages = 1, 1
    for _attempt in range(4):  # the cover and the contents rarely change length with the numbers
        first = cover_pages + toc_pages + 1
        parts = []
        for (kind, title, number, document_id, _pdf), pages in zip(body, counts, strict=True):
            parts.append(Part(str(kind), title, number, first, pages, document_id))
            first += pages
        total = first - 1
        cover = _render("cover", {**base, "page_title": _("封面"), "total_pages": total})
        toc = _render(
            "toc",
            {
                **base,
                "page_title": _("卷内文件目录"),
                "entries": [_toc_entry(p) for p in parts],
                "total_pages": total,
            },
        )
        measured = page_count(cover), page_count(toc)
        if measured == (cover_pages, toc_pages):
            break
        cover_pages, toc_pages = measured

    bookmarks = [(_("封面"), 0), (_("卷内文件目录"), cover_pages)]
    bookmarks += [(f"{p.title} {p.number}".strip(), p.first_page - 1) for p in parts]
    pdf, total_pages = assemble([cover, toc, *(pdf for *_meta, pdf in body)], bookmarks)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    path = default_storage.save(f"{dossier_folder(case)}/dossier-{stamp}.pdf", ContentFile(pdf))
    return Dossier(path, hashlib.sha256(pdf).hexdigest(), len(pdf), total_pages, tuple(parts))


def _toc_entry(part):
    return {"title": part.title, "number": part.number, "page_range": str(part.first_page)}


def _evidence_part(case):
    items = sources.evidence_items(case)
    context = {**_base(case), "page_title": _("证据清单"), "items": items}
    return (EVIDENCE_LIST, _("证据清单"), "", None, _render("evidence_list", context))


def _base(case):
    agency = issuing_agency(case)
    return {"case": case, "agency": agency, "agency_name": agency.name}


def _cover_context(case, actor, retention):
    archived_on = case.archived_on or (timezone.localdate() if case.state == CaseState.ARCHIVED else None)
    if retention is None:
        retention = getattr(settings, "DOSSIER_RETENTION", "")
    return {
        **_base(case),
        "parties": list(case.parties.all()),
        "handlers": list(case.handlers.order_by("name")),
        "archived_on": archived_on,
        "retention": retention,
        "compiled_by": actor,
    }


def latest_dossier(case):
    """The newest stored dossier of the case as a `Dossier` (parts unknown), or None."""
    folder = dossier_folder(case)
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return None
    names = sorted(f for f in files if f.startswith("dossier-") and f.endswith(".pdf"))
    if not names:
        return None
    path = f"{folder}/{names[-1]}"
    digest = hashlib.sha256()
    size = 0
    with default_storage.open(path, "rb") as f:
        for chunk in f.chunks():
            digest.update(chunk)
            size += len(chunk)
    with default_storage.open(path, "rb") as f:
        pages = page_count(f.read())
    return Dossier(path, digest.hexdigest(), size, pages)


__all__ = ["Dossier", "Part", "build_dossier", "latest_dossier", "ordered_documents", "PROCEDURAL_ORDER"]
