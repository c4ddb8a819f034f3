"""Dossier evaluation (案卷评查): rubrics, the reproducible random draw, and the scores.

A supervisor draws a sample of closed cases per agency and period (`EvaluationSample`). The draw
records its seed and the population it drew from, so anyone can repeat it and get the same
cases (supervision/evaluation/draw.py). Each drawn case gets one `DossierEvaluation`, scored item
by item (`ItemScore`) against the sample's `Rubric` by an evaluator who is never from the
evaluated agency.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RubricSection(models.TextChoices):
    SUBJECT = "subject", _("执法主体")
    FACTS_EVIDENCE = "facts_evidence", _("事实与证据")
    PROCEDURE = "procedure", _("执法程序")
    LAW_DISCRETION = "law_discretion", _("法律适用与裁量")
    DOCUMENTS = "documents", _("执法文书")
    ARCHIVING = "archiving", _("立卷归档")


class Rubric(models.Model):
    """A scoring scheme (评查标准): items with points; passed at `pass_score` or more."""

    name = models.CharField(_("名称"), max_length=128, unique=True)
    description = models.TextField(_("说明"), blank=True)
    pass_score = models.DecimalField(_("合格分数线"), max_digits=6, decimal_places=2, default=80)
    is_default = models.BooleanField(_("默认评查标准"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评查标准")
        verbose_name_plural = pgettext_lazy("plural", "评查标准")
        ordering = ["-is_default", "name"]

    def __str__(self):
        return self.name


class RubricItem(models.Model):
    rubric = models.ForeignKey(Rubric, verbose_name=_("评查标准"), on_delete=models.CASCADE, related_name="items")
    section = models.CharField(_("评查类别"), max_length=16, choices=RubricSection.choices)
    title = models.CharField(_("评查项目"), max_length=256)
    guidance = models.TextField(_("评查要点"), blank=True)
    max_points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    # Supervision rules whose alerts mean this item is not met: the machine pre-check.
    auto_rules = models.JSONField(_("自动预检规则"), default=list, blank=True)
    veto = models.BooleanField(_("否决项"), default=False, help_text=_("本项得零分的，案卷评为不合格，不论总分。"))

    class Meta:
        verbose_name = _("评查项目")
        verbose_name_plural = pgettext_lazy("plural", "评查项目")
        ordering = ["rubric", "order", "pk"]

    def __str__(self):
        return self.title


class SampleState(models.TextChoices):
    EVALUATING = "evaluating", _("评查中")
    FINISHED = "finished", _("已完成")


class EvaluationSample(models.Model):
    """One draw (抽取) of closed cases for evaluation: by agency and period, reproducible."""

    title = models.CharField(_("评查活动名称"), max_length=128)
    bureau = models.ForeignKey(
        "lawenforce.Agency",
        verbose_name=_("组织评查的司法行政部门"),
        on_delete=models.PROTECT,
        related_name="evaluation_samples",
    )
    agencies = models.ManyToManyField("lawenforce.Agency", verbose_name=_("被评查执法主体"), related_name="+")
    period_start = models.DateField(_("结案日期起"))
    period_end = models.DateField(_("结案日期止"))
    per_agency = models.PositiveSmallIntegerField(_("每个执法主体抽取件数"))
    seed = models.CharField(_("随机种子"), max_length=64)
    # {agency id: [case ids, ascending]}: every case the draw chose from, so the draw can be repeated.
    population = models.JSONField(_("抽样总体"), default=dict)
    population_size = models.PositiveIntegerField(_("总体案件数"), default=0)
    population_digest = models.CharField(_("总体摘要（SHA-256）"), max_length=64, blank=True)
    rubric = models.ForeignKey(Rubric, verbose_name=_("评查标准"), on_delete=models.PROTECT, related_name="samples")
    created_by = models.ForeignKey(
        "lawenforce.Officer", verbose_name=_("组织人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=16, choices=SampleState.choices, default=SampleState.EVALUATING)

    scope_agency_lookup = "bureau"

    class Meta:
        verbose_name = _("案卷评查抽样")
        verbose_name_plural = pgettext_lazy("plural", "案卷评查抽样")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class DossierEvaluation(models.Model):
    """One sampled case's evaluation."""

    sample = models.ForeignKey(
        EvaluationSample, verbose_name=_("评查抽样"), on_delete=models.CASCADE, related_name="evaluations"
    )
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="evaluations")
    agency = models.ForeignKey(
        "lawenforce.Agency", verbose_name=_("被评查执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    evaluator = models.ForeignKey(
        "lawenforce.Officer",
        verbose_name=_("评查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_evaluations",
    )
    total_score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("合格"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("评定时间"), null=True, blank=True)
    prechecked_at = models.DateTimeField(_("自动预检时间"), null=True, blank=True)
    opinion = models.TextField(_("评查意见"), blank=True)

    scope_agency_lookup = "agency"

    class Meta:
        verbose_name = _("案卷评查")
        verbose_name_plural = pgettext_lazy("plural", "案卷评查")
        ordering = ["sample", "agency", "case"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "case"], name="unique_case_per_sample"),
        ]
        # The analytics refresh counts the evaluations finalized in a month (its cells).
        indexes = [models.Index(fields=["finalized_at"], name="evaluation_finalized")]

    def __str__(self):
        return f"{self.sample} · {self.case}"


class ItemScore(models.Model):
    """The points one rubric item gets in one evaluation, with the machine's finding beside it."""

    evaluation = models.ForeignKey(
        DossierEvaluation, verbose_name=_("案卷评查"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(RubricItem, verbose_name=_("评查项目"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    auto_points = models.DecimalField(_("预检建议得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    auto_finding = models.TextField(_("自动预检发现"), blank=True)
    comment = models.TextField(_("评查人意见"), blank=True)

    scope_agency_lookup = "evaluation__agency"

    class Meta:
        verbose_name = _("评查项目得分")
        verbose_name_plural = pgettext_lazy("plural", "评查项目得分")
        ordering = ["evaluation", "item__order", "item__pk"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "item"], name="unique_score_per_item")]

    def __str__(self):
        return f"{self.item}: {self.points}"
