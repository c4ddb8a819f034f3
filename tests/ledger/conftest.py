import pytest

from lawenforce.ledger import signing


@pytest.fixture(params=["gm", "intl"])
def ledger_profile(request, settings):
    """Run the test in both profiles, with a signing key of the profile's algorithm."""
    algorithm = {"gm": "sm2", "intl": "ed25519"}[request.param]
    settings.LEDGER_PROFILE = request.param
    settings.LEDGER_ORIGIN = "zfpt.example.gov.cn/ledger"
    key = signing.SigningKey.generate(settings.LEDGER_ORIGIN, algorithm)
    settings.LEDGER_SIGNING_KEY = key.to_string()
    return key


def fill(n, kind="history"):
    """n entries, each in its own transaction, like n separate changes."""
    from django.db import transaction

    from lawenforce.ledger import log

    entries = []
    for i in range(n):
        with transaction.atomic():
            entries.append(log.append(kind, {"model": "cases.case", "history_id": i, "digest": f"{i:064x}"}))
    return entries
