"""manage.py make_checkpoint: sign a checkpoint of the ledger's current tree."""

from django.core.management.base import BaseCommand, CommandError

from lawenforce.ledger import keys, log
from lawenforce.ledger.signing import SigningKey


class Command(BaseCommand):
    help = (
        "Sign and store a C2SP checkpoint (origin, size, root) of the ledger with LEDGER_SIGNING_KEY "
        "(SM2 in the gm profile, Ed25519 in intl) and print the signed note. An unchanged tree reuses the "
        "latest checkpoint unless --force. --new-key prints a new private key for LEDGER_SIGNING_KEY and "
        "its verifier key, and touches nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="sign even when the tree has not grown")
        parser.add_argument("--new-key", action="store_true", help="print a new signing key and exit")
        parser.add_argument("--key-name", default=None, help="name for --new-key (default LEDGER_ORIGIN)")

    def handle(self, *args, **options):
        if options["new_key"]:
            key = SigningKey.generate(options["key_name"] or keys.origin(), keys.signature_algorithm())
            self.stdout.write(f"LEDGER_SIGNING_KEY={key.to_string()}")
            self.stdout.write(f"verifier key (publish this): {key.vkey}")
            return
        try:
            checkpoint = log.make_checkpoint(force=options["force"])
        except (log.LedgerCorrupt, keys.SigningKeyMissing) as exc:
            raise CommandError(str(exc), returncode=1)
        self.stdout.write(checkpoint.note, ending="")
