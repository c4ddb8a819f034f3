"""What each kind of document needs from the case, and the data it prints.

Every kind has a `check` that finds the record the document is about (the prior notice, the
hearing, the decision…) or refuses with a WorkflowError when that step has not happened yet,
and a `build` that turns the case into the template's context. Checks only read: numbers come
from the workflow, except the closing report's, which `cases.documents.generate` takes.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import (
    REVIEW_CHECKLIST,
    CaseState,
    DecisionKind,
    DocumentKind,
    MeasureKind,
    Procedure,
    ReviewOutcome,
)
from lawenforce.models import AgencyKind, PenaltyKind

from .amounts import amount_in_capitals, amount_in_figures
from .filters import chinese_date

NO_PENALTY_KINDS = {
    DecisionKind.NO_PENALTY_MINOR,
    DecisionKind.NO_PENALTY_FIRST,
    DecisionKind.NO_PENALTY_NO_FAULT,
    DecisionKind.NOT_ESTABLISHED,
}

# Why no penalty is given, with the article of 《中华人民共和国行政处罚法》 it rests on.
NO_PENALTY_GROUNDS = {
    DecisionKind.NO_PENALTY_MINOR: ("违法行为轻微并及时改正，没有造成危害后果", "第三十三条第一款"),
    DecisionKind.NO_PENALTY_FIRST: ("初次违法且危害后果轻微并及时改正", "第三十三条第一款"),
    DecisionKind.NO_PENALTY_NO_FAULT: ("当事人有证据足以证明没有主观过错", "第三十三条第二款"),
    DecisionKind.NOT_ESTABLISHED: ("违法事实不能成立", "第五十七条第一款第（三）项"),
}


class NotReady(WorkflowError):
    """The step this document records has not happened yet."""

    def __init__(self, message, article=""):
        super().__init__(message, code="document_not_ready", article=article)


@dataclass(frozen=True)
class Kind:
    template: str
    check: Callable[[Any, dict], Any]  # (case, extra) → the record the document is about; raises NotReady
    build: Callable[[Any, Any, dict], dict]  # (case, subject, extra) → template context incl. "number"


# ---------------------------------------------------------------- shared pieces


def issuing_agency(case):
    """The agency whose name heads the document: an entrusted organisation acts in the name of the
    agency that entrusted it (《行政处罚法》第二十条)."""
    agency = case.agency
    if agency.kind == AgencyKind.ENTRUSTED and agency.entrusting_agency_id:
        return agency.entrusting_agency
    return agency


def reconsideration_organ(agency):
    """The people's government at the agency's level hears reconsideration of its departments'
    acts (《行政复议法》第二十四条)."""
    return f"{agency.region.full_name}人民政府"


def provisions(case):
    if not case.power_item_id:
        return []
    return [
        {"law": p.law.name, "citation": p.citation, "text": p.text}
        for p in case.power_item.provisions.select_related("law").order_by("law__name", "article", "paragraph", "item")
    ]


def officers_with_certificates(officers, day=None, category=None):
    rows = []
    for officer in officers:
        cert = officer.valid_certificate(day, category) or officer.valid_certificate(day)
        rows.append({"name": officer.name, "certificate": cert.number if cert else ""})
    return rows


def handlers(case, day=None):
    category = case.power_item.enforcement_category if case.power_item_id else None
    return officers_with_certificates(case.handlers.order_by("name"), day or case.filed_on, category)


def penalty_items(kinds, fine, confiscation):
    """The numbered lines of the decision: 罚款人民币50,000.00元（大写：伍万元整）…"""
    items = []
    for kind in kinds or []:
        if kind == PenaltyKind.NONE:
            continue
        if kind == PenaltyKind.FINE and fine is not None:
            items.append(f"罚款人民币{amount_in_figures(fine)}元（大写：{amount_in_capitals(fine)}）")
        elif kind == PenaltyKind.CONFISCATE_GAINS and confiscation is not None:
            items.append(
                f"没收违法所得人民币{amount_in_figures(confiscation)}元（大写：{amount_in_capitals(confiscation)}）"
            )
        else:
            try:
                items.append(str(PenaltyKind(kind).label))
            except ValueError:
                items.append(str(kind))
    return items


def approver(case, to_state):
    event = case.events.filter(to_state=to_state).select_related("actor").order_by("-at", "-pk").first()
    return event.actor if event and event.actor_id else None


def case_cause(case):
    """The cause as the narrative uses it: 济宁某某公司涉嫌经营过期食品案 → 涉嫌经营过期食品 (“…一案”).
    A title that starts with the party's name loses the name: the documents say 当事人 instead."""
    cause = case.title.strip()
    for party in case.parties.all():
        if party.name and cause.startswith(party.name):
            cause = cause[len(party.name) :]
            break
    return cause[:-1] if cause.endswith("案") else cause


