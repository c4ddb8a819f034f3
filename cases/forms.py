"""Forms of the officer's pages. Each step form's field names are the keyword arguments of the
workflow function it feeds (cases/README.md), so the view passes `cleaned_data` straight through;
the few that need shaping override `workflow_kwargs`."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    PARTY_INPUT_FIELDS,
    REVIEW_CHECKLIST,
    ArrangementKind,
    CaseState,
    DecisionKind,
    MeasureKind,
    MeasureState,
    Party,
    RemedyKind,
    RemedyOutcome,
    ReviewOutcome,
    SeizedItem,
    ServiceMethod,
    Source,
)
from lawenforce.models import DiscretionStandard, Officer, PenaltyKind, PowerItem
from lawenforce.views.helpers import has_valid_certificate


def today():
    return timezone.localdate()


class DateInput(forms.DateInput):
    """A native date picker (phones show their own calendar)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def money_field(label, required=False, **kwargs):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


def text_area(label, required=True, rows=4, **kwargs):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def penalty_kinds_field(label=None, required=True):
    return forms.MultipleChoiceField(
        label=label or _("处罚种类"),
        required=required,
        choices=[c for c in PenaltyKind.choices if c[0] != PenaltyKind.NONE],
        widget=forms.CheckboxSelectMultiple,
    )


