"""Deadline rules: filing and decision near and passed; service, payment, archiving and the
summary-procedure report passed. Periods from cases.rules.config, computed by due_on()."""

import datetime
import types

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import CaseState, CourtApplication, DecisionKind, Extension, Payment, PaymentArrangement, Procedure
from cases.rules import config
from cases.rules.execution import summary_report_days
from supervision.models import Severity
from supervision.sql import DaysBetween

from .base import Finding, Group, Rule, Trigger, days_left_words, due_on, iso, parse_day, register

OPEN_FILED_STATES = (
    CaseState.INVESTIGATING,
    CaseState.UNDER_REVIEW,
    CaseState.NOTIFIED,
    CaseState.HEARING,
    CaseState.LEGAL_REVIEW,
    CaseState.DELIBERATION,
    CaseState.PENDING_DECISION,
)


def _days(n):
    return datetime.timedelta(days=n)


def _extension_days():
    """Approved extensions of the decision period, summed per case in SQL (APL 60)."""
    total = Extension.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(t=Sum("days")).values("t")
    return Coalesce(Subquery(total), Value(0))


class DeadlineRule(Rule):
    trigger = Trigger.SCHEDULE
    group = Group.DEADLINE
    period = None

    def thresholds(self, settings):
        p = self.period
        unit = _("个工作日") if p.working else _("日")
        return [
            _("%(label)s：%(n)d%(unit)s（%(article)s）")
            % {"label": p.label, "n": p.days, "unit": unit, "article": p.article}
        ]


@register
class FilingDueSoon(DeadlineRule):
    code = "S-FILING-DUE-SOON"
    title = gettext_lazy("立案期限即将届满")
    description = gettext_lazy("线索登记后尚未决定是否立案，距法定的核查决定期限届满已不足预警天数。")
    article = config.LEAD_TO_FILING.article
    severity = Severity.LOW
    period = config.LEAD_TO_FILING
    auto_clear = True
    cleared_text = gettext_lazy("系统复核：已决定是否立案，或已转为立案超期预警。")

    def findings(self, cases, ctx):
        rows = cases.filter(
            procedure=Procedure.ORDINARY, state=CaseState.LEAD, lead_received_on__gte=ctx.today - _days(60)
        ).values_list("pk", "agency_id", "lead_received_on")
        out = {}
        for pk, agency_id, received in rows:
            due = due_on(received, self.period)
            if due is None:
                ctx.cannot_judge(self)
            elif 0 <= (due - ctx.today).days <= ctx.due_soon_days:
                out[pk] = Finding(agency_id, {"lead_received_on": iso(received), "due_on": iso(due)})
        return out

    def describe(self, facts, today):
        due = parse_day(facts["due_on"])
        return _("线索于%(received)s接收，应在%(due)s前决定是否立案，%(left)s。") % {
            "received": facts["lead_received_on"],
            "due": facts["due_on"],
            "left": days_left_words(due, today),
        }

    def thresholds(self, settings):
        return [*super().thresholds(settings), _("提前%(n)d日预警（监督参数）") % {"n": settings.due_soon_days}]


@register
class FilingOverdue(DeadlineRule):
    code = "S-FILING-OVERDUE"
    title = gettext_lazy("超过立案期限")
    description = gettext_lazy("线索接收后超过法定期限仍未决定是否立案，或立案晚于期限。")
    article = config.LEAD_TO_FILING.article
    severity = Severity.MEDIUM
    period = config.LEAD_TO_FILING

    def findings(self, cases, ctx):
        rows = (
            cases.filter(procedure=Procedure.ORDINARY)
            .annotate(lag=DaysBetween("lead_received_on", "filed_on"))
            .filter(
                Q(state=CaseState.LEAD, lead_received_on__lt=ctx.today - _days(self.period.days))
                | Q(filed_on__isnull=False, lag__gt=self.period.days)
            )
            .values_list("pk", "agency_id", "lead_received_on", "filed_on", "state")
        )
        out = {}
        for pk, agency_id, received, filed, state in rows:
            due = due_on(received, self.period)
            if due is None:
                ctx.cannot_judge(self)
                continue
            late = filed > due if filed else (state == CaseState.LEAD and ctx.today > due)
            if late:
                out[pk] = Finding(
                    agency_id, {"lead_received_on": iso(received), "due_on": iso(due), "filed_on": iso(filed)}
                )
        return out

    def describe(self, facts, today):
        if facts.get("filed_on"):
            days = (parse_day(facts["filed_on"]) - parse_day(facts["due_on"])).days
            return _("线索于%(received)s接收，应在%(due)s前决定是否立案，实际于%(filed)s立案，超期%(n)d天。") % {
                "received": facts["lead_received_on"],
                "due": facts["due_on"],
                "filed": facts["filed_on"],
                "n": days,
            }
        return _("线索于%(received)s接收，应在%(due)s前决定是否立案，至今未决定，%(left)s。") % {
            "received": facts["lead_received_on"],
            "due": facts["due_on"],
            "left": days_left_words(parse_day(facts["due_on"]), today),
        }


