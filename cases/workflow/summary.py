"""The summary procedure (简易程序): a penalty decided on the spot and reported to the agency (APL 51, 52).

The officer decides with `decide_on_the_spot`, hands the numbered decision over with
`serve_decision(method=ServiceMethod.ON_THE_SPOT)`, and reports the case with `report_summary_case`.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import rules
from cases.errors import WorkflowError
from cases.models import (
    PERSON_KINDS,
    Case,
    CaseState,
    DecisionKind,
    DocumentKind,
    Party,
    Procedure,
    Source,
)
from cases.numbering import next_document_number
from cases.rules.procedure import check_power_item_held

from ._base import record_event, require_same_agency

__all__ = ["decide_on_the_spot", "report_summary_case"]

APL_34 = "《行政处罚法》第三十四条"
APL_51 = "《行政处罚法》第五十一条"
APL_52 = "《行政处罚法》第五十二条"


def _build_party(party):
    """An unsaved Party from a dict of its fields (or a Party not yet saved), checked with full_clean."""
    if isinstance(party, Party):
        if party.pk is not None:
            raise WorkflowError(_("请填写本次当场处罚的当事人信息。"), code="invalid_party", field="party")
    elif isinstance(party, dict):
        unknown = set(party) - {f.name for f in Party._meta.concrete_fields} - {"case"}
        if unknown:
            raise WorkflowError(
                _("当事人信息中有无法识别的项目：%(keys)s。") % {"keys": "、".join(sorted(unknown))},
                code="invalid_party",
                field="party",
            )
        party = Party(**{k: v for k, v in party.items() if k != "case"})
    else:
        raise WorkflowError(_("请填写当事人信息。"), code="invalid_party", field="party")
    try:
        party.full_clean(exclude=["case"])
    except ValidationError as error:
        raise WorkflowError(
            _("当事人信息有误：%(errors)s") % {"errors": "；".join(error.messages)},
            code="invalid_party",
            field="party",
        )
    return party


def _check_discretion(standard, power_item, fine):
    if standard is None:
        return
    if standard.power_item_id != power_item.pk:
        raise WorkflowError(
            _("所选裁量基准不属于该权责事项，请选择该事项的裁量基准。"),
            code="standard_other_item",
            article=APL_34,
            field="discretion_standard",
        )
    if fine is None:
        return
    try:
        allowed = standard.fine_range()
    except ValueError:  # a multiple of an amount that is not known on the spot
        return
    if allowed is not None and not (allowed[0] <= fine <= allowed[1]):
        raise WorkflowError(
            _("罚款 %(fine)s 元不在裁量基准 %(low)s 至 %(high)s 元的范围内，请按裁量基准确定金额。")
            % {"fine": fine, "low": allowed[0], "high": allowed[1]},
            code="fine_outside_standard",
            article=APL_34,
            field="fine",
        )


def decide_on_the_spot(
    *,
    agency,
    actor,
    officers,
    power_item,
    party,
    facts,
    penalty_kinds,
    fine,
    place,
    decided_on,
    discretion_standard=None,
    title="",
):
    """An on-the-spot penalty (APL 51, 52): a warning or a small fine, decided by certified officers
    of the agency and written on a numbered decision form. `party` is a dict of Party fields (or an
    unsaved Party). Returns the case in state decided; serve it on the spot next."""
    officers = list(officers or [])
    penalty_kinds = list(penalty_kinds or [])
    if fine in (None, ""):
        fine = None
    else:
        try:
            fine = Decimal(str(fine))
        except InvalidOperation:
            raise WorkflowError(_("请填写正确的罚款金额。"), code="invalid_amount", field="fine")
    with transaction.atomic():
        if actor is None or actor.agency_id != agency.pk:
            raise WorkflowError(_("只有本机关的执法人员才能以本机关名义当场处罚。"), code="other_agency")
        if actor.pk not in {o.pk for o in officers}:
            raise WorkflowError(
                _("作出当场处罚的执法人员应当是现场执法人员之一。"),
                code="actor_not_officer",
                article=APL_52,
                field="officers",
            )
        check_power_item_held(agency, power_item)
        rules.check_summary_officers(agency, officers, power_item, decided_on)
        party = _build_party(party)
        rules.check_summary_thresholds(party.kind in PERSON_KINDS, penalty_kinds, fine)
        _check_discretion(discretion_standard, power_item, fine)
        if not str(facts or "").strip():
            raise WorkflowError(_("请写明违法事实。"), code="facts_required", article=APL_51, field="facts")
        if not str(place or "").strip():
            raise WorkflowError(_("请填写当场处罚的地点。"), code="place_required", article=APL_52, field="place")
        case = Case(
            agency=agency,
            procedure=Procedure.SUMMARY,
            state=CaseState.DECIDED,
            title=title or power_item.name.removeprefix("对").removesuffix("的行政处罚"),
            power_item=power_item,
            source=Source.INSPECTION,
            lead_received_on=decided_on,
            registered_by=actor,
            violation_date=decided_on,
            facts=facts,
            discretion_standard=discretion_standard,
            proposed_penalty_kinds=penalty_kinds,
            proposed_fine=fine,
            decision_kind=DecisionKind.PENALTY,
            decision_number=next_document_number(agency, DocumentKind.SUMMARY_DECISION, decided_on.year),
            decided_on=decided_on,
            decided_by=actor,
            penalty_kinds=penalty_kinds,
            fine_amount=fine,
            spot_place=place,
        )
        case._change_reason = _("当场作出行政处罚决定")
        case.save()
        case.handlers.set(officers)
        party.case = case
        party._change_reason = _("当场处罚当事人")
        party.save()
        record_event(
            case,
            actor,
            _("当场作出行政处罚决定"),
            summary=_("%(number)s：对%(party)s%(penalty)s，地点：%(place)s（%(article)s）。")
            % {
                "number": case.decision_number,
                "party": party.name,
                "penalty": _penalty_words(penalty_kinds, fine),
                "place": place,
                "article": APL_51,
            },
            to_state=CaseState.DECIDED,
        )
        return case


def _penalty_words(kinds, fine):
    from lawenforce.models import PenaltyKind

    words = [str(PenaltyKind(k).label) for k in kinds if k != PenaltyKind.FINE]
    if PenaltyKind.FINE in kinds:
        words.append(_("罚款 %(fine)s 元") % {"fine": fine})
    return "、".join(words)


def report_summary_case(case, actor, *, reported_on):
    """Report the on-the-spot decision to the agency for the record (APL 52), within the working days
    configured for the agency's sector. A late report is accepted and recorded as late."""
    with transaction.atomic():
        list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
        case.refresh_from_db()
        require_same_agency(case, actor)
        if case.procedure != Procedure.SUMMARY:
            raise WorkflowError(_("只有当场处罚（简易程序）案件需要报备。"), code="not_summary", article=APL_52)
        if case.reported_on is not None:
            raise WorkflowError(
                _("本案已于 %(day)s 报备，无需重复报备。") % {"day": case.reported_on},
                code="already_reported",
                article=APL_52,
            )
        if reported_on < case.decided_on:
            raise WorkflowError(
                _("报备日期不能早于处罚决定日期 %(day)s。") % {"day": case.decided_on},
                code="reported_before_decision",
                field="reported_on",
            )
        due_on = rules.summary_report_due_on(case)
        case.reported_on = reported_on
        case._change_reason = _("当场处罚报备")
        case.save()
        if reported_on > due_on:
            summary = _("逾期报备：应于 %(due)s 前报所属行政机关备案，实际 %(day)s 报备（%(article)s）。") % {
                "due": due_on,
                "day": reported_on,
                "article": APL_52,
            }
        else:
            summary = _("已在期限（%(due)s）内报所属行政机关备案（%(article)s）。") % {
                "due": due_on,
                "article": APL_52,
            }
        record_event(case, actor, _("当场处罚报备"), summary=summary)
        return case
