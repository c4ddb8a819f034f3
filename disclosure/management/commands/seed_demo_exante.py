"""manage.py seed_demo_exante [--annual]: demo random-inspection items and last year's annual reports."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from disclosure import annual
from disclosure.demo.inspections import seed_inspection_items


class Command(BaseCommand):
    help = (
        "Load the demo random-inspection item list (随机抽查事项清单) for the demo jurisdiction (run seed_demo "
        "first); idempotent. --annual also builds last year's draft annual statistics reports for every agency "
        "(as the 1 January task does), ready for the agency head to review and publish."
    )

    def add_arguments(self, parser):
        parser.add_argument("--annual", action="store_true", help="Also build last year's annual report drafts.")

    def handle(self, *args, **options):
        created, updated = seed_inspection_items()
        self.stdout.write(_("随机抽查事项：新建 %(c)s 项，更新 %(u)s 项。") % {"c": created, "u": updated})
        if options.get("annual"):
            year = annual.previous_year()
            built = annual.build_reports(year)
            self.stdout.write(_("%(year)s年度统计：生成或更新 %(n)s 份待发布年报。") % {"year": year, "n": built})
