from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.models import RiskState

ACTIONS = [
    (RiskState.ACKNOWLEDGED, _("已关注，跟进中")),
    (RiskState.RESOLVED, _("已处理")),
    (RiskState.DISMISSED, _("不予处理")),
    (RiskState.OPEN, _("重新打开")),
]


class RiskActionForm(forms.Form):
    state = forms.ChoiceField(label=_("处理"), choices=ACTIONS)
    note = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("state") in (RiskState.RESOLVED, RiskState.DISMISSED) and not (data.get("note") or "").strip():
            self.add_error("note", _("标记为“已处理”或“不予处理”时，请写明处理情况或不予处理的理由。"))
        return data
