"""The case facts, cells, officer months and repeat parties are UNLOGGED on PostgreSQL.

They are derived from the case, complaint, evaluation and remedy tables and rebuilt by every full
recompute, so they need no write-ahead log: a full recompute writes about a million rows into
them at 1,000,000 cases, and skipping the WAL makes that cheaper. A crash empties unlogged
tables; `analytics.compute.refresh.incremental` notices that (no case facts although a full
recompute has run) and recomputes the years in full instead (see refresh.restore_lost). The
indicator values, risks and refresh runs stay logged: they carry history (computed_at, a
supervisor's disposition) that a recompute cannot restore. Other databases: nothing to do.
"""

from django.db import migrations

TABLES = ["analytics_casefact", "analytics_cell", "analytics_officermonth", "analytics_repeatparty"]


def _set(mode):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in TABLES:
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(name)} SET {mode}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
    ]

    operations = [migrations.RunPython(_set("UNLOGGED"), _set("LOGGED"))]
