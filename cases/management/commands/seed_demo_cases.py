"""manage.py seed_demo_cases: demo cases at different steps, built through the workflow (cases/demo.py)."""

from django.core.management.base import BaseCommand

from cases import demo


class Command(BaseCommand):
    help = "Add the demo cases of 济宁市任城区市场监督管理局 (run seed_demo first). Idempotent."

    def handle(self, *args, **options):
        made = demo.build()
        for case in made:
            self.stdout.write(f"示例案件：{case.number or case.decision_number or case.title}（{case.get_state_display()}）")
        if not made:
            self.stdout.write("示例案件已存在，未作改动。")
