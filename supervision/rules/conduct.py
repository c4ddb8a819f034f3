"""Rules about who acted and how: officers and their certificates, the power item, legal review,
hearing rights and notice, discretion and the statutory maximum, seizures and surcharges.

Most of these the workflow already refuses; supervision checks them again on every case because
cases also arrive by import and by administrators' corrections, and a certificate can be found
suspended afterwards. Each rule reuses the workflow's own check where one exists.
"""

import types
from collections import defaultdict

from django.db.models import Case as SqlCase
from django.db.models import Count, DateField, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.errors import WorkflowError
from cases.models import (
    PERSON_KINDS,
    Case,
    CoerciveMeasure,
    DecisionKind,
    Deliberation,
    Hearing,
    LegalReview,
    MeasureState,
    Party,
    Payment,
    Procedure,
    ReviewOutcome,
)
from cases.rules import config
from cases.rules.config import apl
from cases.rules.procedure import (
    check_discretion,
    check_hearing_notice,
    hearing_threshold,
    needs_legal_review,
    penalty_gives_hearing_right,
)
from lawenforce.models import Certificate, CertificateStatus, DiscretionStandard, PowerItem
from supervision.models import Severity
from supervision.sql import DaysBetween

from .base import Finding, Group, Rule, Trigger, iso, register

ACL_25 = "《行政强制法》第二十五条"
HANDLERS = Case.handlers.through


def _acted(cases):
    """Cases in which officers acted: filed ordinary cases and on-the-spot decisions."""
    return cases.filter(
        Q(procedure=Procedure.ORDINARY, filed_on__isnull=False)
        | Q(procedure=Procedure.SUMMARY, decided_on__isnull=False)
    )


def _decided_penalties(cases):
    return cases.filter(decided_on__isnull=False, decision_kind=DecisionKind.PENALTY)


@register
class HandlersTooFew(Rule):
    code = "S-HANDLERS-TOO-FEW"
    title = gettext_lazy("执法人员少于两人")
    description = gettext_lazy("立案或当场处罚的执法人员少于两人。")
    article = apl(42)
    severity = Severity.HIGH
    group = Group.SUBJECT
    auto_clear = True
    cleared_text = gettext_lazy("系统复核：承办人员已补足两人。")

    def thresholds(self, settings):
        return [_("执法人员不少于%(n)d人") % {"n": config.MIN_HANDLERS}]

    def findings(self, cases, ctx):
        count = (
            HANDLERS.objects.filter(case_id=OuterRef("pk"))
            .order_by()
            .values("case_id")
            .annotate(n=Count("*"))
            .values("n")
        )
        rows = (
            _acted(cases)
            .annotate(n=Coalesce(Subquery(count), Value(0)))
            .filter(n__lt=config.MIN_HANDLERS)
            .values_list("pk", "agency_id", "n")
        )
        return {pk: Finding(agency_id, {"handlers": n}) for pk, agency_id, n in rows}

    def describe(self, facts, today):
        return _("本案登记的执法人员只有%(n)d人，执法人员不得少于两人。") % {"n": facts["handlers"]}