def certified_officers(agency, day=None):
    """Active officers of `agency` with an enforcement certificate valid on `day`."""
    return (
        Officer.objects.filter(agency=agency, active=True)
        .filter(has_valid_certificate(day or today()))
        .order_by("name")
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OfficerMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


# --- Lists --------------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    OVERDUE = "overdue"
    DUE_SOON = "due7"
    DEADLINE_CHOICES = [("", _("全部")), (OVERDUE, _("已超期")), (DUE_SOON, _("7 天内到期"))]

    q = forms.CharField(label=_("案号、案由或当事人"), required=False, max_length=64)
    state = forms.ChoiceField(label=_("状态"), required=False)
    power_item = forms.ChoiceField(label=_("权责事项"), required=False)
    deadline = forms.ChoiceField(label=_("期限"), required=False, choices=DEADLINE_CHOICES)
    mine = forms.BooleanField(label=_("只看我承办的"), required=False)

    def __init__(self, *args, power_items=(), show_mine=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部状态")), *CaseState.choices]
        self.fields["power_item"].choices = [("", _("全部事项")), *((str(p.pk), p.name) for p in power_items)]
        if not show_mine:
            del self.fields["mine"]


# --- Registering a lead -------------------------------------------------------------------------


class LeadForm(forms.Form):
    source = forms.ChoiceField(label=_("案件来源"), choices=Source.choices)
    title = forms.CharField(label=_("案由"), max_length=256)
    lead_received_on = date_field(_("线索接收日期"))
    lead_summary = text_area(_("线索内容"), required=False)
    power_item = forms.ModelChoiceField(label=_("权责事项"), queryset=PowerItem.objects.none(), required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["power_item"].queryset = PowerItem.objects.held_by(agency).filter(active=True).order_by("code")
        self.fields["lead_received_on"].initial = today()


class PartyForm(forms.ModelForm):
    """One party. Model validation gives the validators' Chinese messages (ID number, USCC, phone)."""

    class Meta:
        model = Party
        fields = PARTY_INPUT_FIELDS
        widgets = {
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "uscc": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        }

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip()

    def clean_uscc(self):
        return self.cleaned_data["uscc"].strip()

    def party_fields(self):
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        return {k: v for k, v in data.items() if v not in (None, "")}


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.has_changed() and not self._should_delete_form(form) for form in self.forms):
            raise ValidationError(_("请至少填写一名当事人。"))


class AddPartyForm(PartyForm):
    """A party added after registration (add_party), as a step form."""

    def __init__(self, *args, case, actor, **kwargs):
        self.case = case
        self.actor = actor
        super().__init__(*args, **kwargs)

    def workflow_kwargs(self):
        return self.party_fields()


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=1, can_delete=True)


# --- Step forms ---------------------------------------------------------------------------------


class StepForm(forms.Form):
    """A form for one workflow step. `case` and `actor` are there for choices and initial values."""

    def __init__(self, *args, case, actor, **kwargs):
        self.case = case
        self.actor = actor
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and field.required and field.initial is None:
                field.initial = today()

    def workflow_kwargs(self):
        return dict(self.cleaned_data)


class SubmitForm(StepForm):
    """Proceed to decision / resubmit after return: only a note on the materials sent."""

    materials = text_area(_("送审材料说明"), required=False, rows=3)


class ApproveFilingForm(StepForm):
    handlers = OfficerMultipleChoiceField(
        label=_("承办人员"),
        queryset=Officer.objects.none(),
        help_text=_("至少两名持有效执法证的执法人员（《行政处罚法》第四十二条）。"),
    )
    power_item = forms.ModelChoiceField(label=_("权责事项"), queryset=PowerItem.objects.none())
    violation_date = date_field(_("违法行为发生日期"))
    violation_continuing_until = date_field(_("违法行为终了日期"), required=False)
    filed_on = date_field(_("立案日期"))
    involves_life_health_or_finance = forms.BooleanField(
        label=_("涉及公民生命健康安全、金融安全且有危害后果"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlers"].queryset = certified_officers(self.case.agency_id)
        self.fields["power_item"].queryset = (
            PowerItem.objects.held_by(self.case.agency_id).filter(active=True).order_by("code")
        )
        self.fields["power_item"].initial = self.case.power_item_id

    def workflow_kwargs(self):
        data = dict(self.cleaned_data)
        data["handlers"] = list(data["handlers"])
        return data


class DeclineFilingForm(StepForm):
    reason = text_area(_("不予立案理由"))


class ExtendDecisionPeriodForm(StepForm):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=365)
    reason = text_area(_("延长理由"))
    approved_on = date_field(_("批准日期"))
    by_deliberation = forms.BooleanField(label=_("经集体讨论决定"), required=False)


class CompleteInvestigationForm(StepForm):
    facts = text_area(_("违法事实"), rows=6)
    evidence_summary = text_area(_("证据"), rows=5)
    discretion_standard = forms.ModelChoiceField(
        label=_("适用裁量基准"), queryset=DiscretionStandard.objects.none(), required=False
    )
    penalty_kinds = penalty_kinds_field(_("拟处罚种类"))
    fine = money_field(_("拟罚款金额（元）"))
    confiscation = money_field(_("拟没收违法所得（元）"))
    fine_base_amount = money_field(_("计罚基数（元）"), help_text=_("按倍数计罚时的违法所得、货值或费用金额。"))
    is_major = forms.BooleanField(label=_("重大执法决定"), required=False)
    major_reason = forms.CharField(label=_("重大执法决定情形"), required=False, max_length=256)
    is_complex = forms.BooleanField(label=_("情节复杂或重大违法行为"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discretion_standard"].queryset = DiscretionStandard.objects.filter(
            power_item_id=self.case.power_item_id
        )


class PriorNoticeForm(StepForm):
    served_on = date_field(_("告知书送达日期"))
    approved_by = OfficerChoiceField(
        label=_("案件审核批准人"),
        queryset=Officer.objects.none(),
        required=False,
        help_text=_("调查终结后由机关负责人审核批准（《行政处罚法》第五十七条）；本人是机关负责人时可不选。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = Officer.objects.filter(
            agency_id=self.case.agency_id, active=True, is_agency_head=True
        ).order_by("name")


class StatementForm(StepForm):
    statement = text_area(_("当事人陈述申辩"))
    adopted = forms.TypedChoiceField(
        label=_("陈述申辩意见是否采纳"),
        choices=[("1", _("采纳")), ("0", _("不采纳"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class WaiveStatementForm(StepForm):
    waived_on = date_field(_("当事人放弃陈述申辩日期"))


class RequestHearingForm(StepForm):
    requested_on = date_field(_("申请听证日期"))


class ScheduleHearingForm(StepForm):
    host = OfficerChoiceField(label=_("听证主持人"), queryset=Officer.objects.none())
    notice_served_on = date_field(_("听证通知送达日期"))
    scheduled_on = date_field(_("听证日期"))
    place = forms.CharField(label=_("听证地点"), max_length=256)
    public = forms.BooleanField(label=_("公开举行"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Officer.objects.filter(agency_id=self.case.agency_id, active=True).order_by(
            "name"
        )


class RecordHearingForm(StepForm):
    held_on = date_field(_("举行日期"))
    record = text_area(_("听证笔录"), rows=8)
    signed_by_party = forms.BooleanField(label=_("当事人已签字确认笔录"), required=False)


class DeliberationForm(StepForm):
    held_on = date_field(_("讨论日期"))
    participants = OfficerMultipleChoiceField(label=_("参加人员"), queryset=Officer.objects.none())
    conclusion = text_area(_("讨论结论"))
    approves_deviation = forms.BooleanField(label=_("同意偏离裁量基准"), required=False)
    deviation_reason = text_area(_("偏离裁量基准的书面理由"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Officer.objects.filter(
            agency_id=self.case.agency_id, active=True, is_agency_head=True
        ).order_by("name")

    def workflow_kwargs(self):
        data = dict(self.cleaned_data)
        data["participants"] = list(data["participants"])
        return data


class DecideForm(StepForm):
    kind = forms.ChoiceField(label=_("决定类型"), choices=DecisionKind.choices)
    decided_on = date_field(_("决定日期"))
    penalty_kinds = penalty_kinds_field(required=False)
    fine = money_field(_("罚款金额（元）"))
    confiscation = money_field(_("没收违法所得（元）"))
    decision_text = text_area(_("决定内容"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.case
        self.fields["penalty_kinds"].initial = case.proposed_penalty_kinds
        self.fields["fine"].initial = case.proposed_fine
        self.fields["confiscation"].initial = case.proposed_confiscation

    def workflow_kwargs(self):
        data = dict(self.cleaned_data)
        data["penalty_kinds"] = list(data["penalty_kinds"] or ())
        return data


class ServeDecisionForm(StepForm):
    method = forms.ChoiceField(label=_("送达方式"), choices=ServiceMethod.choices)
    served_on = date_field(_("送达日期"))
    recipient = forms.CharField(label=_("受送达人"), max_length=128)
    address = forms.CharField(label=_("送达地点"), max_length=256, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        party = self.case.parties.first()
        if party:
            self.fields["recipient"].initial = party.name
            self.fields["address"].initial = party.address
        if self.case.procedure == "summary":
            self.fields["method"].initial = ServiceMethod.ON_THE_SPOT


class InstalmentsField(forms.CharField):
    """One instalment a line: "2026-12-01 1000.00"."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "2026-12-01 1000.00"})

    def to_python(self, value):
        value = super().to_python(value)
        rows = []
        for n, line in enumerate(value.splitlines(), start=1):
            line = line.replace("，", " ").replace(",", " ").strip()
            if not line:
                continue
            parts = line.split()
            try:
                due_on = datetime.date.fromisoformat(parts[0])
                amount = Decimal(parts[1])
            except (ValueError, IndexError, InvalidOperation):
                raise ValidationError(
                    _("第 %(n)d 行格式不对：每行写一期，格式为“日期 金额”，例如 2026-12-01 1000.00。"), params={"n": n}
                ) from None
            rows.append({"due_on": due_on.isoformat(), "amount": str(amount.quantize(Decimal("0.01")))})
        return rows


class PaymentArrangementForm(StepForm):
    kind = forms.ChoiceField(label=_("方式"), choices=ArrangementKind.choices)
    applied_on = date_field(_("申请日期"))
    approved_on = date_field(_("批准日期"))
    final_due_on = date_field(_("最终缴清期限"))
    instalments = InstalmentsField(
        label=_("分期计划"), required=False, help_text=_("分期缴纳时每行写一期：日期 金额，例如 2026-12-01 1000.00。")
    )
    reason = text_area(_("理由"))


class PaymentForm(StepForm):
    amount = money_field(_("缴纳金额（元）"), required=True)
    paid_on = date_field(_("缴款日期"))
    receipt_number = forms.CharField(label=_("票据号码"), max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = self.case.fine_amount


class CourtApplicationForm(StepForm):
    reminder_served_on = date_field(_("催告书送达日期"))
    applied_on = date_field(_("申请日期"))
    court = forms.CharField(label=_("受理法院"), max_length=128)


class CloseCaseForm(StepForm):
    closed_on = date_field(_("结案日期"))


class ArchiveCaseForm(StepForm):
    archived_on = date_field(_("归档日期"))


class ReportSummaryForm(StepForm):
    reported_on = date_field(_("报所属机关备案日期"))


class MeasureForm(StepForm):
    kind = forms.ChoiceField(label=_("措施"), choices=MeasureKind.choices)
    decided_on = date_field(_("决定日期"))
    reason = text_area(_("理由和依据"))
    place = forms.CharField(label=_("实施地点"), max_length=256, required=False)


class SeizedItemForm(forms.ModelForm):
    class Meta:
        model = SeizedItem
        fields = ["name", "specification", "quantity", "unit", "note"]
        widgets = {"quantity": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})}


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.has_changed() and not self._should_delete_form(form) for form in self.forms):
            raise ValidationError(_("请至少填写一项查封扣押物品（《行政强制法》第二十四条）。"))


SeizedItemFormSet = forms.formset_factory(SeizedItemForm, formset=BaseItemFormSet, extra=2, can_delete=True)


class ExtendMeasureForm(StepForm):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=30)
    reason = text_area(_("延长理由"))


class EndMeasureForm(StepForm):
    state = forms.ChoiceField(
        label=_("处理方式"), choices=[c for c in MeasureState.choices if c[0] != MeasureState.IN_FORCE]
    )
    ended_on = date_field(_("解除或处理日期"))
    reason = text_area(_("解除或处理理由"))


# --- Reconsideration and litigation -------------------------------------------------------------


class RemedyForm(StepForm):
    kind = forms.ChoiceField(label=_("救济途径"), choices=RemedyKind.choices)
    body = forms.CharField(label=_("复议机关或人民法院"), max_length=128)
    reference = forms.CharField(label=_("复议或诉讼案号"), max_length=64, required=False)
    filed_on = date_field(_("申请或起诉日期"))


class RemedyOutcomeForm(StepForm):
    outcome = forms.ChoiceField(label=_("结果"), choices=RemedyOutcome.choices)
    outcome_on = date_field(_("结果作出日期"))
    summary = text_area(_("结果摘要"), required=False, rows=3)


# --- Legal review -------------------------------------------------------------------------------


class LegalReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("审核结论"),
        choices=[c for c in ReviewOutcome.choices if c[0] != ReviewOutcome.PENDING],
        widget=forms.RadioSelect,
    )
    opinion = text_area(_("审核意见"), rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in REVIEW_CHECKLIST:
            self.fields[key] = forms.BooleanField(label=label, required=False)

    def checklist_fields(self):
        return [self[key] for key, _label in REVIEW_CHECKLIST]

    def workflow_kwargs(self):
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "opinion": data["opinion"],
            "checklist": {key: data.get(key, False) for key, _label in REVIEW_CHECKLIST},
        }


# --- Field work (phone) -------------------------------------------------------------------------


class InspectionRecordForm(StepForm):
    """现场检查笔录: where, when, who was present and what was found."""

    inspected_on = date_field(_("检查日期"))
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}), required=False)
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}), required=False)
    place = forms.CharField(label=_("检查地点"), max_length=256)
    present = forms.CharField(label=_("在场人员"), max_length=256, required=False)
    findings = text_area(_("现场检查情况"), rows=8)


class InquiryRecordForm(StepForm):
    """询问笔录: who was asked, by whom, and the questions and answers."""

    asked_on = date_field(_("询问日期"))
    place = forms.CharField(label=_("询问地点"), max_length=256)
    person = forms.CharField(label=_("被询问人"), max_length=128)
    person_id_number = forms.CharField(label=_("被询问人身份证号码"), max_length=18, required=False)
    relation = forms.CharField(label=_("与本案关系"), max_length=64, required=False)


class QAForm(forms.Form):
    question = forms.CharField(label=_("问"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    answer = forms.CharField(label=_("答"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


QAFormSet = forms.formset_factory(QAForm, extra=3)


class SummaryCaseForm(forms.Form):
    """简易程序（当场处罚） on a phone: the party, the facts and the penalty."""

    power_item = forms.ModelChoiceField(label=_("权责事项"), queryset=PowerItem.objects.none())
    officers = OfficerMultipleChoiceField(label=_("执法人员"), queryset=Officer.objects.none())
    party_kind = forms.ChoiceField(label=_("当事人类型"), choices=Party._meta.get_field("kind").choices)
    party_name = forms.CharField(label=_("名称或姓名"), max_length=128)
    party_id_number = forms.CharField(label=_("居民身份证号码"), max_length=18, required=False)
    party_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    party_legal_representative = forms.CharField(label=_("法定代表人（负责人）"), max_length=64, required=False)
    party_address = forms.CharField(label=_("住所或地址"), max_length=256, required=False)
    party_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    facts = text_area(_("违法事实"))
    place = forms.CharField(label=_("当场处罚地点"), max_length=256)
    decided_on = date_field(_("决定日期"))
    penalty_kinds = forms.MultipleChoiceField(
        label=_("处罚种类"),
        choices=[(PenaltyKind.WARNING, PenaltyKind.WARNING.label), (PenaltyKind.FINE, PenaltyKind.FINE.label)],
        widget=forms.CheckboxSelectMultiple,
    )
    fine = money_field(_("罚款金额（元）"))
    discretion_standard = forms.ModelChoiceField(
        label=_("适用裁量基准"), queryset=DiscretionStandard.objects.none(), required=False
    )

    PARTY_FIELDS = ("kind", "name", "id_number", "uscc", "legal_representative", "address", "phone")

    def __init__(self, *args, agency, actor, **kwargs):
        super().__init__(*args, **kwargs)
        items = PowerItem.objects.held_by(agency).filter(active=True).order_by("code")
        self.fields["power_item"].queryset = items
        self.fields["officers"].queryset = certified_officers(agency)
        self.fields["officers"].initial = [actor.pk]
        self.fields["discretion_standard"].queryset = DiscretionStandard.objects.filter(power_item__in=items)
        self.fields["decided_on"].initial = today()
        for name in ("party_phone",):
            self.fields[name].widget.attrs.update({"type": "tel", "inputmode": "tel"})

    def clean(self):
        data = super().clean()
        party = Party(**{f: data.get(f"party_{f}") or "" for f in self.PARTY_FIELDS})
        try:
            party.full_clean(exclude=["case"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                name = f"party_{field}"
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data

    def party_fields(self):
        data = {f: self.cleaned_data.get(f"party_{f}") or "" for f in self.PARTY_FIELDS}
        return {k: v for k, v in data.items() if v != ""}

    def workflow_kwargs(self):
        data = self.cleaned_data
        return {
            "officers": list(data["officers"]),
            "power_item": data["power_item"],
            "party": self.party_fields(),
            "facts": data["facts"],
            "penalty_kinds": list(data["penalty_kinds"]),
            "fine": data["fine"],
            "place": data["place"],
            "decided_on": data["decided_on"],
            "discretion_standard": data["discretion_standard"],
        }
