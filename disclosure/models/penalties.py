"""The disclosure record of a penalty decision (行政处罚信息公示) and what happened to it.

A ``PenaltyDisclosure`` is built from a decided case by ``disclosure.publishing`` (a Celery task
queued when the decision commits). It is a *separate, masked copy*: the public columns below are
filled once from the case and its party with the masking rules of ``disclosure.masking``, and the
public pages, the API and the exports read only them, never the live case row. One record per
party of the decision (the national credit data standard has one 行政相对人 per record).

``public_json`` holds the canonical bytes (RFC 8785) of the public copy as published; its digest is
a ledger leaf, so anyone can check that what the site shows is what was published (the detail
page's verification, ``python -m lawenforce.ledger.verify``). Every publication, correction,
withdrawal and expiry is a ``DisclosureAction`` with its own ledger entry.

States (CONTRACTS.md): pending → published → withdrawn | expired; exempt is never published.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class DisclosureState(models.TextChoices):
    PENDING = "pending", _("待公示")
    PUBLISHED = "published", _("公示中")
    WITHDRAWN = "withdrawn", _("已撤下")
    EXPIRED = "expired", _("公示期满")
    EXEMPT = "exempt", _("不予公示")


class ExemptReason(models.TextChoices):
    """Why a decision is not published (legal-rules.md, "Disclosure of penalty records")."""

    NOT_A_PENALTY = "not_a_penalty", _("不属于行政处罚决定（不予处罚、移送或撤销案件）")
    MINOR = "minor", _("当事人为未成年人")
    PROTECTED = "protected", _("涉及国家秘密、商业秘密或个人隐私")
    WARNING_ONLY = "warning_only", _("仅受到警告或通报批评")
    LOW_FINE = "low_fine", _("仅受到较低数额罚款")


class PartyCategory(models.TextChoices):
    """行政相对人类别 of the national credit data standard."""

    LEGAL_PERSON = "legal_person", _("法人及非法人组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    NATURAL_PERSON = "natural_person", _("自然人")


class PenaltyDisclosureQuerySet(models.QuerySet):
    def public(self, today=None):
        """What the public may find: published and inside the publication period.

        The expiry task moves records past ``publish_until`` to "expired"; the date test keeps a
        record out of search even on a day the task has not run yet.
        """
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.filter(state=DisclosureState.PUBLISHED).filter(
            models.Q(publish_until__isnull=True) | models.Q(publish_until__gte=today)
        )


class PenaltyDisclosure(models.Model):
    # --- The record and its life (CONTRACTS.md field names) --------------------------------------
    public_id = models.UUIDField(_("公开编号"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="disclosures")
    party = models.ForeignKey(
        "cases.Party",
        verbose_name=_("当事人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    agency = models.ForeignKey(
        "lawenforce.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="penalty_disclosures"
    )
    power_item = models.ForeignKey(
        "lawenforce.PowerItem",
        verbose_name=_("权责事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalty_disclosures",
    )
    # The agency's region path (lawenforce.Region.path), copied so that a region search is one
    # indexed prefix test on this table.
    region_path = models.CharField(_("区划路径"), max_length=80, db_index=True)
    decided_on = models.DateField(_("处罚决定日期"))
    publish_due_on = models.DateField(
        _("公示期限"),
        null=True,
        blank=True,
        help_text=_("作出决定之日起7个工作日内公示；节假日安排未知时为空。"),
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=DisclosureState.choices, default=DisclosureState.PENDING)
    exempt_reason = models.CharField(_("不予公示理由"), max_length=24, choices=ExemptReason.choices, blank=True)
    exempt_note = models.TextField(_("不予公示说明"), blank=True)
    serious = models.BooleanField(
        _("严重失信"), default=False, help_text=_("严重失信主体的处罚信息公示期最短1年、最长3年。")
    )
    publish_until = models.DateField(_("公示截止期"), null=True, blank=True)
    expired_at = models.DateTimeField(_("停止公示时间"), null=True, blank=True)
    withdraw_due_on = models.DateField(_("撤下期限"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤下理由"), blank=True)
    corrected_at = models.DateTimeField(_("最近更正时间"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("版本"), default=0)

    # --- The masked public copy (双公示 data items) ---------------------------------------------
    party_name = models.CharField(_("行政相对人名称"), max_length=128, blank=True)
    party_category = models.CharField(_("行政相对人类别"), max_length=24, choices=PartyCategory.choices, blank=True)
    party_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    decision_number = models.CharField(_("行政处罚决定书文号"), max_length=64, blank=True, db_index=True)
    violation_type = models.CharField(_("违法行为类型"), max_length=256, blank=True)
    facts = models.TextField(_("违法事实"), blank=True)
    basis = models.TextField(_("处罚依据"), blank=True)
    penalty_category = models.CharField(_("处罚类别"), max_length=256, blank=True)
    penalty_content = models.TextField(_("处罚内容"), blank=True)
    fine_amount = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    confiscated_amount = models.DecimalField(
        _("没收违法所得、没收非法财物的金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    licence_note = models.CharField(_("暂扣或吊销证照名称及编号"), max_length=256, blank=True)
    agency_name = models.CharField(_("处罚机关"), max_length=128, blank=True)
    agency_uscc = models.CharField(_("处罚机关统一社会信用代码"), max_length=18, blank=True)
    source_name = models.CharField(_("数据来源单位"), max_length=128, blank=True)
    source_uscc = models.CharField(_("数据来源单位统一社会信用代码"), max_length=18, blank=True)
    remarks = models.TextField(_("备注"), blank=True)

    # --- Search and verification ------------------------------------------------------------------
    # Character bigrams (and single characters) of the public party name, space separated: on
    # PostgreSQL a GIN index over string_to_array(name_grams, ' ') finds a company by any part of
    # its name, two characters included (disclosure/search.py).
    name_grams = models.TextField(_("名称检索词"), blank=True, editable=False)
    # The name's grams and one term per region on region_path ("r:370000/370800/"), space
    # separated (grams.search_terms): the GIN index of the public search (migration
    # 0004_searchperf) answers a part of a name inside a region with one containment test.
    search_terms = models.TextField(_("公示检索词"), blank=True, editable=False)
    public_json = models.TextField(_("公示内容（规范化 JSON）"), blank=True, editable=False)
    digest = models.CharField(_("公示内容摘要"), max_length=64, blank=True, editable=False)
    digest_algorithm = models.CharField(_("摘要算法"), max_length=16, blank=True, editable=False)
    ledger_index = models.BigIntegerField(_("存证日志序号"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()
    objects = PenaltyDisclosureQuerySet.as_manager()
    scope_agency_lookup = "agency"

    class Meta:
        verbose_name = _("行政处罚公示记录")
        verbose_name_plural = pgettext_lazy("plural", "行政处罚公示记录")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party"], name="disclosure_one_per_case_party"),
        ]
        indexes = [
            # Public search: published records newest first, alone or with the usual filters.
            models.Index(
                fields=["-decided_on", "-id"],
                name="disclosure_public_recent",
                condition=models.Q(state="published"),
            ),
            models.Index(
                fields=["agency", "-decided_on", "-id"],
                name="disclosure_public_agency",
                condition=models.Q(state="published"),
            ),
            models.Index(
                fields=["power_item", "-decided_on", "-id"],
                name="disclosure_public_item",
                condition=models.Q(state="published"),
            ),
            models.Index(
                fields=["-fine_amount", "-id"],
                name="disclosure_public_fine",
                condition=models.Q(state="published"),
            ),
            # The agency's archive and the deadline sweeps.
            models.Index(fields=["agency", "state", "-decided_on"], name="disclosure_agency_state"),
            models.Index(fields=["state", "publish_until"], name="disclosure_state_until"),
        ]

    def __str__(self):
        return f"{self.decision_number or self.case_id} {self.party_name}"

    @property
    def is_public(self):
        return self.state == DisclosureState.PUBLISHED

    @property
    def is_late(self):
        """Published after ``publish_due_on``, or still pending past it (国办发〔2018〕118号)."""
        from django.utils import timezone

        if self.publish_due_on is None or self.state == DisclosureState.EXEMPT:
            return False
        if self.published_at is not None:
            return timezone.localdate(self.published_at) > self.publish_due_on
        return self.state == DisclosureState.PENDING and timezone.localdate() > self.publish_due_on

    @property
    def withdrawn_late(self):
        """Withdrawn after ``withdraw_due_on`` (《行政处罚法》第四十八条第二款: within 3 working days)."""
        from django.utils import timezone

        if self.withdrawn_at is None or self.withdraw_due_on is None:
            return False
        return timezone.localdate(self.withdrawn_at) > self.withdraw_due_on

    def public_notice(self):
        """What the public page says about this record at its URL, or "" for a plain published record.

        A withdrawn record shows only this notice (with the reasons, 《行政处罚法》第四十八条第二款),
        never its content; an expired one says its period ended; a corrected one says when.
        """
        from django.utils import timezone

        def day(moment):
            return f"{timezone.localdate(moment):%Y-%m-%d}" if moment else ""

        if self.state == DisclosureState.WITHDRAWN:
            return _("该行政处罚信息已于%(day)s撤下。撤下理由：%(reason)s") % {
                "day": day(self.withdrawn_at),
                "reason": self.withdraw_reason,
            }
        if self.state == DisclosureState.EXPIRED:
            return _("该行政处罚信息的公示期已于%(day)s届满，已停止公示。") % {
                "day": f"{self.publish_until:%Y-%m-%d}" if self.publish_until else day(self.expired_at)
            }
        if self.state == DisclosureState.PUBLISHED and self.revision and self.corrected_at:
            return _("该行政处罚信息已于%(day)s更正（第%(n)d版）。") % {
                "day": day(self.corrected_at),
                "n": self.revision,
            }
        if self.state != DisclosureState.PUBLISHED:
            return _("该行政处罚信息未公示。")
        return ""


class DisclosureActionKind(models.TextChoices):
    BUILD = "build", _("生成公示记录")
    PUBLISH = "publish", _("公示")
    EXEMPT = "exempt", _("不予公示")
    CORRECT = "correct", _("更正")
    WITHDRAW = "withdraw", _("撤下")
    EXPIRE = "expire", _("公示期满停止公示")


class DisclosureAction(models.Model):
    """One step in a disclosure record's life, with the ledger entry that records it (append-only)."""

    disclosure = models.ForeignKey(
        PenaltyDisclosure, verbose_name=_("公示记录"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("操作"), max_length=16, choices=DisclosureActionKind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空表示系统自动处理。"),
    )
    reason = models.TextField(_("理由"), blank=True)
    revision = models.PositiveIntegerField(_("版本"), default=0)
    digest = models.CharField(_("公示内容摘要"), max_length=64, blank=True)
    # The public copy before a correction, so the archive keeps every version that was shown.
    previous_json = models.TextField(_("更正前内容"), blank=True)
    ledger_index = models.BigIntegerField(_("存证日志序号"), null=True, blank=True)

    scope_agency_lookup = "disclosure__agency"

    class Meta:
        verbose_name = _("公示操作记录")
        verbose_name_plural = _("公示操作记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
