"""Case and document numbers: each agency's own pattern, unique and without gaps per year.

A number is taken inside the transaction of the step that needs it, with the counter row locked
(SELECT … FOR UPDATE), so concurrent officers queue on the counter instead of colliding, and a
step that fails returns its number with the rollback: no gaps. On SQLite the database lock
serialises writers the same way.
"""

from django.db import IntegrityError, transaction

from cases.models import NUMBER_WORD, NumberSequence

CASE_KIND = "case"
CASE_WORD = "立"  # the filing number doubles as the case number (立案号)


def format_number(agency, word, year, seq):
    """济任市监罚〔2026〕12号: the agency's short name, the document's word, the year, the number."""
    short = agency.short_name or agency.name
    return f"{short}{word}〔{year}〕{seq}号"


def _take(agency, year, kind):
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers are taken inside the transaction of the step that uses them")
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(agency=agency, year=year, kind=kind)
    except IntegrityError:
        pass  # another transaction created the row first; lock it below
    counter = NumberSequence.objects.select_for_update().get(agency=agency, year=year, kind=kind)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def next_case_number(agency, year):
    return format_number(agency, CASE_WORD, year, _take(agency, year, CASE_KIND))


def next_document_number(agency, kind, year):
    """The next number for a document kind that carries a number (see NUMBER_WORD)."""
    word = NUMBER_WORD[kind]
    return format_number(agency, word, year, _take(agency, year, kind))
