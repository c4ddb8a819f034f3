"""Supervision notices (督办通知书 / 行政执法监督意见书 / 案卷评查整改通知书).

A supervisor of a justice bureau issues one to an agency about one or more cases or alerts. It is
numbered without gaps per bureau, kind and year (the pattern of cases.numbering), printed to PDF
with the document machinery of cases/documents, and carries a response deadline in working days.
The agency answers in the system; an answer after the deadline is flagged late; the supervisor
accepts the answer or returns it for another.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeKind(models.TextChoices):
    DIRECTIVE = "directive", _("行政执法督办通知书")
    OPINION = "opinion", _("行政执法监督意见书")
    RECTIFICATION = "rectification", _("案卷评查整改通知书")


# The word in the number: 济司督〔2026〕3号.
NOTICE_WORD = {NoticeKind.DIRECTIVE: "督", NoticeKind.OPINION: "监意", NoticeKind.RECTIFICATION: "评改"}


class NoticeState(models.TextChoices):
    ISSUED = "issued", _("待答复")
    ANSWERED = "answered", _("已答复，待审查")
    RETURNED = "returned", _("答复退回，待重新答复")
    CLOSED = "closed", _("已办结")


class SupervisionNotice(models.Model):
    kind = models.CharField(_("文书种类"), max_length=16, choices=NoticeKind.choices)
    number = models.CharField(_("文号"), max_length=64)
    bureau = models.ForeignKey(
        "lawenforce.Agency", verbose_name=_("监督机关"), on_delete=models.PROTECT, related_name="issued_notices"
    )
    issued_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "lawenforce.Agency",
        verbose_name=_("被监督执法主体"),
        on_delete=models.PROTECT,
        related_name="supervision_notices",
    )
    subject = models.CharField(_("事由"), max_length=200)
    findings = models.TextField(_("发现的问题"))
    requirements = models.TextField(_("监督意见和整改要求"))
    issued_on = models.DateField(_("签发日期"))
    response_days = models.PositiveSmallIntegerField(_("答复期限（工作日）"))
    response_due_on = models.DateField(_("答复截止日期"))
    state = models.CharField(_("状态"), max_length=16, choices=NoticeState.choices, default=NoticeState.ISSUED)
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("涉及案件"), related_name="supervision_notices", blank=True
    )
    alerts = models.ManyToManyField("supervision.Alert", verbose_name=_("涉及预警"), related_name="notices", blank=True)
    evaluations = models.ManyToManyField(
        "supervision.DossierEvaluation", verbose_name=_("涉及评查案卷"), related_name="notices", blank=True
    )
    first_answered_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    answered_late = models.BooleanField(_("逾期答复"), default=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    file = models.FileField(_("PDF 文件"), upload_to="supervision/notices/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    # Both sides see it: the bureau's supervisors (their region) and the agency addressed.
    scope_agency_lookup = "agency"

    class Meta:
        verbose_name = _("监督文书")
        verbose_name_plural = pgettext_lazy("plural", "监督文书")
        ordering = ["-issued_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["bureau", "number"], name="unique_notice_number_per_bureau")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class ReplyKind(models.TextChoices):
    ANSWER = "answer", _("执法机关答复")
    RETURN = "return", _("退回重新答复")
    ACCEPT = "accept", _("审查通过，办结")


class NoticeReply(models.Model):
    notice = models.ForeignKey(
        SupervisionNotice, verbose_name=_("监督文书"), on_delete=models.CASCADE, related_name="replies"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=ReplyKind.choices)
    author = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("填写人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    text = models.TextField(_("内容"))
    late = models.BooleanField(_("逾期"), default=False)

    scope_agency_lookup = "notice__agency"

    class Meta:
        verbose_name = _("监督文书答复")
        verbose_name_plural = pgettext_lazy("plural", "监督文书答复")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class NoticeSequence(models.Model):
    """The last number given for (bureau, year, kind); locked with SELECT … FOR UPDATE when used,
    inside the issuing transaction, so numbers have no gaps (as cases.models.NumberSequence)."""

    bureau = models.ForeignKey("lawenforce.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("监督文书编号计数器")
        verbose_name_plural = _("监督文书编号计数器")
        constraints = [models.UniqueConstraint(fields=["bureau", "year", "kind"], name="unique_notice_sequence")]

    def __str__(self):
        return f"{self.bureau_id}/{self.year}/{self.kind}: {self.last}"