@register
class CertificateInvalid(Rule):
    code = "S-CERTIFICATE-INVALID"
    title = gettext_lazy("执法人员执法证无效或不含本案执法类别")
    description = gettext_lazy(
        "承办人员在立案之日（当场处罚为决定之日）没有有效的、覆盖本案权责事项执法类别的执法证（过期、暂扣、吊销或类别不符）。"
    )
    article = apl(42)
    severity = Severity.HIGH
    group = Group.SUBJECT

    def findings(self, cases, ctx):
        history = Certificate.history.model
        lapsed_by_then = history.objects.filter(
            id=OuterRef("pk"),
            status__in=[CertificateStatus.SUSPENDED, CertificateStatus.REVOKED],
            history_date__date__lte=OuterRef(OuterRef("day")),
        )
        covers = Certificate.categories.through.objects.filter(
            certificate_id=OuterRef("pk"), enforcementcategory_id=OuterRef(OuterRef("category"))
        )
        # "expired" is only the nightly marker of a date already in valid_to; suspension and
        # revocation count from the day they were recorded (the certificate's history).
        valid = Certificate.objects.filter(
            officer_id=OuterRef("officer_id"), valid_from__lte=OuterRef("day"), valid_to__gte=OuterRef("day")
        ).filter(Q(status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRED]) | ~Exists(lapsed_by_then))
        valid = valid.filter(Exists(covers))
        day = SqlCase(
            When(case__procedure=Procedure.SUMMARY, then=F("case__decided_on")),
            default=F("case__filed_on"),
            output_field=DateField(),
        )
        rows = (
            HANDLERS.objects.filter(case__in=_acted(cases).filter(power_item__isnull=False))
            .annotate(day=day, category=F("case__power_item__enforcement_category_id"))
            .filter(~Exists(valid))
            .values_list(
                "case_id", "case__agency_id", "day", "officer__name", "case__power_item__enforcement_category__name"
            )
        )
        grouped = defaultdict(list)
        agencies, days, categories = {}, {}, {}
        for case_id, agency_id, day_value, name, category in rows:
            grouped[case_id].append(name)
            agencies[case_id], days[case_id], categories[case_id] = agency_id, day_value, category
        return {
            pk: Finding(agencies[pk], {"day": iso(days[pk]), "officers": sorted(names), "category": categories[pk]})
            for pk, names in grouped.items()
        }

    def describe(self, facts, today):
        return _("%(names)s在%(day)s没有有效且覆盖“%(category)s”执法类别的执法证。") % {
            "names": "、".join(facts["officers"]),
            "day": facts["day"],
            "category": facts.get("category") or "",
        }


@register
class PowerItemNotHeld(Rule):
    code = "S-POWER-ITEM-NOT-HELD"
    title = gettext_lazy("案件权责事项不在本机关权责清单内")
    description = gettext_lazy("案件适用的权责事项不属于办案机关的权责清单，可能超越职权。")
    article = apl(38)
    severity = Severity.HIGH
    group = Group.SUBJECT

    def findings(self, cases, ctx):
        held = PowerItem.agencies.through.objects.filter(
            poweritem_id=OuterRef("power_item_id"), agency_id=OuterRef("agency_id")
        )
        rows = (
            _acted(cases)
            .filter(power_item__isnull=False)
            .filter(~Exists(held))
            .values_list("pk", "agency_id", "power_item__code", "power_item__name", "agency__name")
        )
        return {
            pk: Finding(agency_id, {"item_code": code, "item": name, "agency": agency})
            for pk, agency_id, code, name, agency in rows
        }

    def describe(self, facts, today):
        return _("“%(agency)s”的权责清单中没有“%(item)s”（%(code)s）。") % {
            "agency": facts["agency"],
            "item": facts["item"],
            "code": facts["item_code"],
        }


@register
class ReviewMissing(Rule):
    code = "S-REVIEW-MISSING"
    title = gettext_lazy("重大执法决定未经法制审核通过")
    description = gettext_lazy("依法应当法制审核的决定（重大、情节复杂或经过听证），作出时没有审核通过的法制审核意见。")
    article = apl(58)
    severity = Severity.HIGH

    def findings(self, cases, ctx):
        latest = LegalReview.objects.filter(case=OuterRef("pk")).order_by("-submitted_at", "-pk").values("outcome")[:1]
        candidates = (
            cases.filter(procedure=Procedure.ORDINARY, decided_on__isnull=False)
            .exclude(decision_kind__in=[DecisionKind.TRANSFER, DecisionKind.DISMISSED])
            .filter(Q(is_major=True) | Q(is_complex=True) | Q(hearing__held_on__isnull=False))
            .annotate(latest=Subquery(latest))
            .filter(Q(latest__isnull=True) | ~Q(latest=ReviewOutcome.APPROVED))
            .select_related("hearing")
        )
        out = {}
        for case in candidates:
            if needs_legal_review(case):  # the workflow's own predicate
                outcome = str(ReviewOutcome(case.latest).label) if case.latest else ""
                out[case.pk] = Finding(case.agency_id, {"decided_on": iso(case.decided_on), "latest_outcome": outcome})
        return out

    def describe(self, facts, today):
        if facts.get("latest_outcome"):
            return _("本案须经法制审核，%(day)s作出决定时最近一次审核结论为“%(outcome)s”。") % {
                "day": facts["decided_on"],
                "outcome": facts["latest_outcome"],
            }
        return _("本案须经法制审核，%(day)s作出决定时没有法制审核记录。") % {"day": facts["decided_on"]}


