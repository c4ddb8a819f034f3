"""Every deadline of a case, computed with `lawenforce.calendar`, with the days left.

`case_deadlines(case, today)` reads only the case and its related rows through `.all()` and the
reverse one-to-ones, so a list page that prefetches them (see `with_deadline_data`) runs no query
per case. Periods of 2, 3, 5 and 7 days count working days (《行政处罚法》第八十五条); the others
natural days, a last day on a rest day moving to the next working day. The numbers are in
`cases.rules.config`.

A deadline in a year whose holiday arrangement is not known yet: a natural-day period shows its
unshifted last day (the earliest it can be), a working-day period shows no date; both say why in
`note`.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import CaseState, DecisionKind, Procedure
from cases.rules import config
from cases.rules.execution import summary_report_days
from cases.rules.procedure import related_or_none
from lawenforce import calendar

__all__ = [
    "DEADLINE_PREFETCH",
    "DEADLINE_SELECT",
    "Deadline",
    "case_deadlines",
    "decision_due_on",
    "with_deadline_data",
]

DEADLINE_SELECT = ("prior_notice", "hearing")
DEADLINE_PREFETCH = ("extensions", "payments", "arrangements")


def with_deadline_data(queryset):
    """The queryset with what case_deadlines reads, for list pages."""
    return queryset.select_related(*DEADLINE_SELECT).prefetch_related(*DEADLINE_PREFETCH)


@dataclass
class Deadline:
    key: str
    label: str
    due_on: datetime.date | None
    days_left: int | None  # None once done (or when due_on is unknown); negative when overdue
    done_on: datetime.date | None
    article: str
    note: str = ""

    @property
    def overdue(self):
        return self.done_on is None and self.days_left is not None and self.days_left < 0


UNKNOWN_YEAR_NOTE = gettext_lazy("该年度节假日安排尚未录入，期限暂无法精确计算")


def _end(start, days, working):
    """(last day, note). See the module docstring for a year the calendar does not know."""
    try:
        if working:
            return calendar.add_working_days(start, days), ""
        return calendar.add_days(start, days), ""
    except calendar.UnknownCalendarYear:
        if working:
            return None, str(UNKNOWN_YEAR_NOTE)
        return start + datetime.timedelta(days=days), str(UNKNOWN_YEAR_NOTE)


def _period_end(start, period):
    return _end(start, period.days, period.working)


def decision_due_on(case, extensions=None):
    """The last day for the decision: 90 days from filing plus the approved extensions (APL 60)."""
    if not case.filed_on:
        return None
    extensions = case.extensions.all() if extensions is None else extensions
    days = config.DECISION.days + sum(e.days for e in extensions)
    return _end(case.filed_on, days, False)[0]


def _make(key, period_or_label, due_on, done_on, today, article=None, note=""):
    label = period_or_label.label if isinstance(period_or_label, config.Period) else period_or_label
    article = article if article is not None else period_or_label.article
    days_left = (due_on - today).days if due_on and not done_on else None
    return Deadline(key, str(label), due_on, days_left, done_on, article, note)


def _party_period_done(due_on, used_on, today):
    """A party's period (statement, hearing request) is over when used or waived, or once it ran out."""
    if used_on:
        return used_on
    if due_on and today > due_on:
        return due_on
    return None


def _paid_in_full_on(case):
    fine = case.fine_amount or Decimal(0)
    paid = Decimal(0)
    for payment in sorted(case.payments.all(), key=lambda p: (p.paid_on, p.pk)):
        paid += payment.amount - (payment.surcharge_part or 0)
        if paid >= fine:
            return payment.paid_on
    return None


def case_deadlines(case, today=None):
    """The deadlines that apply to `case` so far, in the order of the procedure."""
    today = today or timezone.localdate()
    ordinary = case.procedure == Procedure.ORDINARY
    out = []

    if ordinary and case.state != CaseState.NOT_FILED:
        due, note = _period_end(case.lead_received_on, config.LEAD_TO_FILING)
        out.append(_make("filing", config.LEAD_TO_FILING, due, case.filed_on, today, note=note))

    if ordinary and case.filed_on:
        extensions = list(case.extensions.all())
        days = config.DECISION.days + sum(e.days for e in extensions)
        due, note = _end(case.filed_on, days, False)
        if extensions:
            note = "；".join(filter(None, [_("含延长%(d)d日") % {"d": days - config.DECISION.days}, note]))
        out.append(_make("decision", config.DECISION, due, case.decided_on, today, note=note))

    notice = related_or_none(case, "prior_notice") if ordinary and case.filed_on else None
    if notice is not None:
        statement_used = notice.waived_on or (min(today, notice.statement_deadline) if notice.statement else None)
        done = _party_period_done(notice.statement_deadline, statement_used, today)
        out.append(_make("statement", config.STATEMENT, notice.statement_deadline, done, today))
        if notice.hearing_right and notice.hearing_request_deadline:
            used = notice.hearing_requested_on or notice.waived_on
            done = _party_period_done(notice.hearing_request_deadline, used, today)
            out.append(_make("hearing_request", config.HEARING_REQUEST, notice.hearing_request_deadline, done, today))
        if notice.hearing_requested_on:
            hearing = related_or_none(case, "hearing")
            if hearing is not None:
                out.append(
                    _make(
                        "hearing",
                        _("举行听证"),
                        hearing.scheduled_on,
                        hearing.held_on,
                        today,
                        article=config.HEARING_NOTICE.article,
                    )
                )

    if ordinary and case.decided_on and case.decision_kind not in (DecisionKind.TRANSFER, DecisionKind.DISMISSED):
        due, note = _period_end(case.decided_on, config.SERVICE)
        out.append(_make("service", config.SERVICE, due, case.served_on, today, note=note))

    if case.procedure == Procedure.SUMMARY and case.decided_on:
        due, note = _end(case.decided_on, summary_report_days(case.agency), True)
        out.append(_make("summary_report", config.SUMMARY_REPORT, due, case.reported_on, today, note=note))

    if case.fine_amount and case.served_on:
        arrangements = sorted(case.arrangements.all(), key=lambda a: (a.approved_on, a.pk))
        note = ""
        if arrangements:
            due = arrangements[-1].final_due_on
            note = str(arrangements[-1].get_kind_display())
        elif case.payment_due_on:
            due = case.payment_due_on
        else:
            due, note = _period_end(case.served_on, config.PAYMENT)
        done = _paid_in_full_on(case) or case.closed_on
        out.append(_make("payment", config.PAYMENT, due, done, today, note=note))

    if case.closed_on:
        due, note = _period_end(case.closed_on, config.ARCHIVE)
        out.append(_make("archive", config.ARCHIVE, due, case.archived_on, today, note=note))

    return out
