"""Rules of execution, the summary procedure and coercive measures, one named check per rule.

Each check raises `cases.errors.WorkflowError` with a Chinese message that says what is wrong and
what to do, and the article it enforces. The numbers the law gives are in the table below, so a
change in the law is a change here. Sources: ../../../shared/docs/legal-rules.md.

APL = 《中华人民共和国行政处罚法》 (2021), ACL = 《中华人民共和国行政强制法》.
"""

import calendar as _month_calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import DecisionKind
from cases.rules import config
from lawenforce import calendar
from lawenforce.models import PenaltyKind

__all__ = [
    "CENT",
    "COURT_APPLICATION_MONTHS",
    "COURT_REMINDER_WORKING_DAYS",
    "MEASURE_DAYS",
    "MEASURE_EXTENSION_MAX_DAYS",
    "NOTHING_TO_EXECUTE_KINDS",
    "PAYMENT_DAYS",
    "RECONSIDERATION_DAYS",
    "LITIGATION_MONTHS",
    "SERVICE_WORKING_DAYS",
    "SUMMARY_FINE_LIMITS",
    "SUMMARY_PENALTY_KINDS",
    "SURCHARGE_RATE",
    "add_months",
    "arrangement_ends_on",
    "balances",
    "amount_due",
    "amount_outstanding",
    "check_court_application",
    "safe_calendar",
    "check_electronic_service",
    "check_measure_extension",
    "check_summary_officers",
    "check_summary_thresholds",
    "court_application_window",
    "effective_due_on",
    "measure_ends_on",
    "payment_due_on",
    "payment_split",
    "summary_report_days",
    "summary_report_due_on",
    "surcharge",
    "surcharge_accrued",
]

CENT = Decimal("0.01")

# --- The numbers the law gives -------------------------------------------------------------------
SURCHARGE_RATE = Decimal("0.03")  # per day of the fine, APL 72(1); total capped at the fine (ACL 45)
# The periods live in cases.rules.config, one table for every rule.
PAYMENT_DAYS = config.PAYMENT.days  # natural days from service, APL 66
SERVICE_WORKING_DAYS = config.SERVICE.days  # working days, APL 61
# APL 51: only a warning and/or a fine, at most these amounts (yuan).
SUMMARY_PENALTY_KINDS = (PenaltyKind.WARNING, PenaltyKind.FINE)
SUMMARY_FINE_LIMITS = {"person": Decimal("200"), "organisation": Decimal("3000")}
RECONSIDERATION_DAYS = 60  # 《行政复议法》第二十条
LITIGATION_MONTHS = 6  # 《行政诉讼法》第四十六条
COURT_APPLICATION_MONTHS = 3  # ACL 53, after the remedy periods expire
COURT_REMINDER_WORKING_DAYS = 10  # ACL 54 (ACL 69: 10 days or less are working days)
MEASURE_DAYS = 30  # ACL 25: natural days
MEASURE_EXTENSION_MAX_DAYS = 30  # ACL 25: once, with the head's approval

# Decisions that leave nothing to execute: the case closes once decided (or served).
NOTHING_TO_EXECUTE_KINDS = (
    DecisionKind.NO_PENALTY_MINOR,
    DecisionKind.NO_PENALTY_FIRST,
    DecisionKind.NO_PENALTY_NO_FAULT,
    DecisionKind.NOT_ESTABLISHED,
    DecisionKind.TRANSFER,
    DecisionKind.DISMISSED,
)

APL_51 = "《行政处罚法》第五十一条"
APL_52 = "《行政处罚法》第五十二条"
APL_38 = "《行政处罚法》第三十八条"
APL_42_52 = "《行政处罚法》第四十二条、第五十二条"
APL_61 = "《行政处罚法》第六十一条"
ACL_25 = "《行政强制法》第二十五条"
ACL_53 = "《行政强制法》第五十三条"
ACL_54 = "《行政强制法》第五十四条"


APL_85 = "《行政处罚法》第八十五条"


class _Calendar:
    """lawenforce.calendar, with an unknown holiday year turned into a refusal: a guessed statutory
    deadline is worse than none, and the officer is told how to get the year entered."""

    def __getattr__(self, name):
        function = getattr(calendar, name)

        def call(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except calendar.UnknownCalendarYear as exc:
                raise WorkflowError(str(exc), code="calendar_unknown", article=APL_85) from None

        return call


safe_calendar = _Calendar()


def _money(value):
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the last day of a shorter month), moved to the next working day
    when it is a rest day: the end of a period counted in months."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _month_calendar.monthrange(year, month)[1])
    return safe_calendar.add_days(datetime.date(year, month, day), 0)


