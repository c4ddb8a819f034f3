"""What other apps learn about cases, sent only after the change has committed.

The apps above cases (disclosure, supervision, analytics) must never make a workflow step fail or
wait: they connect a receiver here (in their AppConfig.ready) that queues a Celery task. The
signals are sent from ``transaction.on_commit``, so a step that rolls back sends nothing, and with
``send_robust`` so that a failing receiver is logged instead of turning a committed step into an
error page.

- ``case_event_committed``: a ``CaseEvent`` was recorded (every workflow step records one).
  Keyword arguments: ``case_id``, ``event_id``, ``action`` (the event's text), ``from_state`` and
  ``to_state`` (empty when the step did not move the case).
- ``remedy_outcome_recorded``: the outcome of an administrative reconsideration or litigation
  against the case's decision was recorded. Keyword arguments: ``case_id``, ``remedy_id``,
  ``outcome`` (a ``RemedyOutcome`` value) and ``overturned`` (the decision was revoked, changed,
  confirmed unlawful or void, or is to be re-made: a published decision must be withdrawn,
  《行政处罚法》第四十八条第二款).
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import Signal

logger = logging.getLogger(__name__)

case_event_committed = Signal()
remedy_outcome_recorded = Signal()


def send_after_commit(signal, **kwargs):
    """Send ``signal`` with ``kwargs`` once the current transaction commits (now if there is none)."""
    transaction.on_commit(partial(_send, signal, kwargs))


def _send(signal, kwargs):
    for receiver, result in signal.send_robust(sender=None, **kwargs):
        if isinstance(result, Exception):
            logger.error("receiver %r of a case signal failed", receiver, exc_info=result)


def _event_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        send_after_commit(
            case_event_committed,
            case_id=instance.case_id,
            event_id=instance.pk,
            action=instance.action,
            from_state=instance.from_state,
            to_state=instance.to_state,
        )


def connect():
    """Called from CasesConfig.ready(). Idempotent."""
    from cases.models import CaseEvent

    post_save.connect(_event_saved, sender=CaseEvent, dispatch_uid="cases.signals.event_saved")
