"""The text `seed_demo` prints: counts of what the database now holds, and the demo logins."""

import unicodedata

from django.contrib.auth import get_user_model
from django.db.models import Count

from lawenforce.models import (
    Agency,
    Certificate,
    CertificateStatus,
    DiscretionStandard,
    Law,
    LegalProvision,
    Officer,
    PowerItem,
    Region,
    RegionLevel,
)

from .bulk import generated_agencies
from .people import DEMO_PASSWORD


def _by(queryset, field, choices):
    counts = dict(queryset.values_list(field).annotate(n=Count("pk")))
    return "，".join(f"{label} {counts.get(value, 0)}" for value, label in choices)


def summary_lines(result):
    tally = result.tally
    lines = [
        f"行政区划 {Region.objects.count()}（{_by(Region.objects, 'level', RegionLevel.choices)}）",
        f"执法主体 {Agency.objects.count()}（其中压测生成 {generated_agencies().count()}）",
        f"执法人员 {Officer.objects.count()}（法制审核人员 {Officer.objects.filter(is_legal_reviewer=True).count()}，"
        f"执法监督人员 {Officer.objects.filter(is_supervisor=True).count()}）",
        f"执法证 {Certificate.objects.count()}（{_by(Certificate.objects, 'status', CertificateStatus.choices)}）",
        f"法律法规 {Law.objects.count()}，法律依据 {LegalProvision.objects.count()}，"
        f"权责事项 {PowerItem.objects.count()}，裁量基准 {DiscretionStandard.objects.count()}",
        f"登录账号 {get_user_model().objects.count()}",
        f"本次新建 {tally.total_created} 条，更新 {tally.total_updated} 条，重设关联 {tally.total_relinked} 处",
    ]
    if result.generated and (result.generated.agencies or result.generated.skipped or result.generated.deleted):
        b = result.generated
        lines.append(
            f"压测数据：新建执法主体 {b.agencies}、执法人员 {b.officers}、执法证 {b.certificates}；"
            f"已存在跳过 {b.skipped}；删除 {b.deleted}"
        )
    return lines


def _width(text):
    """Columns `text` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text, width):
    return text + " " * max(0, width - _width(text))


def login_lines(result):
    rows = [("username", "role", "agency"), *result.logins]
    widths = [max(_width(row[col]) for row in rows) for col in range(2)]
    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）："]
    for username, role, agency in rows:
        lines.append(f"  {_pad(username, widths[0])}  {_pad(role, widths[1])}  {agency}")
    return lines
