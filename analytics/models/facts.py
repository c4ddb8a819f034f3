"""The fact layers the indicators are computed from (analytics/README.md, "How it is computed").

- `CaseFact`: one narrow row per case that counts anywhere (filed, or decided on the spot): the
  months it was handled and decided in, as year*100+month, and what the decision established.
  Derived from `cases.Case` with one set-based INSERT … SELECT; the incremental path rewrites only
  the rows of the cases that changed.
- `Cell`: additive counts per (agency, month, power item). Rows are partial: each source (cases
  handled, decisions, complaints, evaluations, remedies) writes its own rows and readers sum them.
- `OfficerMonth`: cases each officer handled per month (from the case's handlers).
- `DirtyCase` / `DirtyCell`: what changed since the last refresh (the incremental queue).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFact(models.Model):
    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="analytics_fact", db_constraint=False
    )
    # No index of their own: the (agency, month) indexes below lead with the agency, and nothing
    # looks facts up by power item; each index more costs the full recompute's bulk insert of a
    # million facts about a second.
    agency = models.ForeignKey(
        "lawenforce.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    power_item = models.ForeignKey(
        "lawenforce.PowerItem",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    handled_ym = models.IntegerField(_("办案月份"), null=True)
    decided_ym = models.IntegerField(_("决定月份"), null=True)
    violation = models.BooleanField(_("认定违法"), default=False)
    penalty = models.BooleanField(_("给予处罚"), default=False)

    class Meta:
        verbose_name = _("案件统计事实")
        verbose_name_plural = _("案件统计事实")
        indexes = [
            models.Index(fields=["agency", "handled_ym"], name="casefact_handled"),
            models.Index(fields=["agency", "decided_ym"], name="casefact_decided"),
        ]

    def __str__(self):
        return f"case {self.case_id}: handled {self.handled_ym}, decided {self.decided_ym}"


class CellSource(models.IntegerChoices):
    """Where a cell row's counts come from: each source's rows are rebuilt on their own."""

    CASES = 1, _("案件")
    COMPLAINTS = 2, _("投诉举报")
    EVALUATIONS = 3, _("案卷评查")
    REMEDIES = 4, _("复议诉讼")


class Cell(models.Model):
    """Counts of one source for one (agency, month, power item); readers sum the partial rows.

    A source's rows of a cell are replaced when that source is recounted; between recounts the
    incremental refresh may add a row of changes (a complaint whose case was decided: dealt +1)."""

    # Indexed by (agency, year, month) only, as the facts (see CaseFact).
    agency = models.ForeignKey(
        "lawenforce.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    source = models.PositiveSmallIntegerField(choices=CellSource.choices, default=CellSource.CASES)
    year = models.SmallIntegerField()
    month = models.SmallIntegerField()
    power_item = models.ForeignKey(
        "lawenforce.PowerItem",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    handled = models.IntegerField(default=0)  # cases filed (or decided on the spot) this month
    violations = models.IntegerField(default=0)  # decisions that established a violation
    penalties = models.IntegerField(default=0)  # decisions that gave a penalty
    complaints_received = models.IntegerField(default=0)
    complaints_accepted = models.IntegerField(default=0)
    complaints_dealt = models.IntegerField(default=0)
    evaluations_finalized = models.IntegerField(default=0)
    evaluations_passed = models.IntegerField(default=0)
    remedies_concluded = models.IntegerField(default=0)
    remedies_overturned = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("统计单元")
        verbose_name_plural = _("统计单元")
        indexes = [models.Index(fields=["agency", "year", "month"], name="cell_agency_month")]

    def __str__(self):
        return f"{self.agency_id} {self.year}-{self.month:02d} {self.power_item_id}"


class OfficerMonth(models.Model):
    agency = models.ForeignKey("lawenforce.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    year = models.SmallIntegerField()
    month = models.SmallIntegerField()
    officer = models.ForeignKey("lawenforce.Officer", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    cases = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("人员月度办案量")
        verbose_name_plural = _("人员月度办案量")
        indexes = [models.Index(fields=["agency", "year", "month"], name="officermonth_agency_month")]

    def __str__(self):
        return f"{self.officer_id} {self.year}-{self.month:02d}: {self.cases}"


class DirtyCase(models.Model):
    """A case changed after the last refresh (queued by the case_event_committed receiver)."""

    case_id = models.BigIntegerField(primary_key=True)
    noted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"case {self.case_id}"


class DirtyCell(models.Model):
    """An (agency, month) to recompute: a complaint, evaluation or certificate changed."""

    agency_id = models.BigIntegerField()
    year = models.SmallIntegerField()
    month = models.SmallIntegerField()
    noted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_id", "year", "month"], name="unique_dirty_cell")]

    def __str__(self):
        return f"{self.agency_id} {self.year}-{self.month:02d}"
