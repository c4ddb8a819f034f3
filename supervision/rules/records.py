"""Rules of the full-process record: evidence uploaded late, and records entered long after the
event they record or after the decision (补录). 《菏泽市实施方案》: 不得在行政执法决定作出后进行补录或集中补录."""

from collections import defaultdict

from django.db.models import F, Min, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.documents.service import RECORD_KINDS
from cases.models import (
    Case,
    CaseEvent,
    CaseState,
    CoerciveMeasure,
    Deliberation,
    Document,
    Payment,
    PriorNotice,
    Procedure,
    Service,
)
from evidence.models import LATE_UPLOAD_AFTER, EvidenceItem
from supervision.models import Severity
from supervision.sql import DaysBetween, local_date

from .base import Finding, Group, Rule, iso, register

SEED_001 = "《黑龙江省行政执法“三项制度”实施方案》二（二）4（执法全过程记录）"
SEED_004 = "《菏泽市行政处罚和行政强制权力网上运行实施方案》（不得事后补录）"


@register
class EvidenceLate(Rule):
    code = "S-EVIDENCE-LATE"
    title = gettext_lazy("证据超过24小时上传")
    description = gettext_lazy("证据（音像记录等）上传时间晚于取证时间24小时以上。")
    article = SEED_001
    severity = Severity.MEDIUM
    group = Group.RECORD

    def thresholds(self, settings):
        hours = int(LATE_UPLOAD_AFTER.total_seconds() // 3600)
        return [_("取证后%(h)d小时内上传（证据模块的同一标准）") % {"h": hours}]

    def findings(self, cases, ctx):
        rows = (
            EvidenceItem.objects.filter(case__in=cases, late_upload=True)
            .order_by("collected_at", "pk")
            .values_list("case_id", "case__agency_id", "title", "collected_at", "uploaded_at")
        )
        out = {}
        for case_id, agency_id, title, collected, uploaded in rows:
            finding = out.setdefault(case_id, Finding(agency_id, {"items": []}))
            hours = int((uploaded - collected).total_seconds() // 3600)
            finding.facts["items"].append(
                {"title": title, "collected_at": iso(collected), "uploaded_at": iso(uploaded), "hours": hours}
            )
        return out

    def describe(self, facts, today):
        parts = [_("“%(title)s”取证%(hours)d小时后才上传") % item for item in facts["items"][:5]]
        more = len(facts["items"]) - 5
        text = "；".join(parts)
        if more > 0:
            text += _("等%(n)d件") % {"n": len(facts["items"])}
        return text + "。"


def _entries_from_events(cases, to_state, date_field, what):
    return (
        CaseEvent.objects.filter(case__in=cases, to_state=to_state)
        .annotate(day=F(f"case__{date_field}"), entered=local_date("at"))
        .annotate(lag=DaysBetween("day", "entered")),
        what,
        ("case_id", "case__agency_id"),
    )


def _entries_from_history(model, cases, date_field, what, **extra):
    rows = model.history.model.objects.filter(case_id__in=cases.values("pk"), history_type="+", **extra)
    return (
        rows.annotate(day=F(date_field), entered=local_date("history_date")).annotate(
            lag=DaysBetween("day", "entered")
        ),
        what,
        ("case_id", None),  # the agency is looked up once for the cases found
    )


@register
class BackfillLate(Rule):
    code = "S-BACKFILL-LATE"
    title = gettext_lazy("办案环节事后补录")
    description = gettext_lazy(
        "办案环节录入系统的时间晚于其记载的日期超过补录判定天数（立案、告知、决定、送达、缴款、结案、归档等）。"
    )
    article = SEED_004
    severity = Severity.MEDIUM
    group = Group.RECORD

    def thresholds(self, settings):
        return [_("录入晚于记载日期%(n)d日以上视为补录（监督参数，可调整）") % {"n": settings.backfill_days}]

    def sources(self, cases):
        """(queryset of rows with day, entered and lag; what they record) for each kind of entry."""
        yield _entries_from_events(cases, CaseState.INVESTIGATING, "filed_on", gettext_lazy("立案"))
        yield _entries_from_events(cases, CaseState.DECIDED, "decided_on", gettext_lazy("作出决定"))
        yield _entries_from_events(cases, CaseState.CLOSED, "closed_on", gettext_lazy("结案"))
        yield _entries_from_events(cases, CaseState.ARCHIVED, "archived_on", gettext_lazy("归档"))
        yield _entries_from_history(PriorNotice, cases, "served_on", gettext_lazy("送达事先告知书"))
        yield _entries_from_history(Service, cases, "served_on", gettext_lazy("送达"))
        yield _entries_from_history(Payment, cases, "paid_on", gettext_lazy("缴款"))
        yield _entries_from_history(Deliberation, cases, "held_on", gettext_lazy("集体讨论"))
        yield _entries_from_history(CoerciveMeasure, cases, "decided_on", gettext_lazy("查封扣押决定"))
        summary = Case.history.model.objects.filter(
            id__in=cases.filter(procedure=Procedure.SUMMARY).values("pk"), history_type="+"
        )
        yield (
            summary.annotate(day=F("decided_on"), entered=local_date("history_date")).annotate(
                lag=DaysBetween("day", "entered")
            ),
            gettext_lazy("当场处罚决定"),
            ("id", "agency_id"),
        )

    def findings(self, cases, ctx):
        threshold = ctx.backfill_days
        grouped = defaultdict(list)
        agencies = {}
        for rows, what, (case_field, agency_field) in self.sources(cases):
            fields = [case_field, "day", "entered", "lag"] + ([agency_field] if agency_field else [])
            for row in rows.filter(lag__gt=threshold).values_list(*fields):
                case_id, day, entered, lag = row[:4]
                grouped[case_id].append({"what": str(what), "date": iso(day), "entered": iso(entered), "days": lag})
                if agency_field:
                    agencies[case_id] = row[4]
        missing = [pk for pk in grouped if pk not in agencies]
        if missing:
            agencies.update(Case.objects.filter(pk__in=missing).values_list("pk", "agency_id"))
        return {
            pk: Finding(agencies[pk], {"entries": sorted(entries, key=lambda e: e["date"]), "threshold": threshold})
            for pk, entries in grouped.items()
            if pk in agencies
        }

    def describe(self, facts, today):
        parts = [_("%(what)s记载为%(date)s，%(entered)s才录入（晚%(days)d日）") % e for e in facts["entries"][:5]]
        return "；".join(parts) + "。"


@register
class BackfillAfterDecision(Rule):
    code = "S-BACKFILL-AFTER-DECISION"
    title = gettext_lazy("决定作出后补录调查材料")
    description = gettext_lazy("处罚决定作出后，又录入了决定之前取得的证据或询问、检查笔录。")
    article = SEED_004
    severity = Severity.HIGH
    group = Group.RECORD

    def findings(self, cases, ctx):
        decided_at = (
            CaseEvent.objects.filter(case=OuterRef("case_id"), to_state=CaseState.DECIDED)
            .order_by()
            .values("case")
            .annotate(first=Min("at"))
            .values("first")
        )
        evidence = (
            EvidenceItem.objects.filter(case__in=cases.filter(decided_on__isnull=False))
            .annotate(decided_at=Subquery(decided_at), collected_on=local_date("collected_at"))
            .filter(uploaded_at__gt=F("decided_at"), collected_on__lte=F("case__decided_on"))
            .values_list("case_id", "case__agency_id", "title", "uploaded_at")
        )
        records = (
            Document.objects.filter(case__in=cases.filter(decided_on__isnull=False), kind__in=RECORD_KINDS)
            .annotate(decided_at=Subquery(decided_at))
            .filter(created_at__gt=F("decided_at"))
            .values_list("case_id", "case__agency_id", "title", "created_at")
        )
        out = {}
        for rows in (evidence, records):
            for case_id, agency_id, title, at in rows:
                finding = out.setdefault(case_id, Finding(agency_id, {"items": []}))
                finding.facts["items"].append({"title": title, "entered": iso(at)})
        return out

    def describe(self, facts, today):
        parts = [_("“%(title)s”于%(entered)s录入") % item for item in facts["items"][:5]]
        return _("决定作出后补录了：%(list)s。") % {"list": "；".join(parts)}
