"""The nine indicators of seed 000 §三(七), each a small named definition.

Each definition says what is counted (numerator, denominator), over which period, at which
level, and — where the documents leave it open — which choice this platform made. The same
text is shown on the page next to the figure and in analytics/README.md. The arithmetic is in
analytics/compute/values.py, one function per indicator, and the cases behind each number in
analytics/drilldown.py.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from analytics import sources

PERCENT, COUNT, RATIO = "percent", "count", "ratio"

# What seed 000 says each pair evaluates.
GROUPS = {
    "duty": _("评估行政履职能力"),
    "staffing": _("评估执法力量配置科学性"),
    "rules": _("评估法规规章制度科学性及执行性"),
    "social": _("评估社会矛盾动态和工作绩效"),
    "conduct": _("评估行政执法规范化程度"),
}

PERIOD_FLOW = _("按月计算；季度、年度为所含各月之和。")
LEVEL_SUM = _("按执法主体计算；区划（省、市、县、乡）为辖区内全部执法主体之和，逐级汇总。")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    group: str
    unit: str
    numerator: str
    denominator: str
    period: str
    level: str
    choice: str = ""
    requires: tuple = ()
    higher_is_better: bool | None = True
    parts: dict = field(default_factory=dict)  # drill-down part -> label

    @property
    def available(self):
        return all(sources.available(s) for s in self.requires)

    @property
    def missing_sources(self):
        return [".".join(sources.LABELS[s]) for s in self.requires if not sources.available(s)]

    @property
    def group_label(self):
        return GROUPS[self.group]


INDICATORS = [
    Indicator(
        code="complaint_case_rate",
        name=_("举报案件查处率"),
        group="duty",
        unit=PERCENT,
        numerator=_("当期受理的投诉举报中，由其引出的案件已作出处理决定（含不予处罚）的件数"),
        denominator=_("当期受理的投诉举报件数（不予受理、移送其他机关的不计）"),
        period=_("按投诉举报的接收时间（北京时间）计入月份；季度、年度为所含各月之和。"),
        level=_("计入投诉举报分派到的执法主体；区划为辖区内全部执法主体之和。尚未分派的不计。"),
        choice=_(
            "文件未界定“查处”：本平台以投诉举报引出的案件已作出处理决定为已查处，受理后未立案或尚未决定的为未查处。"
        ),
        requires=(sources.COMPLAINTS,),
        parts={"numerator": _("已查处的投诉举报案件"), "denominator": _("受理的投诉举报")},
    ),
    Indicator(
        code="focus_match",
        name=_("执法重心吻合度"),
        group="duty",
        unit=PERCENT,
        numerator=_("当期办理的案件按执法事项的分布"),
        denominator=_("当期收到的投诉举报按执法事项的分布"),
        period=PERIOD_FLOW,
        level=_("执法主体：分派给它的投诉举报与它办理的案件；区划：辖区合计后的两个分布（不是各主体的平均）。"),
        choice=_(
            "文件未给公式：本平台取两个分布的重合度 Σ min(案件占比, 投诉举报占比) = 1 − ½Σ|差|，"
            "100% 表示执法力量在各事项上的分布与群众反映的问题分布完全一致，0 表示毫无重合。"
            "未识别事项的投诉举报、没有投诉举报或没有案件的范围不计算。"
        ),
        requires=(sources.COMPLAINTS,),
        parts={"numerator": _("当期办理的案件"), "denominator": _("当期收到的投诉举报")},
    ),
    Indicator(
        code="cases_per_officer",
        name=_("人均执法量"),
        group="staffing",
        unit=RATIO,
        numerator=_("当期办理的案件数：普通程序按立案日期，简易程序按当场处罚决定日期"),
        denominator=_("期末持有有效执法证的在岗执法人员数（不含执法监督人员）"),
        period=_("案件数为期内各月之和；人数取期末（期间未结束时取今天）。"),
        level=LEVEL_SUM,
        choice=_(
            "执法证在期末当天处于有效期内且未被暂扣、吊销的计为有效；平台不记录入职离职日期，在岗状态取计算时的状态。"
        ),
        higher_is_better=None,
        parts={"numerator": _("当期办理的案件"), "denominator": _("期末持证在岗人员")},
    ),
    Indicator(
        code="officer_engagement",
        name=_("执法岗位关联率"),
        group="staffing",
        unit=PERCENT,
        numerator=_("期末持证在岗人员中，当期作为承办人员办理过至少一件案件的人数"),
        denominator=_("期末持有有效执法证的在岗执法人员数"),
        period=_("办案为期内任一月份；人数取期末（期间未结束时取今天）。"),
        level=LEVEL_SUM,
        parts={"numerator": _("当期办过案的持证人员"), "denominator": _("期末持证在岗人员")},
    ),
    Indicator(
        code="provision_usage",
        name=_("制度条款使用率"),
        group="rules",
        unit=PERCENT,
        numerator=_("当期给予行政处罚的决定所依据的法律条款数（去重）"),
        denominator=_("本范围执法主体现行权责清单中行政处罚事项所依据的法律条款数（去重）"),
        period=_("按决定日期计入月份；季度、年度为期内用到的条款（去重，不是各月相加）。"),
        level=_("执法主体：本主体实施的处罚事项；区划：辖区内全部执法主体的处罚事项合并去重。页面另按法律分列。"),
        choice=_("案件不单独记录所适用的条款：本平台以案件所属权责事项登记的法律依据作为该决定适用的条款。"),
        parts={"numerator": _("当期用到的条款"), "denominator": _("处罚事项的法律依据")},
    ),
    Indicator(
        code="violation_count",
        name=_("违法问题发生量"),
        group="social",
        unit=COUNT,
        numerator=_(
            "当期作出的认定违法的决定数：给予处罚、违法轻微或初次违法不予处罚、无主观过错不予处罚、涉嫌犯罪移送"
        ),
        denominator=_("（计数指标，无分母）"),
        period=_("按决定日期计入月份；季度、年度为所含各月之和。"),
        level=LEVEL_SUM,
        choice=_("违法事实不能成立和撤销案件的不计：没有认定违法。"),
        higher_is_better=None,
        parts={"numerator": _("认定违法的决定")},
    ),
    Indicator(
        code="violation_type_rate",
        name=_("违法类型发生率"),
        group="social",
        unit=PERCENT,
        numerator=_("某一违法类型（按权责事项）当期认定违法的决定数"),
        denominator=_("当期认定违法的决定总数（违法问题发生量）"),
        period=_("按决定日期计入月份；季度、年度为所含各月之和。"),
        level=LEVEL_SUM,
        choice=_("违法类型按案件所属的权责事项区分；首页显示发生率最高的类型，详情页列出全部类型。"),
        higher_is_better=None,
        parts={"numerator": _("该类型的违法决定"), "denominator": _("认定违法的决定")},
    ),
    Indicator(
        code="evaluation_pass_rate",
        name=_("案卷评查合格率"),
        group="conduct",
        unit=PERCENT,
        numerator=_("当期评查完成且评为合格的案卷数"),
        denominator=_("当期评查完成（已确定合格与否）的案卷数"),
        period=_("按评查完成时间（北京时间）计入月份；季度、年度为所含各月之和。"),
        level=_("计入被评查案件的执法主体；区划为辖区内全部执法主体之和。"),
        requires=(sources.EVALUATIONS,),
        parts={"numerator": _("评查合格的案卷"), "denominator": _("评查完成的案卷")},
    ),
    Indicator(
        code="remedy_loss_rate",
        name=_("复议诉讼败诉率"),
        group="conduct",
        unit=PERCENT,
        numerator=_("当期审结的行政复议和行政诉讼中，原决定被变更、撤销、责令重作、确认违法或确认无效的件数"),
        denominator=_("当期审结的行政复议和行政诉讼件数（含维持、驳回、撤回或终止、调解和解）"),
        period=_("按复议决定或裁判作出日期计入月份；季度、年度为所含各月之和。"),
        level=_("计入原决定的执法主体；区划为辖区内全部执法主体之和。"),
        choice=_("复议和诉讼分别计件：同一决定先复议后起诉的，计两件。"),
        requires=(sources.REMEDIES,),
        higher_is_better=False,
        parts={"numerator": _("败诉（原决定被纠正）的案件"), "denominator": _("审结的复议诉讼案件")},
    ),
]

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}

# Decision kinds that establish a violation (违法问题): every kind except "not established" and
# "dismissed". A no-penalty decision for a minor or first violation still finds the violation
# (《行政处罚法》第三十三条), and a transfer for a suspected crime finds at least that much.
VIOLATION_KINDS = ("penalty", "no_penalty_minor", "no_penalty_first", "no_penalty_no_fault", "transfer")
PENALTY_KIND = "penalty"


def get(code):
    return BY_CODE[code]
