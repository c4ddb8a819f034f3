"""Data migration: compute the stored subtree hashes (LedgerNode, levels ≥ nodes.STORED_FROM) of a
log that existed before them.

Level by level inside aligned chunks of 2^16 leaves, then over the chunk roots (``nodes.rebuild``),
from the stored leaf hashes. An empty log (a fresh database) does nothing. Reversing deletes the rows.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    from lawenforce.ledger import nodes

    entry_model = apps.get_model("lawenforce", "LedgerEntry")
    node_model = apps.get_model("lawenforce", "LedgerNode")
    sequencer = apps.get_model("lawenforce", "LedgerSequencer").objects.filter(pk=1).first()
    if sequencer is None or not entry_model.objects.exists():
        return
    nodes.rebuild(entry_model, node_model, sequencer.algorithm)


def remove(apps, schema_editor):
    apps.get_model("lawenforce", "LedgerNode").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("lawenforce", "0004_ledger_nodes")]

    operations = [migrations.RunPython(backfill, remove)]