def base_context(case):
    agency = issuing_agency(case)
    return {
        "cause": case_cause(case),
        "case": case,
        "agency": agency,
        "agency_name": agency.name,
        "acting_agency": case.agency,
        "parties": list(case.parties.all()),
        "provisions": provisions(case),
        "power_item": case.power_item,
        "handlers": handlers(case),
        "reconsideration_organ": reconsideration_organ(agency),
    }


def _prior_notice(case):
    try:
        return case.prior_notice
    except case.__class__.prior_notice.RelatedObjectDoesNotExist:
        return None


def _hearing(case):
    try:
        return case.hearing
    except case.__class__.hearing.RelatedObjectDoesNotExist:
        return None


def procedure_history(case):
    """What happened between filing and decision, for the decision's narrative."""
    notice = _prior_notice(case)
    hearing = _hearing(case)
    reviews = [r for r in case.legal_reviews.all() if r.outcome == ReviewOutcome.APPROVED]
    return {
        "notice": notice,
        "hearing": hearing if hearing and hearing.held_on else None,
        "legal_review": reviews[-1] if reviews else None,
        "deliberation": case.deliberations.order_by("-held_on", "-pk").first(),
    }


# ---------------------------------------------------------------- checks


def _check_filed(case, extra):
    if case.procedure == Procedure.SUMMARY and case.decision_number:
        return case
    if not case.number or not case.filed_on:
        raise NotReady(_("案件尚未立案，不能制作此文书。请先办理立案审批。"), "《行政处罚法》第五十四条")
    return case


def _check_prior_notice(case, extra):
    notice = _prior_notice(case)
    if notice is None or not notice.number:
        raise NotReady(_("尚未进行事先告知，不能打印行政处罚告知书。"), "《行政处罚法》第四十四条")
    return notice


def _check_hearing_notice(case, extra):
    hearing = _hearing(case)
    if hearing is None or not hearing.notice_number:
        raise NotReady(_("尚未安排听证，不能打印听证通知书。"), "《行政处罚法》第六十四条")
    return hearing


def _check_hearing_record(case, extra):
    hearing = _hearing(case)
    if hearing is None or not hearing.held_on:
        raise NotReady(_("听证尚未举行，不能打印听证笔录。"), "《行政处罚法》第六十四条")
    return hearing


def _check_review(case, extra):
    review = extra.get("review")
    if review is None:
        review = (
            case.legal_reviews.exclude(outcome=ReviewOutcome.PENDING)
            .exclude(opinion_number="")
            .order_by("-reviewed_at", "-pk")
            .first()
        )
    if review is None or review.outcome == ReviewOutcome.PENDING or not review.opinion_number:
        raise NotReady(_("法制审核尚未出具审核意见，不能打印法制审核意见书。"), "《行政处罚法》第五十八条")
    return review


def _require_decision(case, what):
    if not case.decision_number or not case.decided_on:
        raise NotReady(_("本案尚未作出决定，不能打印%(what)s。") % {"what": what}, "《行政处罚法》第五十七条")


def _check_penalty_decision(case, extra):
    _require_decision(case, _("行政处罚决定书"))
    if case.procedure == Procedure.SUMMARY:
        raise NotReady(_("本案适用简易程序，请打印当场行政处罚决定书。"))
    if case.decision_kind != DecisionKind.PENALTY:
        raise NotReady(_("本案决定为“%(kind)s”，不能打印行政处罚决定书。") % {"kind": case.get_decision_kind_display()})
    return case


def _check_no_penalty_decision(case, extra):
    _require_decision(case, _("不予行政处罚决定书"))
    if case.decision_kind not in NO_PENALTY_KINDS:
        raise NotReady(
            _("本案决定为“%(kind)s”，不能打印不予行政处罚决定书。") % {"kind": case.get_decision_kind_display()}
        )
    return case


def _check_summary_decision(case, extra):
    if case.procedure != Procedure.SUMMARY:
        raise NotReady(_("本案适用普通程序，不能打印当场行政处罚决定书。"), "《行政处罚法》第五十一条")
    _require_decision(case, _("当场行政处罚决定书"))
    return case


