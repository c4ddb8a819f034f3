"""manage.py seed_demo_analytics: two years of generated history, then the indicators computed."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from analytics import demo


class Command(BaseCommand):
    help = (
        "Add generated enforcement history (cases from 2025-01 to today with parties, handlers, "
        "decisions, remedies, and complaints and evaluations when those apps are installed; title suffix "
        "（历史示例）) for the demo agencies, then recompute the indicators for those years. Idempotent: "
        "does nothing when the history exists (use --clear to rebuild). For demos and benchmarks only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=4000, help="cases to generate (default 4000)")
        parser.add_argument("--clear", action="store_true", help="delete the generated history first")
        parser.add_argument("--lean", action="store_true", help="no events and history rows (benchmarks)")
        parser.add_argument("--no-recompute", action="store_true", help="generate only")

    def handle(self, *args, count, clear, lean, no_recompute, **options):
        if count < 0:
            raise CommandError("--count 不能为负数。")
        if clear:
            self.stdout.write(f"删除历史示例案件 {demo.clear()} 件")
        if demo.exists():
            self.stdout.write("历史示例数据已存在，未作改动（--clear 可重新生成）。")
            return
        start = time.perf_counter()
        made = demo.generate(count, lean=lean)
        if not made:
            raise CommandError("没有可用的执法主体（至少两名持证人员并有处罚事项）：请先运行 manage.py seed_demo。")
        self.stdout.write(f"生成历史示例案件 {made} 件，用时 {time.perf_counter() - start:.1f} 秒")
        if not no_recompute:
            years = list(range(demo.START.year, timezone.localdate().year + 1))
            call_command(
                "recompute_indicators", year=years, no_progress=True, stdout=self.stdout, stderr=self.stderr
            )
