"""Officers (执法人员) and their enforcement certificates (执法证)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lawenforce.validators import validate_phone, validate_resident_id


class OfficerQuerySet(models.QuerySet):
    def needing_certificate(self):
        """Officers who may only enforce with a valid enforcement certificate (《行政处罚法》第四十二条).

        Supervisors of the justice bureau watch enforcement and do not enforce; they hold a
        supervision certificate (执法监督证), which is not an enforcement certificate.
        """
        return self.filter(is_supervisor=False)


class Officer(models.Model):
    """A person who works for one agency. Duties decide the roles (see lawenforce.access)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    agency = models.ForeignKey(
        "lawenforce.Agency", verbose_name=_("所属执法主体"), on_delete=models.PROTECT, related_name="officers"
    )
    name = models.CharField(_("姓名"), max_length=64)
    id_number = models.CharField(_("居民身份证号码"), max_length=18, blank=True, validators=[validate_resident_id])
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[validate_phone])
    is_agency_head = models.BooleanField(_("机关负责人"), default=False)
    is_legal_reviewer = models.BooleanField(
        _("法制审核人员"), default=False, help_text=_("可在法制审核队列中审核重大执法决定。")
    )
    legal_qualification_no = models.CharField(
        _("法律职业资格证书编号"),
        max_length=32,
        blank=True,
        help_text=_("初次从事法制审核的人员应取得国家统一法律职业资格（《行政处罚法》第五十八条第二款）。"),
    )
    is_supervisor = models.BooleanField(
        _("执法监督人员"), default=False, help_text=_("司法行政部门的执法监督人员，可查看本区划及下级区划的执法情况。")
    )
    active = models.BooleanField(_("在岗"), default=True)

    history = HistoricalRecords()
    objects = OfficerQuerySet.as_manager()
    scope_agency_lookup = "agency"
    ledger_personal_fields = ("id_number", "phone")  # salted in the ledger (lawenforce/ledger/hooks.py)

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = pgettext_lazy("plural", "执法人员")
        ordering = ["agency__name", "name"]

    def __str__(self):
        return f"{self.name}（{self.agency}）" if self.agency_id else self.name

    def clean(self):
        if self.is_supervisor and self.agency_id and not self.agency.is_supervisory:
            raise ValidationError({"is_supervisor": _("只有司法行政部门（执法监督机关）的人员才能设为执法监督人员。")})

    @property
    def needs_certificate(self):
        return not self.is_supervisor

    def valid_certificate(self, day=None, category=None):
        """The certificate valid on `day` (today by default) and covering `category`, or None."""
        day = day or timezone.localdate()
        for cert in self.certificates.all():
            if cert.is_valid_on(day) and (category is None or cert.covers(category)):
                return cert
        return None


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("吊销")
    EXPIRED = "expired", _("过期")


class Certificate(models.Model):
    officer = models.ForeignKey(
        Officer, verbose_name=_("执法人员"), on_delete=models.CASCADE, related_name="certificates"
    )
    number = models.CharField(_("证件编号"), max_length=32, unique=True)
    categories = models.ManyToManyField(
        "lawenforce.EnforcementCategory", verbose_name=_("执法类别"), related_name="certificates"
    )
    issuer = models.CharField(_("发证机关"), max_length=128, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )

    history = HistoricalRecords(m2m_fields=[categories])
    scope_agency_lookup = "officer__agency"

    class Meta:
        verbose_name = _("执法证")
        verbose_name_plural = pgettext_lazy("plural", "执法证")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")), name="certificate_valid_range"
            )
        ]

    def __str__(self):
        return self.number

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("“有效期至”不能早于“有效期起”，请检查日期。")})

    def is_valid_on(self, day):
        """An officer may enforce on `day` only with a certificate valid that day (《行政处罚法》第四十二条)."""
        return self.status == CertificateStatus.VALID and self.valid_from <= day <= self.valid_to

    def covers(self, category):
        return any(c.pk == category.pk for c in self.categories.all())

    @property
    def effective_status(self):
        """The status as of today: a certificate past its end date counts as expired even before the nightly task."""
        if self.status == CertificateStatus.VALID and self.valid_to < timezone.localdate():
            return CertificateStatus.EXPIRED
        return CertificateStatus(self.status)
