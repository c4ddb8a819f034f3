"""Cells say which source their counts come from (CellSource), so that the incremental refresh
can recount one source of a cell without the others.

The stored cells do not know their source, so they and the case facts are emptied: the next
refresh finds no case facts after a full recompute has run and recomputes those years in full
(analytics.compute.refresh.restore_lost), exactly as after a crash of the unlogged tables.
"""

from django.db import migrations, models


def empty_derived(apps, schema_editor):
    for name in ("CaseFact", "Cell", "OfficerMonth"):
        apps.get_model("analytics", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0002_unlogged_derived_tables"),
    ]

    operations = [
        migrations.AddField(
            model_name="cell",
            name="source",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "案件"), (2, "投诉举报"), (3, "案卷评查"), (4, "复议诉讼")], default=1
            ),
        ),
        migrations.RunPython(empty_derived, migrations.RunPython.noop),
    ]
