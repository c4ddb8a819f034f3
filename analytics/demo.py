"""Generated enforcement history for the demo and the benchmark (`manage.py seed_demo_analytics`).

The demo jurisdiction has a handful of cases built through the workflow (cases/demo.py); trends
need two years of them. These cases are written with bulk inserts (like cases/volume.py), shaped
like the workflow's output: numbers from the agency's counters, two certified handlers, parties
with valid USCC or ID numbers, decisions of every kind, remedies with outcomes, and — when the
disclosure and supervision apps provide the models — complaints and dossier evaluations. They are
marked by the title suffix `（历史示例）` and removed by `--clear`. Deterministic for a given size.
Never run this on production data.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from analytics import sources
from cases.models import (
    Case,
    CaseEvent,
    CaseState,
    DecisionKind,
    DocumentKind,
    NumberSequence,
    Party,
    PartyKind,
    Procedure,
    Remedy,
    RemedyKind,
    RemedyOutcome,
    Source,
)
from cases.models.remedies import OVERTURNING_OUTCOMES
from cases.numbering import CASE_KIND, CASE_WORD, format_number
from lawenforce.models import ActionCategory, Agency, Certificate, CertificateStatus, PenaltyKind, PowerItem
from lawenforce.validators import resident_id_check_char, uscc_check_char

MARKER = "（历史示例）"
SEED = 20250101
BATCH = 5000
START = datetime.date(2025, 1, 1)
WORDS = {
    DocumentKind.PENALTY_DECISION: "罚",
    DocumentKind.NO_PENALTY_DECISION: "不罚",
    DocumentKind.SUMMARY_DECISION: "当罚",
}
# Decision kinds and how often they occur among decided cases (ordinary procedure).
DECISIONS = [
    (DecisionKind.PENALTY, 76),
    (DecisionKind.NO_PENALTY_FIRST, 8),
    (DecisionKind.NO_PENALTY_MINOR, 5),
    (DecisionKind.NOT_ESTABLISHED, 5),
    (DecisionKind.TRANSFER, 2),
    (DecisionKind.DISMISSED, 2),
    (DecisionKind.NO_PENALTY_NO_FAULT, 2),
]
COMPANY_WORDS = ["鑫源", "华盛", "鲁兴", "恒泰", "运河", "圣地", "金桥", "宏达", "泰和", "济丰", "瑞祥", "齐鲁"]
TRADES = ["商贸", "食品", "餐饮", "建材", "物流", "药房", "超市", "汽修"]
SURNAMES = "张王李赵刘陈杨黄周吴孙马朱胡郭何高林"
OUTCOMES = [
    (RemedyOutcome.UPHELD, 45),
    (RemedyOutcome.REJECTED, 20),
    (RemedyOutcome.WITHDRAWN, 12),
    (RemedyOutcome.MEDIATED, 6),
    (RemedyOutcome.CHANGED, 5),
    (RemedyOutcome.REVOKED, 6),
    (RemedyOutcome.REMADE, 3),
    (RemedyOutcome.CONFIRMED_UNLAWFUL, 3),
]


@dataclass
class Staff:
    agency: Agency
    handlers: list  # officers with a usable certificate, busiest first
    items: list  # penalty power items the agency holds
    weights: list  # how often each item is enforced


def clear():
    cases = Case.objects.filter(title__endswith=MARKER)
    n = cases.count()
    # Complaints and evaluations protect their cases: remove the generated ones first.
    complaint, evaluation = sources.model(sources.COMPLAINTS), sources.model(sources.EVALUATIONS)
    if complaint is not None:
        complaint.objects.filter(tracking_code__startswith="LS", content="批量生成的历史示例投诉举报。").delete()
    if evaluation is not None:
        evaluation.objects.filter(case__in=cases).delete()
        evaluation._meta.get_field("sample").related_model.objects.filter(title__endswith="（历史示例）").delete()
    Case.history.model.objects.filter(title__endswith=MARKER).delete()
    cases.delete()
    return n


def exists():
    return Case.objects.filter(title__endswith=MARKER).exists()


def _staff(agencies, rng):
    usable = defaultdict(list)
    certificates = Certificate.objects.filter(
        officer__agency__in=agencies,
        officer__active=True,
        officer__is_supervisor=False,
        status=CertificateStatus.VALID,
    ).select_related("officer")
    for cert in certificates.order_by("officer__agency_id", "officer_id"):
        if cert.officer not in usable[cert.officer.agency_id]:
            usable[cert.officer.agency_id].append(cert.officer)
    items = defaultdict(list)
    held = PowerItem.agencies.through.objects.filter(
        agency__in=agencies, poweritem__action_category=ActionCategory.PENALTY, poweritem__active=True
    ).select_related("poweritem")
    for row in held.order_by("poweritem__code"):
        items[row.agency_id].append(row.poweritem)
    staff = []
    for agency in agencies:
        if len(usable[agency.pk]) >= 2 and items[agency.pk]:
            # A few items carry most of the work, as in real agencies.
            weights = [1 / (i + 1) for i in range(len(items[agency.pk]))]
            rng.shuffle(weights)
            staff.append(Staff(agency, usable[agency.pk], items[agency.pk], weights))
    return staff


def default_agencies():
    return list(Agency.objects.active().exclude(sector="justice").order_by("pk"))


def agency_weight(agency):
    """The demo officer's agency is the busiest; generated benchmark agencies take a normal share."""
    return 12 if agency.short_name == "济任市监" else 3 if agency.region.level <= 2 else 4


