"""manage.py seed_public_records --count N: generated published penalty records (disclosure/volume.py)."""

from django.core.management.base import BaseCommand

from disclosure import volume
from disclosure.models import PenaltyDisclosure


class Command(BaseCommand):
    help = "生成行政处罚公示记录（演示与压测用；确定性生成，勿用于生产数据）。"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300, help="要生成的记录条数（默认 300）")
        parser.add_argument("--seed", type=int, default=20261205)
        parser.add_argument(
            "--ledger",
            choices=("auto", "yes", "no"),
            default="auto",
            help="把每条记录的摘要记入存证日志并生成检查点（auto：不超过 5000 条时记入）",
        )
        parser.add_argument("--if-empty", action="store_true", help="已有公示记录时不再生成（make run 反复运行时用）")

    def handle(self, *args, count, seed, ledger, if_empty, **options):
        if if_empty and PenaltyDisclosure.objects.filter(case__title__startswith=volume.MARKER).exists():
            self.stdout.write("已有生成的公示记录，跳过。")
            return
        with_ledger = ledger == "yes" or (ledger == "auto" and count <= 5000)
        made = volume.generate(count, seed=seed, ledger=with_ledger)
        self.stdout.write(self.style.SUCCESS(f"已生成 {made} 条行政处罚公示记录。"))
