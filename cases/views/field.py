"""Registering a lead, and the field work an officer does on a phone: the on-site inspection
record, the inquiry record (both become documents) and the summary procedure (当场处罚)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import workflow
from cases.forms import (
    InquiryRecordForm,
    InspectionRecordForm,
    LeadForm,
    PartyFormSet,
    QAFormSet,
    SummaryCaseForm,
)
from cases.models import DocumentKind

from .common import acting_officer, add_workflow_error, case_for_write


def _formset_with_extra_row(formset_class, data, prefix):
    """The submitted formset plus one empty row (the "add another" button, no JavaScript needed)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    data[key] = str(int(data.get(key) or 0) + 1)
    formset = formset_class(data, prefix=prefix)
    quiet(formset)
    for form in formset.forms:
        quiet(form)
    return formset


def quiet(form):
    """Bound but not yet validated: re-shown as typed, without error messages."""
    if hasattr(form, "forms"):
        form._errors = []
        form._non_form_errors = form.error_class()
    else:
        form._errors = ErrorDict()


@login_required
def register_lead(request):
    actor = acting_officer(request)
    agency = actor.agency
    data = request.POST or None
    form = LeadForm(data, agency=agency)
    if request.method == "POST" and "add_party_row" in request.POST:
        parties = _formset_with_extra_row(PartyFormSet, request.POST, "parties")
        quiet(form)
        return render(request, "cases/register.html", {"form": form, "parties": parties})
    parties = PartyFormSet(data, prefix="parties")
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        party_rows = [p.party_fields() for p in parties.forms if p.has_changed() and not p.cleaned_data.get("DELETE")]
        try:
            case = workflow.register_lead(agency=agency, actor=actor, parties=party_rows, **form.cleaned_data)
        except ValidationError as error:
            add_workflow_error(form, error)
        else:
            messages.success(request, _("线索已登记。"))
            return redirect("cases:detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/register.html", {"form": form, "parties": parties}, status=status)


@login_required
def summary_case(request):
    actor = acting_officer(request)
    form = SummaryCaseForm(request.POST or None, agency=actor.agency, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            case = workflow.decide_on_the_spot(agency=actor.agency, actor=actor, **form.workflow_kwargs())
        except ValidationError as error:
            add_workflow_error(form, error)
        else:
            messages.success(request, _("当场处罚决定已作出，请当场交付决定书。"))
            return redirect("cases:detail", pk=case.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "cases/summary_new.html", {"form": form}, status=status)


FIELD_RECORDS = {
    "inspection": (InspectionRecordForm, DocumentKind.INSPECTION_RECORD, None),
    "inquiry": (InquiryRecordForm, DocumentKind.INQUIRY_RECORD, QAFormSet),
}


def _generate(case, kind, actor, context):
    from cases import documents

    return documents.generate(case, kind, actor, context=context)


@login_required
def field_record(request, pk, record):
    if record not in FIELD_RECORDS:
        raise Http404
    form_class, kind, qa_class = FIELD_RECORDS[record]
    case, actor = case_for_write(request, pk)
    form = form_class(request.POST or None, case=case, actor=actor)
    qa = qa_class(request.POST or None, prefix="qa") if qa_class else None
    if request.method == "POST" and "add_qa_row" in request.POST and qa_class:
        qa = _formset_with_extra_row(qa_class, request.POST, "qa")
        quiet(form)
        return render(request, "cases/field_record.html", {"case": case, "form": form, "qa": qa, "kind": kind})
    if request.method == "POST" and form.is_valid() and (qa is None or qa.is_valid()):
        context = dict(form.cleaned_data)
        if qa is not None:
            context["qa"] = [
                {"question": row.cleaned_data["question"], "answer": row.cleaned_data["answer"]}
                for row in qa.forms
                if row.cleaned_data.get("question") or row.cleaned_data.get("answer")
            ]
        try:
            _generate(case, kind, actor, context)
        except ValidationError as error:
            add_workflow_error(form, error)
        else:
            messages.success(request, _("%(kind)s已生成。") % {"kind": kind.label})
            return redirect("cases:detail", pk=case.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "cases/field_record.html", {"case": case, "form": form, "qa": qa, "kind": kind}, status=status
    )
