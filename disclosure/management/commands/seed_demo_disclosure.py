"""manage.py seed_demo_disclosure: the demo's disclosure records, made by the pipeline (disclosure/demo/publishing.py)."""

from django.core.management.base import BaseCommand

from disclosure.demo import publishing as demo
from disclosure.models import DisclosureState


class Command(BaseCommand):
    help = "Publish the decided demo cases' records and decide a few more demo cases (run after seed_demo_cases). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help=f"build the records of every decided case without one (default: the newest {demo.RECENT_LIMIT})",
        )

    def handle(self, *args, **options):
        made, records, expired = demo.build(limit=None if options["all"] else demo.RECENT_LIMIT)
        for case in made:
            self.stdout.write(f"示例处罚决定：{case.decision_number}（{case.title}）")
        self.stdout.write(f"新增公示记录 {records} 条，公示期满停止公示 {expired} 条。")
        counts = demo.summary()
        self.stdout.write("公示记录：" + "，".join(f"{DisclosureState(s).label} {n}" for s, n in counts.items()))