# --- Money -----------------------------------------------------------------------------------------


def surcharge(fine, due_on, on_date):
    """The surcharge (加处罚款) on an unpaid `fine` by `on_date`: 3% of the fine for each day after
    `due_on`, the total never more than the fine (APL 72(1), ACL 45). A Decimal in yuan, to the fen."""
    fine = Decimal(fine or 0)
    if fine <= 0 or due_on is None or on_date is None or on_date <= due_on:
        return Decimal("0.00")
    days = (on_date - due_on).days
    return min(fine * SURCHARGE_RATE * days, fine).quantize(CENT, rounding=ROUND_HALF_UP)


def payment_due_on(served_on):
    """Payment within 15 days of receiving the decision (APL 66)."""
    return safe_calendar.add_days(served_on, PAYMENT_DAYS)


def arrangement_ends_on(case):
    """The end of the latest approved deferral or instalment plan, or None."""
    arrangement = case.arrangements.order_by("-approved_on", "-pk").first()
    return arrangement.final_due_on if arrangement is not None else None


def effective_due_on(case):
    """The date after which the surcharge runs: the end of an approved deferral or instalment plan
    (APL 66(2), 72(4)) when there is one, otherwise the payment period of the decision."""
    return arrangement_ends_on(case) or case.payment_due_on


def amount_due(case):
    """What the decision orders to be paid: the fine and the confiscated illegal gains."""
    return _money(case.fine_amount) + _money(case.confiscated_amount)


def _payments(case, until):
    payments = case.payments.order_by("paid_on", "pk")
    if until is not None:
        payments = payments.filter(paid_on__lte=until)
    return list(payments)


def surcharge_accrued(case, on_date, payments=None):
    """The surcharge accrued by `on_date`: 3% a day on the part of the fine still unpaid after the due
    date (payments go to the fine and confiscation first, then to the surcharge), capped at the fine."""
    fine = _money(case.fine_amount)
    due = effective_due_on(case)
    if fine <= 0 or due is None or on_date <= due:
        return Decimal("0.00")
    payments = _payments(case, on_date) if payments is None else payments
    fine_unpaid, total, cursor = fine, Decimal(0), due
    for payment in payments:
        if payment.paid_on > cursor:
            total += fine_unpaid * SURCHARGE_RATE * (payment.paid_on - cursor).days
            cursor = payment.paid_on
        principal_part = payment.amount - payment.surcharge_part
        fine_unpaid = max(fine_unpaid - principal_part, Decimal(0))
    total += fine_unpaid * SURCHARGE_RATE * (on_date - cursor).days
    return min(total, fine).quantize(CENT, rounding=ROUND_HALF_UP)


def balances(case, on_date):
    """(unpaid fine and confiscation, unpaid surcharge) on `on_date`."""
    payments = _payments(case, on_date)
    principal_paid = sum((p.amount - p.surcharge_part for p in payments), Decimal(0))
    surcharge_paid = sum((p.surcharge_part for p in payments), Decimal(0))
    principal_left = max(amount_due(case) - principal_paid, Decimal(0))
    surcharge_left = max(surcharge_accrued(case, on_date, payments) - surcharge_paid, Decimal(0))
    return _money(principal_left), _money(surcharge_left)


def amount_outstanding(case, on_date):
    """What the party still owes on `on_date`: unpaid fine and confiscation plus unpaid surcharge."""
    principal_left, surcharge_left = balances(case, on_date)
    return principal_left + surcharge_left


def payment_split(case, amount, paid_on):
    """How a payment of `amount` on `paid_on` divides: (principal part, surcharge part). The fine and
    confiscation are paid first, so that the surcharge stops running as early as possible."""
    principal_left, _surcharge_left = balances(case, paid_on)
    amount = _money(amount)
    principal_part = min(amount, principal_left)
    return principal_part, amount - principal_part


# --- Summary procedure (当场处罚) -------------------------------------------------------------------