class Generator:
    def __init__(self, count, agencies, end=None, lean=False):
        self.rng = random.Random(SEED + count)
        self.count = count
        self.end = end or timezone.localdate()
        self.lean = lean  # benchmark: no events and no history rows
        self.staff = _staff(agencies, self.rng)
        self.counters = {}
        self.companies = self._party_pool()
        self.now = timezone.now()
        self.from_complaints = []  # (case, staff) of cases that came from a complaint
        self.closed = []  # cases closed or archived: the population of dossier evaluations

    def _party_pool(self):
        """Parties that come back: a pool much smaller than the number of cases, drawn unevenly."""
        size = max(50, self.count // 4)
        pool = []
        for i in range(size):
            if i % 3 == 0:
                first17 = f"370811{1960 + i % 40}{1 + i % 12:02d}{1 + i % 28:02d}{100 + i % 900:03d}"
                pool.append(
                    {
                        "kind": PartyKind.NATURAL_PERSON,
                        "name": f"{SURNAMES[i % len(SURNAMES)]}某{i % 97}",
                        "id_number": first17 + resident_id_check_char(first17),
                        "address": "山东省济宁市（演示地址）",
                    }
                )
            else:
                first17 = f"91370800MA{i:07d}"[:17]
                kind = PartyKind.INDIVIDUAL_BUSINESS if i % 7 == 0 else PartyKind.LEGAL_PERSON
                pool.append(
                    {
                        "kind": kind,
                        "name": f"济宁{COMPANY_WORDS[i % len(COMPANY_WORDS)]}{TRADES[i % len(TRADES)]}有限公司{i}",
                        "uscc": first17 + uscc_check_char(first17),
                        "legal_representative": "王某",
                        "address": "山东省济宁市（演示地址）",
                    }
                )
        return pool

    def _number(self, agency, kind, word, year):
        key = (agency.pk, year, kind)
        if key not in self.counters:
            row = NumberSequence.objects.filter(agency=agency, year=year, kind=kind).first()
            self.counters[key] = row.last if row else 0
        self.counters[key] += 1
        return format_number(agency, word, year, self.counters[key])

    def _day(self):
        span = (self.end - START).days
        # Slightly more work in recent months: trends that go somewhere.
        return START + datetime.timedelta(days=int(span * self.rng.random() ** 0.85))

    def _case(self, staff):
        rng = self.rng
        agency = staff.agency
        item = rng.choices(staff.items, staff.weights)[0]
        received = self._day()
        summary = rng.random() < 0.12
        # Most work falls on a core of officers; some certified officers rarely or never handle cases.
        core = staff.handlers[: max(2, int(len(staff.handlers) * 0.7))]
        pair = rng.sample(core, 2)
        case = Case(
            agency=agency,
            power_item=item,
            title=f"涉嫌违反{item.name.removeprefix('对').removesuffix('的行政处罚')}案{MARKER}",
            source=rng.choices(Source.values, [35, 45, 8, 7, 5])[0],
            lead_received_on=received,
            registered_by=pair[0],
            lead_summary="批量生成的历史示例案件。",
        )
        if summary:
            return self._summary(case, received), pair
        case.procedure = Procedure.ORDINARY
        filed = received + datetime.timedelta(days=rng.randint(1, 12))
        if filed > self.end:
            case.state = CaseState.LEAD
            return case, pair
        case.filed_on = filed
        case.violation_date = received - datetime.timedelta(days=rng.randint(1, 40))
        case.number = self._number(agency, CASE_KIND, CASE_WORD, filed.year)
        decided = filed + datetime.timedelta(days=rng.randint(15, 85))
        if decided > self.end:
            case.state = rng.choice([CaseState.INVESTIGATING, CaseState.NOTIFIED, CaseState.PENDING_DECISION])
            return case, pair
        kind = rng.choices([k for k, _w in DECISIONS], [w for _k, w in DECISIONS])[0]
        case.decision_kind = kind
        case.decided_on = decided
        case.decided_by = pair[0]
        if kind == DecisionKind.PENALTY:
            case.penalty_kinds = [PenaltyKind.FINE]
            case.fine_amount = Decimal(rng.choice([2000, 5000, 10000, 20000, 50000, 100000]))
            case.decision_number = self._number(
                agency, DocumentKind.PENALTY_DECISION, WORDS[DocumentKind.PENALTY_DECISION], decided.year
            )
        elif kind.startswith("no_penalty"):
            case.decision_number = self._number(
                agency, DocumentKind.NO_PENALTY_DECISION, WORDS[DocumentKind.NO_PENALTY_DECISION], decided.year
            )
        closed = decided + datetime.timedelta(days=rng.randint(10, 60))
        if closed > self.end:
            case.state = CaseState.EXECUTING if kind == DecisionKind.PENALTY else CaseState.DECIDED
        else:
            case.closed_on = closed
            case.state = CaseState.ARCHIVED if closed + datetime.timedelta(days=30) <= self.end else CaseState.CLOSED
            if case.state == CaseState.ARCHIVED:
                case.archived_on = closed + datetime.timedelta(days=self.rng.randint(1, 25))
        return case, pair

    def _summary(self, case, day):
        case.procedure = Procedure.SUMMARY
        case.state = CaseState.CLOSED
        case.decision_kind = DecisionKind.PENALTY
        case.decided_on = day
        case.penalty_kinds = [PenaltyKind.FINE]
        case.fine_amount = Decimal(self.rng.choice([50, 100, 200]))
        case.spot_place = "检查现场"
        case.reported_on = day
        case.closed_on = day
        case.decision_number = self._number(
            case.agency, DocumentKind.SUMMARY_DECISION, WORDS[DocumentKind.SUMMARY_DECISION], day.year
        )
        return case

    def run(self):
        if not self.staff:
            return 0
        weights = [agency_weight(s.agency) for s in self.staff]
        made = 0
        with transaction.atomic():
            while made < self.count:
                size = min(BATCH, self.count - made)
                chosen = [self.rng.choices(self.staff, weights)[0] for _ in range(size)]
                planned = [self._case(staff) for staff in chosen]
                cases = [case for case, _pair in planned]
                Case.objects.bulk_create(cases, batch_size=2000)
                self._children(planned)
                for (case, _pair), staff in zip(planned, chosen, strict=True):
                    if case.source == Source.COMPLAINT:
                        self.from_complaints.append((case, staff))
                    if case.closed_on and case.procedure == Procedure.ORDINARY and self.rng.random() < 0.12:
                        self.closed.append(case)
                made += size
            if sources.available(sources.COMPLAINTS):
                ComplaintMaker(self).run()
            if sources.available(sources.EVALUATIONS):
                EvaluationMaker(self).run()
            for (agency_id, year, kind), last in self.counters.items():
                NumberSequence.objects.update_or_create(
                    agency_id=agency_id, year=year, kind=kind, defaults={"last": last}
                )
        return made

    def _children(self, planned):
        rng = self.rng
        through = Case.handlers.through
        parties, handlers, events, history, remedies = [], [], [], [], []
        for case, pair in planned:
            # Zipf-like draw: the first parties of the pool come back again and again.
            index = int(len(self.companies) * rng.random() ** 2.2)
            parties.append(Party(case=case, **self.companies[index]))
            if case.filed_on or case.procedure == Procedure.SUMMARY:
                handlers += [through(case_id=case.pk, officer_id=o.pk) for o in pair]
            if case.decision_kind == DecisionKind.PENALTY and case.procedure == Procedure.ORDINARY:
                remedies.extend(self._remedies(case, pair[0]))
            if not self.lean:
                events.append(CaseEvent(case=case, actor=pair[0], action="登记线索（历史数据导入）", to_state=case.state))
                history.append(
                    Case.history.model(
                        **{f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields},
                        history_date=self.now,
                        history_type="+",
                        history_change_reason="历史示例数据导入",
                    )
                )
        Party.objects.bulk_create(parties, batch_size=2000)
        through.objects.bulk_create(handlers, batch_size=2000)
        Remedy.objects.bulk_create(remedies, batch_size=2000)
        CaseEvent.objects.bulk_create(events, batch_size=2000)
        Case.history.model.objects.bulk_create(history, batch_size=2000)

    def _remedies(self, case, officer):
        rng = self.rng
        if rng.random() >= 0.06:
            return []
        kind = RemedyKind.RECONSIDERATION if rng.random() < 0.7 else RemedyKind.LITIGATION
        filed = case.decided_on + datetime.timedelta(days=rng.randint(10, 55))
        if filed > self.end:
            return []
        remedy = Remedy(
            case=case,
            kind=kind,
            body="济宁市人民政府" if kind == RemedyKind.RECONSIDERATION else "济宁市任城区人民法院",
            filed_on=filed,
            recorded_by=officer,
        )
        outcome_on = filed + datetime.timedelta(days=rng.randint(30, 100))
        if outcome_on <= self.end:
            remedy.outcome = rng.choices([o for o, _w in OUTCOMES], [w for _o, w in OUTCOMES])[0]
            remedy.outcome_on = outcome_on
            remedy.overturned = remedy.outcome in OVERTURNING_OUTCOMES
            remedy.outcome_summary = "历史示例数据。"
        return [remedy]


def generate(count, agencies=None, end=None, lean=False):
    """Add `count` generated cases of `agencies` (default: every active enforcing agency) between
    2025-01-01 and `end` (default today), with complaints and evaluations when their apps are
    installed. Returns how many cases were made."""
    agencies = agencies if agencies is not None else default_agencies()
    return Generator(count, agencies, end=end, lean=lean).run()


def _aware(day, rng):
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time(8 + rng.randint(0, 9), rng.randint(0, 59)), tzinfo=tz)


