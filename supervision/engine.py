"""Running the rules: findings in, alerts out. Rules only read; this module writes alerts.

`run(rules, cases)` applies each rule to a queryset of cases: every case for the nightly sweep,
one case after an event. Per rule it issues a fixed number of queries whatever the number of
cases: the rule's own (usually one or two), one to read the existing alerts of the rule, one
insert for the new ones, and updates for alerts whose condition came or went. There is never a
second alert for the same rule and case: the database's unique constraint, with inserts that
skip conflicts, holds also when two runs overlap.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from supervision.models import ACTIVE_STATES, Alert, AlertEntry, AlertState, EntryKind, RuleSetting, SupervisionSettings

from .rules import CATALOGUE, Context

logger = logging.getLogger(__name__)
CHUNK = 10_000


@dataclass
class RuleRun:
    code: str
    found: int = 0
    raised: int = 0
    cleared: int = 0
    recurred: int = 0
    undetermined: int = 0


@dataclass
class RunReport:
    started_at: object
    rules: list = field(default_factory=list)

    @property
    def raised(self):
        return sum(r.raised for r in self.rules)

    @property
    def found(self):
        return sum(r.found for r in self.rules)


def make_context(today=None, now=None):
    settings = SupervisionSettings.current()
    now = now or timezone.now()
    return Context(
        today=today or timezone.localdate(now),
        now=now,
        due_soon_days=settings.due_soon_days,
        backfill_days=settings.backfill_days,
    )


def active_rules(rules=None):
    """[(rule, severity)] of the rules switched on, with the administrator's severity if set."""
    settings = {s.rule: s for s in RuleSetting.objects.all()}
    out = []
    for rule in rules if rules is not None else CATALOGUE.values():
        setting = settings.get(rule.code)
        if setting is not None and not setting.enabled:
            continue
        out.append((rule, (setting.severity if setting and setting.severity else rule.severity)))
    return out


def run(rules=None, cases=None, today=None):
    """Apply `rules` (default: all) to `cases` (default: every case) and bring the alerts in line."""
    cases = Case.objects.all() if cases is None else cases
    ctx = make_context(today)
    report = RunReport(started_at=ctx.now)
    for rule, severity in active_rules(rules):
        found = rule.findings(cases, ctx)
        result = _sync(rule, severity, cases, found, ctx)
        result.undetermined = ctx.undetermined.get(rule.code, 0)
        report.rules.append(result)
    return report


def _chunks(items):
    items = list(items)
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


@transaction.atomic
def _sync(rule, severity, cases, found, ctx):
    result = RuleRun(rule.code, found=len(found))
    existing = {
        case_id: (pk, state, cleared_at, resolved_by_id)
        for case_id, pk, state, cleared_at, resolved_by_id in Alert.objects.filter(
            rule=rule.code, case__in=cases
        ).values_list("case_id", "pk", "state", "cleared_at", "resolved_by_id")
    }
    new = [
        Alert(
            rule=rule.code,
            case_id=case_id,
            agency_id=finding.agency_id,
            severity=severity,
            raised_at=ctx.now,
            facts=finding.facts,
            title=str(rule.title),
            article=rule.article,
            message=rule.describe(finding.facts, ctx.today),
            last_seen_at=ctx.now,
        )
        for case_id, finding in found.items()
        if case_id not in existing
    ]
    if new:
        # ignore_conflicts: a concurrent run that inserted the same (rule, case) first wins.
        Alert.objects.bulk_create(new, ignore_conflicts=True)
        result.raised = len(new)

    gone = [
        (pk, state)
        for case_id, (pk, state, cleared, _by) in existing.items()
        if case_id not in found and cleared is None
    ]
    back = [
        (pk, state, by)
        for case_id, (pk, state, cleared, by) in existing.items()
        if case_id in found and cleared is not None
    ]
    entries = []
    if gone:
        result.cleared = len(gone)
        for chunk in _chunks(pk for pk, _state in gone):
            Alert.objects.filter(pk__in=chunk).update(cleared_at=ctx.now)
        closing = [pk for pk, state in gone if rule.auto_clear and state in ACTIVE_STATES]
        for chunk in _chunks(closing):
            Alert.objects.filter(pk__in=chunk).update(
                state=AlertState.RECTIFIED, resolved_at=ctx.now, resolution=str(rule.cleared_text)
            )
        for pk, state in gone:
            closes = rule.auto_clear and state in ACTIVE_STATES
            entries.append(
                AlertEntry(
                    alert_id=pk,
                    at=ctx.now,
                    kind=EntryKind.CLEARED,
                    from_state=state if closes else "",
                    to_state=AlertState.RECTIFIED if closes else "",
                    text=str(rule.cleared_text)
                    if closes
                    else _("系统复核：预警情形已不存在；该情形属于已发生的事实，预警保留，由人员办结。"),
                )
            )
    if back:
        result.recurred = len(back)
        for chunk in _chunks(pk for pk, _s, _b in back):
            Alert.objects.filter(pk__in=chunk).update(cleared_at=None)
        # Closed by the system (no person) and the condition is back: the alert is open again.
        reopen = [pk for pk, state, by in back if state == AlertState.RECTIFIED and by is None]
        for chunk in _chunks(reopen):
            Alert.objects.filter(pk__in=chunk).update(state=AlertState.OPEN, resolved_at=None, resolution="")
        for pk, state, by in back:
            again = state == AlertState.RECTIFIED and by is None
            entries.append(
                AlertEntry(
                    alert_id=pk,
                    at=ctx.now,
                    kind=EntryKind.RECURRED,
                    from_state=state if again else "",
                    to_state=AlertState.OPEN if again else "",
                    text=_("系统复核：预警情形再次出现。"),
                )
            )
    if entries:
        AlertEntry.objects.bulk_create(entries)
    Alert.objects.filter(rule=rule.code, case__in=cases, cleared_at__isnull=True).update(last_seen_at=ctx.now)
    return result


def check_case(case_id):
    """All rules on one case, as after a step of it committed."""
    return run(cases=Case.objects.filter(pk=case_id))
