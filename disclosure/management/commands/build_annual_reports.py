"""manage.py build_annual_reports [--year Y] [--publish-demo]: assemble the annual statistics drafts."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from disclosure import annual


class Command(BaseCommand):
    help = (
        "Assemble (or refresh) the draft annual enforcement statistics report of every active enforcement "
        "agency for --year (default: last year) from the live case, complaint and disclosure tables. "
        "Published reports are never changed. The same work runs as a Celery beat task on 1 January."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="The year of the statistics (default: last year).")

    def handle(self, *args, year=None, **options):
        year = year or annual.previous_year()
        if not 2000 <= year <= annual.previous_year() + 1:
            raise CommandError(_("年度 %(year)s 不在可统计的范围内（2000 年至今年）。") % {"year": year})
        built = annual.build_reports(year)
        self.stdout.write(_("%(year)s年度统计：生成或更新 %(n)s 份待发布年报。") % {"year": year, "n": built})
