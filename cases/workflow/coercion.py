"""Coercive measures inside a case: seal-up and seizure (查封、扣押, 《行政强制法》第十八条、第二十五条、第二十八条)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import rules
from cases.errors import WorkflowError
from cases.models import CaseState, CoerciveMeasure, DocumentKind, MeasureKind, MeasureState, SeizedItem
from cases.numbering import next_document_number

from ._base import lock_case, record_event, require_head, require_state

__all__ = ["end_measure", "extend_measure", "impose_measure", "record_measure_testing"]

ACL_18 = "《行政强制法》第十八条"
ACL_24 = "《行政强制法》第二十四条"
ACL_25 = "《行政强制法》第二十五条"
ACL_27_28 = "《行政强制法》第二十七条、第二十八条"
ACL_28 = "《行政强制法》第二十八条"

MEASURE_STATES = (
    CaseState.INVESTIGATING,
    CaseState.UNDER_REVIEW,
    CaseState.NOTIFIED,
    CaseState.HEARING,
    CaseState.LEGAL_REVIEW,
    CaseState.DELIBERATION,
    CaseState.PENDING_DECISION,
    CaseState.DECIDED,
    CaseState.SERVED,
    CaseState.EXECUTING,
)
ITEM_FIELDS = {"name", "specification", "quantity", "unit", "note"}


def _reason_required(reason, article, field="reason"):
    if not str(reason or "").strip():
        raise WorkflowError(_("请写明理由和依据。"), code="reason_required", article=article, field=field)


def _items(items):
    """The list of sealed or seized items (查封扣押清单), each a dict of SeizedItem fields, checked."""
    if not items:
        raise WorkflowError(
            _("请填写查封、扣押物品清单，至少一项。"), code="items_required", article=ACL_24, field="items"
        )
    rows = []
    for index, item in enumerate(items, start=1):
        unknown = set(item) - ITEM_FIELDS
        if unknown:
            raise WorkflowError(
                _("第 %(n)s 项物品有无法识别的项目：%(keys)s。") % {"n": index, "keys": "、".join(sorted(unknown))},
                code="invalid_item",
                field="items",
            )
        try:
            quantity = Decimal(str(item.get("quantity")))
        except InvalidOperation:
            quantity = None
        if quantity is None or not quantity.is_finite() or quantity <= 0:
            raise WorkflowError(
                _("第 %(n)s 项物品的数量应大于零。") % {"n": index}, code="invalid_item", article=ACL_24, field="items"
            )
        row = SeizedItem(**{**item, "quantity": quantity})
        try:
            row.full_clean(exclude=["measure"])
        except ValidationError as error:
            raise WorkflowError(
                _("第 %(n)s 项物品填写有误：%(errors)s") % {"n": index, "errors": "；".join(error.messages)},
                code="invalid_item",
                article=ACL_24,
                field="items",
            )
        rows.append(row)
    return rows


def _certified_handlers(case, day):
    category = case.power_item.enforcement_category if case.power_item_id else None
    return [h for h in case.handlers.all() if h.active and h.valid_certificate(day, category) is not None]


def _lock_measure(measure):
    list(CoerciveMeasure.objects.select_for_update().filter(pk=measure.pk).values_list("pk", flat=True))
    measure.refresh_from_db()
    return measure


def impose_measure(case, actor, *, kind, decided_on, reason, place, items):
    """Seal up or seize (ACL 18, 24, 25): approved by the head, carried out by two or more certified
    officers, with a numbered decision and a list of the items; in force for 30 days."""
    with transaction.atomic():
        lock_case(case)
        require_state(case, *MEASURE_STATES)
        require_head(case, actor, _("查封、扣押"))
        if kind not in MeasureKind.values:
            raise WorkflowError(_("请选择查封或扣押。"), code="invalid_kind", article=ACL_25, field="kind")
        if case.filed_on and decided_on < case.filed_on:
            raise WorkflowError(
                _("查封、扣押决定日期不能早于立案日期 %(day)s。") % {"day": case.filed_on},
                code="decided_before_filing",
                field="decided_on",
            )
        if len(_certified_handlers(case, decided_on)) < 2:
            raise WorkflowError(
                _("查封、扣押应当由两名以上持有效执法证的执法人员实施，本案承办人员不足两名，请先增加承办人员。"),
                code="two_officers_required",
                article=ACL_18,
                field="handlers",
            )
        _reason_required(reason, ACL_24)
        rows = _items(items)
        measure = CoerciveMeasure(
            case=case,
            kind=kind,
            number=next_document_number(case.agency, DocumentKind.SEIZURE_DECISION, decided_on.year),
            decided_on=decided_on,
            approved_by=actor,
            reason=reason,
            place=place,
            ends_on=rules.measure_ends_on(decided_on),
        )
        measure._change_reason = _("查封、扣押决定")
        measure.save()
        for row in rows:
            row.measure = measure
            row._change_reason = _("查封、扣押清单")
            row.save()
        record_event(
            case,
            actor,
            _("决定%(kind)s") % {"kind": measure.get_kind_display()},
            summary=_("%(number)s，物品 %(count)s 项，期限至 %(ends)s（%(article)s）。")
            % {"number": measure.number, "count": len(rows), "ends": measure.ends_on, "article": ACL_25},
        )
        return measure


def extend_measure(measure, actor, *, days, reason, extended_on=None):
    """Extend the measure once, by at most 30 days, with the head's approval and written reasons (ACL 25).
    `extended_on` (the approval date) must fall within the current period."""
    with transaction.atomic():
        measure = _lock_measure(measure)
        require_head(measure.case, actor, _("延长查封、扣押期限"))
        rules.check_measure_extension(measure, days, on_date=extended_on)
        _reason_required(reason, ACL_25)
        measure.extended_days = int(days)
        measure.extension_reason = reason
        measure.extension_approved_by = actor
        measure.ends_on = rules.measure_ends_on(measure.decided_on, measure.extended_days, measure.paused_days)
        measure._change_reason = _("延长查封、扣押期限")
        measure.save()
        record_event(
            measure.case,
            actor,
            _("延长查封、扣押期限"),
            summary=_("%(number)s 延长 %(days)s 日，期限至 %(ends)s（%(article)s）。")
            % {"number": measure.number, "days": measure.extended_days, "ends": measure.ends_on, "article": ACL_25},
        )
        return measure


def record_measure_testing(measure, actor, *, days, reason):
    """Days of testing, inspection, quarantine or appraisal, which do not count towards the period
    (ACL 25(3)); the party is told in writing. Replaces the days recorded before."""
    with transaction.atomic():
        measure = _lock_measure(measure)
        require_head(measure.case, actor, _("检测、检验、检疫或者技术鉴定期间"))
        if measure.state != MeasureState.IN_FORCE:
            raise WorkflowError(_("该措施已解除或处理。"), code="measure_not_in_force", article=ACL_25)
        if days is None or int(days) < 0:
            raise WorkflowError(_("请填写检测、鉴定的天数。"), code="invalid_days", article=ACL_25, field="days")
        _reason_required(reason, ACL_25)
        measure.paused_days = int(days)
        measure.ends_on = rules.measure_ends_on(measure.decided_on, measure.extended_days, measure.paused_days)
        measure._change_reason = _("检测、鉴定期间不计入期限")
        measure.save()
        record_event(
            measure.case,
            actor,
            _("检测、鉴定期间不计入查封、扣押期限"),
            summary=_("%(number)s：%(days)s 日，%(reason)s；期限至 %(ends)s（%(article)s）。")
            % {
                "number": measure.number,
                "days": measure.paused_days,
                "reason": reason,
                "ends": measure.ends_on,
                "article": ACL_25,
            },
        )
        return measure


def end_measure(measure, actor, *, state, ended_on, reason):
    """Release (解除) or dispose of (依法处理) the sealed or seized items (ACL 27, 28). Disposal is decided
    within the period; after it the items must be released."""
    with transaction.atomic():
        measure = _lock_measure(measure)
        require_head(measure.case, actor, _("解除或处理查封、扣押"))
        if measure.state != MeasureState.IN_FORCE:
            raise WorkflowError(
                _("该措施已于 %(day)s %(state)s，不能重复办理。")
                % {"day": measure.ended_on, "state": measure.get_state_display()},
                code="measure_not_in_force",
                article=ACL_28,
            )
        if state not in (MeasureState.RELEASED, MeasureState.DISPOSED):
            raise WorkflowError(_("请选择解除或依法处理。"), code="invalid_state", article=ACL_28, field="state")
        if not isinstance(ended_on, datetime.date) or ended_on < measure.decided_on:
            raise WorkflowError(
                _("解除或处理日期不能早于决定日期 %(day)s。") % {"day": measure.decided_on},
                code="ended_before_decision",
                field="ended_on",
            )
        _reason_required(reason, ACL_28)
        if state == MeasureState.DISPOSED and ended_on > measure.ends_on:
            raise WorkflowError(
                _("查封、扣押期限已于 %(day)s 届满，期限内未作出处理决定的，应当解除。") % {"day": measure.ends_on},
                code="measure_expired",
                article=ACL_27_28,
                field="state",
            )
        measure.state = state
        measure.ended_on = ended_on
        measure.end_reason = reason
        measure._change_reason = str(MeasureState(state).label)
        measure.save()
        summary = _("%(number)s %(state)s：%(reason)s（%(article)s）。") % {
            "number": measure.number,
            "state": measure.get_state_display(),
            "reason": reason,
            "article": ACL_28,
        }
        if ended_on > measure.ends_on:
            summary += _("期限 %(day)s 届满后才解除。") % {"day": measure.ends_on}
        record_event(measure.case, actor, _("%(state)s查封、扣押") % {"state": measure.get_state_display()}, summary)
        return measure
