"""Dossier evaluation pages: samples (draws), one sample with its population, seed, results per
agency and evaluators, and one dossier's evaluation with the rubric, pre-checks and scores."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Document
from cases.views.timeline import build_timeline
from lawenforce.access import Role, get_in_scope_or_404, officer_of, restrict, roles_of
from lawenforce.models import Agency, Officer
from lawenforce.views.helpers import paginate
from supervision.forms import DrawForm
from supervision.models import DossierEvaluation, EvaluationSample, Rubric
from supervision.services import evaluation as service

from .common import is_supervisor, show_error, staff_required, supervisor_required


@staff_required
def sample_list(request):
    samples = restrict(EvaluationSample.objects.all(), request.user).select_related("bureau", "rubric")
    samples = samples.annotate(
        drawn=Count("evaluations"), finalized=Count("evaluations", filter=Q(evaluations__finalized_at__isnull=False))
    )
    officer = officer_of(request.user)
    mine = []
    if officer is not None:
        mine = list(
            DossierEvaluation.objects.filter(evaluator=officer, finalized_at__isnull=True).select_related(
                "case", "agency", "sample"
            )
        )
    return render(
        request,
        "supervision/sample_list.html",
        {
            "page": paginate(request, samples.order_by("-created_at"), 30),
            "mine": mine,
            "supervising": is_supervisor(request.user),
        },
    )


def _enforcing_agencies(user):
    return (
        restrict(Agency.objects.exclude(sector="justice"), user)
        .select_related("region")
        .order_by("region__path", "name")
    )


@supervisor_required
def sample_new(request):
    form = DrawForm(
        request.POST or None, agencies=_enforcing_agencies(request.user), rubrics=Rubric.objects.filter(active=True)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = service.create_sample(request.user, **data)
        except ValidationError as error:
            show_error(form, error)
        else:
            messages.success(request, _("已抽取 %(n)d 件案卷。") % {"n": sample.evaluations.count()})
            return redirect("supervision:sample", pk=sample.pk)
    return render(
        request, "supervision/sample_new.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


class AssignForm(forms.Form):
    evaluator = forms.ModelChoiceField(queryset=Officer.objects.none(), required=False)


@supervisor_required
def sample_detail(request, pk):
    sample = get_in_scope_or_404(
        EvaluationSample.objects.select_related("bureau", "rubric", "created_by"), request.user, pk=pk
    )
    evaluations = list(
        sample.evaluations.select_related("case", "agency", "evaluator__agency").order_by("agency__name", "case_id")
    )
    candidates = list(service.evaluator_choices(request.user, sample))
    for evaluation in evaluations:
        evaluation.candidates = [o for o in candidates if o.agency_id != evaluation.agency_id]
    failed_by_agency = {}
    for evaluation in evaluations:
        if evaluation.passed is False:
            failed_by_agency.setdefault(evaluation.agency, []).append(evaluation.case_id)
    context = {
        "sample": sample,
        "evaluations": evaluations,
        "results": service.results_by_agency(sample),
        "check": service.verify_draw(sample) if request.GET.get("verify") else None,
        "population": _population_rows(sample),
        "failed_by_agency": [(agency, ",".join(map(str, ids))) for agency, ids in failed_by_agency.items()],
    }
    return render(request, "supervision/sample_detail.html", context)


def _population_rows(sample):
    names = dict(sample.agencies.values_list("pk", "name"))
    return sorted(((int(k), names.get(int(k), ""), v) for k, v in sample.population.items()), key=lambda row: row[0])


@supervisor_required
@require_POST
def assign_evaluator(request, pk):
    evaluation = get_in_scope_or_404(DossierEvaluation.objects.select_related("sample", "agency"), request.user, pk=pk)
    evaluator = None
    if request.POST.get("evaluator"):
        evaluator = Officer.objects.filter(pk=request.POST["evaluator"]).first()
    try:
        service.assign(evaluation, request.user, evaluator)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已指派评查人。"))
    return redirect("supervision:sample", pk=evaluation.sample_id)


def _evaluation_for(request, pk):
    """The evaluator assigned, supervisors of the region, and (once final) the evaluated agency."""
    queryset = DossierEvaluation.objects.select_related(
        "case__agency", "case__power_item", "agency", "sample__rubric", "evaluator"
    )
    officer = officer_of(request.user)
    evaluation = queryset.filter(pk=pk).first()
    if evaluation is None:
        raise Http404
    if officer is not None and evaluation.evaluator_id == officer.pk:
        return evaluation
    evaluation = get_in_scope_or_404(queryset, request.user, pk=pk)
    if (
        Role.SUPERVISOR not in roles_of(request.user)
        and not request.user.is_superuser
        and evaluation.finalized_at is None
    ):
        raise Http404
    return evaluation


def _points(post, items):
    points, comments = {}, {}
    for item in items:
        raw = (post.get(f"points-{item.pk}") or "").strip()
        try:
            points[item.pk] = Decimal(raw) if raw else None
        except InvalidOperation:
            points[item.pk] = None
        comments[item.pk] = (post.get(f"comment-{item.pk}") or "").strip()
    return points, comments


@staff_required
def evaluation_detail(request, pk):
    evaluation = _evaluation_for(request, pk)
    items = list(evaluation.sample.rubric.items.all())
    if request.method == "POST":
        points, comments = _points(request.POST, items)
        try:
            if "precheck" in request.POST:
                if not service.can_score(request.user, evaluation):
                    raise Http404
                service.precheck(evaluation)
            else:
                service.save_scores(
                    evaluation,
                    request.user,
                    points,
                    comments,
                    request.POST.get("opinion", ""),
                    finalize="finalize" in request.POST,
                )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            return _render_evaluation(request, evaluation, items, points, comments, status=400)
        messages.success(request, _("已保存。"))
        return redirect("supervision:evaluation", pk=evaluation.pk)
    return _render_evaluation(request, evaluation, items)


def _render_evaluation(request, evaluation, items, points=None, comments=None, status=200):
    scores = {s.item_id: s for s in evaluation.scores.all()}
    rows = []
    for item in items:
        score = scores.get(item.pk)
        value = points.get(item.pk) if points is not None else (score.points if score else None)
        comment = comments.get(item.pk) if comments is not None else (score.comment if score else "")
        rows.append({"item": item, "score": score, "value": "" if value is None else value, "comment": comment})
    case = evaluation.case
    context = {
        "evaluation": evaluation,
        "case": case,
        "rows": rows,
        "can_score": service.can_score(request.user, evaluation),
        "documents": Document.objects.filter(case=case, superseded_by__isnull=True).order_by("created_at"),
        "timeline": build_timeline(case),
        "max_total": sum(i.max_points for i in items),
    }
    return render(request, "supervision/evaluation_detail.html", context, status=status)


@staff_required
def evaluation_document(request, pk, document_pk):
    """A document of the evaluated case, for the evaluator (who may be outside the case's scope)."""
    evaluation = _evaluation_for(request, pk)
    document = Document.objects.filter(pk=document_pk, case_id=evaluation.case_id).first()
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("文书文件不存在。")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{document.title}-{document.number or document.pk}.pdf",
        content_type="application/pdf",
    )
