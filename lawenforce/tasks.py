"""Periodic housekeeping on the core vocabulary (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from lawenforce.models import Certificate, CertificateStatus


@shared_task
def expire_certificates(today=None):
    """Mark valid certificates whose validity has ended as expired; returns how many changed.

    Saved one by one so that each change is kept in the certificate's history.
    """
    today = today or timezone.localdate()
    changed = 0
    for cert in Certificate.objects.filter(status=CertificateStatus.VALID, valid_to__lt=today):
        cert.status = CertificateStatus.EXPIRED
        cert._change_reason = "执法证有效期届满，系统自动标记为过期"
        cert.save(update_fields=["status"])
        changed += 1
    return changed
