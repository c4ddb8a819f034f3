"""manage.py seed_demo_complaints: complaints in every state for the demo agency (after seed_demo)."""

from django.core.management.base import BaseCommand

from disclosure.complaints import demo


class Command(BaseCommand):
    help = "File and handle a few demo complaints for 济宁市任城区市场监督管理局 through the services (after seed_demo). Idempotent."

    def handle(self, *args, **options):
        demo.build(self.stdout)
