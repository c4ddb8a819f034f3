"""Annual statistics reports (年报): assembled automatically, reviewed and published by the agency head.

The rules, in one place (every path, the pages and the command, goes through these functions):

- T-annual (国办发〔2018〕118号, seed 001 §二(一)3): the previous year's statistics are published by
  31 January; ``AnnualReport.due_on`` is that day, a later publication is recorded as late and
  shown to supervision (disclosure.views_annual, the supervisor's list);
- a year's statistics are published once the year is over (the figures would change otherwise);
- only the agency's head (机关负责人) publishes, for their own agency;
- publication appends the canonical figures to the tamper-evident ledger.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.annual import annual_figures
from lawenforce.ledger import log
from lawenforce.models import Agency, Sector

from .models import AnnualReport, AnnualReportState, annual_due_on

ARTICLE = "国办发〔2018〕118号"
LEDGER_KIND = "disclosure.annual_report.published"


class AnnualReportError(Exception):
    """A refused step on an annual report: a Chinese message that says what to do, and its rule."""

    def __init__(self, message, article=""):
        self.article = article
        super().__init__(f"{message}（{article}）" if article else message)


def reporting_agencies():
    """Agencies that publish annual enforcement statistics: active enforcement agencies (the justice
    bureaus' supervision is not enforcement)."""
    return Agency.objects.active().exclude(sector=Sector.JUSTICE)


def build_report(agency, year):
    """Create or refresh the draft of `agency` for `year` with the current figures. A published report
    is never changed (returns it as it is)."""
    with transaction.atomic():
        report, created = AnnualReport.objects.select_for_update().get_or_create(
            agency=agency, year=year, defaults={"due_on": annual_due_on(year)}
        )
        if report.is_published:
            return report
        report.figures = annual_figures(agency, year)
        report.built_at = timezone.now()
        report._change_reason = _("生成年度统计数据") if created else _("重新生成年度统计数据")
        report.save()
    return report


def build_reports(year, agencies=None):
    """Drafts for every reporting agency (or the given ones) for `year`; returns how many were built."""
    agencies = reporting_agencies() if agencies is None else agencies
    built = 0
    for agency in agencies.order_by("pk"):
        build_report(agency, year)
        built += 1
    return built


def check_can_publish(report, officer, today=None):
    today = today or timezone.localdate()
    # Only the agency's own head publishes its statistics (国办发〔2018〕118号: 行政执法机关负责人 answers
    # for the agency's disclosure).
    if officer is None or officer.agency_id != report.agency_id or not officer.is_agency_head:
        raise AnnualReportError(_("只有本机关负责人才能发布年度统计，请提交机关负责人审核发布。"), ARTICLE)
    if report.is_published:
        raise AnnualReportError(
            _("%(year)s年度统计已于 %(day)s 公开，不能重复发布。") % {"year": report.year, "day": report.published_on}
        )
    # The statistics of a year are complete only once the year is over (T-annual: "上年度").
    if today.year <= report.year:
        raise AnnualReportError(
            _("%(year)s年度尚未结束，统计数据还会变化；请在 %(next)s 年1月1日以后发布。")
            % {"year": report.year, "next": report.year + 1},
            ARTICLE,
        )


def publish_report(report, officer, *, note="", refresh=False):
    """Publish the report as reviewed (figures recomputed first only if `refresh`), record it in the ledger.

    Returns the report; ``report.is_late()`` tells whether it missed 31 January (T-annual)."""
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().select_related("agency").get(pk=report.pk)
        check_can_publish(report, officer)
        if refresh:
            report.figures = annual_figures(report.agency, report.year)
            report.built_at = timezone.now()
        now = timezone.now()
        report.note = (note or "").strip()
        report.state = AnnualReportState.PUBLISHED
        report.published_at = now
        report.published_on = timezone.localdate(now)
        report.published_by = officer
        report._change_reason = _("发布年度统计")
        report.save()
        entry = log.append(
            LEDGER_KIND,
            {
                "agency": report.agency.name,
                "agency_uscc": report.agency.uscc,
                "year": report.year,
                "due_on": report.due_on,
                "published_on": report.published_on,
                "late": report.is_late(),
                "figures": report.figures,
                "note": report.note,
            },
            obj=report,
        )
        AnnualReport.objects.filter(pk=report.pk).update(ledger_index=entry.index)
        report.ledger_index = entry.index
    return report


def previous_year(today=None):
    return (today or timezone.localdate()).year - 1
