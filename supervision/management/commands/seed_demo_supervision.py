"""manage.py seed_demo_supervision: alerts, a notice, an evaluation and the dashboard for the demo."""

from django.core.management.base import BaseCommand

from supervision import demo


class Command(BaseCommand):
    help = "Run the supervision rules over the demo cases and add a notice, an evaluation and the dashboard (after seed_demo_cases). Idempotent."

    def handle(self, *args, **options):
        demo.build(self.stdout)
