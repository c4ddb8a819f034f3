"""Forms of the supervision pages. Filters keep what was typed; refusals keep the input."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import CaseState
from supervision.models import AlertState, NoticeKind, Severity
from supervision.rules import CATALOGUE, Group


def rule_choices():
    return [("", _("全部规则"))] + [(code, f"{code} {rule.title}") for code, rule in CATALOGUE.items()]


class AlertFilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("监督规则"), required=False, choices=rule_choices)
    group = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *Group.choices])
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), ("active", _("未办结")), *AlertState.choices]
    )
    severity = forms.ChoiceField(label=_("严重程度"), required=False, choices=[("", _("全部")), *Severity.choices])
    agency = forms.IntegerField(label=_("执法主体编号"), required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("案号、案由或执法主体"), required=False, max_length=100)


class TextForm(forms.Form):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000)


class CaseDrillForm(forms.Form):
    """The drill-down list behind a dashboard number."""

    agency = forms.IntegerField(required=False, widget=forms.HiddenInput)
    region = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *CaseState.choices])
    rule = forms.ChoiceField(label=_("监督规则"), required=False, choices=rule_choices)
    group = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), ("overdue", _("期限已过")), *Group.choices]
    )
    alert_state = forms.ChoiceField(
        label=_("预警状态"), required=False, choices=[("", _("全部")), ("active", _("未办结")), *AlertState.choices]
    )
    month = forms.RegexField(label=_("预警月份"), required=False, regex=r"^\d{4}-\d{2}$")
    evaluation = forms.ChoiceField(
        label=_("评查结果"),
        required=False,
        choices=[("", _("全部")), ("evaluated", _("已评定")), ("passed", _("合格")), ("failed", _("不合格"))],
    )


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("文书种类"), choices=NoticeKind.choices)
    subject = forms.CharField(label=_("事由"), max_length=200)
    findings = forms.CharField(label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 6}))
    requirements = forms.CharField(label=_("监督意见和整改要求"), widget=forms.Textarea(attrs={"rows": 5}))
    issued_on = forms.DateField(label=_("签发日期"), widget=forms.DateInput(attrs={"type": "date"}))
    response_days = forms.IntegerField(label=_("答复期限（工作日）"), min_value=1, max_value=60)
    cases = forms.CharField(widget=forms.HiddenInput, required=False)
    alerts = forms.CharField(widget=forms.HiddenInput, required=False)

    def ids(self, name):
        return [int(x) for x in (self.cleaned_data.get(name) or "").split(",") if x.strip().isdigit()]


class DrawForm(forms.Form):
    title = forms.CharField(label=_("评查活动名称"), max_length=128)
    period_start = forms.DateField(label=_("结案日期起"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("结案日期止"), widget=forms.DateInput(attrs={"type": "date"}))
    per_agency = forms.IntegerField(label=_("每个执法主体抽取件数"), min_value=1, max_value=200, initial=3)
    seed = forms.CharField(
        label=_("随机种子"),
        required=False,
        max_length=64,
        help_text=_("留空由系统生成；也可填写公开的数字（如当日摇号结果），任何人都可据此复核抽取结果。"),
    )

    def __init__(self, *args, agencies, rubrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"] = forms.ModelMultipleChoiceField(
            label=_("被评查执法主体"), queryset=agencies, widget=forms.CheckboxSelectMultiple
        )
        self.fields["rubric"] = forms.ModelChoiceField(label=_("评查标准"), queryset=rubrics, empty_label=None)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("“结案日期止”不能早于“结案日期起”。"))
        return data


class PeriodForm(forms.Form):
    period_start = forms.DateField(label=_("考核期起"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("考核期止"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"] = forms.ModelChoiceField(label=_("考核评价方案"), queryset=schemes, empty_label=None)
        if not self.is_bound:
            today = datetime.date.today()
            self.initial.setdefault("period_start", datetime.date(today.year, 1, 1))
            self.initial.setdefault("period_end", today)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("“考核期止”不能早于“考核期起”。"))
        return data