class ComplaintMaker:
    """Complaints (disclosure.Complaint) behind the cases that came from one, and as many again
    that led to no case: refused, still waiting, or accepted and handled without a case. Their
    matters follow a different mix than the cases, so 执法重心吻合度 is not trivially 100%."""

    def __init__(self, generator):
        self.g = generator
        self.model = sources.model(sources.COMPLAINTS)

    def _complaint(self, n, staff, item, received, case=None):
        rng = self.g.rng
        complaint = self.model(
            tracking_code=f"LS{received:%y%m}{n:08d}",
            kind=rng.choice(["complaint", "report"]),
            received_at=_aware(received, rng),
            region=staff.agency.region,
            sector=staff.agency.sector,
            agency=staff.agency,
            power_item=item,
            accept_due_on=received + datetime.timedelta(days=9),
            subject_name=f"济宁{COMPANY_WORDS[n % len(COMPANY_WORDS)]}{TRADES[n % len(TRADES)]}有限公司",
            title=f"反映{item.name.removeprefix('对').removesuffix('的行政处罚')}问题" if item else "反映违法经营问题",
            content="批量生成的历史示例投诉举报。",
            anonymous=True,
            case=case,
        )
        if case is not None:
            complaint.state = "closed" if case.decided_on else "accepted"
            complaint.accepted_on = received + datetime.timedelta(days=rng.randint(1, 5))
            complaint.closed_on = case.decided_on
        else:
            roll = rng.random()
            if received + datetime.timedelta(days=9) > self.g.end and roll < 0.5:
                complaint.state = "received"
            elif roll < 0.3:
                complaint.state, complaint.rejected_on = "rejected", received + datetime.timedelta(days=rng.randint(1, 6))
            else:
                complaint.state = "closed"
                complaint.accepted_on = received + datetime.timedelta(days=rng.randint(1, 5))
                complaint.closed_on = complaint.accepted_on + datetime.timedelta(days=rng.randint(5, 30))
        return complaint

    def run(self):
        rng = self.g.rng
        rows, n = [], self.model.objects.count()
        for case, staff in self.g.from_complaints:
            n += 1
            received = case.lead_received_on - datetime.timedelta(days=rng.randint(0, 3))
            rows.append(self._complaint(n, staff, case.power_item, max(received, START), case))
            if rng.random() < 0.7:  # as many again that led to no case, on a different mix of matters
                n += 1
                item = rng.choices(staff.items, list(reversed(staff.weights)))[0]
                rows.append(self._complaint(n, staff, item, case.lead_received_on))
        self.model.objects.bulk_create(rows, batch_size=2000)


