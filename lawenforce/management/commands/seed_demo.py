"""manage.py seed_demo: load the demo jurisdiction (see lawenforce/demo)."""

from django.core.management.base import BaseCommand, CommandError

from lawenforce.demo import bulk, report, seed


class Command(BaseCommand):
    help = (
        "Load the demo data: Shandong with 济宁市 and 菏泽市 (real GB/T 2260 codes), enforcement agencies "
        "with officers and certificates (some expired, suspended or revoked), justice bureaus with supervisors, "
        "laws with quoted provisions, power items and discretion standards, and the demo logins. "
        "Idempotent: rows are matched by natural keys, missing ones are created, changed ones corrected, "
        "a second run changes nothing. Everything runs in one transaction. "
        "Passwords: every demo login (admin, officer, head, reviewer, supervisor, county_supervisor, "
        "eco_officer, expired_officer) gets the password Demo@2026! when created, and it is reset to that "
        "password (and any django-axes lockout cleared) on every run where it no longer matches, so the demo "
        "logins always work. Never run this against production data. "
        "--size N adds N generated agencies (marked 压测NNNNN) spread over the demo counties and townships, "
        "each with --officers-per-agency officers and one certificate each, written with bulk_create from a "
        "fixed random seed; agency i is the same whatever N, existing ones are skipped, so re-running with "
        "the same N adds nothing; --clear-bulk deletes the generated set first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            type=int,
            default=0,
            metavar="N",
            help="Generated agencies to add for benchmarks (default 0: only the hand-made demo set).",
        )
        parser.add_argument(
            "--officers-per-agency",
            type=int,
            default=bulk.DEFAULT_OFFICERS,
            metavar="M",
            help=f"Officers (each with one certificate) per generated agency, 2 to 999 (default {bulk.DEFAULT_OFFICERS}).",
        )
        parser.add_argument(
            "--clear-bulk",
            action="store_true",
            help="Delete all generated (压测) agencies with their officers and certificates before generating.",
        )

    def handle(self, *args, size, officers_per_agency, clear_bulk, **options):
        if size < 0:
            raise CommandError("--size 不能为负数。")
        if not 2 <= officers_per_agency <= 999:
            raise CommandError("--officers-per-agency 应在 2 到 999 之间（每个主体至少有负责人和法制审核人员）。")
        result = seed.run(size=size, officers_per_agency=officers_per_agency, clear_bulk=clear_bulk)
        for line in report.summary_lines(result):
            self.stdout.write(line)
        self.stdout.write("")
        for line in report.login_lines(result):
            self.stdout.write(line)
