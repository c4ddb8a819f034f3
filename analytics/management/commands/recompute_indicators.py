"""manage.py recompute_indicators: full recompute of the indicator snapshots, with a progress bar."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from analytics.compute import refresh
from lawenforce.models import Region, RegionLevel


class Command(BaseCommand):
    help = (
        "Recompute every indicator for one year (default: this year) of a province (--region, a "
        "GB/T 2260 code; default: every province), from the case data: case facts, cells, agency and "
        "region values, repeat parties and risks. Pages read the result. Repeat --year for several years "
        "(recomputed together: the cases are read once for all of them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="year to recompute (repeatable)")
        parser.add_argument("--region", help="region code, e.g. 370000 (default: every province)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (logs, CI)")

    def handle(self, *args, year, region, no_progress, **options):
        years = year or [timezone.localdate().year]
        if region:
            regions = list(Region.objects.filter(code=region))
            if not regions:
                raise CommandError(f"没有找到区划代码 {region}。请使用 GB/T 2260 代码，例如 370000。")
        else:
            regions = list(Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code"))
            if not regions:
                raise CommandError("还没有行政区划：请先运行 manage.py seed_demo 或导入区划。")
        for region_obj in regions:
            self._one(region_obj, sorted(set(years)), no_progress)

    def _one(self, region, years, no_progress):
        """All the years of a region in one recompute (each step reads the cases once)."""
        steps, _state = refresh.full_steps(region, years)
        start = time.perf_counter()
        label = f"{region.name} {'、'.join(str(y) for y in years)}"
        bar = tqdm(total=len(steps), desc=label, unit="步", disable=no_progress, file=self.stderr)

        def progress(step, done):
            bar.update() if done else bar.set_postfix_str(step)

        runs = refresh.full(region, years, progress=progress)
        bar.close()
        for run in runs:
            self.stdout.write(
                f"{region.name} {run.year} 年：案件事实 {run.cases} 条，统计单元 {run.cells} 个，指标值 {run.values} 个"
            )
        self.stdout.write(f"用时 {time.perf_counter() - start:.2f} 秒")
