"""GET filter forms for the list pages. An invalid value is ignored and reported, never a server error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lawenforce.models import Sector


class AgencyFilterForm(forms.Form):
    q = forms.CharField(label=_("名称包含"), required=False, max_length=64)
    region = forms.ChoiceField(label=_("区划"), required=False)
    sector = forms.ChoiceField(label=_("领域"), required=False)

    def __init__(self, *args, region_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部区划")), *region_choices]
        self.fields["sector"].choices = [("", _("全部领域")), *Sector.choices]


class OfficerFilterForm(forms.Form):
    LACKING = "lacking"
    EXPIRING = "expiring"
    CERT_CHOICES = [
        ("", _("全部人员")),
        (LACKING, _("无有效执法证")),
        (EXPIRING, _("执法证 90 天内到期")),
    ]

    q = forms.CharField(label=_("姓名包含"), required=False, max_length=64)
    cert = forms.ChoiceField(label=_("持证情况"), required=False, choices=CERT_CHOICES)
