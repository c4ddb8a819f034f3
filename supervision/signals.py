"""Supervision listens; it never makes a case step fail or wait.

A committed case step (cases.signals.case_event_committed) and a new evidence item each queue
`supervision.check_case` for the case. A failure to queue is logged, never raised."""

import logging

from django.db import transaction
from django.db.models.signals import post_save

logger = logging.getLogger(__name__)


def _queue(case_id):
    from supervision.tasks import check_case

    try:
        check_case.delay(case_id)
    except Exception:  # the broker is down, or an eager run failed: the nightly sweep catches up
        logger.exception("supervision: could not check case %s", case_id)


def case_event_committed(sender, case_id, **kwargs):
    _queue(case_id)


def evidence_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(lambda: _queue(instance.case_id))


def connect():
    from cases.signals import case_event_committed as case_signal
    from evidence.models import EvidenceItem

    case_signal.connect(case_event_committed, dispatch_uid="supervision.case_event_committed")
    post_save.connect(evidence_saved, sender=EvidenceItem, dispatch_uid="supervision.evidence_saved")
