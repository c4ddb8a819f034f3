"""Reference data: the standard enforcement categories (执法类别) shared by every agency.

The list is a frozen copy (a migration must not change when application code does); the same
codes live in lawenforce.demo.categories. Codes are stable, lowercase, and equal to the Sector
values where a sector exists. Reverse deletes only categories nothing refers to.
"""

from django.db import migrations

CATEGORIES = [
    ("market", "市场监管"),
    ("ecology", "生态环境"),
    ("urban", "城市管理综合执法"),
    ("transport", "交通运输"),
    ("culture", "文化市场"),
    ("emergency", "应急管理"),
    ("natural_resources", "自然资源"),
    ("agriculture", "农业农村"),
    ("health", "卫生健康"),
    ("water", "水利"),
]


def load(apps, schema_editor):
    EnforcementCategory = apps.get_model("lawenforce", "EnforcementCategory")
    for code, name in CATEGORIES:
        # A database that already holds a code keeps its row; only the name is brought in line.
        EnforcementCategory.objects.update_or_create(code=code, defaults={"name": name})


def unload(apps, schema_editor):
    EnforcementCategory = apps.get_model("lawenforce", "EnforcementCategory")
    codes = [code for code, _ in CATEGORIES]
    unused = EnforcementCategory.objects.filter(code__in=codes, power_items__isnull=True, certificates__isnull=True)
    EnforcementCategory.objects.filter(pk__in=list(unused.values_list("pk", flat=True))).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lawenforce", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