def check_summary_thresholds(party_is_person, penalty_kinds, fine):
    """APL 51: on the spot only a warning and/or a fine of at most 200 yuan (citizen) or 3,000 yuan
    (legal person or other organisation); anything else goes through the ordinary procedure."""
    kinds = list(penalty_kinds or [])
    if not kinds:
        raise WorkflowError(
            _("请选择处罚种类（警告或罚款）。"), code="summary_no_penalty", article=APL_51, field="penalty_kinds"
        )
    others = [k for k in kinds if k not in SUMMARY_PENALTY_KINDS]
    if others:
        labels = "、".join(str(PenaltyKind(k).label) if k in PenaltyKind.values else str(k) for k in others)
        raise WorkflowError(
            _("当场处罚只能给予警告或者罚款，不能给予“%(kinds)s”，请按普通程序立案办理。") % {"kinds": labels},
            code="summary_kind_not_allowed",
            article=APL_51,
            field="penalty_kinds",
        )
    fine = Decimal(fine) if fine not in (None, "") else None
    if PenaltyKind.FINE in kinds:
        if fine is None or fine <= 0:
            raise WorkflowError(
                _("处罚种类含罚款时，请填写罚款金额。"), code="summary_fine_missing", article=APL_51, field="fine"
            )
        limit = SUMMARY_FINE_LIMITS["person" if party_is_person else "organisation"]
        if fine > limit:
            who = _("公民") if party_is_person else _("法人或者其他组织")
            raise WorkflowError(
                _("对%(who)s当场罚款不得超过 %(limit)s 元，本案罚款 %(fine)s 元已超过，请按普通程序立案办理。")
                % {"who": who, "limit": limit, "fine": fine},
                code="summary_fine_over_limit",
                article=APL_51,
                field="fine",
            )
    elif fine:
        raise WorkflowError(
            _("未选择罚款却填写了罚款金额，请选择“罚款”或清空金额。"),
            code="summary_fine_without_kind",
            article=APL_51,
            field="fine",
        )


def check_summary_officers(agency, officers, power_item, on_date):
    """APL 42, 52: on-the-spot penalties by officers of the agency who show an enforcement certificate
    valid that day and covering the item's enforcement category."""
    officers = list(officers or [])
    if not officers:
        raise WorkflowError(
            _("请填写当场处罚的执法人员。"), code="officers_required", article=APL_42_52, field="officers"
        )
    category = power_item.enforcement_category if power_item is not None else None
    for officer in officers:
        if officer.agency_id != agency.pk:
            raise WorkflowError(
                _("%(name)s 不是本机关的执法人员，不能以本机关名义当场处罚。") % {"name": officer.name},
                code="officer_other_agency",
                article=APL_42_52,
                field="officers",
            )
        if not officer.active or officer.valid_certificate(on_date, category) is None:
            raise WorkflowError(
                _(
                    "%(name)s 在 %(day)s 没有有效的、覆盖“%(category)s”执法类别的执法证，不能当场处罚；请由持证人员办理。"
                )
                % {"name": officer.name, "day": on_date, "category": category},
                code="certificate_invalid",
                article=APL_42_52,
                field="officers",
            )


def summary_report_days(agency):
    """Working days within which an on-the-spot decision is reported to the agency (APL 52): set per
    sector in settings.SUMMARY_REPORT_DAYS, with the "default" key as fallback."""
    table = getattr(settings, "SUMMARY_REPORT_DAYS", {}) or {}
    return int(table.get(agency.sector, table.get("default", config.SUMMARY_REPORT.days)))


def summary_report_due_on(case):
    return safe_calendar.add_working_days(case.decided_on, summary_report_days(case.agency))


# --- Service ----------------------------------------------------------------------------------------


def check_electronic_service(party):
    """APL 61: electronic service only with the party's signed consent (and an electronic address)."""
    if party is None or not party.electronic_service_consent or not party.electronic_address:
        name = party.name if party is not None else _("当事人")
        raise WorkflowError(
            _(
                "%(name)s 未书面同意电子送达（或未留电子送达地址），不能电子送达；请取得当事人签字的同意书，或改用直接送达、邮寄送达等方式。"
            )
            % {"name": name},
            code="no_electronic_consent",
            article=APL_61,
            field="method",
        )


# --- Application to the court ---------------------------------------------------------------------


