"""manage.py supervision_sweep: the nightly sweep by hand (Celery beat runs it every night)."""

from django.core.management.base import BaseCommand

from supervision import engine
from supervision.dashboard import figures
from supervision.rules import Trigger, rules_for


class Command(BaseCommand):
    help = "Run the schedule rules (--all: every rule) over every case, then refresh the dashboard figures."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="also the event rules (after an import or a restore)")

    def handle(self, *args, **options):
        report = engine.run(rules=None if options["all"] else rules_for(Trigger.SCHEDULE))
        for rule in report.rules:
            extra = f"，{rule.undetermined} 件因节假日安排未知暂不能判断" if rule.undetermined else ""
            self.stdout.write(
                f"{rule.code}: 命中 {rule.found}，新增 {rule.raised}，消除 {rule.cleared}，再现 {rule.recurred}{extra}"
            )
        self.stdout.write(f"看板数据 {figures.refresh()} 行")
