"""The catalogue of supervision rules (监督规则目录). `CATALOGUE` maps each identifier to its rule,
grouped in the order of the procedure; supervision/README.md lists them with their articles."""

from . import conduct, deadlines, disclosure, records  # noqa: F401  (importing registers the rules)
from .base import CATALOGUE, Context, Finding, Group, Rule, Trigger

__all__ = ["CATALOGUE", "Context", "Finding", "Group", "Rule", "Trigger", "get_rule", "rules_for"]

_GROUP_ORDER = [
    Group.DEADLINE,
    Group.EXECUTION,
    Group.DISCLOSURE,
    Group.SUBJECT,
    Group.PROCEDURE,
    Group.DISCRETION,
    Group.RECORD,
]
_ordered = sorted(CATALOGUE.items(), key=lambda kv: _GROUP_ORDER.index(kv[1].group))
CATALOGUE.clear()
CATALOGUE.update(_ordered)


def get_rule(code):
    return CATALOGUE.get(code)


def rules_for(trigger=None):
    return [rule for rule in CATALOGUE.values() if trigger is None or rule.trigger == trigger]
