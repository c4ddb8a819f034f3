"""Every django-simple-history record becomes a ledger leaf ("history").

Connected in ``LawenforceConfig.ready()`` for any sender, so this module knows no app's models:
it reads the tracked fields of the history record generically. A model names its personal fields
in ``ledger_personal_fields`` (a tuple of field names); their values go into the leaf only as
``canonical.salted_digest`` (empty values stay empty: emptiness is not personal). A model that also
names a ``ledger_salt_field`` gets a random salt per record (``ensure_salt``, on the first save),
kept beside the personal data and erased with it; its digests use that salt, so that a value with
few possibilities (a resident ID number) cannot be found by trying candidates even by someone who
knows the deployment salt. The salt field itself is left out of the leaf.

The leaf is appended inside a transaction: the caller's when there is one (the history row and
the leaf commit or roll back together), otherwise its own.
"""

import datetime
import secrets
import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models.fields.files import FieldFile

from . import log
from .canonical import salted_digest

KIND = "history"


def _plain(value):
    """A value ``canonical.prepare`` accepts."""
    if value is None or isinstance(value, bool | int | float | str | Decimal | uuid.UUID):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _tracked_fields(history_instance, model):
    fields = getattr(type(history_instance), "tracked_fields", None)
    return fields if fields is not None else model._meta.concrete_fields


def record_salt(model, record):
    """The per-record salt (bytes) of a model that names a ``ledger_salt_field``, or None (then the
    deployment salt is used). ``record`` is the object or one of its history rows."""
    name = getattr(model, "ledger_salt_field", None)
    value = getattr(record, name, "") if name else ""
    return bytes.fromhex(value) if value else None


def ensure_salt(sender, instance, **kwargs):
    """pre_save: give a record of a model with a ``ledger_salt_field`` its random salt (once)."""
    name = getattr(sender, "ledger_salt_field", None)
    if name and not getattr(instance, name, ""):
        setattr(instance, name, secrets.token_hex(16))


def leaf_payload(history_instance):
    """The payload of the leaf for one history record (personal fields salted; with the record's
    own salt when the model has one, which itself never enters the leaf)."""
    model = history_instance.instance_type
    personal = set(getattr(model, "ledger_personal_fields", ()) or ())
    salt_field = getattr(model, "ledger_salt_field", None)
    salt = record_salt(model, history_instance)
    fields = {}
    for field in _tracked_fields(history_instance, model):
        if field.name == salt_field:
            continue
        raw = getattr(history_instance, field.attname, None)
        if isinstance(raw, Decimal) and getattr(field, "decimal_places", None) is not None:
            # As the database stores it (50000 → 50000.00), so the row read back gives the same leaf.
            raw = raw.quantize(Decimal(1).scaleb(-field.decimal_places))
        value = _plain(raw)
        if field.name in personal and value not in (None, ""):
            value = salted_digest(value, salt=salt)
        fields[field.attname] = value
    history_date = history_instance.history_date
    if isinstance(history_date, datetime.datetime) and history_date.tzinfo is None:
        history_date = history_date.replace(tzinfo=datetime.UTC)
    return {
        "model": model._meta.label_lower,
        "pk": str(getattr(history_instance, model._meta.pk.attname)),
        "history_id": history_instance.pk,
        "type": history_instance.history_type,
        "history_date": history_date,
        "user_id": _plain(getattr(history_instance, "history_user_id", None)),
        "change_reason": getattr(history_instance, "history_change_reason", None) or "",
        "fields": fields,
    }


def record_history(sender, history_instance, instance=None, **kwargs):
    """post_create_historical_record receiver: append the "history" leaf of ``history_instance``.

    The entry is indexed under the recorded object (its label and pk), like its other entries.
    """
    payload = leaf_payload(history_instance)
    obj = instance if instance is not None and instance.pk is not None else history_instance
    with transaction.atomic():
        log.append(KIND, payload, obj=obj)
