"""The public complaint form, the status lookup and the agency's action forms.

Field checks here give one Chinese message per field; the rules that are law (who may stay
anonymous, dates, attachments, deadlines) live in services and are checked there again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.models import ComplaintKind
from evidence.forms import FILE_ACCEPT
from lawenforce.models import PowerItem, Region, RegionLevel, Sector
from lawenforce.validators import validate_phone, validate_resident_id, validate_uscc

from . import services

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def region_choices():
    """County-level regions grouped by city (a select that needs no JavaScript), with each city and
    province itself for a matter whose county is not known."""
    regions = list(Region.objects.filter(level__lte=RegionLevel.COUNTY).select_related("parent").order_by("path"))
    by_pk = {r.pk: r for r in regions}
    groups = {}
    for region in regions:
        if region.level == RegionLevel.COUNTY and region.parent_id in by_pk:
            city = by_pk[region.parent_id]
            province = by_pk.get(city.parent_id)
            key, label, option = city.pk, f"{province.name if province else ''}{city.name}", region.name
        elif region.level == RegionLevel.CITY:
            province = by_pk.get(region.parent_id)
            key, label = region.pk, f"{province.name if province else ''}{region.name}"
            option = _("%(name)s（市本级或不清楚区县）") % {"name": region.name}
        else:
            key, label = region.pk, region.name
            option = _("%(name)s（省本级）") % {"name": region.name}
        groups.setdefault(key, (label, []))[1].append((region.pk, option))
    return [("", _("请选择发生地"))] + [(label, options) for label, options in groups.values()]


def power_item_choices():
    items = (
        PowerItem.objects.filter(active=True)
        .select_related("enforcement_category")
        .order_by("enforcement_category__name", "code")
    )
    groups = {}
    for item in items:
        groups.setdefault(item.enforcement_category.name, []).append((item.pk, item.name))
    return [("", _("不清楚（按领域分派）"))] + list(groups.items())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _validator_field(validator):
    def check(value):
        if value:
            validator(value)

    return check


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=ComplaintKind.choices,
        widget=forms.RadioSelect,
        initial=ComplaintKind.REPORT,
        help_text=_("投诉：您作为消费者与经营者发生争议，请求调解；举报：反映违法行为线索，可以匿名。"),
    )
    # --- The matter
    subject_name = forms.CharField(label=_("被投诉举报对象名称"), max_length=128)
    subject_uscc = forms.CharField(
        label=_("对象统一社会信用代码"),
        max_length=18,
        required=False,
        help_text=_("18 位，见营业执照；不清楚可不填。"),
    )
    subject_address = forms.CharField(label=_("对象地址"), max_length=256, required=False)
    region = forms.TypedChoiceField(label=_("发生地"), coerce=int, help_text=_("违法行为或争议发生的区县。"))
    sector = forms.ChoiceField(label=_("所属领域"))
    power_item = forms.TypedChoiceField(
        label=_("涉及事项"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("知道具体事项时选择，便于准确分派；不清楚可不选。"),
    )
    title = forms.CharField(label=_("事由"), max_length=200, help_text=_("一句话概括，例如“超市销售过期食品”。"))
    content = forms.CharField(
        label=_("具体情况"),
        max_length=services.CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("时间、地点、经过和您的诉求，最多 %(n)d 字。") % {"n": services.CONTENT_MAX_LENGTH},
    )
    occurred_on = forms.DateField(label=_("发生日期"), required=False, widget=DATE_WIDGET)
    place = forms.CharField(label=_("发生地点"), max_length=256, required=False)
    # --- The complainant (never shown publicly)
    anonymous = forms.BooleanField(label=_("匿名举报（不留姓名和联系方式）"), required=False)
    complainant_name = forms.CharField(
        label=_("您的姓名"), max_length=64, required=False, help_text=_("投诉必填；举报不选匿名时必填。")
    )
    complainant_phone = forms.CharField(
        label=_("联系电话"), max_length=32, required=False, validators=[_validator_field(validate_phone)]
    )
    complainant_email = forms.EmailField(label=_("电子邮箱"), required=False)
    complainant_id_number = forms.CharField(
        label=_("居民身份证号码"),
        max_length=18,
        required=False,
        help_text=_("选填，仅承办机关可见。"),
    )
    # Rendered for its label and errors; the files themselves are read from request.FILES by the view.
    files = forms.FileField(
        label=_("附件"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": FILE_ACCEPT}),
    )
    # A honeypot: hidden from people by CSS and aria-hidden, filled in by naive bots.
    website = forms.CharField(label=_("网址"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()
        self.fields["sector"].choices = [("", _("请选择"))] + [c for c in Sector.choices if c[0] != Sector.JUSTICE]
        self.fields["power_item"].choices = power_item_choices()
        self.fields["occurred_on"].widget.attrs["max"] = f"{timezone.localdate():%Y-%m-%d}"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_subject_uscc(self):
        value = (self.cleaned_data.get("subject_uscc") or "").strip().upper()
        if value:
            validate_uscc(value)
        return value

    def clean_complainant_id_number(self):
        value = (self.cleaned_data.get("complainant_id_number") or "").strip().upper()
        if value:
            validate_resident_id(value)
        return value

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data.get("occurred_on")
        try:
            services.check_occurred_on(occurred_on, timezone.localdate())
        except services.ComplaintError as error:
            raise ValidationError(error.text) from None
        return occurred_on

    def clean_region(self):
        pk = self.cleaned_data["region"]
        region = Region.objects.filter(pk=pk).select_related("parent").first()
        if region is None:
            raise ValidationError(_("请从列表中选择发生地。"))
        return region

    def clean_power_item(self):
        pk = self.cleaned_data.get("power_item")
        if pk is None:
            return None
        item = PowerItem.objects.filter(pk=pk, active=True).first()
        if item is None:
            raise ValidationError(_("请从列表中选择涉及事项，或选择“不清楚”。"))
        return item

    def clean(self):
        data = super().clean()
        for error in services.complainant_errors(
            data.get("kind"), data.get("anonymous"), data.get("complainant_name"), data.get("complainant_phone")
        ):
            if error.field not in self.errors:
                self.add_error(error.field, error.text)
        return data


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        help_text=_("提交投诉举报后页面显示的 12 位查询码，大小写和连字符不影响。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("受理意见（内部）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("不予受理的理由"),
        max_length=services.REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("将在查询页面告知投诉举报人。"),
    )


class TransferForm(forms.Form):
    to_agency = forms.ModelChoiceField(label=_("转至机关"), queryset=None, empty_label=_("请选择接收的机关"))
    reason = forms.CharField(
        label=_("转办理由（内部）"), max_length=services.REPLY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = services.transfer_targets(complaint)


class AssignForm(TransferForm):
    """The system administrator routes an unrouted complaint by hand."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].label = _("承办机关")
        self.fields["reason"].label = _("分派理由（内部）")


class CloseForm(forms.Form):
    reply = forms.CharField(
        label=_("答复意见"),
        max_length=services.REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("将在查询页面告知投诉举报人，请勿写入他人的个人信息。"),
    )
    internal_note = forms.CharField(label=_("内部处理意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
