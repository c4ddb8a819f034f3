"""Forms of the agency's disclosure pages (/disclosure/). The rules live in disclosure.publishing;
these forms only parse the input and keep it when a change is refused."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DisclosureState, ExemptReason, PenaltyDisclosure
from .publishing import CORRECTABLE_FIELDS


class RecordFilterForm(forms.Form):
    LATE = "late"
    PENDING_DUE = "pending"

    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + DisclosureState.choices)
    timing = forms.ChoiceField(
        label=_("期限"),
        required=False,
        choices=[("", _("全部")), (LATE, _("逾期公示或逾期未公示")), (PENDING_DUE, _("待公示"))],
    )
    q = forms.CharField(label=_("文号或当事人"), required=False, max_length=64)
    decided_from = forms.DateField(
        label=_("决定日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_to = forms.DateField(label=_("决定日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("decided_from"), data.get("decided_to")
        if start and end and start > end:
            self.add_error("decided_to", _("结束日期不能早于开始日期，请调整日期范围。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class WithdrawForm(ReasonForm):
    fell_on = forms.DateField(
        label=_("原决定被撤销、变更或确认违法的日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("撤下期限自该日起算三个工作日；不填则按今天计算。"),
    )


class ExemptForm(forms.Form):
    exempt_reason = forms.ChoiceField(label=_("不予公示理由"), choices=ExemptReason.choices)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CorrectionForm(forms.ModelForm):
    """The correctable columns of the public copy, and why they are corrected."""

    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    class Meta:
        model = PenaltyDisclosure
        fields = list(CORRECTABLE_FIELDS)
        widgets = {
            "facts": forms.Textarea(attrs={"rows": 5}),
            "basis": forms.Textarea(attrs={"rows": 3}),
            "penalty_content": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
        }

    def changes(self):
        return {name: self.cleaned_data[name] for name in CORRECTABLE_FIELDS if name in self.changed_data}
