"""The lifecycle of an alert: open → notified → rectified | dismissed, and back to notified when a
supervisor finds a rectification wanting. Every change is an AlertEntry. Who may do what:

- supervisors (their region and below): notify the agency, dismiss with a reason, reopen;
- officers of the alert's agency: answer (an explanation, kept as an entry) and report the
  rectification, which closes the alert as rectified (the supervisor may reopen it).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from lawenforce.access import Role, officer_of, restrict, roles_of
from supervision.models import ACTIVE_STATES, Alert, AlertEntry, AlertState, EntryKind


def is_supervisor_of(user, alert):
    return Role.SUPERVISOR in roles_of(user) and restrict(Alert.objects.filter(pk=alert.pk), user).exists()


def is_officer_of(user, alert):
    officer = officer_of(user)
    return officer is not None and officer.agency_id == alert.agency_id and Role.SUPERVISOR not in roles_of(user)


def allowed_actions(user, alert):
    actions = []
    if is_supervisor_of(user, alert):
        if alert.state == AlertState.OPEN:
            actions.append("notify")
        if alert.state in ACTIVE_STATES:
            actions.append("dismiss")
        if alert.state in (AlertState.RECTIFIED, AlertState.DISMISSED):
            actions.append("reopen")
    if is_officer_of(user, alert) and alert.state in ACTIVE_STATES:
        actions += ["respond", "rectify"]
    return actions


def _text(value, what):
    value = (value or "").strip()
    if not value:
        raise WorkflowError(_("请填写%(what)s。") % {"what": what}, code="text_required", field="text")
    return value


def _change(alert, actor, kind, to_state, text, **fields):
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    from_state = alert.state
    if to_state:
        alert.state = to_state
    for name, value in fields.items():
        setattr(alert, name, value)
    alert.save()
    AlertEntry.objects.create(
        alert=alert,
        actor=actor,
        kind=kind,
        from_state=from_state if to_state else "",
        to_state=to_state or "",
        text=text,
    )
    return alert


def _require(user, alert, action):
    if action not in allowed_actions(user, alert):
        raise WorkflowError(_("您不能对这条预警进行此操作，或预警当前的状态不允许。"), code="alert_action_not_allowed")


@transaction.atomic
def notify(alert, user, text=""):
    """A supervisor tells the agency to rectify (the alert is then "notified")."""
    _require(user, alert, "notify")
    text = (text or "").strip() or _("请依法核查整改，并在系统中答复整改情况。")
    return _change(alert, officer_of(user), EntryKind.NOTIFIED, AlertState.NOTIFIED, text, notified_at=timezone.now())


@transaction.atomic
def dismiss(alert, user, reason):
    _require(user, alert, "dismiss")
    reason = _text(reason, _("撤销预警的理由"))
    officer = officer_of(user)
    return _change(
        alert,
        officer,
        EntryKind.DISMISSED,
        AlertState.DISMISSED,
        reason,
        resolved_at=timezone.now(),
        resolved_by=officer,
        resolution=reason,
    )


@transaction.atomic
def reopen(alert, user, reason):
    _require(user, alert, "reopen")
    reason = _text(reason, _("重新打开的理由"))
    return _change(
        alert,
        officer_of(user),
        EntryKind.REOPENED,
        AlertState.NOTIFIED,
        reason,
        resolved_at=None,
        resolved_by=None,
        resolution="",
    )


@transaction.atomic
def respond(alert, user, text):
    """The agency explains (without closing the alert)."""
    _require(user, alert, "respond")
    return _change(alert, officer_of(user), EntryKind.RESPONSE, "", _text(text, _("答复内容")))


@transaction.atomic
def rectify(alert, user, text):
    """The agency reports what it did; the alert closes as rectified."""
    _require(user, alert, "rectify")
    text = _text(text, _("整改情况"))
    officer = officer_of(user)
    return _change(
        alert,
        officer,
        EntryKind.RECTIFIED,
        AlertState.RECTIFIED,
        text,
        resolved_at=timezone.now(),
        resolved_by=officer,
        resolution=text,
    )


ACTIONS = {"notify": notify, "dismiss": dismiss, "reopen": reopen, "respond": respond, "rectify": rectify}
