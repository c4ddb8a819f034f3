"""How analytics hears of changes (connected in AnalyticsConfig.ready).

- `cases.signals.case_event_committed` (every workflow step, after commit): the case is marked
  dirty and a refresh is queued;
- saves of complaints (disclosure) and dossier evaluations (supervision), when those apps
  provide the models, mark the (agency, month) cells they count in, before and after the change;
- saves of certificates and officers mark their agency's months of the current year (人均执法量
  and 执法岗位关联率 count certified officers).

A receiver never makes the caller fail: errors are logged and the nightly full recompute
repairs whatever was missed.
"""

import functools
import logging

from django.db.models.signals import post_delete, post_save, pre_save

from analytics import dirty, sources
from analytics.periods import ym_of

logger = logging.getLogger(__name__)


def never_fail(receiver):
    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        try:
            receiver(*args, **kwargs)
        except Exception:
            logger.exception("analytics receiver %s failed; the nightly recompute will repair it", receiver.__name__)

    return wrapper


@never_fail
def case_event(sender=None, case_id=None, **kwargs):
    dirty.mark_cases([case_id])
    dirty.queue_refresh()


def _cell(agency_id, when):
    ym = ym_of(when)
    return (agency_id, ym // 100, ym % 100) if agency_id and ym else None


def _complaint_cell(complaint):
    return _cell(complaint.agency_id, complaint.received_at)


def _evaluation_cell(evaluation):
    if not evaluation.case_id or evaluation.finalized_at is None:
        return None
    from cases.models import Case

    agency_id = Case.objects.filter(pk=evaluation.case_id).values_list("agency_id", flat=True).first()
    return _cell(agency_id, evaluation.finalized_at)


def _before(cell_of):
    @never_fail
    def receiver(sender, instance, raw=False, **kwargs):
        if raw or not instance.pk:
            return
        old = sender._default_manager.filter(pk=instance.pk).first()
        instance._analytics_old_cell = cell_of(old) if old is not None else None

    return receiver


def _after(cell_of):
    @never_fail
    def receiver(sender, instance, raw=False, **kwargs):
        if raw:
            return
        cells = {cell_of(instance), getattr(instance, "_analytics_old_cell", None)} - {None}
        if cells:
            dirty.mark_cells(cells)
            dirty.queue_refresh()

    return receiver


@never_fail
def roster_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    agency_id = getattr(instance, "agency_id", None) or instance.officer.agency_id
    dirty.mark_agency_year(agency_id)


def connect():
    from cases import signals
    from lawenforce.models import Certificate, Officer

    signals.case_event_committed.connect(case_event, dispatch_uid="analytics.case_event")
    watched = [(sources.COMPLAINTS, _complaint_cell), (sources.EVALUATIONS, _evaluation_cell)]
    for source, cell_of in watched:
        model = sources.model(source)
        if model is None:
            continue
        uid = f"analytics.{source}"
        pre_save.connect(_before(cell_of), sender=model, weak=False, dispatch_uid=f"{uid}.pre")
        post_save.connect(_after(cell_of), sender=model, weak=False, dispatch_uid=f"{uid}.post")
        post_delete.connect(_after(cell_of), sender=model, weak=False, dispatch_uid=f"{uid}.delete")
    for model in (Certificate, Officer):
        post_save.connect(roster_changed, sender=model, dispatch_uid=f"analytics.roster.{model.__name__}")
