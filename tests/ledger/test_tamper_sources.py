"""verify_ledger also finds the recorded data changed behind the ORM: a history row, an evidence
digest, a document digest, a deleted history row and a history row inserted without its leaf."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Case, Document
from evidence.models import EvidenceItem
from tests.cases.factories import agency_world, document_filed_case
from tests.evidence import samples
from tests.evidence.helpers import post_file

pytestmark = pytest.mark.django_db


def raw(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def recorded(client, regions, ledger_profile):
    """A case with a history, an evidence item and a document, all in the ledger."""
    from cases.documents import generate
    from cases.models import DocumentKind

    world = agency_world(regions)
    case = document_filed_case(world)
    case.title = "改过一次的案由"
    case.save()
    client.force_login(world.handler1.user)
    assert post_file(client, case, samples.JPEG).status_code == 302
    case.parties.create(kind="legal_person", name="济宁某公司", uscc="91330100799655058B", legal_representative="王某")
    generate(case, DocumentKind.FILING_APPROVAL, world.head)
    call_command("verify_ledger")  # sound before the tampering
    return case


def failure():
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger")
    return str(excinfo.value)


def test_a_history_row_changed_behind_the_orm_is_found(recorded):
    table = Case.history.model._meta.db_table
    raw(f"UPDATE {table} SET title = %s WHERE id = %s", ["被篡改的案由", recorded.pk])  # noqa: S608
    message = failure()
    assert "differs from its leaf" in message and "title" in message


def test_a_changed_evidence_digest_is_found(recorded):
    raw(f"UPDATE {EvidenceItem._meta.db_table} SET sha256 = %s", ["0" * 64])  # noqa: S608
    assert "sha256 differs from its leaf" in failure()


def test_a_changed_document_digest_is_found(recorded):
    raw(f"UPDATE {Document._meta.db_table} SET sha256 = %s", ["f" * 64])  # noqa: S608
    assert "sha256 differs from its leaf" in failure()


def test_a_deleted_history_row_is_found(recorded):
    table = Case.history.model._meta.db_table
    first = Case.history.model.objects.order_by("history_id").first()
    raw(f"DELETE FROM {table} WHERE history_id = %s", [first.history_id])  # noqa: S608
    assert "was deleted" in failure()


def test_a_history_row_inserted_without_its_leaf_is_found(recorded):
    row = Case.history.model.objects.order_by("history_id").last()
    columns = [f.column for f in Case.history.model._meta.concrete_fields if f.column != "history_id"]
    table = Case.history.model._meta.db_table
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    raw(f"INSERT INTO {table} ({names}) SELECT {names} FROM {table} WHERE history_id = %s", [row.history_id])  # noqa: S608
    assert "has no ledger entry" in failure()


def test_erasing_personal_data_is_not_tampering(recorded):
    from cases.models import Party

    party_table = Party.history.model._meta.db_table
    raw(f"UPDATE {party_table} SET name = ''")  # noqa: S608 (lawful erasure in the history too)
    call_command("verify_ledger")


def test_erasing_a_party_with_its_own_salt_is_not_tampering(recorded):
    from cases.models import Party

    party = recorded.parties.get(name="济宁某公司")
    assert party.ledger_salt
    for table in (Party._meta.db_table, Party.history.model._meta.db_table):
        # Lawful erasure: the personal fields and the salt that protected them, in the history too.
        raw(f"UPDATE {table} SET name = '', ledger_salt = '' WHERE id = %s", [party.pk])  # noqa: S608
    call_command("verify_ledger")


def test_a_changed_salt_is_found(recorded):
    from cases.models import Party

    table = Party.history.model._meta.db_table
    raw(f"UPDATE {table} SET ledger_salt = %s", ["00" * 16])  # noqa: S608
    assert "differs from its leaf" in failure()
