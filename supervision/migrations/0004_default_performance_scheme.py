"""The default performance-evaluation scheme (默认执法考核评价方案), 100 points. Administrators copy
and adjust it in the admin. Frozen here so the migration always means the same."""

from decimal import Decimal

from django.db import migrations

NAME = "行政执法考核评价方案（默认）"
ITEMS = [
    ("alert_rectified_rate", "预警整改率", "20", "rate", "0"),
    ("alerts_high", "严重预警", "20", "deduct", "2"),
    ("notice_ontime_rate", "监督文书按期答复率", "15", "rate", "0"),
    ("evaluation_pass_rate", "案卷评查合格率", "25", "rate", "0"),
    ("decision_ontime_rate", "按期作出处罚决定率", "10", "rate", "0"),
    ("archive_ontime_rate", "按期立卷归档率", "10", "rate", "0"),
]


def create(apps, schema_editor):
    Scheme = apps.get_model("supervision", "PerformanceScheme")
    Item = apps.get_model("supervision", "SchemeItem")
    if Scheme.objects.filter(name=NAME).exists():
        return
    scheme = Scheme.objects.create(
        name=NAME,
        description="满分100分。比率类项目按“分值×比率”计分，期内无此项的不扣分；严重预警每次扣2分，扣完为止。",
    )
    Item.objects.bulk_create(
        Item(scheme=scheme, indicator=code, label=label, points=Decimal(points), method=method, per_unit=Decimal(per), order=i)
        for i, (code, label, points, method, per) in enumerate(ITEMS, start=1)
    )


def remove(apps, schema_editor):
    apps.get_model("supervision", "PerformanceScheme").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_notices_dashboard_performance_settings")]
    operations = [migrations.RunPython(create, remove)]
