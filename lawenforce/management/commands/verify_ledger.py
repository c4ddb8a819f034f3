"""manage.py verify_ledger: recompute the ledger's Merkle tree from the database and compare."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lawenforce.ledger import log
from lawenforce.ledger.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "Recompute the ledger from the stored leaf bytes, in index order: every entry present, each leaf "
        "naming its own index, each leaf hash recomputed from the bytes, the root at every stored checkpoint "
        "(and every --checkpoint file) equal to the checkpoint, nothing a checkpoint counts missing at the end, "
        "every stored subtree hash (LedgerNode) equal to its recomputation; "
        "then every history row, evidence digest and document digest against its leaf. "
        "Prints the first entry that disagrees and exits with status 1; status 0 when the ledger is sound."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="a published signed checkpoint note to compare with (repeatable)",
        )
        parser.add_argument("--key", default=None, help="verifier key (name+id+base64); default: the configured key")
        parser.add_argument("--all-signatures", action="store_true", help="verify every stored checkpoint's signature")
        parser.add_argument("--chunk-size", type=int, default=log.CHUNK_SIZE)
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            metavar="N",
            help="hash whole chunks in N worker processes (default: LEDGER_VERIFY_PROCESSES, the number of CPUs); "
            "1: one process. The report is the same either way",
        )
        parser.add_argument(
            "--skip-sources",
            action="store_true",
            help="check the ledger only, not the history rows, evidence and documents it records",
        )

    def handle(self, *args, **options):
        published = [Path(p).read_text(encoding="utf-8") for p in options["checkpoint"]]
        started = time.perf_counter()
        report = log.verify_database(
            chunk_size=options["chunk_size"],
            published=published,
            vkey=options["key"],
            all_signatures=options["all_signatures"],
            processes=options["processes"],
        )
        elapsed = time.perf_counter() - started
        if not report.ok:
            if report.index is not None:
                where = f"第 {report.index} 号条目不一致 (first bad entry: {report.index})"
            elif report.node is not None:
                level, index = report.node
                where = f"第 {level} 层第 {index} 号节点不一致 (first bad node: level {level}, index {index})"
            else:
                where = "存证日志不一致"
            raise CommandError(f"{where}: {report.problem}", returncode=1)
        if not options["skip_sources"]:
            mismatch = reconcile()
            if mismatch:
                where = (
                    f"第 {mismatch.index} 号条目 (first bad entry: {mismatch.index})"
                    if mismatch.index is not None
                    else "记录"
                )
                raise CommandError(f"{where}与所记录的数据不符: {mismatch.problem}", returncode=1)
        self.stdout.write(
            f"OK: {report.size} entries, root {report.root.hex()} ({log.algorithm()}), "
            f"{report.checkpoints} checkpoints agree, {elapsed:.2f} s"
        )
