"""generate() and available_kinds(): the public face of cases.documents."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import Document, DocumentKind
from cases.numbering import next_document_number
from lawenforce.ledger import log as ledger

from .kinds import KINDS, base_context
from .render import html_to_pdf, render_html

DOCUMENT_TEMPLATES = {kind: spec.template for kind, spec in KINDS.items()}


def _spec(kind):
    try:
        return KINDS[DocumentKind(kind)]
    except (ValueError, KeyError):
        raise WorkflowError(_("未知的文书种类：%(kind)s。") % {"kind": kind}, code="unknown_document_kind")


def _require_agency_officer(case, actor):
    if actor is None or actor.agency_id != case.agency_id:
        raise WorkflowError(_("只有本案执法主体的人员才能制作本案文书。"), code="other_agency")


def available_kinds(case):
    """The kinds whose step has happened, in the order of DocumentKind (for the case page)."""
    kinds = []
    for kind, spec in KINDS.items():
        try:
            spec.check(case, {})
        except WorkflowError:
            continue
        kinds.append(kind)
    return kinds


RECORD_KINDS = {DocumentKind.INQUIRY_RECORD, DocumentKind.INSPECTION_RECORD}


def current_documents(case):
    """The documents not superseded by a newer version, oldest first."""
    return case.documents.filter(superseded_by__isnull=True)


def _context(case, kind, spec, subject, extra):
    ctx = base_context(case)
    ctx.update(kind=kind.value, title=str(kind.label), today=timezone.localdate())
    ctx.update(spec.build(case, subject, extra))
    return ctx


def build_context(case, kind, context=None):
    """The template context for `kind` (raises WorkflowError when the step is not reached)."""
    kind = DocumentKind(kind)
    spec = _spec(kind)
    extra = dict(context or {})
    if kind == DocumentKind.CLOSING_REPORT:
        extra.setdefault("number", "")
    return _context(case, kind, spec, spec.check(case, extra), extra)


def render_document_html(case, kind, context=None):
    """The HTML of a document, for previews; `generate` prints it."""
    ctx = build_context(case, kind, context)
    return render_html(_spec(kind).template, ctx)


def _closing_number(case):
    previous = (
        case.documents.filter(kind=DocumentKind.CLOSING_REPORT)
        .exclude(number="")
        .order_by("-created_at", "-pk")
        .first()
    )
    if previous:
        return previous.number
    return next_document_number(case.agency, DocumentKind.CLOSING_REPORT, case.closed_on.year)


def generate(case, kind, actor, *, context=None):
    """Render `kind` for `case` to PDF, store it and return the new Document.

    The number is the one the workflow gave to the step the document records (the closing report,
    which no step numbers, takes its number here the first time and keeps it). A document of the
    same kind and number printed before is superseded by this one and kept.
    `context` fills the record forms (询问笔录, 现场检查笔录): {"qa": [(问, 答), …], "person": {…},
    "place": …, "started_at": …, "ended_at": …, "content": …}; it also picks the measure, the
    service or the legal-review round: {"measure": m}, {"service": s}, {"review": r}.
    """
    kind = DocumentKind(kind)
    spec = _spec(kind)
    _require_agency_officer(case, actor)
    extra = dict(context or {})
    with transaction.atomic():
        subject = spec.check(case, extra)
        if kind == DocumentKind.CLOSING_REPORT:
            extra["number"] = _closing_number(case)
        ctx = _context(case, kind, spec, subject, extra)
        pdf = html_to_pdf(render_html(spec.template, ctx))

        number = ctx["number"]
        # Inquiry and inspection records are separate records (one per person asked, per visit);
        # every other document replaces its earlier printing.
        previous = (
            []
            if kind in RECORD_KINDS
            else list(
                Document.objects.select_for_update()
                .filter(case=case, kind=kind, number=number, superseded_by__isnull=True)
                .order_by("pk")
            )
        )
        document = Document(
            case=case,
            kind=kind,
            number=number,
            title=ctx["title"],
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            created_by=actor,
        )
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        document.file.save(f"case{case.pk}-{kind.value}-{stamp}.pdf", ContentFile(pdf), save=False)
        try:
            document.save()
            Document.objects.filter(pk__in=[d.pk for d in previous]).update(superseded_by=document)
            # Last in the transaction: append holds the ledger's sequencer lock until commit.
            ledger.append(
                "document",
                {
                    "case_id": case.pk,
                    "kind": kind.value,
                    "number": number,
                    "sha256": document.sha256,
                    "size": document.size,
                    "file_name": document.file.name,
                },
                obj=document,
            )
        except Exception:
            document.file.delete(save=False)
            raise
    return document
