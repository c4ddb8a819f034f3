"""The numbers the law gives, in one table (see ../shared/docs/legal-rules.md).

A change in the law, or a province's or ministry's own figure, is a change here (or, for the
hearing threshold, on the power item), never in the checks. Each period says whether it counts
working days (《行政处罚法》第八十五条: periods of 2, 3, 5 and 7 days) or natural days.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from lawenforce.models import PenaltyKind
from lawenforce.numerals import chinese_number

__all__ = [
    "ARCHIVE",
    "DECISION",
    "DECISION_EXTENSION_FIRST_MAX_DAYS",
    "HEARING_NOTICE",
    "HEARING_PENALTY_KINDS",
    "HEARING_REQUEST",
    "HEARING_THRESHOLD_ORG",
    "HEARING_THRESHOLD_PERSON",
    "LEAD_TO_FILING",
    "LIMITATION_YEARS",
    "LIMITATION_YEARS_LIFE_HEALTH_FINANCE",
    "MARKET_RULES",
    "MINOR_FULL_AGE",
    "MINOR_NO_PENALTY_AGE",
    "MIN_HANDLERS",
    "MIN_DELIBERATION_HEADS",
    "PAYMENT",
    "Period",
    "SERVICE",
    "STATEMENT",
    "SUMMARY_REPORT",
    "apl",
]


def apl(article, paragraph=None):
    """《行政处罚法》第六十四条第二款: the citation a WorkflowError carries."""
    text = f"《行政处罚法》第{chinese_number(article)}条"
    if paragraph:
        text += f"第{chinese_number(paragraph)}款"
    return text


# The market-regulation procedural rules: the default for every agency kind until configured
# otherwise (legal-rules.md, "Leads, complaints and extensions").
MARKET_RULES = "《市场监督管理行政处罚程序规定》"


@dataclass(frozen=True)
class Period:
    days: int
    working: bool  # True: working days (lawenforce.calendar.add_working_days); False: natural days (add_days)
    article: str
    label: str


# --- Periods -------------------------------------------------------------------------------------
LEAD_TO_FILING = Period(15, True, f"{MARKET_RULES}第十八条", _("核查线索并决定是否立案"))
# Statement and defence: the party's 5 working days from service of the prior notice.
STATEMENT = Period(5, True, f"{apl(45)}、{MARKET_RULES}第五十七条", _("陈述、申辩期限"))
HEARING_REQUEST = Period(5, True, apl(64, 1), _("申请听证期限"))
HEARING_NOTICE = Period(7, True, apl(64, 2), _("听证通知提前送达期限"))
DECISION = Period(90, False, apl(60), _("作出处罚决定期限"))
DECISION_EXTENSION_FIRST_MAX_DAYS = 30  # once with the head's approval; further only by deliberation
SERVICE = Period(7, True, apl(61), _("送达处罚决定书期限"))
PAYMENT = Period(15, False, apl(66), _("缴纳罚款期限"))
ARCHIVE = Period(30, False, "行政执法全过程记录制度（国办发〔2018〕118号）", _("立卷归档期限"))
# APL 52 leaves the days to each ministry's rules; the market-regulation default.
SUMMARY_REPORT = Period(3, True, f"{apl(52)}、{MARKET_RULES}", _("当场处罚报所属机关备案期限"))

# --- Limitation (《行政处罚法》第三十六条) ----------------------------------------------------
LIMITATION_YEARS = 2
LIMITATION_YEARS_LIFE_HEALTH_FINANCE = 5

# --- Minors (《行政处罚法》第三十条) -----------------------------------------------------------
MINOR_NO_PENALTY_AGE = 14  # under 14: no penalty
MINOR_FULL_AGE = 18  # 14 to 18: lighter or mitigated penalty

# --- Officers (《行政处罚法》第四十二条、第五十七条) --------------------------------------------
MIN_HANDLERS = 2
MIN_DELIBERATION_HEADS = 2

# --- Hearing (《行政处罚法》第六十三条) -------------------------------------------------------
# "较大数额": defaults; PowerItem.hearing_threshold_person / _org override per power item.
HEARING_THRESHOLD_PERSON = Decimal("10000")
HEARING_THRESHOLD_ORG = Decimal("100000")
# Penalties that give a hearing right whatever the amount (第六十三条第一款第三、四、五项).
HEARING_PENALTY_KINDS = (
    PenaltyKind.LOWER_QUALIFICATION,
    PenaltyKind.REVOKE_LICENCE,
    PenaltyKind.STOP_BUSINESS,
    PenaltyKind.CLOSE,
    PenaltyKind.RESTRICT_PRACTICE,
    PenaltyKind.RESTRICT_ACTIVITY,
)
