"""What the case pages share: the acting officer, scoped case lookups, deadlines, masking."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from cases.models import Case, CaseState, LegalReview, Party
from cases.readonly import record_refusal, record_refused_attempt
from lawenforce.access import Role, get_in_scope_or_404, officer_of, roles_of

# Related rows a case's deadlines, its list row and `available_actions` read; prefetched once for
# a whole page of cases (on top of what cases.deadlines says it reads).
EXTRA_SELECT = ("power_item", "prior_notice", "hearing", "court_application")
EXTRA_PREFETCH = (
    Prefetch("parties", queryset=Party.objects.order_by("pk")),
    "handlers",
    "extensions",
    "legal_reviews",
    "deliberations",
    "services",
    "payments",
    "arrangements",
    "measures",
)


def with_deadline_data(queryset):
    try:
        from cases.deadlines import DEADLINE_PREFETCH, DEADLINE_SELECT
    except ImportError:
        DEADLINE_SELECT, DEADLINE_PREFETCH = (), ()
    select = dict.fromkeys((*DEADLINE_SELECT, *EXTRA_SELECT))
    prefetch = [p for p in DEADLINE_PREFETCH if p not in EXTRA_PREFETCH]
    return queryset.select_related(*select).prefetch_related(*EXTRA_PREFETCH, *prefetch)


def acting_officer(request):
    """The officer who acts; staff of an enforcement agency only (supervisors read, never act)."""
    officer = officer_of(request.user)
    roles = roles_of(request.user)
    if officer is None or Role.SUPERVISOR in roles:
        raise PermissionDenied
    return officer


def can_act(request, case):
    officer = officer_of(request.user)
    return officer is not None and officer.agency_id == case.agency_id and Role.SUPERVISOR not in roles_of(request.user)


def case_for_write(request, pk, queryset=None):
    """The case to change: in the user's write scope (404 otherwise) and an officer who acts."""
    queryset = queryset if queryset is not None else Case.objects.select_related("agency", "power_item")
    case = get_in_scope_or_404(queryset, request.user, "change", pk=pk)
    return case, acting_officer(request)


def review_for_write(request, pk):
    review = get_in_scope_or_404(
        LegalReview.objects.select_related("case__agency", "case__power_item", "case__discretion_standard"),
        request.user,
        "change",
        pk=pk,
    )
    return review, acting_officer(request)


def deadlines_of(case, today=None):
    """`cases.deadlines.case_deadlines`, or nothing while that module is not there yet."""
    try:
        from cases.deadlines import case_deadlines
    except ImportError:
        return []
    return list(case_deadlines(case, today=today))


def open_deadlines(deadlines):
    return sorted((d for d in deadlines if not d.done_on and d.due_on), key=lambda d: d.due_on)


def next_deadline(deadlines):
    pending = open_deadlines(deadlines)
    return pending[0] if pending else None


def decision_deadline(deadlines):
    """The deadline for the decision (办案期限): the deadline whose key names the decision."""
    return next((d for d in deadlines if d.key == "decision"), None)


def mask_id(value):
    """370811********1234: the region and the last four digits, enough to tell people apart."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * (len(value) - 2)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def add_workflow_error(form, error):
    """Show a refused step (WorkflowError or any ValidationError) on the form: every message at the
    top, and also on the field it names when the form has that field. The input stays."""
    form.add_error(None, error.messages)
    for field, errors in getattr(error, "error_dict", {}).items():
        if field in form.fields:
            form.add_error(field, [m for e in errors for m in e.messages])
    note_archived_refusal(error, getattr(form, "case", None), getattr(form, "actor", None))


def note_archived_refusal(error, case, actor):
    """An attempt to change an archived case is refused and recorded on its timeline (after the
    refused transaction has rolled back, so the record survives)."""
    if record_refusal(error, actor) is None and case is not None and case.state == CaseState.ARCHIVED:
        record_refused_attempt(case, actor, "；".join(error.messages))
