"""The legal-review queue (法制审核) of an agency's legal reviewers, oldest first, and one review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import workflow
from cases.forms import LegalReviewForm
from cases.models import REVIEW_CHECKLIST, Case, LegalReview, ReviewOutcome
from lawenforce.access import Role, restrict, roles_of
from lawenforce.views.helpers import today

from .common import add_workflow_error, deadlines_of, decision_deadline, mask_id, review_for_write, with_deadline_data
from .detail import actions_for, penalty_labels


def _require_reviewer(request):
    roles = roles_of(request.user)
    if Role.LEGAL_REVIEWER not in roles or Role.SUPERVISOR in roles:
        raise PermissionDenied(_("只有法制审核人员才能查看法制审核队列。"))


@login_required
def review_queue(request):
    _require_reviewer(request)
    reviews = list(
        restrict(LegalReview.objects.filter(outcome=ReviewOutcome.PENDING), request.user, "change")
        .select_related("submitted_by")
        .order_by("submitted_at", "pk")
    )
    in_queue = Case.objects.filter(pk__in=[r.case_id for r in reviews])
    cases = {c.pk: c for c in with_deadline_data(restrict(in_queue, request.user))}
    day = today()
    for review in reviews:
        review.case_row = cases[review.case_id]
        review.decision_deadline = decision_deadline(deadlines_of(review.case_row, today=day))
        parties = list(review.case_row.parties.all())
        review.first_party = parties[0] if parties else None
    return render(request, "cases/review_queue.html", {"reviews": reviews})


@login_required
def review_detail(request, pk):
    _require_reviewer(request)
    review, actor = review_for_write(request, pk)
    case = (
        with_deadline_data(Case.objects.select_related("discretion_standard"))
        .prefetch_related("power_item__provisions__law", "legal_reviews__reviewer")
        .get(pk=review.case_id)
    )
    form = LegalReviewForm(request.POST or None) if review.outcome == ReviewOutcome.PENDING else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            workflow.give_legal_review(review, actor, **form.workflow_kwargs())
        except ValidationError as error:
            add_workflow_error(form, error)
        else:
            messages.success(request, _("法制审核意见已提交。"))
            return redirect("cases:review-queue")
    parties = list(case.parties.all())
    for party in parties:
        party.masked_id_number = mask_id(party.id_number)
    is_handler = any(h.pk == actor.pk for h in case.handlers.all())
    refusals = [
        reason
        for action in actions_for(case, actor)
        if action["name"] == "give_legal_review" and not action["allowed"]
        for reason in action["reasons"]
    ]
    standard = case.discretion_standard
    context = {
        "review": review,
        "case": case,
        "parties": parties,
        "form": form,
        "is_handler": is_handler,
        "refusals": refusals,
        "checklist": REVIEW_CHECKLIST,
        "standard": standard,
        "fine_range": _fine_range(standard, case),
        "provisions": list(case.power_item.provisions.all()) if case.power_item else [],
        "decision_deadline": decision_deadline(deadlines_of(case, today=today())),
        "rounds": [r for r in case.legal_reviews.all() if r.pk != review.pk],
        "penalty_labels": penalty_labels(case.proposed_penalty_kinds),
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "cases/review_detail.html", context, status=status)


def _fine_range(standard, case):
    if standard is None:
        return None
    try:
        return standard.fine_range(case.fine_base_amount)
    except (ValueError, TypeError):
        return None
