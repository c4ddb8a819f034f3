"""Evidence items (证据) attached to a case, and the trail of who looked at them.

An item's file never changes after upload: its SHA-256 and SM3 digests are computed while the
bytes arrive (evidence/uploads.py) and stored beside it, so anyone can later prove the file in
storage is the one that was collected. `EvidenceAccess` is append-only: every view, download
and media stream of an item adds one row and no row is ever changed or removed.
"""

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

# 音像记录制作完成后……应在24小时内……储存至执法信息系统（seed 001 §二(二)4）.
LATE_UPLOAD_AFTER = datetime.timedelta(hours=24)


class EvidenceKind(models.TextChoices):
    """The statutory kinds of evidence, 《行政处罚法》第四十六条."""

    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    PARTY_STATEMENT = "party_statement", _("当事人的陈述")
    EXPERT_OPINION = "expert_opinion", _("鉴定意见")
    RECORD = "record", _("勘验笔录、现场笔录")


def evidence_upload_to(instance, filename):
    """evidence/<year>/<month>/<uuid>.<sniffed extension>: nothing of the uploader's file name.

    `filename` is the name the upload service chose ("<uuid>.<ext>"); only its extension is kept.
    """
    suffix = PurePosixPath(filename).suffix.lower()
    now = timezone.localtime()
    return f"evidence/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class EvidenceItem(models.Model):
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="evidence_items"
    )
    kind = models.CharField(_("证据种类"), max_length=24, choices=EvidenceKind.choices)
    title = models.CharField(_("证据名称"), max_length=200)
    proves = models.TextField(_("证明事项"), help_text=_("该证据用以证明的事实。"))
    collected_at = models.DateTimeField(_("取证时间"))
    collected_place = models.CharField(_("取证地点"), max_length=256)
    collected_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("取证人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, db_index=True)
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    sm3 = models.CharField(_("SM3"), max_length=64)
    late_upload = models.BooleanField(
        _("超过24小时上传"), default=False, help_text=_("上传时间晚于取证时间24小时以上。")
    )
    note = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = pgettext_lazy("plural", "证据")
        ordering = ["collected_at", "pk"]
        indexes = [models.Index(fields=["case", "collected_at"], name="evidence_case_collected")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    def save(self, *args, **kwargs):
        if self.collected_at and self.uploaded_at:
            self.late_upload = self.uploaded_at - self.collected_at > LATE_UPLOAD_AFTER
        super().save(*args, **kwargs)

    @property
    def media_kind(self):
        """ "image", "audio", "video" or "" (documents and data): how the page shows the file."""
        major = self.content_type.split("/", 1)[0]
        return major if major in {"image", "audio", "video"} else ""

    @property
    def extension(self):
        return PurePosixPath(self.file.name).suffix.lstrip(".")

    @property
    def download_name(self):
        """The original name's stem with the extension the content really has."""
        stem = PurePosixPath(self.original_name).stem if self.original_name else ""
        return f"{stem or self.title}.{self.extension}" if self.extension else (stem or self.title)


class AccessAction(models.TextChoices):
    VIEW = "view", _("查看")
    DOWNLOAD = "download", _("下载")
    STREAM = "stream", _("在线播放或显示")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("证据查阅记录只能追加，不能修改。")

    def delete(self):
        raise TypeError("证据查阅记录只能追加，不能删除。")


class EvidenceAccess(models.Model):
    """One look at an evidence item: who, as which officer, what, when, from where. Append-only."""

    item = models.ForeignKey(EvidenceItem, verbose_name=_("证据"), on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("执法人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=16, choices=AccessAction.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    byte_range = models.CharField(_("请求范围"), max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()
    scope_agency_lookup = "item__case__agency"

    class Meta:
        verbose_name = _("证据查阅记录")
        verbose_name_plural = pgettext_lazy("plural", "证据查阅记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("证据查阅记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("证据查阅记录只能追加，不能删除。")
