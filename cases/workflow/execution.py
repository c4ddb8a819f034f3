"""From the decision to the archive: service, payment, deferral, application to court, closing, archiving.

The contract is in cases/README.md; the rules are in cases/rules/execution.py.
"""

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from cases import rules
from cases.dossier import build_dossier
from cases.errors import WorkflowError
from cases.models import (
    ArrangementKind,
    CaseState,
    CourtApplication,
    DecisionKind,
    Document,
    DocumentKind,
    Payment,
    PaymentArrangement,
    Procedure,
    Service,
    ServiceMethod,
)
from lawenforce.ledger import keys, receipts
from lawenforce.ledger import log as ledger_log
from lawenforce.models import LedgerEntry

from ._base import (
    lock_case,
    not_before,
    record_event,
    require_handler,
    require_head,
    require_same_agency,
    require_state,
    transition,
)

__all__ = [
    "approve_payment_arrangement",
    "apply_to_court",
    "archive_case",
    "close_case",
    "record_payment",
    "serve_decision",
    "service_receipt",
]

APL_61 = "《行政处罚法》第六十一条"
APL_66 = "《行政处罚法》第六十六条"
APL_66_2 = "《行政处罚法》第六十六条第二款"
APL_67 = "《行政处罚法》第六十七条"
APL_72 = "《行政处罚法》第七十二条"
APL_52 = "《行政处罚法》第五十二条"
ACL_53_54 = "《行政强制法》第五十三条、第五十四条"
logger = logging.getLogger(__name__)
ARCHIVE_DAYS = 30  # the dossier is archived within 30 days of the end of the act (seed 001 §二(二)4)


def _money(value, field):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise WorkflowError(_("请填写正确的金额。"), code="invalid_amount", field=field)
    if not amount.is_finite() or amount <= 0:
        raise WorkflowError(_("金额必须大于零。"), code="invalid_amount", field=field)
    if amount != amount.quantize(rules.CENT):
        raise WorkflowError(_("金额最多保留两位小数（分）。"), code="invalid_amount", field=field)
    return amount.quantize(rules.CENT)


def _has_money_to_collect(case):
    return case.decision_kind in ("", DecisionKind.PENALTY) and rules.amount_due(case) > 0


def serve_decision(case, actor, *, method, served_on, recipient, address="", party=None, note=""):
    """Serve the decision (APL 61). With a fine or confiscation to pay the case moves on to execution,
    with the payment period of 15 days from service (APL 66); otherwise it is served."""
    with transaction.atomic():
        case = lock_case(case)
        require_state(case, CaseState.DECIDED)
        require_handler(case, actor)
        if method not in ServiceMethod.values:
            raise WorkflowError(_("请选择送达方式。"), code="invalid_method", field="method")
        if not str(recipient or "").strip():
            raise WorkflowError(_("请填写受送达人。"), code="recipient_required", field="recipient")
        not_before(served_on, case.decided_on, _("送达日期"), code="served_before_decision", field="served_on")
        if case.procedure == Procedure.SUMMARY and method != ServiceMethod.ON_THE_SPOT:
            raise WorkflowError(
                _("当场处罚决定书应当当场交付当事人，请选择“当场交付”。"),
                code="summary_on_the_spot",
                article=APL_52,
                field="method",
            )
        if method == ServiceMethod.ELECTRONIC:
            parties = [party] if party is not None else list(case.parties.all()) or [None]
            for p in parties:
                rules.check_electronic_service(p)
        document = decision_document(case)
        entry, checkpoint = _receipt_parts(document)
        service = Service.objects.create(
            case=case,
            method=method,
            served_on=served_on,
            recipient=recipient,
            address=address,
            served_by=actor,
            note=note,
            ledger_index=entry.index if entry is not None else None,
            receipt_checkpoint=checkpoint,
        )
        case.served_on = served_on
        summary = _("%(method)s，受送达人：%(recipient)s。") % {
            "method": ServiceMethod(method).label,
            "recipient": recipient,
        }
        if case.decided_on and served_on > rules.safe_calendar.add_working_days(
            case.decided_on, rules.SERVICE_WORKING_DAYS
        ):
            summary += _("超过七个工作日送达期限（%(article)s）。") % {"article": APL_61}
        if _has_money_to_collect(case):
            case.payment_due_on = rules.payment_due_on(served_on)
            summary += _("应于 %(due)s 前缴纳 %(amount)s 元（%(article)s）。") % {
                "due": case.payment_due_on,
                "amount": rules.amount_due(case),
                "article": APL_66,
            }
            to_state = CaseState.EXECUTING
        else:
            to_state = CaseState.SERVED
        transition(case, actor, to_state, _("送达处罚决定书"), summary=summary)
        return service