class DecisionRule(DeadlineRule):
    period = config.DECISION

    def _due(self, filed, extension_days):
        return due_on(filed, self.period, extension_days)

    def thresholds(self, settings):
        return [*super().thresholds(settings), _("经批准延长的期限计入")]


@register
class DecisionDueSoon(DecisionRule):
    code = "S-DECISION-DUE-SOON"
    title = gettext_lazy("作出处罚决定期限即将届满")
    description = gettext_lazy("已立案尚未作出决定，距立案之日起的法定办案期限（含经批准的延长）届满已不足预警天数。")
    article = config.DECISION.article
    severity = Severity.LOW
    auto_clear = True
    cleared_text = gettext_lazy("系统复核：已作出决定、已批准延长，或已转为决定超期预警。")

    def findings(self, cases, ctx):
        rows = (
            cases.filter(
                procedure=Procedure.ORDINARY,
                state__in=OPEN_FILED_STATES,
                decided_on__isnull=True,
                filed_on__lte=ctx.today + _days(ctx.due_soon_days - self.period.days),
            )
            .annotate(ext=_extension_days())
            .values_list("pk", "agency_id", "filed_on", "ext")
        )
        out = {}
        for pk, agency_id, filed, ext in rows:
            due = self._due(filed, ext)
            if due is None:
                ctx.cannot_judge(self)
            elif 0 <= (due - ctx.today).days <= ctx.due_soon_days:
                out[pk] = Finding(agency_id, {"filed_on": iso(filed), "due_on": iso(due), "extension_days": ext})
        return out

    def describe(self, facts, today):
        text = _("%(filed)s立案，应在%(due)s前作出处罚决定，%(left)s。") % {
            "filed": facts["filed_on"],
            "due": facts["due_on"],
            "left": days_left_words(parse_day(facts["due_on"]), today),
        }
        if facts.get("extension_days"):
            text += _("（已含批准延长的%(n)d日）") % {"n": facts["extension_days"]}
        return text

    def thresholds(self, settings):
        return [*super().thresholds(settings), _("提前%(n)d日预警（监督参数）") % {"n": settings.due_soon_days}]


@register
class DecisionOverdue(DecisionRule):
    code = "S-DECISION-OVERDUE"
    title = gettext_lazy("超过作出处罚决定期限")
    description = gettext_lazy("自立案之日起超过法定办案期限（含经批准的延长）仍未作出决定，或决定晚于期限。")
    article = config.DECISION.article
    severity = Severity.HIGH

    def findings(self, cases, ctx):
        rows = (
            cases.filter(procedure=Procedure.ORDINARY, filed_on__isnull=False)
            .annotate(lag=DaysBetween("filed_on", "decided_on"))
            .filter(
                Q(
                    decided_on__isnull=True,
                    state__in=OPEN_FILED_STATES,
                    filed_on__lt=ctx.today - _days(self.period.days),
                )
                | Q(decided_on__isnull=False, lag__gt=self.period.days)
            )
            .annotate(ext=_extension_days())
            .values_list("pk", "agency_id", "filed_on", "decided_on", "ext")
        )
        out = {}
        for pk, agency_id, filed, decided, ext in rows:
            due = self._due(filed, ext)
            if due is None:
                ctx.cannot_judge(self)
                continue
            if (decided or ctx.today) > due:
                out[pk] = Finding(
                    agency_id,
                    {"filed_on": iso(filed), "due_on": iso(due), "decided_on": iso(decided), "extension_days": ext},
                )
        return out

    def describe(self, facts, today):
        values = {"filed": facts["filed_on"], "due": facts["due_on"], "decided": facts.get("decided_on")}
        if facts.get("decided_on"):
            values["n"] = (parse_day(facts["decided_on"]) - parse_day(facts["due_on"])).days
            text = _("%(filed)s立案，应在%(due)s前作出处罚决定，实际于%(decided)s作出，超期%(n)d天。") % values
        else:
            values["left"] = days_left_words(parse_day(facts["due_on"]), today)
            text = _("%(filed)s立案，应在%(due)s前作出处罚决定，至今未作出，%(left)s。") % values
        if facts.get("extension_days"):
            text += _("（已含批准延长的%(n)d日）") % {"n": facts["extension_days"]}
        return text


