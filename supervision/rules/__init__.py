"""The catalogue of supervision rules (监督规则目录). `CATALOGUE` maps each identifier to its rule,
in the order of the procedure; supervision/README.md lists them with their articles."""

from . import (  # noqa: F401, I001
    conduct,
    deadlines,  # noqa: F401  (registers the rules, in the order of the procedure)
    disclosure,  # noqa: F401, I001
    records,
)
from .base import CATALOGUE, Context, Finding, Group, Rule, Trigger

__all__ = ["CATALOGUE", "Context", "Finding", "Group", "Rule", "Trigger", "get_rule", "rules_for"]


def get_rule(code):
    return CATALOGUE.get(code)


def rules_for(trigger=None):
    return [rule for rule in CATALOGUE.values() if trigger is None or rule.trigger == trigger]
