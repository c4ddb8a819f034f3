"""What every supervision rule is: an identifier, a plain description, the article it enforces, a
severity, and whether it fires on an event (after a case step commits) or on a schedule (the
nightly sweep, for conditions that time alone brings about).

A rule reads and never writes. `findings(cases, ctx)` takes any queryset of cases (all of them
for the sweep, one for an event) and returns {case_id: Finding}. It narrows the cases in SQL
with a fixed number of queries, whatever the number of cases, and makes the exact check in
Python on the few rows that come back, with the project's own deadline and rule functions
(cases.rules, cases.deadlines, lawenforce.calendar), so a deadline is never computed a second
way. Thresholds come from cases.rules.config and from SupervisionSettings (admin data).
"""

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.errors import WorkflowError
from cases.rules.procedure import period_end
from supervision.models import Severity


class Trigger(models.TextChoices):
    EVENT = "event", _("办案环节提交后即时核查")
    SCHEDULE = "schedule", _("每日定时巡查")


class Group(models.TextChoices):
    DEADLINE = "deadline", _("办案期限")
    SUBJECT = "subject", _("执法主体与人员")
    PROCEDURE = "procedure", _("执法程序")
    DISCRETION = "discretion", _("裁量与法律适用")
    EXECUTION = "execution", _("执行与强制措施")
    RECORD = "record", _("全过程记录")
    DISCLOSURE = "disclosure", _("执法公示")


@dataclass
class Finding:
    agency_id: int
    facts: dict


@dataclass
class Context:
    """What one run of the rules shares: the day it judges, the settings, and counters."""

    today: datetime.date
    now: datetime.datetime
    due_soon_days: int
    backfill_days: int
    undetermined: dict = field(default_factory=dict)  # rule code → candidates the calendar could not judge

    def cannot_judge(self, rule):
        self.undetermined[rule.code] = self.undetermined.get(rule.code, 0) + 1


def iso(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def parse_day(value):
    return datetime.date.fromisoformat(value) if value else None


def due_on(start, period, extra_days=0):
    """The last day of `period` from `start` (cases.rules.procedure.period_end, the same function the
    workflow uses), or None when the year's holiday arrangement is not known yet: a guessed
    deadline would raise false alerts."""
    if start is None:
        return None
    if extra_days:
        period = dataclasses.replace(period, days=period.days + extra_days)
    try:
        return period_end(start, period)
    except WorkflowError:
        return None


class Rule:
    code = ""
    title = ""
    description = ""
    article = ""
    severity = Severity.MEDIUM
    trigger = Trigger.EVENT
    group = Group.PROCEDURE
    # When the condition is gone on a later check (the case was filed, the fine was paid), the
    # alert is closed as rectified by the system. Rules about a fact that stays (a deadline that
    # was missed) keep their alert until a person closes it.
    auto_clear = False
    cleared_text = _("系统复核：预警情形已消除。")

    def findings(self, cases, ctx):
        raise NotImplementedError

    def describe(self, facts, today):
        """One Chinese sentence saying what happened, from the stored facts."""
        raise NotImplementedError

    def thresholds(self, settings):
        """The numbers the rule applies, in words, for the catalogue page."""
        return []

    def __repr__(self):
        return f"<Rule {self.code}>"


CATALOGUE = {}


def register(cls):
    rule = cls()
    assert rule.code and rule.code not in CATALOGUE, rule.code
    CATALOGUE[rule.code] = rule
    return cls


def days_left_words(due, today):
    left = (due - today).days
    if left > 0:
        return _("还剩%(n)d天") % {"n": left}
    if left == 0:
        return _("今天届满")
    return _("已超期%(n)d天") % {"n": -left}