class LateStepRule(DeadlineRule):
    """A step that must follow another within a period: (start field, done field)."""

    start_field = ""
    done_field = ""
    start_words = ""
    done_words = ""

    def base(self, cases, ctx):
        raise NotImplementedError

    def findings(self, cases, ctx):
        start, done = self.start_field, self.done_field
        rows = (
            self.base(cases, ctx)
            .annotate(lag=DaysBetween(start, done))
            .filter(
                Q(**{f"{done}__isnull": True, f"{start}__lt": ctx.today - _days(self.period.days)})
                | Q(lag__gt=self.period.days)
            )
            .values_list("pk", "agency_id", start, done)
        )
        out = {}
        for pk, agency_id, started, finished in rows:
            due = due_on(started, self.period)
            if due is None:
                ctx.cannot_judge(self)
            elif (finished or ctx.today) > due:
                out[pk] = Finding(agency_id, {"start": iso(started), "due_on": iso(due), "done": iso(finished)})
        return out

    def describe(self, facts, today):
        values = {"start": facts["start"], "due": facts["due_on"], "sw": self.start_words, "dw": self.done_words}
        if facts.get("done"):
            values.update(done=facts["done"], n=(parse_day(facts["done"]) - parse_day(facts["due_on"])).days)
            return _("%(start)s%(sw)s，应在%(due)s前%(dw)s，实际于%(done)s%(dw)s，超期%(n)d天。") % values
        values["left"] = days_left_words(parse_day(facts["due_on"]), today)
        return _("%(start)s%(sw)s，应在%(due)s前%(dw)s，至今未%(dw)s，%(left)s。") % values


@register
class ServiceOverdue(LateStepRule):
    code = "S-SERVICE-OVERDUE"
    title = gettext_lazy("超过处罚决定书送达期限")
    description = gettext_lazy("作出处罚决定后未在法定期限内送达决定书。")
    article = config.SERVICE.article
    severity = Severity.MEDIUM
    period = config.SERVICE
    start_field, done_field = "decided_on", "served_on"
    start_words, done_words = gettext_lazy("作出决定"), gettext_lazy("送达")

    def base(self, cases, ctx):
        return cases.filter(procedure=Procedure.ORDINARY, decided_on__isnull=False).exclude(
            decision_kind__in=[DecisionKind.TRANSFER, DecisionKind.DISMISSED]
        )


@register
class ArchiveOverdue(LateStepRule):
    code = "S-ARCHIVE-OVERDUE"
    title = gettext_lazy("超过立卷归档期限")
    description = gettext_lazy("结案后未在规定期限内立卷归档。")
    article = config.ARCHIVE.article
    severity = Severity.LOW
    period = config.ARCHIVE
    start_field, done_field = "closed_on", "archived_on"
    start_words, done_words = gettext_lazy("结案"), gettext_lazy("归档")

    def base(self, cases, ctx):
        return cases.filter(closed_on__isnull=False)


