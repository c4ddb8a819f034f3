"""manage.py rebuild_ledger_nodes: recompute every stored subtree hash from the stored leaf hashes."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lawenforce.ledger import log, nodes


class Command(BaseCommand):
    help = (
        "Delete and recompute the ledger's stored subtree hashes (LedgerNode) from the entries' leaf hashes, "
        "under the sequencer lock (appends wait meanwhile). Run manage.py verify_ledger first: the nodes are "
        "only as sound as the leaf hashes they are computed from; then verify_ledger again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=log.CHUNK_SIZE, help="leaves per query (a power of two)")

    def handle(self, *args, **options):
        chunk = options["chunk_size"]
        if chunk < 1 or chunk & (chunk - 1):
            raise CommandError("--chunk-size 必须是 2 的幂 (must be a power of two)")
        started = time.perf_counter()
        with transaction.atomic():
            size = log.tree_size()
            if size:
                log._locked_sequencer()  # no append while the table is rebuilt
            try:
                count = nodes.rebuild(algorithm=log.algorithm(), chunk_size=chunk)
            except nodes.MissingNodes as exc:
                raise CommandError(f"无法重建：{exc}") from exc
        if count != nodes.expected_count(size):
            raise CommandError(f"重建得到 {count} 个节点，{size} 条条目应有 {nodes.expected_count(size)} 个")
        self.stdout.write(
            f"OK: {count} nodes for {size} entries ({log.algorithm()}), {time.perf_counter() - started:.2f} s"
        )