@register
class ReviewerIsHandler(Rule):
    code = "S-REVIEWER-IS-HANDLER"
    title = gettext_lazy("法制审核人员是本案承办人员")
    description = gettext_lazy("出具法制审核意见的人员同时是本案的承办人员。")
    article = apl(58)
    severity = Severity.HIGH

    def findings(self, cases, ctx):
        handled = HANDLERS.objects.filter(case_id=OuterRef("case_id"), officer_id=OuterRef("reviewer_id"))
        rows = (
            LegalReview.objects.filter(case__in=cases, reviewer__isnull=False)
            .exclude(outcome=ReviewOutcome.PENDING)
            .filter(Exists(handled))
            .values_list("case_id", "case__agency_id", "reviewer__name", "reviewed_at")
        )
        return {
            case_id: Finding(agency_id, {"reviewer": name, "reviewed_at": iso(at)})
            for case_id, agency_id, name, at in rows
        }

    def describe(self, facts, today):
        return _("%(name)s是本案承办人员，却于%(at)s出具了法制审核意见。") % {
            "name": facts["reviewer"],
            "at": facts.get("reviewed_at") or "",
        }


@register
class HearingHostIsHandler(Rule):
    code = "S-HEARING-HOST-IS-HANDLER"
    title = gettext_lazy("听证主持人是本案调查人员")
    description = gettext_lazy("听证由本案的调查（承办）人员主持。")
    article = apl(64)
    severity = Severity.HIGH

    def findings(self, cases, ctx):
        handled = HANDLERS.objects.filter(case_id=OuterRef("case_id"), officer_id=OuterRef("host_id"))
        rows = (
            Hearing.objects.filter(case__in=cases)
            .filter(Exists(handled))
            .values_list("case_id", "case__agency_id", "host__name", "scheduled_on")
        )
        return {
            case_id: Finding(agency_id, {"host": name, "scheduled_on": iso(day)})
            for case_id, agency_id, name, day in rows
        }

    def describe(self, facts, today):
        return _("%(scheduled)s的听证由本案调查人员%(name)s主持。") % {
            "name": facts["host"],
            "scheduled": facts["scheduled_on"],
        }


@register
class HearingRightNotNotified(Rule):
    code = "S-HEARING-RIGHT-NOT-NOTIFIED"
    title = gettext_lazy("未告知听证权利")
    description = gettext_lazy(
        "作出的处罚依法给予当事人听证权利（较大数额罚款、没收，降低资质等级、吊销许可证件、责令停产停业等），但事先告知书没有告知听证权利，或没有事先告知。"
    )
    article = f"{apl(44)}、{apl(63)}"
    severity = Severity.HIGH

    def thresholds(self, settings):
        return [
            _("较大数额：公民%(p)s元、法人或其他组织%(o)s元，权责事项可另行规定")
            % {
                "p": f"{config.HEARING_THRESHOLD_PERSON:,.0f}",
                "o": f"{config.HEARING_THRESHOLD_ORG:,.0f}",
            }
        ]

    def findings(self, cases, ctx):
        person = Party.objects.filter(case=OuterRef("pk"), kind__in=PERSON_KINDS)
        rows = list(
            _decided_penalties(cases)
            .filter(procedure=Procedure.ORDINARY)
            .filter(Q(prior_notice__isnull=True) | Q(prior_notice__hearing_right=False))
            .annotate(has_person=Exists(person))
            .values_list(
                "pk",
                "agency_id",
                "power_item_id",
                "penalty_kinds",
                "fine_amount",
                "confiscated_amount",
                "has_person",
                "prior_notice__id",
                "decided_on",
            )
        )
        items = PowerItem.objects.in_bulk({row[2] for row in rows if row[2]})
        out = {}
        for pk, agency_id, item_id, kinds, fine, confiscation, has_person, notice_id, decided in rows:
            threshold = hearing_threshold(items.get(item_id), has_person)
            if penalty_gives_hearing_right(kinds, fine, confiscation, threshold):
                out[pk] = Finding(
                    agency_id,
                    {
                        "decided_on": iso(decided),
                        "fine": str(fine) if fine is not None else None,
                        "threshold": str(threshold),
                        "notified": notice_id is not None,
                    },
                )
        return out

    def describe(self, facts, today):
        what = _("事先告知书未告知听证权利") if facts.get("notified") else _("没有事先告知")
        if facts.get("fine"):
            return _(
                "%(day)s作出的处罚（罚款%(fine)s元，较大数额标准%(threshold)s元）依法享有听证权利，但%(what)s。"
            ) % {
                "day": facts["decided_on"],
                "fine": facts["fine"],
                "threshold": facts["threshold"],
                "what": what,
            }
        return _("%(day)s作出的处罚依法享有听证权利，但%(what)s。") % {"day": facts["decided_on"], "what": what}


