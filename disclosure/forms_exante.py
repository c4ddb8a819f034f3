"""GET filter forms of the public ex-ante pages. An invalid value is reported next to its field and
ignored; the page still answers with everything else the user asked for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lawenforce.models import ActionCategory, AgencyKind, Sector
from lawenforce.views.forms import AgencyFilterForm


class PublicAgencyFilterForm(AgencyFilterForm):
    kind = forms.ChoiceField(label=_("主体类型"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部类型")), *AgencyKind.choices]


class PublicFilterForm(forms.Form):
    """Region and sector, shared by the officer, power-item and inspection lists; `agency` comes from
    the agency page's links (hidden)."""

    region = forms.ChoiceField(label=_("区划"), required=False)
    sector = forms.ChoiceField(label=_("领域"), required=False)
    agency = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, region_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部区划")), *region_choices]
        self.fields["sector"].choices = [("", _("全部领域")), *Sector.choices]


class OfficerSearchForm(PublicFilterForm):
    q = forms.CharField(
        label=_("姓名或执法证号"),
        required=False,
        max_length=64,
        help_text=_("可输入执法人员出示的执法证号码核实其身份。"),
    )
    field_order = ["q", "region", "sector", "agency"]


class PowerFilterForm(PublicFilterForm):
    q = forms.CharField(label=_("事项名称或编码"), required=False, max_length=64)
    category = forms.ChoiceField(label=_("行为类别"), required=False)
    field_order = ["q", "category", "region", "sector", "agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部类别")), *ActionCategory.choices]


class InspectionFilterForm(PublicFilterForm):
    q = forms.CharField(label=_("抽查事项或对象"), required=False, max_length=64)
    field_order = ["q", "region", "sector", "agency"]


class AnnualFilterForm(PublicFilterForm):
    year = forms.IntegerField(label=_("统计年度"), required=False, min_value=2000, max_value=2100)
    field_order = ["year", "region", "sector", "agency"]
