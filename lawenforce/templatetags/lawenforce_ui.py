"""Template helpers for the pages: certificate status badges and small formatting filters."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lawenforce.models import CertificateStatus
from lawenforce.views.helpers import EXPIRY_WARNING_DAYS, today

register = template.Library()


def certificate_state(cert, day=None):
    """What a reader must know about one certificate today: label, severity and days left.

    severity: "ok", "warn" (ends within EXPIRY_WARNING_DAYS or not yet in force) or "bad"
    (expired, suspended, revoked).
    """
    day = day or today()
    status = cert.effective_status
    days_left = (cert.valid_to - day).days
    if status == CertificateStatus.VALID:
        if cert.valid_from > day:
            severity, note = "warn", _("尚未生效")
        elif days_left <= EXPIRY_WARNING_DAYS:
            severity, note = "warn", _("即将到期")
        else:
            severity, note = "ok", ""
    else:
        severity, note = "bad", ""
    return {"label": status.label, "severity": severity, "note": note, "days_left": days_left, "status": status}


@register.inclusion_tag("includes/cert_badge.html")
def cert_badge(cert):
    """A coloured status badge for one certificate: 有效 / 即将到期 / 暂扣 / 吊销 / 过期."""
    return certificate_state(cert)


@register.simple_tag
def cert_state(cert):
    return certificate_state(cert)


@register.filter
def days_left_text(days_left):
    """Days left as text: 剩 12 天 / 今天到期 / 已过期 3 天."""
    if days_left is None:
        return ""
    if days_left > 0:
        return ngettext("剩 %(n)d 天", "剩 %(n)d 天", days_left) % {"n": days_left}
    if days_left == 0:
        return _("今天到期")
    return ngettext("已过期 %(n)d 天", "已过期 %(n)d 天", -days_left) % {"n": -days_left}


@register.inclusion_tag("includes/officer_cert_badge.html")
def officer_cert_badge(officer):
    """Whether an officer may enforce today: the valid certificate (and its days left) or "无有效执法证".

    Reads `officer.certificates.all()`, so list views prefetch certificates.
    """
    day = today()
    cert = officer.valid_certificate(day)
    if cert is None and not officer.needs_certificate:
        return {"supervisor_only": True}
    if cert is None:
        # Say why: the latest certificate's state (expired, suspended, revoked), if there is one.
        latest = max(officer.certificates.all(), key=lambda c: c.valid_to, default=None)
        return {"cert": None, "latest": latest, "latest_state": latest and certificate_state(latest, day)}
    return {"cert": cert, "state": certificate_state(cert, day)}


@register.filter
def minutes(delta):
    """A timedelta as whole minutes (for the django-axes lockout page)."""
    if not delta:
        return 0
    return max(1, int(delta.total_seconds() // 60))


@register.filter
def percent(value, digits=1):
    """0.0523 → "5.2%"."""
    if value is None:
        return ""
    return f"{value * 100:.{int(digits)}f}%"