@register
class HearingNoticeShort(Rule):
    code = "S-HEARING-NOTICE-SHORT"
    title = gettext_lazy("听证通知送达距听证不足法定日数")
    description = gettext_lazy("听证通知书送达后不足七个工作日即举行（或安排）听证。")
    article = config.HEARING_NOTICE.article
    severity = Severity.MEDIUM

    def thresholds(self, settings):
        return [_("听证七个工作日前送达通知（%(article)s）") % {"article": config.HEARING_NOTICE.article}]

    def findings(self, cases, ctx):
        rows = (
            Hearing.objects.filter(case__in=cases)
            .annotate(day=Coalesce("held_on", "scheduled_on"))
            .annotate(lag=DaysBetween("notice_served_on", "day"))
            .filter(lag__lt=30)  # seven working days never span 30 natural days
            .values_list("case_id", "case__agency_id", "notice_served_on", "day", "held_on")
        )
        out = {}
        for case_id, agency_id, served, day, held in rows:
            try:
                check_hearing_notice(served, day)  # the workflow's own check
            except WorkflowError as error:
                if error.rule_code != "hearing_notice_too_late":
                    ctx.cannot_judge(self)
                    continue
                out[case_id] = Finding(
                    agency_id, {"notice_served_on": iso(served), "hearing_on": iso(day), "held": bool(held)}
                )
        return out

    def describe(self, facts, today):
        verb = _("举行") if facts.get("held") else _("安排")
        return _("听证通知于%(served)s送达，听证于%(day)s%(verb)s，不足七个工作日。") % {
            "served": facts["notice_served_on"],
            "day": facts["hearing_on"],
            "verb": verb,
        }


class DiscretionCheck(Rule):
    """Both discretion rules ask the workflow's check_discretion about the decided penalty."""

    group = Group.DISCRETION
    codes = ()

    def findings(self, cases, ctx):
        approved = Deliberation.objects.filter(case=OuterRef("pk"), approves_deviation=True)
        rows = list(
            _decided_penalties(cases)
            .filter(discretion_standard__isnull=False)
            .annotate(approved=Exists(approved))
            .values_list(
                "pk",
                "agency_id",
                "discretion_standard_id",
                "power_item_id",
                "penalty_kinds",
                "fine_amount",
                "fine_base_amount",
                "approved",
            )
        )
        standards = DiscretionStandard.objects.in_bulk({row[2] for row in rows})
        out = {}
        for pk, agency_id, standard_id, item_id, kinds, fine, base, approved_deviation in rows:
            standard = standards[standard_id]
            try:
                check_discretion(standard, types.SimpleNamespace(pk=item_id), kinds, fine, base, "")
            except WorkflowError as error:
                if error.rule_code in self.codes and self.fires(approved_deviation):
                    out[pk] = Finding(
                        agency_id,
                        {
                            "fine": str(fine) if fine is not None else None,
                            "standard": standard.violation,
                            "problem": error.messages[0].split("。")[0],
                        },
                    )
        return out

    def fires(self, approved_deviation):
        return True


@register
class DiscretionDeviation(DiscretionCheck):
    code = "S-DISCRETION-DEVIATION"
    title = gettext_lazy("处罚偏离裁量基准未经集体讨论同意")
    description = gettext_lazy("决定的罚款金额或处罚种类超出适用的裁量基准，且没有机关负责人集体讨论同意偏离的记录。")
    article = f"{apl(34)}、{apl(57, 2)}"
    severity = Severity.MEDIUM
    codes = ("outside_discretion_standard",)

    def fires(self, approved_deviation):
        return not approved_deviation

    def describe(self, facts, today):
        return _("%(problem)s（裁量基准：%(standard)s），没有集体讨论同意偏离的记录。") % facts