@register
class SummaryReportOverdue(DeadlineRule):
    code = "S-SUMMARY-REPORT-OVERDUE"
    title = gettext_lazy("当场处罚未按期报所属机关备案")
    description = gettext_lazy("当场作出的行政处罚决定未在规定期限内报所属行政机关备案。")
    article = config.SUMMARY_REPORT.article
    severity = Severity.LOW
    period = config.SUMMARY_REPORT

    def thresholds(self, settings):
        return [
            _("报备期限按领域设置（SUMMARY_REPORT_DAYS），默认%(n)d个工作日（%(article)s）")
            % {
                "n": self.period.days,
                "article": self.period.article,
            }
        ]

    def findings(self, cases, ctx):
        rows = (
            cases.filter(procedure=Procedure.SUMMARY, decided_on__isnull=False)
            .annotate(lag=DaysBetween("decided_on", "reported_on"))
            .filter(Q(reported_on__isnull=True, decided_on__lt=ctx.today - _days(1)) | Q(lag__gt=1))
            .values_list("pk", "agency_id", "agency__sector", "decided_on", "reported_on")
        )
        periods = {}
        out = {}
        for pk, agency_id, sector, decided, reported in rows:
            if sector not in periods:
                days = summary_report_days(types.SimpleNamespace(sector=sector))
                periods[sector] = config.Period(days, True, self.period.article, self.period.label)
            due = due_on(decided, periods[sector])
            if due is None:
                ctx.cannot_judge(self)
            elif (reported or ctx.today) > due:
                out[pk] = Finding(agency_id, {"start": iso(decided), "due_on": iso(due), "done": iso(reported)})
        return out

    def describe(self, facts, today):
        return LateStepRule.describe(self, facts, today)

    start_words, done_words = gettext_lazy("当场作出处罚决定"), gettext_lazy("报备")


@register
class PaymentOverdue(DeadlineRule):
    code = "S-PAYMENT-OVERDUE"
    title = gettext_lazy("罚款逾期未缴纳")
    description = gettext_lazy(
        "缴款期限（含批准的延期、分期）届满后罚款仍未缴清，执法机关尚未申请人民法院强制执行；应依法加处罚款、催告并申请强制执行。"
    )
    article = f"{config.PAYMENT.article}、《行政处罚法》第七十二条"
    severity = Severity.MEDIUM
    period = config.PAYMENT
    group = Group.EXECUTION
    auto_clear = True
    cleared_text = gettext_lazy("系统复核：罚款已缴清、已申请强制执行或案件已结案。")

    def findings(self, cases, ctx):
        paid = (
            Payment.objects.filter(case=OuterRef("pk"))
            .order_by()
            .values("case")
            .annotate(t=Sum(F("amount") - F("surcharge_part")))
            .values("t")
        )
        arrangement = PaymentArrangement.objects.filter(case=OuterRef("pk")).order_by("-approved_on", "-pk")
        court = CourtApplication.objects.filter(case=OuterRef("pk"), applied_on__isnull=False)
        rows = (
            cases.filter(
                fine_amount__gt=0,
                served_on__isnull=False,
                state__in=[CaseState.SERVED, CaseState.EXECUTING],
                served_on__lt=ctx.today - _days(self.period.days),
            )
            .exclude(pk__in=court.values("case"))
            .annotate(
                paid=Coalesce(Subquery(paid), Value(0), output_field=DecimalField(max_digits=14, decimal_places=2)),
                arranged_due=Subquery(arrangement.values("final_due_on")[:1]),
            )
            .values_list("pk", "agency_id", "served_on", "payment_due_on", "arranged_due", "fine_amount", "paid")
        )
        out = {}
        for pk, agency_id, served, payment_due, arranged_due, fine, paid_amount in rows:
            due = arranged_due or payment_due or due_on(served, self.period)
            if due is None:
                ctx.cannot_judge(self)
            elif ctx.today > due and paid_amount < fine:
                out[pk] = Finding(
                    agency_id,
                    {"served_on": iso(served), "due_on": iso(due), "fine": str(fine), "paid": str(paid_amount)},
                )
        return out

    def describe(self, facts, today):
        return _("决定书于%(served)s送达，罚款%(fine)s元应在%(due)s前缴清，已缴%(paid)s元，%(left)s。") % {
            "served": facts["served_on"],
            "fine": facts["fine"],
            "due": facts["due_on"],
            "paid": facts["paid"],
            "left": days_left_words(parse_day(facts["due_on"]), today),
        }