def _check_measure(case, extra):
    measure = extra.get("measure") or case.measures.order_by("-decided_on", "-pk").first()
    if measure is None or measure.case_id != case.pk:
        raise NotReady(_("本案尚未决定采取查封、扣押措施，不能打印查封（扣押）决定书。"), "《行政强制法》第二十四条")
    return measure


def _servable(case):
    """The documents of the case that are served on the party, newest first: (title, number, date)."""
    out = []
    if case.decision_number and case.decided_on:
        out.append((_decision_title(case), case.decision_number, case.decided_on))
    for measure in case.measures.order_by("-decided_on", "-pk"):
        out.append((f"{measure.get_kind_display()}决定书", measure.number, measure.decided_on))
    hearing = _hearing(case)
    if hearing and hearing.notice_number:
        out.append(("听证通知书", hearing.notice_number, hearing.notice_served_on))
    notice = _prior_notice(case)
    if notice and notice.number:
        out.append(("行政处罚告知书", notice.number, notice.served_on))
    return out


def _check_service(case, extra):
    service = (
        extra.get("service")
        or case.services.select_related("document", "served_by").order_by("-served_on", "-pk").first()
    )
    if service is not None:
        return service
    if not _servable(case):
        raise NotReady(_("本案尚无需要送达的文书，不能打印送达回证。"), "《行政处罚法》第六十一条")
    return None


def _check_closed(case, extra):
    if not case.closed_on or case.state not in (CaseState.CLOSED, CaseState.ARCHIVED):
        raise NotReady(_("本案尚未结案，不能打印结案报告。"))
    return case


# ---------------------------------------------------------------- builds


def _decision_title(case):
    if case.procedure == Procedure.SUMMARY:
        return str(DocumentKind.SUMMARY_DECISION.label)
    if case.decision_kind in NO_PENALTY_KINDS:
        return str(DocumentKind.NO_PENALTY_DECISION.label)
    return str(DocumentKind.PENALTY_DECISION.label)


def _build_filing(case, subject, extra):
    return {
        "number": case.number,
        "head": approver(case, CaseState.INVESTIGATING),
        "registered_by": case.registered_by,
    }


def _qa_pairs(rows):
    """Questions and answers as (问, 答) pairs or {"question": …, "answer": …} dicts."""
    pairs = []
    for row in rows or []:
        if isinstance(row, dict):
            q, a = row.get("question", row.get("q", "")), row.get("answer", row.get("a", ""))
        else:
            q, a = row
        if q or a:
            pairs.append({"q": q or "", "a": a or ""})
    return pairs


def _moment(extra, moment_key, time_key):
    """A time of the record from a datetime (started_at) or a time (start_time)."""
    moment = extra.get(moment_key)
    if isinstance(moment, datetime.datetime):
        return moment.date(), moment.time()
    return None, extra.get(time_key)


def _build_record(case, subject, extra):
    qa = _qa_pairs(extra.get("qa"))
    person = extra.get("person") or {}
    if isinstance(person, str):
        person = {"name": person}
    person = {
        **person,
        "id_number": person.get("id_number") or extra.get("person_id_number", ""),
        "relation": person.get("relation") or extra.get("relation", ""),
    }
    start_day, start = _moment(extra, "started_at", "start_time")
    _end_day, end = _moment(extra, "ended_at", "end_time")
    day = extra.get("asked_on") or extra.get("inspected_on") or start_day
    officers = extra.get("officers")
    findings = extra.get("findings") or extra.get("content") or ""
    return {
        "number": "",
        "qa": qa,
        "person": person,
        "place": extra.get("place", ""),
        "record_day": day,
        "start_time": start,
        "end_time": end,
        "present": extra.get("present", ""),
        "recorder": extra.get("recorder", ""),
        "findings": findings,
        "record_handlers": officers_with_certificates(officers) if officers else handlers(case),
        "blank_lines": range(12 if not (qa or findings) else max(0, 4 - len(qa))),
    }


def _build_prior_notice(case, notice, extra):
    return {
        "number": notice.number,
        "notice": notice,
        "items": penalty_items(case.proposed_penalty_kinds, case.proposed_fine, case.proposed_confiscation),
        "contact": case.handlers.order_by("name").first(),
    }


def _build_hearing(case, hearing, extra):
    return {"number": hearing.notice_number, "hearing": hearing, "notice": _prior_notice(case)}


def _build_hearing_record(case, hearing, extra):
    return {"number": "", "hearing": hearing}


