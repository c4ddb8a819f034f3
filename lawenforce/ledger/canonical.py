"""Canonical leaf bytes (RFC 8785 JSON) and salted digests for personal data.

``canonical_bytes(obj)`` prepares the value, then serialises it with RFC 8785 (the ``rfc8785``
package). The bytes are stored verbatim in the ledger and never re-serialised to verify, so this
only has to be deterministic for one writer; the rules make it deterministic for any writer:

- text is NFC-normalised (keys too; two keys that normalise alike are an error);
- integers beyond ±(2**53 - 1) become decimal strings (I-JSON / RFC 7493 safe range), and so does
  every integer under an ID-like key (``ID_LIKE_KEYS``, or a key ending in ``_code``, ``_no`` or
  ``_number``), so an ID number is always a string whatever type the caller had;
- ``Decimal`` becomes its fixed-point string (``Decimal("200.00")`` → ``"200.00"``: the database's
  scale is kept); NaN and infinities are refused;
- aware datetimes become ISO 8601 in UTC with a ``Z``; naive datetimes are refused; dates and times
  ISO 8601; UUIDs their string;
- tuples become lists; bytes are refused (give digests as hex) and so is anything else.

Personal data never goes into a leaf: ``salted_digest(value)`` gives HMAC(salt, NFC(value)) in hex,
with HMAC-SM3 in the commercial-cryptography profile and HMAC-SHA256 in the international one. The
salt is ``settings.LEDGER_SALT`` when set, otherwise derived from ``SECRET_KEY``
(HMAC-SHA256(SECRET_KEY, "lawenforce.ledger.salt")); set LEDGER_SALT in production, because
rotating SECRET_KEY would otherwise change every later digest. Low-entropy identifiers (an 18-digit
resident ID number) can be found by trying candidates when the salt is known; for those pass
``salt=`` a random per-person salt kept next to the personal data, and erase it with the data: the
leaf then keeps a digest nobody can link to the person again.
"""

import datetime
import hashlib
import hmac
import unicodedata
import uuid
from decimal import Decimal

import rfc8785

MAX_SAFE_INTEGER = 2**53 - 1
ID_LIKE_KEYS = frozenset({"id_number", "uscc", "code", "number", "license_number", "certificate_number"})
ID_LIKE_SUFFIXES = ("_code", "_no", "_number")


def _nfc(text):
    return unicodedata.normalize("NFC", str.__str__(text))


def _id_like(key):
    return key is not None and (key in ID_LIKE_KEYS or key.endswith(ID_LIKE_SUFFIXES))


def prepare(obj, key=None):
    """The JSON-ready value ``canonical_bytes`` serialises (see the module docstring)."""
    if obj is None or isinstance(obj, bool):
        return obj
    if isinstance(obj, str):
        return _nfc(obj)
    if isinstance(obj, int):
        value = int(obj)
        if _id_like(key) or abs(value) > MAX_SAFE_INTEGER:
            return str(value)
        return value
    if isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"{obj} cannot go into the ledger")
        return format(obj, "f")
    if isinstance(obj, float):
        if obj != obj or obj in (float("inf"), float("-inf")):
            raise ValueError(f"{obj} cannot go into the ledger")
        return obj
    if isinstance(obj, datetime.datetime):
        if obj.tzinfo is None or obj.utcoffset() is None:
            raise ValueError("naive datetimes are ambiguous; give an aware datetime")
        return obj.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(obj, datetime.date | datetime.time):
        return obj.isoformat()
    if isinstance(obj, uuid.UUID):
        return str(obj)
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError(f"ledger object keys must be text, not {type(k).__name__}")
            nk = _nfc(k)
            if nk in out:
                raise ValueError(f"two keys normalise to {nk!r}")
            out[nk] = prepare(v, nk)
        return out
    if isinstance(obj, list | tuple):
        return [prepare(v, key) for v in obj]
    raise TypeError(f"{type(obj).__name__} cannot go into the ledger; convert it (bytes: give the hex digest)")


def canonical_bytes(obj):
    """RFC 8785 (JCS) bytes of ``obj`` after ``prepare``: the exact bytes a leaf stores."""
    return rfc8785.dumps(prepare(obj))


def _default_salt():
    from django.conf import settings

    salt = getattr(settings, "LEDGER_SALT", "") or ""
    if salt:
        return salt.encode() if isinstance(salt, str) else bytes(salt)
    return hmac.new(settings.SECRET_KEY.encode(), b"lawenforce.ledger.salt", hashlib.sha256).digest()


def _default_digest():
    from django.conf import settings

    return "sha256" if getattr(settings, "LEDGER_PROFILE", "gm") == "intl" else "sm3"


def salted_digest(value, salt=None, algorithm=None):
    """Hex HMAC of NFC(str(value)) under ``salt`` (default: the ledger salt, see the module docstring).

    ``algorithm`` is "sm3" or "sha256", by default the profile's (LEDGER_PROFILE).
    """
    if value is None:
        raise ValueError("no value to digest")
    key = _default_salt() if salt is None else (salt.encode() if isinstance(salt, str) else bytes(salt))
    if not key:
        raise ValueError("an empty salt protects nothing")
    algorithm = algorithm or _default_digest()
    if algorithm not in ("sm3", "sha256"):
        raise ValueError(f"unknown digest {algorithm!r}")
    message = unicodedata.normalize("NFC", str(value)).encode("utf-8")
    return hmac.new(key, message, lambda: hashlib.new(algorithm)).hexdigest()