DECISION_DOCUMENT_KINDS = (
    DocumentKind.PENALTY_DECISION,
    DocumentKind.NO_PENALTY_DECISION,
    DocumentKind.SUMMARY_DECISION,
)


def decision_document(case):
    """The current printing of the case's decision document (the one served), or None."""
    return (
        Document.objects.filter(case=case, kind__in=DECISION_DOCUMENT_KINDS, superseded_by__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def _receipt_parts(document):
    """The served document's ledger entry and a signed checkpoint covering it (issue 4: a receipt is
    issued with every served decision; a checkpoint is signed on demand when none covers the entry).
    Service is a legal act and stands without them: with no signing key, or a ledger that refuses to
    sign, the service is recorded without a receipt (the receipt page then says why)."""
    if document is None:
        return None, None
    entry = receipts.entry_for("document", document)
    if entry is None:
        return None, None
    try:
        return entry, receipts.covering_checkpoint(entry)
    except keys.SigningKeyMissing:
        return entry, None
    except ledger_log.LedgerError:
        logger.exception("no receipt for document %s: the ledger refused to sign a checkpoint", document.pk)
        return entry, None


def service_receipt(service):
    """The receipt (存证回执) of a served document as a party keeps it; checked offline with
    ``python -m lawenforce.ledger.verify receipt FILE --document DECISION.pdf``. Raises WorkflowError
    with what is missing when there is none."""
    if service.ledger_index is None:
        raise WorkflowError(
            _("该次送达没有关联已存证的决定书文书，无法出具存证回执。请先生成决定书文书，再登记送达。"),
            code="no_receipt",
        )
    entry = LedgerEntry.objects.filter(index=service.ledger_index).first()
    if entry is None:
        raise WorkflowError(
            _("存证日志中找不到该文书的第 %(n)d 条记录，日志可能被删改。请联系系统管理员运行 verify_ledger 核查。")
            % {"n": service.ledger_index},
            code="ledger_entry_missing",
        )
    checkpoint = service.receipt_checkpoint
    if checkpoint is None:
        try:
            checkpoint = receipts.covering_checkpoint(entry)
        except keys.SigningKeyMissing:
            raise WorkflowError(
                _("存证日志尚未配置签名密钥，暂不能出具回执。请联系系统管理员配置 LEDGER_SIGNING_KEY。"),
                code="ledger_key_missing",
            ) from None
        except ledger_log.LedgerError:
            raise WorkflowError(
                _("存证日志与已签名的检查点不一致，暂不能出具回执。请联系系统管理员运行 verify_ledger 核查。"),
                code="ledger_corrupt",
            ) from None
    # The document is named by the entry (not Service.document, which PROTECTs what it points to
    # and is left to the proof-of-service records that set it).
    document = Document.objects.get(pk=int(entry.object_pk))
    try:
        return _receipt(service, entry, checkpoint, document)
    except ledger_log.LedgerCorrupt:  # stored nodes missing or disagreeing: no proof can be given
        raise WorkflowError(
            _("存证日志的存储数据不完整或不一致，暂不能出具证明。请联系系统管理员运行 verify_ledger 核查。"),
            code="ledger_corrupt",
        ) from None


def _receipt(service, entry, checkpoint, document):
    return receipts.receipt(
        entry,
        checkpoint,
        case={"number": service.case.number, "decision_number": service.case.decision_number},
        document={
            "kind": document.kind,
            "title": document.title,
            "number": document.number,
            "sha256": document.sha256,
            "size": document.size,
        },
        service={
            "method": service.method,
            "method_display": str(ServiceMethod(service.method).label),
            "served_on": service.served_on.isoformat(),
            "recipient": service.recipient,
        },
    )


def approve_payment_arrangement(case, actor, *, kind, applied_on, approved_on, final_due_on, instalments=(), reason):
    """Deferral or instalments on the party's application and the head's approval (APL 66(2))."""
    with transaction.atomic():
        case = lock_case(case)
        require_state(case, CaseState.EXECUTING)
        require_head(case, actor, _("延期（分期）缴纳罚款"))
        if kind not in ArrangementKind.values:
            raise WorkflowError(_("请选择延期缴纳或分期缴纳。"), code="invalid_kind", article=APL_66_2, field="kind")
        if not str(reason or "").strip():
            raise WorkflowError(
                _("请写明当事人确有经济困难的理由。"), code="reason_required", article=APL_66_2, field="reason"
            )
        if not (case.fine_amount or 0) > 0:
            raise WorkflowError(
                _("只有罚款可以申请延期或分期缴纳，本案没有罚款。"), code="no_fine", article=APL_66_2, field="kind"
            )
        not_before(applied_on, case.served_on, _("申请日期"), code="applied_before_service", field="applied_on")
        not_before(approved_on, applied_on, _("批准日期"), code="approved_before_application", field="approved_on")
        not_before(
            final_due_on, case.payment_due_on, _("最终缴清期限"), code="final_due_before_due", field="final_due_on"
        )
        if final_due_on <= approved_on:
            raise WorkflowError(
                _("最终缴清期限应晚于批准日期。"),
                code="final_due_before_approval",
                article=APL_66_2,
                field="final_due_on",
            )
        if rules.amount_outstanding(case, approved_on) <= 0:
            raise WorkflowError(_("当事人已缴清，无需延期或分期。"), code="nothing_outstanding", article=APL_66_2)
        plan = []
        if kind == ArrangementKind.INSTALMENTS:
            if not instalments:
                raise WorkflowError(
                    _("分期缴纳请填写每期的期限和金额。"),
                    code="instalments_required",
                    article=APL_66_2,
                    field="instalments",
                )
            total, previous = Decimal(0), None
            for row in instalments:
                due, amount = row.get("due_on"), _money(row.get("amount"), "instalments")
                if isinstance(due, str):
                    due = datetime.date.fromisoformat(due)
                if not isinstance(due, datetime.date) or (previous and due <= previous) or due > final_due_on:
                    raise WorkflowError(
                        _("各期期限应依次递增，且不晚于最终缴清期限 %(final)s。") % {"final": final_due_on},
                        code="instalments_dates",
                        article=APL_66_2,
                        field="instalments",
                    )
                previous, total = due, total + amount
                plan.append({"due_on": due.isoformat(), "amount": str(amount)})
            principal_left, _surcharge_left = rules.balances(case, approved_on)
            if total != principal_left:
                raise WorkflowError(
                    _("各期金额合计 %(total)s 元，应等于尚未缴纳的 %(left)s 元。")
                    % {"total": total, "left": principal_left},
                    code="instalments_total",
                    article=APL_66_2,
                    field="instalments",
                )
        arrangement = PaymentArrangement(
            case=case,
            kind=kind,
            applied_on=applied_on,
            approved_by=actor,
            approved_on=approved_on,
            final_due_on=final_due_on,
            instalments=plan,
            reason=reason,
        )
        arrangement._change_reason = _("批准延期（分期）缴纳")
        arrangement.save()
        record_event(
            case,
            actor,
            _("批准%(kind)s") % {"kind": ArrangementKind(kind).label},
            summary=_("最终缴清期限 %(final)s（%(article)s）。") % {"final": final_due_on, "article": APL_66_2},
        )
        return arrangement


def record_payment(case, actor, *, amount, paid_on, receipt_number):
    """A payment at the bank or electronically (APL 67). A late payment carries its share of the
    surcharge (APL 72(1)); the fine and confiscation are paid first."""
    with transaction.atomic():
        case = lock_case(case)
        require_state(case, CaseState.EXECUTING)
        require_same_agency(case, actor)
        amount = _money(amount, "amount")
        if not str(receipt_number or "").strip():
            raise WorkflowError(
                _("请填写缴款票据号码。"), code="receipt_required", article=APL_67, field="receipt_number"
            )
        not_before(paid_on, case.served_on, _("缴款日期"), code="paid_before_service", field="paid_on")
        outstanding = rules.amount_outstanding(case, paid_on)
        if amount > outstanding:
            raise WorkflowError(
                _("缴款 %(amount)s 元超过 %(day)s 应缴的 %(left)s 元（含加处罚款），请核对金额。")
                % {"amount": amount, "day": paid_on, "left": outstanding},
                code="overpayment",
                article=APL_72,
                field="amount",
            )
        _principal, surcharge_part = rules.payment_split(case, amount, paid_on)
        payment = Payment(
            case=case,
            amount=amount,
            surcharge_part=surcharge_part,
            paid_on=paid_on,
            receipt_number=receipt_number,
            recorded_by=actor,
        )
        payment._change_reason = _("登记缴款")
        payment.save()
        summary = _("缴纳 %(amount)s 元，票据号 %(receipt)s。") % {"amount": amount, "receipt": receipt_number}
        if surcharge_part:
            summary += _("其中加处罚款 %(part)s 元（%(article)s）。") % {"part": surcharge_part, "article": APL_72}
        record_event(case, actor, _("登记缴款"), summary=summary)
        left = rules.amount_outstanding(case, paid_on)
        if left <= 0:
            record_event(
                case,
                actor,
                _("已全部缴清"),
                summary=_("罚没款及加处罚款已全部缴清，可以结案。"),
            )
        return payment


def apply_to_court(case, actor, *, reminder_served_on, applied_on, court):
    """Reminder (催告) and application to the people's court for compulsory execution (ACL 53, 54)."""
    with transaction.atomic():
        case = lock_case(case)
        require_state(case, CaseState.EXECUTING)
        require_head(case, actor, _("申请人民法院强制执行"))
        if CourtApplication.objects.filter(case=case).exists():
            raise WorkflowError(
                _("本案已申请人民法院强制执行，请勿重复申请。"), code="already_applied", article=ACL_53_54
            )
        if not str(court or "").strip():
            raise WorkflowError(
                _("请填写受理申请的人民法院。"), code="court_required", article=ACL_53_54, field="court"
            )
        if rules.amount_outstanding(case, applied_on) <= 0:
            raise WorkflowError(
                _("当事人已全部缴清，无需申请强制执行，请办理结案。"), code="nothing_outstanding", article=ACL_53_54
            )
        rules.check_court_application(
            reminder_served_on,
            applied_on,
            served_on=case.served_on,
            due_on=rules.effective_due_on(case),
            arrangement_ends_on=rules.arrangement_ends_on(case),
        )
        application = CourtApplication(
            case=case, reminder_served_on=reminder_served_on, applied_on=applied_on, court=court
        )
        application._change_reason = _("申请人民法院强制执行")
        application.save()
        record_event(
            case,
            actor,
            _("申请人民法院强制执行"),
            summary=_("催告书 %(reminder)s 送达；%(applied)s 向%(court)s申请强制执行，尚欠 %(left)s 元。")
            % {
                "reminder": reminder_served_on,
                "applied": applied_on,
                "court": court,
                "left": rules.amount_outstanding(case, applied_on),
            },
        )
        return application


def close_case(case, actor, *, closed_on):
    """Close the case once nothing is left to execute: paid in full (with any surcharge), handed to the
    court, or a decision without a penalty to carry out."""
    with transaction.atomic():
        case = lock_case(case)
        require_state(case, CaseState.DECIDED, CaseState.SERVED, CaseState.EXECUTING)
        require_head(case, actor, _("结案"))
        not_before(
            closed_on, case.served_on or case.decided_on, _("结案日期"), code="closed_too_early", field="closed_on"
        )
        if case.state == CaseState.DECIDED and case.decision_kind not in rules.NOTHING_TO_EXECUTE_KINDS:
            raise WorkflowError(_("处罚决定书尚未送达，不能结案；请先送达。"), code="not_served", article=APL_61)
        summary = ""
        if case.state == CaseState.EXECUTING:
            left = rules.amount_outstanding(case, closed_on)
            applied = CourtApplication.objects.filter(case=case, applied_on__isnull=False).exists()
            if left > 0 and not applied:
                raise WorkflowError(
                    _(
                        "当事人尚欠 %(left)s 元（含加处罚款）未缴纳，不能结案；请督促缴纳，或经催告后申请人民法院强制执行。"
                    )
                    % {"left": left},
                    code="money_outstanding",
                    article=APL_72,
                )
            summary = (
                _("已申请人民法院强制执行，尚欠 %(left)s 元。") % {"left": left} if left > 0 else _("已全部缴清。")
            )
        case.closed_on = closed_on
        return transition(case, actor, CaseState.CLOSED, _("结案"), summary=summary)


def archive_case(case, actor, *, archived_on):
    """Archive the dossier (APL 47); due within 30 days of closing, a late archive is noted."""
    with transaction.atomic():
        case = lock_case(case)
        require_state(case, CaseState.CLOSED)
        require_same_agency(case, actor)
        not_before(archived_on, case.closed_on, _("归档日期"), code="archived_before_closing", field="archived_on")
        summary = ""
        if case.closed_on and (archived_on - case.closed_on).days > ARCHIVE_DAYS:
            summary = _("超过结案后三十日的归档期限。")
        case.archived_on = archived_on
        build_dossier(case, actor)  # the dossier (cases/dossier/), before the case turns read-only
        return transition(case, actor, CaseState.ARCHIVED, _("归档"), summary=summary)
