"""My cases (我的案件): the agency's cases, the handler's own first; a supervisor's region read-only."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import render

from cases.forms import CaseFilterForm
from cases.models import Case, Party
from lawenforce.access import Role, agencies_in_scope, officer_of, restrict, roles_of
from lawenforce.models import PowerItem
from lawenforce.views.helpers import paginate, query_without_page, today

from .common import deadlines_of, next_deadline, with_deadline_data

CASE_PAGE_SIZE = 30
DUE_SOON_DAYS = 7


def _filter(cases, form, officer):
    if not (form.is_bound and form.is_valid()):
        return cases
    data = form.cleaned_data
    if data["state"]:
        cases = cases.filter(state=data["state"])
    if data["power_item"]:
        cases = cases.filter(power_item_id=data["power_item"])
    if data.get("mine") and officer is not None:
        cases = cases.filter(handlers=officer)
    if data["q"]:
        q = data["q"].strip()
        parties = Party.objects.filter(case=OuterRef("pk"), name__icontains=q)
        cases = cases.filter(
            Q(number__icontains=q) | Q(title__icontains=q) | Q(decision_number__icontains=q) | Exists(parties)
        )
    return cases


def _matches_deadline(deadline, wanted):
    if deadline is None:
        return False
    if wanted == CaseFilterForm.OVERDUE:
        return deadline.days_left < 0
    return 0 <= deadline.days_left <= DUE_SOON_DAYS


@login_required
def case_list(request):
    user = request.user
    officer = officer_of(user)
    roles = roles_of(user)
    supervising = Role.SUPERVISOR in roles
    cases = restrict(Case.objects.all(), user)
    # The power items of the agencies in scope (not of the cases: that would scan every case).
    power_items = PowerItem.objects.filter(agencies__in=agencies_in_scope(user)).distinct().order_by("code")
    form = CaseFilterForm(request.GET or None, power_items=power_items, show_mine=not supervising)
    cases = _filter(cases.select_related("agency"), form, officer)
    # Newest first, served by the (agency, created_at) index; "只看我承办的" narrows to one's own.
    # (Sorting one's own cases first would sort every case of the agency on each page view.)
    cases = cases.order_by("-created_at", "-pk")
    cases = with_deadline_data(cases)
    day = today()
    wanted = form.cleaned_data.get("deadline") if form.is_bound and form.is_valid() else ""
    if wanted:
        # Deadlines are computed (working days, extensions), not stored: filter the open cases in Python.
        rows = []
        for case in cases.open():
            case.next_deadline = next_deadline(deadlines_of(case, today=day))
            if _matches_deadline(case.next_deadline, wanted):
                rows.append(case)
        page = paginate(request, rows, CASE_PAGE_SIZE)
    else:
        page = paginate(request, cases, CASE_PAGE_SIZE)
        for case in page:
            case.next_deadline = next_deadline(deadlines_of(case, today=day))
    for case in page:
        # Handlers are prefetched for the deadlines; no extra query per row.
        case.is_mine = officer is not None and any(h.pk == officer.pk for h in case.handlers.all())
        parties = list(case.parties.all())
        case.first_party = parties[0] if parties else None
        case.more_parties = len(parties) - 1
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "supervising": supervising,
        "can_register": officer is not None and not supervising,
        "show_agency": supervising or user.is_superuser,
    }
    return render(request, "cases/list.html", context)
