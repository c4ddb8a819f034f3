"""Supervision demo for `make run` (manage.py seed_demo_supervision, after seed_demo_cases): one
more demo case with a missed filing deadline, the rules run over every case, a supervision
notice from 济宁市司法局, a dossier evaluation with one dossier scored, the dashboard figures and
a performance evaluation. Built through the same services the pages use. Idempotent.

The demo cases are entered on the day of seeding with dates months earlier, so the back-filling
rule (S-BACKFILL-LATE) flags them: that is what the rule is for.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cases import workflow
from cases.models import Case, Source
from lawenforce.models import Agency, Officer
from supervision import engine
from supervision.dashboard import figures
from supervision.models import Alert, EvaluationSample, NoticeKind, PerformanceScheme, Rubric, SupervisionNotice
from supervision.services import evaluation, notices, performance

SUFFIX = "（示例）"
SAMPLE_TITLE = "2026年度行政处罚案卷评查（示例）"
NOTICE_SUBJECT = "罚款逾期未缴纳、未依法催告（示例）"


def _user(username):
    return get_user_model().objects.get(username=username)


def _old_lead(agency, officer):
    title = "涉嫌销售无中文标签进口食品案" + SUFFIX
    if Case.objects.filter(agency=agency, title=title).exists():
        return None
    received = timezone.localdate() - datetime.timedelta(days=40)
    return workflow.register_lead(
        agency=agency,
        actor=officer,
        source=Source.COMPLAINT,
        title=title,
        lead_received_on=received,
        lead_summary="群众投诉：某超市销售无中文标签的进口食品。",
        parties=[],
    )


def build(stdout=None):
    say = stdout.write if stdout else (lambda *_: None)
    agency = Agency.objects.get(short_name="济任市监")
    officer = Officer.objects.get(agency=agency, name="李明")
    with transaction.atomic():
        if _old_lead(agency, officer):
            say("示例线索：超过立案期限未决定的投诉线索")
    report = engine.run()
    say(f"监督规则巡查：{len(report.rules)} 条规则，新增预警 {report.raised} 条")

    supervisor = _user("supervisor")
    if not SupervisionNotice.objects.filter(subject=NOTICE_SUBJECT).exists():
        alerts = list(Alert.objects.filter(agency=agency, rule="S-PAYMENT-OVERDUE", state="open")[:1])
        alerts = alerts or list(Alert.objects.filter(agency=agency, state="open")[:1])
        if alerts:
            notice = notices.issue(
                supervisor,
                kind=NoticeKind.DIRECTIVE,
                subject=NOTICE_SUBJECT,
                findings="当事人逾期未缴纳罚款，你单位未依法加处罚款、送达催告书，也未申请人民法院强制执行。",
                requirements="请依照《中华人民共和国行政处罚法》第七十二条和《中华人民共和国行政强制法》第三十五条、第五十四条依法催告，催告后仍不履行的申请人民法院强制执行，并书面答复办理情况。",
                issued_on=timezone.localdate(),
                response_days=10,
                alerts=alerts,
            )
            say(f"监督文书：{notice.number}")

    if not EvaluationSample.objects.filter(title=SAMPLE_TITLE).exists():
        year = timezone.localdate().year
        sample = evaluation.create_sample(
            supervisor,
            title=SAMPLE_TITLE,
            agencies=[agency],
            period_start=datetime.date(year, 1, 1),
            period_end=timezone.localdate(),
            per_agency=3,
            rubric=Rubric.objects.get(is_default=True),
            seed="20261201",
        )
        county_supervisor = Officer.objects.get(user__username="county_supervisor")
        dossiers = list(sample.evaluations.order_by("case_id"))
        for dossier in dossiers:
            evaluation.assign(dossier, supervisor, county_supervisor)
        first = dossiers[0]
        evaluation.precheck(first)
        first.refresh_from_db()
        points = {
            s.item_id: (s.points if s.points is not None else s.item.max_points)
            for s in first.scores.select_related("item")
        }
        evaluation.save_scores(
            first,
            _user("county_supervisor"),
            points,
            {},
            "案卷材料齐全；录入时间晚于办案时间，应当同步录入。",
            finalize=True,
        )
        say(f"案卷评查：{sample.title}，抽取 {len(dossiers)} 件（种子 {sample.seed}），已评定 1 件")

    figures.refresh()
    scheme = PerformanceScheme.objects.filter(active=True).first()
    if scheme and not scheme.runs.exists():
        today = timezone.localdate()
        performance.evaluate(supervisor, scheme, datetime.date(today.year, 1, 1), today)
        say(f"执法考核评价：{scheme.name}")
    open_count = Alert.objects.filter(state__in=["open", "notified"]).count()
    say(f"监督看板已更新；未办结预警 {open_count} 条。用 supervisor 或 county_supervisor 登录查看 /supervision/")
    return report
