"""Lead (线索) and filing (立案): register_lead, add_party, approve_filing, decline_filing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import Case, CaseState, Party
from cases.numbering import next_case_number
from cases.rules.config import apl
from cases.rules.procedure import check_handlers, check_limitation, check_power_item_held
from lawenforce.models import AgencyStatus

from ._base import record_event, transition
from .actions import (
    guard_add_party,
    guard_approve_filing,
    guard_decline_filing,
    lock_case,
    run_guard,
    save_with_reason,
)

__all__ = ["add_party", "approve_filing", "decline_filing", "register_lead"]


def _require_officer_of(agency, actor):
    if actor is None or actor.agency_id != agency.pk or not actor.active:
        raise WorkflowError(_("只有本执法主体在岗的执法人员才能登记线索。"), code="other_agency")


def _party_error(exc, name):
    """A party's field errors as one WorkflowError (a field error when only one field is wrong)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    fields = [f for f in errors if f not in (None, "__all__")]
    text = "；".join(m for msgs in errors.values() for m in msgs)
    message = _("当事人“%(name)s”的信息有误：%(errors)s") % {"name": name or _("（未填写名称）"), "errors": text}
    return WorkflowError(message, code="invalid_party", field=fields[0] if len(fields) == 1 else None)


def _create_party(case, fields, reason):
    party = Party(case=case, **fields)
    try:
        party.full_clean()
    except ValidationError as exc:
        raise _party_error(exc, fields.get("name")) from None
    return save_with_reason(party, reason)


@transaction.atomic
def register_lead(*, agency, actor, source, title, lead_received_on, lead_summary="", power_item=None, parties=()):
    """Register a lead (线索登记). `parties` are dicts of Party fields."""
    _require_officer_of(agency, actor)
    if not (title or "").strip():
        raise WorkflowError(_("请填写案由。"), code="title_required", field="title")
    if power_item is not None:
        check_power_item_held(agency, power_item)
    case = Case(
        agency=agency,
        source=source,
        title=title.strip(),
        lead_received_on=lead_received_on,
        lead_summary=lead_summary,
        power_item=power_item,
        registered_by=actor,
        state=CaseState.LEAD,
    )
    try:
        case.full_clean(exclude=["registered_by", "agency", "power_item"])
    except ValidationError as exc:
        raise WorkflowError("；".join(exc.messages), code="invalid_lead") from None
    save_with_reason(case, _("登记线索"))
    for fields in parties:
        _create_party(case, dict(fields), _("登记线索时添加当事人"))
    record_event(
        case,
        actor,
        _("登记线索"),
        summary=_("%(source)s：%(title)s") % {"source": case.get_source_display(), "title": case.title},
        to_state=CaseState.LEAD,
    )
    return case


@transaction.atomic
def add_party(case, actor, **fields):
    lock_case(case)
    run_guard(guard_add_party, case, actor)
    party = _create_party(case, fields, _("添加当事人"))
    record_event(case, actor, _("添加当事人"), summary=party.name)
    return party


@transaction.atomic
def approve_filing(
    case,
    actor,
    *,
    handlers,
    power_item,
    violation_date,
    filed_on,
    violation_continuing_until=None,
    involves_life_health_or_finance=False,
):
    """The head approves filing (立案): checks subject, officers and limitation, gives the case number."""
    lock_case(case)
    run_guard(guard_approve_filing, case, actor)
    agency = case.agency
    if agency.status != AgencyStatus.ACTIVE:
        raise WorkflowError(
            _("“%(agency)s”当前状态为“%(status)s”，不能立案。")
            % {"agency": agency.name, "status": agency.get_status_display()},
            code="agency_not_active",
            article=apl(38),
        )
    if filed_on < case.lead_received_on:
        raise WorkflowError(
            _("立案日期不能早于线索接收日期（%(date)s）。") % {"date": f"{case.lead_received_on:%Y-%m-%d}"},
            code="filed_before_lead",
            field="filed_on",
        )
    check_power_item_held(agency, power_item)
    handlers = list(dict.fromkeys(handlers))
    check_handlers(handlers, agency, power_item.enforcement_category, filed_on)
    check_limitation(violation_date, violation_continuing_until, case.lead_received_on, involves_life_health_or_finance)
    case.power_item = power_item
    case.violation_date = violation_date
    case.violation_continuing_until = violation_continuing_until
    case.involves_life_health_or_finance = involves_life_health_or_finance
    case.filed_on = filed_on
    case.number = next_case_number(agency, filed_on.year)
    transition(
        case,
        actor,
        CaseState.INVESTIGATING,
        _("批准立案"),
        summary=_("案号%(number)s，承办人员：%(names)s")
        % {"number": case.number, "names": "、".join(h.name for h in handlers)},
    )
    case.handlers.set(handlers)
    return case


@transaction.atomic
def decline_filing(case, actor, *, reason):
    lock_case(case)
    run_guard(guard_decline_filing, case, actor)
    if not (reason or "").strip():
        raise WorkflowError(_("请写明不予立案的理由。"), code="reason_required", field="reason")
    return transition(case, actor, CaseState.NOT_FILED, _("不予立案"), summary=reason.strip())
