"""search_terms: the name's grams plus one term per region of the record (disclosure.grams.search_terms),
and the GIN index of the public search moved onto it (PostgreSQL only), so that a part of a name
inside a region is one indexed containment test. The old index on name_grams is no longer used.

The backfill of existing rows is a data step, kept separate (``fill``): on PostgreSQL one UPDATE
per 50,000 ids computing the same terms in SQL (name_grams || the region_path prefixes), elsewhere
through grams.search_terms in batches of 2,000.
"""

from django.db import migrations, models

OLD_INDEX = "disclosure_public_name_grams"
INDEX = "disclosure_public_search_terms"
CHUNK = 50_000

# The region terms of region_path, as grams.region_terms() builds them: 'r:' || each prefix ending in '/'.
REGION_TERMS_SQL = """
    SELECT string_agg('r:' || array_to_string(parts[1:i], '/') || '/', ' ' ORDER BY i)
    FROM (SELECT string_to_array(trim(both '/' from region_path), '/') AS parts) AS p,
         generate_series(1, coalesce(array_length(parts, 1), 0)) AS i
    WHERE parts[1] <> ''
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM disclosure_penaltydisclosure")
            low, high = cursor.fetchone()
            for start in range(low, high + 1, CHUNK):
                cursor.execute(
                    "UPDATE disclosure_penaltydisclosure SET search_terms = "  # noqa: S608 (constant SQL)
                    f"concat_ws(' ', nullif(name_grams, ''), ({REGION_TERMS_SQL})) "
                    "WHERE id >= %s AND id < %s",
                    [start, start + CHUNK],
                )
        return
    from disclosure.grams import search_terms

    model = apps.get_model("disclosure", "PenaltyDisclosure")
    rows = model.objects.only("id", "party_name", "region_path").order_by("id")
    batch = []
    for row in rows.iterator(chunk_size=2000):
        row.search_terms = search_terms(row.party_name, row.region_path)
        batch.append(row)
        if len(batch) == 2000:
            model.objects.bulk_update(batch, ["search_terms"])
            batch = []
    model.objects.bulk_update(batch, ["search_terms"])


def index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON disclosure_penaltydisclosure "
            "USING gin (string_to_array(search_terms, ' ')) WHERE state = 'published'"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
        schema_editor.execute("ANALYZE disclosure_penaltydisclosure")


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON disclosure_penaltydisclosure "
            "USING gin (string_to_array(name_grams, ' ')) WHERE state = 'published'"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_public_search")]

    operations = [
        migrations.AddField(
            model_name="historicalpenaltydisclosure",
            name="search_terms",
            field=models.TextField(blank=True, editable=False, verbose_name="公示检索词"),
        ),
        migrations.AddField(
            model_name="penaltydisclosure",
            name="search_terms",
            field=models.TextField(blank=True, editable=False, verbose_name="公示检索词"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index, unindex, elidable=False),
    ]
