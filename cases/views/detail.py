"""The case page: where the case stands, who is in it, its deadlines, what comes next and what
blocks it, the step records and the documents."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import CharField, Max, Prefetch, Q
from django.db.models.functions import Cast
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import workflow
from cases.errors import WorkflowError
from cases.models import Case, CaseState, Document, DocumentKind, Service
from cases.workflow.remedies import REMEDY_STATES
from lawenforce.access import get_in_scope_or_404, officer_of
from lawenforce.models import PenaltyKind
from lawenforce.views.helpers import today

from .common import can_act, case_for_write, deadlines_of, mask_id, note_archived_refusal, with_deadline_data
from .steps import STEPS

# Actions in `available_actions` that are not case steps of STEPS but have their own page.
ACTION_URLS = {
    "impose_measure": lambda case: reverse("cases:impose-measure", args=[case.pk]),
    "give_legal_review": lambda case: reverse("cases:review-queue"),
}


def penalty_labels(kinds):
    labels = dict(PenaltyKind.choices)
    return [str(labels.get(kind, kind)) for kind in kinds or ()]


def _one(case, name):
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def action_url(case, name):
    if name in STEPS:
        return reverse("cases:step", args=[case.pk, name])
    maker = ACTION_URLS.get(name)
    if maker is None:
        return None
    try:
        return maker(case)
    except NoReverseMatch:
        return None


def actions_for(case, officer):
    """`available_actions` with the page to do each one; empty while the workflow is not there."""
    try:
        from cases.workflow import available_actions
    except ImportError:
        return []
    rows = []
    for action in available_actions(case, officer):
        rows.append(
            {
                "name": action.name,
                "label": action.label,
                "allowed": action.allowed,
                "reasons": list(action.reasons or ()),
                "url": action_url(case, action.name),
            }
        )
    return rows


def available_document_kinds(case):
    try:
        from cases.documents import available_kinds
    except ImportError:
        return []
    return [DocumentKind(kind) for kind in available_kinds(case)]


def case_queryset():
    return with_deadline_data(
        Case.objects.select_related("agency", "registered_by", "discretion_standard", "decided_by")
    ).prefetch_related(
        "measures__items",
        "remedies",
        "deliberations__participants",
        Prefetch(
            "documents",
            queryset=Document.objects.filter(superseded_by__isnull=True)
            .select_related("created_by")
            .order_by("created_at", "pk"),
        ),
        "legal_reviews__reviewer",
        "services__document",
        "services__receipt_checkpoint",
        "power_item__provisions__law",
    )


def ledger_status(case, documents):
    """The newest ledger entry index of each current document and each evidence item of the case,
    in one query: ({document pk: index}, {evidence pk: index}); absent pk = not in the ledger.
    Matches the receipt API (/api/v1/ledger/receipt/<kind>/<pk>/): entries of kind "document" /
    "evidence" keyed by the object's (label, pk)."""
    try:
        from lawenforce.models import LedgerEntry
    except ImportError:
        return {}, {}
    wanted = Q(kind="document", object_label=Document._meta.label_lower, object_pk__in=[str(d.pk) for d in documents])
    evidence_label = None
    if apps.is_installed("evidence"):
        try:
            evidence_model = apps.get_model("evidence", "EvidenceItem")
        except LookupError:
            evidence_model = None
        if evidence_model is not None:
            evidence_label = evidence_model._meta.label_lower
            pks = evidence_model._default_manager.filter(case_id=case.pk).annotate(
                text_pk=Cast("pk", output_field=CharField())
            )
            wanted |= Q(kind="evidence", object_label=evidence_label, object_pk__in=pks.values("text_pk"))
    rows = (
        LedgerEntry.objects.filter(wanted)
        .values("object_label", "object_pk")
        .annotate(last=Max("index"))
        .values_list("object_label", "object_pk", "last")
    )
    by_document, by_evidence = {}, {}
    for label, object_pk, index in rows:
        target = by_evidence if label == evidence_label else by_document
        target[int(object_pk)] = index
    return by_document, by_evidence


