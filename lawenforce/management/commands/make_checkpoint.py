"""manage.py make_checkpoint: sign a checkpoint of the ledger's current tree."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lawenforce.ledger import keys, log
from lawenforce.ledger.signing import SigningKey
from lawenforce.models import Checkpoint


class Command(BaseCommand):
    help = (
        "Sign and store a C2SP checkpoint (origin, size, root) of the ledger with LEDGER_SIGNING_KEY "
        "(SM2 in the gm profile, Ed25519 in intl) and print the signed note. An unchanged tree reuses the "
        "latest checkpoint unless --force. --new-key prints a new private key for LEDGER_SIGNING_KEY and "
        "its verifier key, and touches nothing. With LEDGER_TSA_URL each new checkpoint is time-stamped (RFC 3161); "
        "--timestamp-missing retries the checkpoints a TSA failure left without a token."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="sign even when the tree has not grown")
        parser.add_argument("--new-key", action="store_true", help="print a new signing key and exit")
        parser.add_argument(
            "--timestamp-missing", action="store_true", help="time-stamp the checkpoints that have no token and exit"
        )
        parser.add_argument("--key-name", default=None, help="name for --new-key (default LEDGER_ORIGIN)")

    def handle(self, *args, **options):
        if options["new_key"]:
            key = SigningKey.generate(options["key_name"] or keys.origin(), keys.signature_algorithm())
            self.stdout.write(f"LEDGER_SIGNING_KEY={key.to_string()}")
            self.stdout.write(f"verifier key (publish this): {key.vkey}")
            return
        if options["timestamp_missing"]:
            return self.timestamp_missing()
        try:
            checkpoint = log.make_checkpoint(force=options["force"])
        except (log.LedgerCorrupt, keys.SigningKeyMissing) as exc:
            raise CommandError(str(exc), returncode=1)
        self.stdout.write(checkpoint.note, ending="")

    def timestamp_missing(self):
        if not settings.LEDGER_TSA_URL:
            raise CommandError("LEDGER_TSA_URL is not set", returncode=1)
        missing = Checkpoint.objects.filter(timestamp_token__isnull=True).order_by("size", "created_at")
        done = failed = 0
        for checkpoint in missing.iterator():
            if log.timestamp_checkpoint(checkpoint):
                done += 1
            else:
                failed += 1
        self.stdout.write(f"time-stamped {done} checkpoint(s), {failed} failed")
        if failed:
            raise CommandError(f"{failed} checkpoint(s) still have no time-stamp", returncode=1)
