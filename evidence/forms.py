"""The upload form. The file itself is checked by `services.check_file` (content, size, digests)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lawenforce.models import Officer

from .models import EvidenceKind

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
CAMERA_ACCEPT = "image/*,video/*,audio/*,application/pdf"
FILE_ACCEPT = (
    "image/*,video/*,audio/*,application/pdf,.docx,.xlsx,.txt,.csv,.amr,.heic,.heif,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/plain,text/csv"
)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("证据种类"), choices=[("", "——")] + list(EvidenceKind.choices))
    title = forms.CharField(label=_("证据名称"), max_length=200)
    proves = forms.CharField(
        label=_("证明事项"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("该证据用以证明的事实。")
    )
    collected_at = forms.DateTimeField(
        label=_("取证时间"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("拍摄、录制或提取证据的时间。上传晚于取证24小时以上的，系统将作标注。"),
    )
    collected_place = forms.CharField(label=_("取证地点"), max_length=256)
    collected_by = forms.ModelChoiceField(
        label=_("取证人"),
        queryset=Officer.objects.none(),
        empty_label=None,
        required=False,
        help_text=_("默认为上传人。"),
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Rendered by hand (a camera input and a file picker, both named "file"); checked by services.check_file.
    file = forms.FileField(label=_("证据文件"), required=False, allow_empty_file=True)

    def __init__(self, *args, case, officer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_by"].queryset = Officer.objects.filter(agency_id=case.agency_id, active=True).order_by(
            "name", "pk"
        )
        if not self.is_bound:
            self.initial.setdefault("collected_by", officer.pk)
            self.initial.setdefault("collected_at", timezone.localtime().replace(second=0, microsecond=0))