def _build_review(case, review, extra):
    checklist = [{"label": label, "checked": getattr(review, field)} for field, label in REVIEW_CHECKLIST]
    return {
        "number": review.opinion_number,
        "review": review,
        "checklist": checklist,
        "items": penalty_items(case.proposed_penalty_kinds, case.proposed_fine, case.proposed_confiscation),
        "review_unit": case.agency.legal_review_unit or "法制审核机构",
    }


def _build_decision(case, subject, extra):
    items = penalty_items(case.penalty_kinds, case.fine_amount, case.confiscated_amount)
    return {
        "number": case.decision_number,
        "items": items,
        "pays": case.fine_amount is not None or case.confiscated_amount is not None,
        "history": procedure_history(case),
        "standard": case.discretion_standard,
    }


def _build_no_penalty(case, subject, extra):
    ground, article = NO_PENALTY_GROUNDS[case.decision_kind]
    return {
        "number": case.decision_number,
        "ground": ground,
        "ground_article": article,
        "history": procedure_history(case),
    }


def _build_summary(case, subject, extra):
    category = case.power_item.enforcement_category if case.power_item_id else None
    return {
        "number": case.decision_number,
        "items": penalty_items(case.penalty_kinds, case.fine_amount, case.confiscated_amount),
        "pays": case.fine_amount is not None,
        "spot_officers": officers_with_certificates(case.handlers.order_by("name"), case.decided_on, category),
    }


def _build_measure(case, measure, extra):
    return {
        "number": measure.number,
        "measure": measure,
        "title": f"{measure.get_kind_display()}决定书",
        "measure_word": measure.get_kind_display(),
        "seal_up": measure.kind == MeasureKind.SEAL_UP,
        "items": list(measure.items.all()),
    }


def _build_service(case, service, extra):
    servable = _servable(case)
    served_title, served_number, _date = servable[0] if servable else ("", "", None)
    if service is not None and service.document_id:
        served_title, served_number = service.document.title, service.document.number
    return {"number": "", "service": service, "served_title": served_title, "served_number": served_number}


def _build_closing(case, subject, extra):
    payments = list(case.payments.all())
    try:
        court = case.court_application
    except case.__class__.court_application.RelatedObjectDoesNotExist:
        court = None
    return {
        "number": extra["number"],
        "items": penalty_items(case.penalty_kinds, case.fine_amount, case.confiscated_amount),
        "payments": payments,
        "paid_total": sum((p.amount for p in payments), start=0),
        "court": court,
        "head": approver(case, CaseState.CLOSED),
        "decided_kind": case.get_decision_kind_display(),
    }


def _tpl(name):
    return f"cases/documents/{name}.html"


KINDS = {
    DocumentKind.FILING_APPROVAL: Kind(_tpl("filing_approval"), _check_filed, _build_filing),
    DocumentKind.INQUIRY_RECORD: Kind(_tpl("inquiry_record"), _check_filed, _build_record),
    DocumentKind.INSPECTION_RECORD: Kind(_tpl("inspection_record"), _check_filed, _build_record),
    DocumentKind.PRIOR_NOTICE: Kind(_tpl("prior_notice"), _check_prior_notice, _build_prior_notice),
    DocumentKind.HEARING_NOTICE: Kind(_tpl("hearing_notice"), _check_hearing_notice, _build_hearing),
    DocumentKind.HEARING_RECORD: Kind(_tpl("hearing_record"), _check_hearing_record, _build_hearing_record),
    DocumentKind.LEGAL_REVIEW_OPINION: Kind(_tpl("legal_review_opinion"), _check_review, _build_review),
    DocumentKind.PENALTY_DECISION: Kind(_tpl("penalty_decision"), _check_penalty_decision, _build_decision),
    DocumentKind.NO_PENALTY_DECISION: Kind(_tpl("no_penalty_decision"), _check_no_penalty_decision, _build_no_penalty),
    DocumentKind.SUMMARY_DECISION: Kind(_tpl("summary_decision"), _check_summary_decision, _build_summary),
    DocumentKind.PROOF_OF_SERVICE: Kind(_tpl("proof_of_service"), _check_service, _build_service),
    DocumentKind.SEIZURE_DECISION: Kind(_tpl("seizure_decision"), _check_measure, _build_measure),
    DocumentKind.CLOSING_REPORT: Kind(_tpl("closing_report"), _check_closed, _build_closing),
}

__all__ = ["KINDS", "Kind", "NotReady", "base_context", "chinese_date", "issuing_agency"]
