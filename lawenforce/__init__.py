# The Celery app is loaded in LawenforceConfig.ready() (and found by `celery -A lawenforce` as the
# lawenforce.celery module), not here: the package must stay importable without Django, so that
# `python -m lawenforce.ledger.verify` runs on a machine with nothing but Python.
