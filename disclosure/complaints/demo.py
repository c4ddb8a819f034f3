"""Complaints demo for `make run` (manage.py seed_demo_complaints, after seed_demo): a handful of
complaints to 济宁市任城区市场监督管理局 in every state, filed and handled through the same
services the pages use. Idempotent: a complaint whose title is already there is not filed again.

The tracking codes are printed, so the status page can be tried at /public/complaints/track/.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from disclosure.models import Complaint, ComplaintKind
from lawenforce.models import Agency, Officer, PowerItem, Sector

from . import services

SUFFIX = "（示例）"


def _file(agency, title, *, days_ago=0, **fields):
    title = title + SUFFIX
    existing = Complaint.objects.filter(title=title).first()
    if existing:
        return existing, False
    now = timezone.now() - datetime.timedelta(days=days_ago)
    defaults = {
        "kind": ComplaintKind.REPORT,
        "region": agency.region,
        "sector": agency.sector,
        "subject_name": "任城区某某便利店",
        "content": "在该店购买的食品已过保质期，店员称仍可食用。",
        "complainant_name": "张三",
        "complainant_phone": "13800138000",
    }
    defaults.update(fields)
    return services.submit(title=title, now=now, **defaults), True


@transaction.atomic
def build(stdout=None):
    say = stdout.write if stdout else (lambda *_: None)
    agency = Agency.objects.get(short_name="济任市监")
    officer = Officer.objects.get(agency=agency, user__username="officer")
    item = PowerItem.objects.filter(agencies=agency, active=True).order_by("code").first()
    made = []

    complaint, new = _file(agency, "便利店销售过期牛奶", anonymous=True, complainant_name="", complainant_phone="")
    made.append((complaint, new))

    complaint, new = _file(agency, "超市散装食品无标签", days_ago=14, power_item=item)
    made.append((complaint, new))  # still waiting after 14 days: overdue

    complaint, new = _file(agency, "餐馆后厨卫生条件差", days_ago=4, kind=ComplaintKind.COMPLAINT)
    if new:
        services.accept(complaint, officer, note="安排本周现场检查。")
    made.append((complaint, new))

    complaint, new = _file(agency, "药店无证销售处方药", days_ago=6, power_item=item)
    if new:
        services.accept(complaint, officer)
        services.make_lead(complaint, officer)
    made.append((complaint, new))

    complaint, new = _file(
        agency, "与商家退款纠纷", days_ago=9, kind=ComplaintKind.COMPLAINT, content="网购退款商家一直不处理。"
    )
    if new:
        services.refuse(complaint, officer, reason="该争议已由人民法院受理，依法不予受理，请关注法院审理结果。")
    made.append((complaint, new))

    complaint, new = _file(agency, "菜市场电子秤缺斤少两", days_ago=20, kind=ComplaintKind.COMPLAINT)
    if new:
        services.accept(complaint, officer)
        services.close(complaint, officer, reply="经现场检查，2台电子秤计量不准，已责令停止使用并立案查处。")
    made.append((complaint, new))

    complaint, new = _file(agency, "河道旁作坊夜间排放污水", days_ago=2, sector=Sector.MARKET)
    if new:
        ecology = Agency.objects.filter(sector=Sector.ECOLOGY, region=agency.region, status="active").first()
        if ecology:
            services.transfer(complaint, officer, to_agency=ecology, reason="属于生态环境部门职责。")
    made.append((complaint, new))

    for complaint, new in made:
        complaint.refresh_from_db()
        mark = "新建" if new else "已有"
        say(
            f"示例投诉举报（{mark}）：{complaint.title} · {complaint.get_state_display()} · 查询码 {complaint.tracking_code}\n"
        )
    return [c for c, _new in made]
