"""The GIN index of the public name search (disclosure/search.py), on PostgreSQL only.

An expression index over string_to_array(name_grams, ' ') answers "the name has all these bigrams"
(array containment @>) for published records; SQLite has no GIN and uses the substring test alone.
"""

from django.db import migrations

INDEX = "disclosure_public_name_grams"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON disclosure_penaltydisclosure "
            "USING gin (string_to_array(name_grams, ' ')) WHERE state = 'published'"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_exante_annual")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