@register
class FineAboveMaximum(DiscretionCheck):
    code = "S-FINE-ABOVE-MAX"
    title = gettext_lazy("罚款超过法定最高限额")
    description = gettext_lazy("决定的罚款超过法律规定的最高罚款数额；即使经过集体讨论，也不得超过法定幅度。")
    article = apl(38)
    severity = Severity.HIGH
    codes = ("fine_above_statutory_max",)

    def describe(self, facts, today):
        return _("%(problem)s（裁量基准：%(standard)s）。") % facts


@register
class SeizureOverdue(Rule):
    code = "S-SEIZURE-OVERDUE"
    title = gettext_lazy("查封扣押超过法定期限")
    description = gettext_lazy(
        "查封、扣押期限（三十日，经批准延长一次不超过三十日，检测鉴定期间不计入）届满仍未解除或处理，或解除晚于期限。"
    )
    article = ACL_25
    severity = Severity.HIGH
    trigger = Trigger.SCHEDULE
    group = Group.EXECUTION

    def thresholds(self, settings):
        from cases.rules.execution import MEASURE_DAYS, MEASURE_EXTENSION_MAX_DAYS

        return [
            _("期限%(n)d日，延长一次不超过%(m)d日（%(article)s）")
            % {"n": MEASURE_DAYS, "m": MEASURE_EXTENSION_MAX_DAYS, "article": ACL_25}
        ]

    def findings(self, cases, ctx):
        rows = (
            CoerciveMeasure.objects.filter(case__in=cases)
            .filter(Q(state=MeasureState.IN_FORCE, ends_on__lt=ctx.today) | Q(ended_on__gt=F("ends_on")))
            .order_by("decided_on", "pk")
            .values_list("case_id", "case__agency_id", "number", "kind", "decided_on", "ends_on", "ended_on")
        )
        out = {}
        for case_id, agency_id, number, kind, decided, ends, ended in rows:
            finding = out.setdefault(case_id, Finding(agency_id, {"measures": []}))
            finding.facts["measures"].append(
                {
                    "number": number,
                    "kind": kind,
                    "decided_on": iso(decided),
                    "ends_on": iso(ends),
                    "ended_on": iso(ended),
                }
            )
        return out

    def describe(self, facts, today):
        from cases.models import MeasureKind

        parts = []
        for m in facts["measures"]:
            kind = MeasureKind(m["kind"]).label if m["kind"] in MeasureKind.values else m["kind"]
            if m.get("ended_on"):
                parts.append(
                    _("%(kind)s（%(number)s）期限至%(ends)s，%(ended)s才解除或处理")
                    % {"kind": kind, "number": m["number"], "ends": m["ends_on"], "ended": m["ended_on"]}
                )
            else:
                parts.append(
                    _("%(kind)s（%(number)s）期限已于%(ends)s届满，仍未解除或处理")
                    % {"kind": kind, "number": m["number"], "ends": m["ends_on"]}
                )
        return "；".join(parts) + "。"


@register
class SurchargeAboveFine(Rule):
    code = "S-SURCHARGE-ABOVE-FINE"
    title = gettext_lazy("加处罚款超过罚款数额")
    description = gettext_lazy("收取的加处罚款合计超过了罚款本身的数额。")
    article = "《行政处罚法》第七十二条第一款、《行政强制法》第四十五条"
    severity = Severity.HIGH
    group = Group.EXECUTION

    def findings(self, cases, ctx):
        total = (
            Payment.objects.filter(case=OuterRef("pk"))
            .order_by()
            .values("case")
            .annotate(t=Sum("surcharge_part"))
            .values("t")
        )
        rows = (
            cases.filter(fine_amount__gt=0)
            .annotate(surcharge=Subquery(total))
            .filter(surcharge__gt=F("fine_amount"))
            .values_list("pk", "agency_id", "fine_amount", "surcharge")
        )
        return {pk: Finding(agency_id, {"fine": str(fine), "surcharge": str(s)}) for pk, agency_id, fine, s in rows}

    def describe(self, facts, today):
        return _("罚款%(fine)s元，已收加处罚款%(surcharge)s元，超过罚款数额。") % facts
