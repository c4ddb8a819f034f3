"""Per-agency, per-year, per-kind counters for case and document numbers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    """The last number given for (agency, year, kind). Locked with SELECT … FOR UPDATE when used,
    inside the transaction of the step that needs the number, so that numbers have no gaps: a
    step that fails rolls its number back with it."""

    agency = models.ForeignKey("lawenforce.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=32)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [models.UniqueConstraint(fields=["agency", "year", "kind"], name="unique_number_sequence")]

    def __str__(self):
        return f"{self.agency_id}/{self.year}/{self.kind}: {self.last}"