def court_application_window(served_on, arrangement_ends_on=None):
    """(first day, last day) for applying to the court: after the remedy periods (reconsideration 60
    days, litigation 6 months from service) have run out, within 3 months (ACL 53). With a deferral
    or instalments the period runs from the end of the arrangement (APL 72(4))."""
    reconsideration_ends = safe_calendar.add_days(served_on, RECONSIDERATION_DAYS)
    litigation_ends = add_months(served_on, LITIGATION_MONTHS)
    start = max(reconsideration_ends, litigation_ends)
    if arrangement_ends_on is not None:
        start = max(start, arrangement_ends_on)
    return start + datetime.timedelta(days=1), add_months(start, COURT_APPLICATION_MONTHS)


def check_court_application(reminder_served_on, applied_on, *, served_on, due_on=None, arrangement_ends_on=None):
    """ACL 54: the reminder (催告书) is served once the party has failed to pay, and the application comes
    after 10 working days from its service; ACL 53: within 3 months after the remedy periods expire."""
    if served_on is None:
        raise WorkflowError(_("处罚决定书尚未送达，不能申请强制执行。"), code="decision_not_served", article=ACL_53)
    if due_on is not None and reminder_served_on <= due_on:
        raise WorkflowError(
            _("缴款期限（%(due)s）届满前不能催告，请在期限届满后仍未缴纳时再送达催告书。") % {"due": due_on},
            code="reminder_too_early",
            article=ACL_54,
            field="reminder_served_on",
        )
    reminder_ends = safe_calendar.add_working_days(reminder_served_on, COURT_REMINDER_WORKING_DAYS)
    if applied_on <= reminder_ends:
        raise WorkflowError(
            _("催告书送达满十个工作日后当事人仍未履行的，才能申请法院强制执行；本案最早可于 %(day)s 申请。")
            % {"day": reminder_ends + datetime.timedelta(days=1)},
            code="reminder_period_running",
            article=ACL_54,
            field="applied_on",
        )
    first, last = court_application_window(served_on, arrangement_ends_on)
    if applied_on < first:
        raise WorkflowError(
            _(
                "当事人申请行政复议（60日）、提起行政诉讼（6个月）的期限尚未届满，期限届满后（%(first)s 起）才能申请法院强制执行。"
            )
            % {"first": first},
            code="remedy_period_running",
            article=ACL_53,
            field="applied_on",
        )
    if applied_on > last:
        raise WorkflowError(
            _("申请法院强制执行的期限已于 %(last)s 届满（复议、诉讼期限届满之日起三个月），请报机关负责人研究处理。")
            % {"last": last},
            code="court_period_expired",
            article=ACL_53,
            field="applied_on",
        )


# --- Coercive measures (查封、扣押) -----------------------------------------------------------------


def measure_ends_on(decided_on, extended_days=0, paused_days=0):
    """Last day of a seal-up or seizure: 30 natural days from the decision, plus the one extension,
    testing and appraisal time not counted (ACL 25); a rest day moves to the next working day."""
    return safe_calendar.add_days(decided_on, MEASURE_DAYS + (extended_days or 0) + (paused_days or 0))


def check_measure_extension(measure, days, on_date=None):
    """ACL 25: a seal-up or seizure may be extended once, by at most 30 days, while it is in force."""
    from cases.models import MeasureState

    if measure.state != MeasureState.IN_FORCE:
        raise WorkflowError(
            _("该%(kind)s已解除或处理，不能延长。") % {"kind": measure.get_kind_display()},
            code="measure_not_in_force",
            article=ACL_25,
        )
    if measure.extended_days or measure.extension_approved_by_id:
        raise WorkflowError(
            _("查封、扣押期限只能延长一次，本措施已延长过 %(days)s 日；期限届满应当解除或依法处理。")
            % {"days": measure.extended_days},
            code="measure_already_extended",
            article=ACL_25,
            field="days",
        )
    if days is None or int(days) < 1 or int(days) > MEASURE_EXTENSION_MAX_DAYS:
        raise WorkflowError(
            _("延长期限不得超过三十日，请填写 1 至 30 之间的天数。"),
            code="measure_extension_too_long",
            article=ACL_25,
            field="days",
        )
    if on_date is not None and on_date > measure.ends_on:
        raise WorkflowError(
            _("查封、扣押期限已于 %(day)s 届满，不能再延长，应当解除。") % {"day": measure.ends_on},
            code="measure_expired",
            article=ACL_25,
            field="days",
        )
