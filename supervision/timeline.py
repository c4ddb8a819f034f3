"""Supervision's entries on a case's timeline (the full-process record), through the hook that
cases exposes (cases/timeline.py): alerts raised and handled, supervision notices issued and
answered, dossier evaluations finalised. Four queries per case page, whatever the numbers."""

from django.urls import reverse
from django.utils.translation import gettext as _


def entries_for(case):
    from supervision.models import AlertEntry, DossierEvaluation, NoticeReply, SupervisionNotice
    from supervision.rules import get_rule

    entries = []
    alerts = list(case.alerts.all())
    for alert in alerts:
        rule = get_rule(alert.rule)
        entries.append(
            _entry(
                alert.raised_at,
                _("系统"),
                _("监督预警：%(title)s") % {"title": alert.title},
                rule.describe(alert.facts, alert.raised_at.date()) if rule else alert.message,
                reverse("supervision:alert", args=[alert.pk]),
            )
        )
    for entry in AlertEntry.objects.filter(alert__case=case).select_related("actor", "alert"):
        entries.append(
            _entry(
                entry.at,
                entry.actor.name if entry.actor else _("系统"),
                _("预警%(kind)s：%(title)s") % {"kind": entry.get_kind_display(), "title": entry.alert.title},
                entry.text,
                reverse("supervision:alert", args=[entry.alert_id]),
            )
        )
    notices = list(SupervisionNotice.objects.filter(cases=case).select_related("issued_by", "bureau"))
    for notice in notices:
        entries.append(
            _entry(
                _start_of(notice),
                notice.issued_by.name,
                _("%(bureau)s签发%(kind)s %(number)s")
                % {
                    "bureau": notice.bureau.name,
                    "kind": notice.get_kind_display(),
                    "number": notice.number,
                },
                _("%(subject)s；答复期限至%(due)s")
                % {"subject": notice.subject, "due": f"{notice.response_due_on:%Y-%m-%d}"},
                reverse("supervision:notice", args=[notice.pk]),
            )
        )
    replies = NoticeReply.objects.filter(notice__in=[n.pk for n in notices]).select_related("author", "notice")
    for reply in replies:
        late = _("（逾期）") if reply.late else ""
        entries.append(
            _entry(
                reply.at,
                reply.author.name,
                f"{reply.notice.number}：{reply.get_kind_display()}{late}",
                reply.text,
                reverse("supervision:notice", args=[reply.notice_id]),
            )
        )
    for evaluation in DossierEvaluation.objects.filter(case=case, finalized_at__isnull=False).select_related(
        "evaluator", "sample"
    ):
        result = _("合格") if evaluation.passed else _("不合格")
        entries.append(
            _entry(
                evaluation.finalized_at,
                evaluation.evaluator.name if evaluation.evaluator else _("系统"),
                _("案卷评查（%(sample)s）") % {"sample": evaluation.sample.title},
                _("得分%(score)s，%(result)s") % {"score": evaluation.total_score, "result": result},
                reverse("supervision:evaluation", args=[evaluation.pk]),
            )
        )
    return entries


def _start_of(notice):
    import datetime

    from django.utils import timezone

    return notice.created_at or timezone.make_aware(datetime.datetime.combine(notice.issued_on, datetime.time(9)))


def _entry(at, who, step, summary, link):
    return {"kind": "supervision", "at": at, "who": who, "step": step, "summary": summary, "changes": [], "link": link}


def connect():
    from cases.timeline import register_source

    register_source(entries_for)
