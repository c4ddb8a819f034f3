"""Disclosure listens to the case workflow; it never makes a case step fail or wait.

- ``cases.signals.case_event_committed`` with ``to_state == "decided"`` (the head's decision or an
  on-the-spot decision): queue ``disclosure.publish_case``.
- ``cases.signals.remedy_outcome_recorded`` with ``overturned=True``: queue
  ``disclosure.withdraw_case`` (《行政处罚法》第四十八条第二款).

A failure to queue is logged, never raised; the daily ``disclosure.catch_up`` builds what was missed.
"""

import logging

logger = logging.getLogger(__name__)


def case_event_committed(sender, case_id, to_state="", **kwargs):
    if to_state != "decided":
        return
    from .tasks import publish_case

    try:
        publish_case.delay(case_id)
    except Exception:  # the broker is down, or an eager run failed: the daily catch-up builds it
        logger.exception("disclosure: could not publish case %s", case_id)


def remedy_outcome_recorded(sender, case_id, remedy_id, overturned=False, **kwargs):
    if not overturned:
        return
    from .tasks import withdraw_case

    try:
        withdraw_case.delay(case_id, remedy_id)
    except Exception:
        logger.exception("disclosure: could not withdraw the records of case %s", case_id)


def connect():
    from cases import signals

    signals.case_event_committed.connect(case_event_committed, dispatch_uid="disclosure.case_event_committed")
    signals.remedy_outcome_recorded.connect(remedy_outcome_recorded, dispatch_uid="disclosure.remedy_outcome")
