"""One form page per workflow step. GET shows the form; POST calls the workflow function named
by the step; a refusal (WorkflowError) re-renders the form with the message at the top and the
input kept. The step's name is the workflow function's name, as in `available_actions`."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import forms as f
from cases import workflow
from cases.models import CoerciveMeasure, MeasureState, Remedy
from lawenforce.access import get_in_scope_or_404

from .common import add_workflow_error, case_for_write


@dataclass(frozen=True)
class Step:
    form: type
    title: str
    intro: str = ""
    phone: bool = False  # used in the field: single column, large targets


STEPS = {
    "add_party": Step(f.AddPartyForm, gettext_lazy("添加当事人")),
    "approve_filing": Step(
        f.ApproveFilingForm,
        gettext_lazy("批准立案"),
        gettext_lazy("机关负责人审批立案，指定两名以上持证执法人员承办。"),
    ),
    "decline_filing": Step(f.DeclineFilingForm, gettext_lazy("不予立案")),
    "extend_decision_period": Step(f.ExtendDecisionPeriodForm, gettext_lazy("延长办案期限")),
    "complete_investigation": Step(
        f.CompleteInvestigationForm,
        gettext_lazy("调查终结"),
        gettext_lazy("写明违法事实、证据和拟处罚意见，提交案件审核。"),
    ),
    "give_prior_notice": Step(
        f.PriorNoticeForm,
        gettext_lazy("事先告知"),
        gettext_lazy("送达行政处罚告知书，告知拟处罚内容及陈述、申辩、听证权利（《行政处罚法》第四十四条）。"),
    ),
    "record_statement": Step(f.StatementForm, gettext_lazy("记录陈述申辩")),
    "waive_statement": Step(f.WaiveStatementForm, gettext_lazy("当事人放弃陈述申辩")),
    "request_hearing": Step(f.RequestHearingForm, gettext_lazy("记录听证申请")),
    "schedule_hearing": Step(f.ScheduleHearingForm, gettext_lazy("安排听证")),
    "record_hearing": Step(f.RecordHearingForm, gettext_lazy("记录听证")),
    "proceed_to_decision": Step(
        f.SubmitForm,
        gettext_lazy("提交决定"),
        gettext_lazy("陈述申辩期满或听证结束后，提交法制审核、集体讨论或机关负责人决定。"),
    ),
    "resubmit_after_return": Step(f.SubmitForm, gettext_lazy("重新提交法制审核")),
    "record_deliberation": Step(f.DeliberationForm, gettext_lazy("集体讨论")),
    "decide": Step(f.DecideForm, gettext_lazy("作出决定")),
    "serve_decision": Step(f.ServeDecisionForm, gettext_lazy("送达决定书"), phone=True),
    "approve_payment_arrangement": Step(f.PaymentArrangementForm, gettext_lazy("批准延期（分期）缴纳")),
    "record_payment": Step(f.PaymentForm, gettext_lazy("登记缴款"), phone=True),
    "apply_to_court": Step(f.CourtApplicationForm, gettext_lazy("申请法院强制执行")),
    "close_case": Step(f.CloseCaseForm, gettext_lazy("结案")),
    "archive_case": Step(f.ArchiveCaseForm, gettext_lazy("归档")),
    "report_summary_case": Step(f.ReportSummaryForm, gettext_lazy("当场处罚备案"), phone=True),
    "record_remedy": Step(
        f.RemedyForm,
        gettext_lazy("登记行政复议、行政诉讼"),
        gettext_lazy("当事人对决定申请行政复议或者提起行政诉讼的，登记受理机关和日期；结果作出后再登记结果。"),
    ),
}


def step_title(name):
    step = STEPS.get(name)
    return step.title if step else None


def _render(request, case, name, step, form, formset=None, template="cases/step.html", extra=None):
    context = {
        "case": case,
        "step_name": name,
        "title": step.title,
        "intro": step.intro,
        "form": form,
        "formset": formset,
        "phone": step.phone,
        **(extra or {}),
    }
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


def _call(form, func):
    """Run the workflow function; on refusal put the message on the form and return None."""
    try:
        return func(**form.workflow_kwargs())
    except ValidationError as error:
        add_workflow_error(form, error)
        return None


@login_required
def case_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    spec = STEPS[step]
    case, actor = case_for_write(request, pk)
    form = spec.form(request.POST or None, case=case, actor=actor)
    if request.method == "POST" and form.is_valid():
        func = getattr(workflow, step)
        if _call(form, lambda **kw: func(case, actor, **kw)) is not None:
            messages.success(request, _("已办理：%(step)s。") % {"step": spec.title})
            return redirect("cases:detail", pk=case.pk)
    return _render(request, case, step, spec, form)


MEASURE_STEP = Step(
    f.MeasureForm,
    gettext_lazy("查封、扣押"),
    gettext_lazy("经机关负责人批准，制作查封（扣押）决定书和清单（《行政强制法》第十八条、第二十四条）。"),
)


@login_required
def impose_measure(request, pk):
    case, actor = case_for_write(request, pk)
    form = f.MeasureForm(request.POST or None, case=case, actor=actor)
    formset = f.SeizedItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        items = [
            {k: v for k, v in item.cleaned_data.items() if k != "DELETE"}
            for item in formset.forms
            if item.has_changed() and not item.cleaned_data.get("DELETE")
        ]

        def call(**kw):
            return workflow.impose_measure(case, actor, items=items, **kw)

        if _call(form, call) is not None:
            messages.success(request, _("已办理：%(step)s。") % {"step": MEASURE_STEP.title})
            return redirect("cases:detail", pk=case.pk)
    return _render(request, case, "impose_measure", MEASURE_STEP, form, formset, template="cases/measure.html")


MEASURE_STEPS = {
    "extend": (
        "extend_measure",
        Step(
            f.ExtendMeasureForm,
            gettext_lazy("延长查封、扣押期限"),
            gettext_lazy("情况复杂的，经机关负责人批准可以延长，延长不得超过三十日（《行政强制法》第二十五条）。"),
        ),
    ),
    "end": ("end_measure", Step(f.EndMeasureForm, gettext_lazy("解除或处理查封、扣押"))),
}


@login_required
def measure_step(request, pk, measure_pk, step):
    if step not in MEASURE_STEPS:
        raise Http404
    func_name, spec = MEASURE_STEPS[step]
    case, actor = case_for_write(request, pk)
    measure = get_in_scope_or_404(CoerciveMeasure.objects.all(), request.user, "change", pk=measure_pk, case=case)
    form = spec.form(request.POST or None, case=case, actor=actor)
    if request.method == "POST" and form.is_valid():
        func = getattr(workflow, func_name)
        if _call(form, lambda **kw: func(measure, actor, **kw)) is not None:
            messages.success(request, _("已办理：%(step)s。") % {"step": spec.title})
            return redirect("cases:detail", pk=case.pk)
    return _render(
        request,
        case,
        func_name,
        spec,
        form,
        extra={"measure": measure, "in_force": measure.state == MeasureState.IN_FORCE},
    )


REMEDY_OUTCOME_STEP = Step(
    f.RemedyOutcomeForm,
    gettext_lazy("登记复议诉讼结果"),
    gettext_lazy(
        "原决定被变更、撤销、责令重作或确认违法、无效的，已公开的决定将自动撤下（《行政处罚法》第四十八条第二款）。"
    ),
)


@login_required
def remedy_outcome(request, pk, remedy_pk):
    case, actor = case_for_write(request, pk)
    remedy = get_in_scope_or_404(Remedy.objects.all(), request.user, "change", pk=remedy_pk, case=case)
    form = REMEDY_OUTCOME_STEP.form(request.POST or None, case=case, actor=actor)
    if request.method == "POST" and form.is_valid():
        if _call(form, lambda **kw: workflow.record_remedy_outcome(remedy, actor, **kw)) is not None:
            messages.success(request, _("已办理：%(step)s。") % {"step": REMEDY_OUTCOME_STEP.title})
            return redirect("cases:detail", pk=case.pk)
    return _render(request, case, "record_remedy_outcome", REMEDY_OUTCOME_STEP, form, extra={"remedy": remedy})
