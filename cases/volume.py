"""Generated case volume for benchmarks: `manage.py seed_cases --count N`.

Benchmarks need 100,000 cases with parties, handlers, events and history; going through the
workflow one case at a time would take hours, so these rows are written with bulk_create.
They are shaped like the workflow's output (numbers from the agency's counter, handlers with
certificates, events for each step, a history row per case) and are marked by the title prefix
`压测` so they can be told apart and removed (`--clear`). Never run this on production data.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseState, NumberSequence, Party, PartyKind, Procedure, Source
from cases.numbering import CASE_KIND, CASE_WORD, format_number
from lawenforce.models import Agency, Officer
from lawenforce.validators import resident_id_check_char, uscc_check_char

MARKER = "压测"
SEED = 20261125
BATCH = 2000
# A realistic spread of states: most cases are closed or archived, a fifth are open.
STATE_WEIGHTS = [
    (CaseState.LEAD, 3),
    (CaseState.INVESTIGATING, 8),
    (CaseState.UNDER_REVIEW, 2),
    (CaseState.NOTIFIED, 3),
    (CaseState.LEGAL_REVIEW, 1),
    (CaseState.PENDING_DECISION, 1),
    (CaseState.DECIDED, 1),
    (CaseState.EXECUTING, 3),
    (CaseState.CLOSED, 18),
    (CaseState.ARCHIVED, 60),
]
FILED_STATES = {s for s, _w in STATE_WEIGHTS} - {CaseState.LEAD}
DECIDED_STATES = {CaseState.DECIDED, CaseState.EXECUTING, CaseState.CLOSED, CaseState.ARCHIVED}
TITLES = ["涉嫌经营超过保质期食品案", "涉嫌发布虚假广告案", "涉嫌销售不合格产品案", "涉嫌无证经营案", "涉嫌价格违法案"]
COMPANY_WORDS = ["鑫源", "华盛", "鲁兴", "恒泰", "运河", "圣地", "金桥", "宏达", "泰和", "济丰"]


def clear():
    cases = Case.objects.filter(title__startswith=MARKER)
    n = cases.count()
    Case.history.model.objects.filter(title__startswith=MARKER).delete()
    cases.delete()
    return n


def _party(rng, case, i):
    if rng.random() < 0.3:
        first17 = (
            f"370811{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
        )
        return Party(
            case=case,
            kind=PartyKind.NATURAL_PERSON,
            name=f"{rng.choice('张王李赵刘陈杨')}某{i % 100}",
            id_number=first17 + resident_id_check_char(first17),
            address="山东省济宁市任城区",
        )
    first17 = f"91370811MA{i:07d}"[:17]
    return Party(
        case=case,
        kind=PartyKind.LEGAL_PERSON,
        name=f"济宁{rng.choice(COMPANY_WORDS)}商贸有限公司{i}",
        uscc=first17 + uscc_check_char(first17),
        legal_representative="王某",
        address="山东省济宁市",
    )


def generate(count, agency_shares):
    """Add `count` cases spread over `agency_shares` [(agency, weight)], deterministic for a given count."""
    rng = random.Random(SEED)
    agencies = [a for a, _w in agency_shares]
    weights = [w for _a, w in agency_shares]
    officers = {a.pk: list(Officer.objects.filter(agency=a, active=True)) for a in agencies}
    counters = {}
    states, state_weights = zip(*STATE_WEIGHTS, strict=True)
    start = datetime.date(2024, 1, 2)
    now = timezone.now()
    made = 0
    with transaction.atomic():
        while made < count:
            batch = min(BATCH, count - made)
            cases, plans = [], []
            for k in range(batch):
                i = made + k
                agency = rng.choices(agencies, weights)[0]
                staff = officers[agency.pk]
                state = rng.choices(states, state_weights)[0]
                received = start + datetime.timedelta(days=rng.randint(0, 690))
                case = Case(
                    agency=agency,
                    procedure=Procedure.ORDINARY,
                    state=state,
                    title=f"{MARKER}{rng.choice(TITLES)}",
                    source=rng.choice(Source.values),
                    lead_received_on=received,
                    registered_by=staff[0],
                    lead_summary="批量生成的压测案件。",
                )
                if state in FILED_STATES:
                    year = received.year
                    key = (agency.pk, year)
                    counters[key] = counters.get(key) or _counter_start(agency, year)
                    counters[key] += 1
                    case.number = format_number(agency, CASE_WORD, year, counters[key])
                    case.filed_on = received + datetime.timedelta(days=rng.randint(1, 14))
                    case.violation_date = received - datetime.timedelta(days=rng.randint(1, 60))
                if state in DECIDED_STATES:
                    case.decided_on = case.filed_on + datetime.timedelta(days=rng.randint(20, 80))
                    case.decision_kind = "penalty"
                    case.fine_amount = Decimal(rng.choice([2000, 5000, 10000, 50000]))
                    case.penalty_kinds = ["fine"]
                cases.append(case)
                plans.append((i, staff))
            Case.objects.bulk_create(cases, batch_size=BATCH)
            _children(rng, cases, plans, now)
            made += batch
        for (agency_id, year), last in counters.items():
            NumberSequence.objects.update_or_create(
                agency_id=agency_id, year=year, kind=CASE_KIND, defaults={"last": last}
            )
    return made


def _counter_start(agency, year):
    row = NumberSequence.objects.filter(agency=agency, year=year, kind=CASE_KIND).first()
    return row.last if row else 0


def _children(rng, cases, plans, now):
    parties, events, handler_rows, history = [], [], [], []
    through = Case.handlers.through
    for case, (i, staff) in zip(cases, plans, strict=True):
        parties.append(_party(rng, case, i))
        if rng.random() < 0.2:
            parties.append(_party(rng, case, i + 1_000_000))
        events.append(CaseEvent(case=case, actor=staff[0], action="登记线索", to_state=CaseState.LEAD))
        if case.number:
            pair = rng.sample(staff, 2) if len(staff) >= 2 else staff
            handler_rows += [through(case_id=case.pk, officer_id=o.pk) for o in pair]
            events.append(
                CaseEvent(
                    case=case,
                    actor=staff[0],
                    action="批准立案",
                    from_state=CaseState.LEAD,
                    to_state=CaseState.INVESTIGATING,
                    summary=f"案号 {case.number}",
                )
            )
        history.append(
            Case.history.model(
                **{f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields},
                history_date=now,
                history_type="+",
                history_change_reason="批量生成（压测）",
            )
        )
    Party.objects.bulk_create(parties, batch_size=BATCH)
    CaseEvent.objects.bulk_create(events, batch_size=BATCH)
    through.objects.bulk_create(handler_rows, batch_size=BATCH)
    Case.history.model.objects.bulk_create(history, batch_size=BATCH)


def default_shares():
    """Every enforcing agency with officers; the demo officer's agency gets a tenth of the cases."""
    shares = []
    enforcing = Agency.objects.active().exclude(sector="justice").filter(officers__active=True).distinct()
    for agency in enforcing:
        shares.append((agency, 50 if agency.short_name == "济任市监" else 1))
    return shares