class EvaluationMaker:
    """Dossier evaluations (supervision.DossierEvaluation) of a sample of the closed cases: one
    draw per justice bureau and year, scored by the bureau's supervisors, most of them passed."""

    def __init__(self, generator):
        self.g = generator
        self.model = sources.model(sources.EVALUATIONS)
        from django.apps import apps

        self.sample_model = apps.get_model("supervision", "EvaluationSample")
        self.rubric_model = apps.get_model("supervision", "Rubric")
        self._bureaus = {}

    def _bureau(self, agency):
        """A supervisor of the justice bureau of the agency's city (or province)."""
        if agency.pk not in self._bureaus:
            self._bureaus[agency.pk] = self._find_bureau(agency)
        return self._bureaus[agency.pk]

    def _find_bureau(self, agency):
        from lawenforce.models import Officer

        codes = [c for c in agency.region.path.split("/") if c][:2]
        for code in reversed(codes):
            officer = (
                Officer.objects.filter(agency__region__code=code, agency__sector="justice", is_supervisor=True, active=True)
                .select_related("agency")
                .first()
            )
            if officer is not None:
                return officer
        return None

    def run(self):
        rng = self.g.rng
        rubric = self.rubric_model.objects.filter(is_default=True).first() or self.rubric_model.objects.first()
        if rubric is None or not self.g.closed:
            return
        samples, evaluations = {}, []
        for case in self.g.closed:
            evaluator = self._bureau(case.agency)
            if evaluator is None:
                continue
            year = case.closed_on.year
            key = (evaluator.agency_id, year)
            if key not in samples:
                samples[key] = self.sample_model.objects.create(
                    title=f"{year}年度行政处罚案卷评查（历史示例）",
                    bureau=evaluator.agency,
                    period_start=datetime.date(year, 1, 1),
                    period_end=datetime.date(year, 12, 31),
                    per_agency=10,
                    seed=f"demo-{year}",
                    rubric=rubric,
                    created_by=evaluator,
                )
            finalized = case.closed_on + datetime.timedelta(days=rng.randint(20, 90))
            score = Decimal(rng.choice([62, 71, 76, 81, 84, 88, 90, 93, 96]))
            evaluation = self.model(sample=samples[key], case=case, agency=case.agency, evaluator=evaluator)
            if finalized <= self.g.end:
                evaluation.total_score = score
                evaluation.passed = score >= rubric.pass_score
                evaluation.finalized_at = _aware(finalized, rng)
            evaluations.append(evaluation)
        for sample in samples.values():
            sample.agencies.set({e.agency_id for e in evaluations if e.sample_id == sample.pk})
        self.model.objects.bulk_create(evaluations, batch_size=2000)
