"""Enforcement documents (执法文书) rendered to PDF, numbered and stored with their hash."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    FILING_APPROVAL = "filing_approval", _("立案审批表")
    INQUIRY_RECORD = "inquiry_record", _("询问笔录")
    INSPECTION_RECORD = "inspection_record", _("现场检查笔录")
    PRIOR_NOTICE = "prior_notice", _("行政处罚告知书")
    HEARING_NOTICE = "hearing_notice", _("听证通知书")
    HEARING_RECORD = "hearing_record", _("听证笔录")
    LEGAL_REVIEW_OPINION = "legal_review_opinion", _("法制审核意见书")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
    NO_PENALTY_DECISION = "no_penalty_decision", _("不予行政处罚决定书")
    SUMMARY_DECISION = "summary_decision", _("当场行政处罚决定书")
    PROOF_OF_SERVICE = "proof_of_service", _("送达回证")
    SEIZURE_DECISION = "seizure_decision", _("查封（扣押）决定书")
    CLOSING_REPORT = "closing_report", _("结案报告")


# The word in the document number that names the kind: 济任市监罚〔2026〕12号.
NUMBER_WORD = {
    DocumentKind.FILING_APPROVAL: "立",
    DocumentKind.PRIOR_NOTICE: "告",
    DocumentKind.HEARING_NOTICE: "听",
    DocumentKind.LEGAL_REVIEW_OPINION: "法审",
    DocumentKind.PENALTY_DECISION: "罚",
    DocumentKind.NO_PENALTY_DECISION: "不罚",
    DocumentKind.SUMMARY_DECISION: "当罚",
    DocumentKind.SEIZURE_DECISION: "强",
    DocumentKind.CLOSING_REPORT: "结",
}


class Document(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文书种类"), max_length=32, choices=DocumentKind.choices)
    number = models.CharField(_("文号"), max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=128)
    file = models.FileField(_("PDF 文件"), upload_to="documents/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    superseded_by = models.ForeignKey(
        "self", verbose_name=_("被替换为"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = pgettext_lazy("plural", "执法文书")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()
