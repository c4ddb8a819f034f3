"""manage.py seed_cases: generated case volume for benchmarks (see cases/volume.py)."""

from django.core.management.base import BaseCommand, CommandError

from cases import volume


class Command(BaseCommand):
    help = (
        "Add --count generated cases (title prefix 压测) with parties, handlers, events and a history row "
        "each, written with bulk_create and spread over the enforcing agencies (the demo officer's agency "
        "济任市监 takes a large share). Run seed_demo first (with --size for more agencies). --clear "
        "removes the generated cases first. For benchmarks only; never on production data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10000)
        parser.add_argument("--clear", action="store_true")

    def handle(self, *args, count, clear, **options):
        if count < 0:
            raise CommandError("--count 不能为负数。")
        if clear:
            self.stdout.write(f"删除压测案件 {volume.clear()} 件")
        shares = volume.default_shares()
        if not shares:
            raise CommandError("没有可用的执法主体：请先运行 manage.py seed_demo。")
        made = volume.generate(count, shares)
        self.stdout.write(f"生成压测案件 {made} 件，分布于 {len(shares)} 个执法主体")