@login_required
def case_detail(request, pk):
    case = get_in_scope_or_404(case_queryset(), request.user, pk=pk)
    acting = can_act(request, case)
    officer = officer_of(request.user)
    parties = list(case.parties.all())
    for party in parties:
        party.masked_id_number = mask_id(party.id_number)
    deadlines = deadlines_of(case, today=today())
    documents = list(case.documents.all())
    ledger_documents, ledger_evidence = ledger_status(case, documents)
    for doc in documents:
        doc.ledger_index = ledger_documents.get(doc.pk)
    context = {
        "case": case,
        "parties": parties,
        "handlers": list(case.handlers.all()),
        "deadlines": deadlines,
        "actions": actions_for(case, officer) if acting else [],
        "acting": acting,
        "prior_notice": _one(case, "prior_notice"),
        "hearing": _one(case, "hearing"),
        "court_application": _one(case, "court_application"),
        "document_kinds": available_document_kinds(case) if acting else [],
        "is_summary": case.procedure == "summary",
        "proposed_penalty_labels": penalty_labels(case.proposed_penalty_kinds),
        "penalty_labels": penalty_labels(case.penalty_kinds),
        "reviews": list(case.legal_reviews.all()),
        "deliberations": list(case.deliberations.all()),
        "services": list(case.services.all()),
        "payments": list(case.payments.all()),
        "arrangements": list(case.arrangements.all()),
        "measures": list(case.measures.all()),
        "extensions": list(case.extensions.all()),
        "remedies": list(case.remedies.all()),
        "remedy_open": case.state in REMEDY_STATES and bool(case.decision_kind),
        "documents": documents,
        "ledger_evidence": ledger_evidence,
        "exportable": case.state in (CaseState.CLOSED, CaseState.ARCHIVED),
    }
    return render(request, "cases/detail.html", context)


@login_required
@require_POST
def generate_document(request, pk):
    case, actor = case_for_write(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in DocumentKind.values or kind not in available_document_kinds(case):
        messages.error(request, _("现在不能生成这种文书。"))
        return redirect("cases:detail", pk=case.pk)
    from cases import documents

    try:
        document = documents.generate(case, kind, actor)
    except ValidationError as error:
        note_archived_refusal(error, case, actor)
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已生成：%(title)s。") % {"title": document.title or DocumentKind(kind).label})
    return redirect("cases:detail", pk=case.pk)


@login_required
def download_document(request, pk, document_pk):
    document = get_in_scope_or_404(Document.objects.all(), request.user, pk=document_pk, case_id=pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("文书文件不存在。")) from None
    name = f"{document.title or document.get_kind_display()}{('-' + document.number) if document.number else ''}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


@login_required
def service_receipt(request, pk, service_pk):
    """The receipt (存证回执) of a served decision as a JSON file the party can check offline."""
    service = get_in_scope_or_404(
        Service.objects.select_related("case", "receipt_checkpoint"),
        request.user,
        pk=service_pk,
        case_id=pk,
    )
    try:
        receipt = workflow.service_receipt(service)
    except WorkflowError as error:
        messages.error(request, error.text)
        return redirect("cases:detail", pk=pk)
    response = JsonResponse(receipt, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="receipt-case{pk}-service{service.pk}.json"'
    return response


@login_required
def export_case(request, pk):
    """The archive export (zip) of a closed or archived case in the user's scope: officers of the
    case's agency and supervisors watching it."""
    case = get_in_scope_or_404(Case.objects.select_related("agency"), request.user, pk=pk)
    officer = officer_of(request.user)
    if officer is None:
        raise Http404(_("没有找到该记录，或您无权查看。"))
    if case.state not in (CaseState.CLOSED, CaseState.ARCHIVED):
        raise Http404(_("只有已结案或已归档的案件才能导出归档案卷。"))
    from cases.dossier import export_filename, export_zip

    try:
        stream = export_zip(case, officer)
    except WorkflowError as error:
        messages.error(request, error.text)
        return redirect("cases:detail", pk=case.pk)
    return FileResponse(stream, as_attachment=True, filename=export_filename(case), content_type="application/zip")
