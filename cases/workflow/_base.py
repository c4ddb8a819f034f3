"""What every workflow step shares: the state check, the event on the timeline, the actor checks.

Each public step function in cases.workflow validates (raising WorkflowError), writes its records,
moves the state through `transition`, and records a CaseEvent, all in one transaction. Views, the
API, importers and tests call these functions; nothing else writes case state.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import CaseEvent, CaseState


def require_state(case, *states):
    if case.state == CaseState.ARCHIVED and CaseState.ARCHIVED not in states:
        # An archived case is read-only whatever the step (seed 001 §二(二)4); the refusal is
        # recorded on the timeline by the caller (cases.readonly.record_refusal).
        from cases.readonly import CaseArchived

        raise CaseArchived(case.pk, _("办理已归档案件的办案环节"))
    if case.state not in states:
        allowed = "、".join(str(CaseState(s).label) for s in states)
        raise WorkflowError(
            _("案件当前处于“%(now)s”环节，此操作只能在“%(allowed)s”环节进行。")
            % {"now": case.get_state_display(), "allowed": allowed},
            code="wrong_state",
        )


def require_same_agency(case, actor):
    if actor is None or actor.agency_id != case.agency_id:
        raise WorkflowError(_("只有本案执法主体的人员才能办理此案。"), code="other_agency")


def require_head(case, actor, what):
    require_same_agency(case, actor)
    if not actor.is_agency_head:
        raise WorkflowError(
            _("%(what)s须由行政机关负责人批准，请提交机关负责人办理。") % {"what": what}, code="head_required"
        )


def require_handler(case, actor):
    require_same_agency(case, actor)
    if not case.handlers.filter(pk=actor.pk).exists():
        raise WorkflowError(_("只有本案承办人员才能办理此环节。"), code="handler_required")


def record_event(case, actor, action, summary="", from_state="", to_state=""):
    return CaseEvent.objects.create(
        case=case, actor=actor, action=action, summary=summary, from_state=from_state, to_state=to_state
    )


def transition(case, actor, to_state, action, summary="", reason=""):
    """Move the case to `to_state`, saving it (history row with `reason`) and recording the event."""
    from_state = case.state
    case.state = to_state
    case._change_reason = reason or action
    case.save()
    record_event(case, actor, action, summary=summary, from_state=from_state, to_state=to_state)
    return case


def lock_case(case):
    """Lock the case row for the step's transaction and reload it (SELECT … FOR UPDATE), so two
    officers taking the same step at once queue, and the second sees the state the first left.
    The caller's object is refreshed in place."""
    list(type(case).objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
    case.refresh_from_db()
    return case


def not_before(day, earliest, what, *, code, field):
    """Refuse a date earlier than the step it follows (a service before the decision, …)."""
    if earliest is not None and day < earliest:
        raise WorkflowError(
            _("%(what)s不能早于 %(earliest)s，请核对日期。") % {"what": what, "earliest": f"{earliest:%Y-%m-%d}"},
            code=code,
            field=field,
        )


def amount_or_none(value):
    """Money as Decimal (None stays None); forms and the API have validated the format."""
    return None if value is None else Decimal(value)
