"""The numbers and rules of ex-post disclosure (事后公开), in one place.

Every figure the law or the credit rules give is here, with its source, and may be overridden in
``settings.DISCLOSURE`` (a dict with the same keys) for a province that sets its own:

- ``PUBLISH_WORKING_DAYS``: a penalty decision is published within 7 working days of the decision
  (国办发〔2018〕118号, seed 001 §二(一)3; legal-rules.md T-ex-post).
- ``WITHDRAW_WORKING_DAYS``: a published decision that is changed, revoked, confirmed unlawful or
  void is withdrawn within 3 working days, with reasons (《行政处罚法》第四十八条第二款).
- ``PERIOD_MONTHS`` / ``SERIOUS_PERIOD_MONTHS``: the publication period, ordinary records at least
  3 months and at most 1 year, serious dishonesty at least 1 year and at most 3 years (national
  credit repair rules); the default is the maximum.
- ``LOW_FINE``: a fine at or below this amount (yuan), with no other penalty than a warning or
  public criticism, is "a fine below the agency's threshold" and is not published; by default the
  on-the-spot amounts of 《行政处罚法》第五十一条 (200 yuan for a citizen, 3,000 for an organisation).
- ``AUTO_PUBLISH``: publish as soon as the record is built (default), or leave it pending for an
  agency user to publish from /disclosure/.
- ``NAME_BY_LAW_ITEMS``: codes of power items whose law requires publishing a natural person's
  name (legal-rules.md: names are masked "unless the law requires publication of that person").
"""

import calendar as _calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.models import DecisionKind, PartyKind
from lawenforce import calendar
from lawenforce.models import PenaltyKind

from .models import ExemptReason

DEFAULTS = {
    "PUBLISH_WORKING_DAYS": 7,
    "WITHDRAW_WORKING_DAYS": 3,
    "PERIOD_MONTHS": 12,
    "SERIOUS_PERIOD_MONTHS": 36,
    "LOW_FINE": {"person": Decimal("200"), "organisation": Decimal("3000")},
    "AUTO_PUBLISH": True,
    "NAME_BY_LAW_ITEMS": frozenset(),
}

# Articles cited next to each check and in the messages users see.
T_EX_POST = "国办发〔2018〕118号"
APL_48_2 = "《行政处罚法》第四十八条第二款"
APL_50 = "《行政处罚法》第五十条"
APL_30 = "《行政处罚法》第三十条"
CREDIT_RULES = "《失信行为纠正后的信用信息修复管理办法（试行）》"

# Penalties that alone do not reach the credit platform (warning, public criticism).
LIGHT_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.CRITICISM})


def setting(name):
    return {**DEFAULTS, **getattr(settings, "DISCLOSURE", {})}[name]


def _end_or_none(compute):
    """A statutory end date, or None when the holiday calendar does not know the year yet (the page
    then says the deadline cannot be computed, as cases.deadlines does)."""
    try:
        return compute()
    except calendar.UnknownCalendarYear:
        return None


def publish_due_on(decided_on):
    # 国办发〔2018〕118号 (T-ex-post): penalty decisions published within 7 working days.
    return _end_or_none(lambda: calendar.add_working_days(decided_on, setting("PUBLISH_WORKING_DAYS")))


def withdraw_due_on(day):
    # 《行政处罚法》第四十八条第二款: withdrawn within 3 working days of the decision falling.
    return _end_or_none(lambda: calendar.add_working_days(day, setting("WITHDRAW_WORKING_DAYS")))


def add_months(day, months):
    """``day`` plus whole months; the 31st of a shorter month becomes its last day."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def publish_until(decided_on, serious=False):
    """End of the publication period, counted from the decision date (credit repair rules)."""
    months = setting("SERIOUS_PERIOD_MONTHS") if serious else setting("PERIOD_MONTHS")
    return add_months(decided_on, months)


def name_by_law(case):
    """True when the law behind the case's power item requires the person's name to be published."""
    return case.power_item_id is not None and case.power_item.code in set(setting("NAME_BY_LAW_ITEMS"))


def age_on(party, day):
    birth = party.birth_date
    if birth is None and party.id_number and len(party.id_number) == 18:
        try:
            birth = datetime.date(int(party.id_number[6:10]), int(party.id_number[10:12]), int(party.id_number[12:14]))
        except ValueError:
            birth = None
    if birth is None or day is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def exemption(case, party):
    """(reason, note) when the law says this party's record is not published, else None."""
    # 《行政处罚法》第五十七条: only a decision to give a penalty is a penalty decision to publish.
    if case.decision_kind != DecisionKind.PENALTY:
        return ExemptReason.NOT_A_PENALTY, str(_("决定类型为“%(kind)s”，不属于行政处罚决定，不予公示。")) % {
            "kind": case.get_decision_kind_display()
        }
    # 《行政处罚法》第三十条、第五十条: minors are never published.
    if party is not None and party.kind == PartyKind.NATURAL_PERSON:
        age = age_on(party, case.violation_date or case.decided_on)
        if age is not None and age < 18:
            return ExemptReason.MINOR, str(_("当事人违法时未满十八周岁，依照%(a)s不予公示。")) % {"a": APL_50}
    kinds = set(case.penalty_kinds or [])
    # Credit repair rules: warnings and public criticism alone are not published.
    if kinds and kinds <= LIGHT_KINDS:
        return ExemptReason.WARNING_ONLY, str(_("仅受到警告或通报批评，依照%(a)s不予公示。")) % {"a": CREDIT_RULES}
    # Credit repair rules: a fine at or below the threshold, with nothing heavier, is not published.
    if kinds and kinds <= LIGHT_KINDS | {PenaltyKind.FINE} and case.fine_amount is not None:
        person = party is None or party.kind in (PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS)
        threshold = Decimal(setting("LOW_FINE")["person" if person else "organisation"])
        if case.fine_amount <= threshold:
            return ExemptReason.LOW_FINE, str(_("罚款%(fine)s元，不超过%(t)s元的较低数额，依照%(a)s不予公示。")) % {
                "fine": f"{case.fine_amount:,.2f}",
                "t": f"{threshold:,.0f}",
                "a": CREDIT_RULES,
            }
    return None
