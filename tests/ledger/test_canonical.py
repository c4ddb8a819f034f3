"""Canonical leaf bytes (RFC 8785) and salted digests."""

import datetime
import hashlib
import hmac
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from lawenforce.ledger.canonical import canonical_bytes, salted_digest


def test_keys_are_sorted_and_there_is_no_whitespace():
    assert canonical_bytes({"b": 1, "a": [True, None, "x"]}) == b'{"a":[true,null,"x"],"b":1}'


def test_text_is_nfc_normalised_keys_too():
    decomposed = "re\u0301sume\u0301"  # e + combining acute
    assert canonical_bytes({decomposed: decomposed}) == canonical_bytes({"résumé": "résumé"})
    assert canonical_bytes("济宁市") == '"济宁市"'.encode()
    with pytest.raises(ValueError):
        canonical_bytes({"é": 1, "e\u0301": 2})


def test_large_and_id_like_integers_become_strings():
    assert canonical_bytes({"pk": 42}) == b'{"pk":42}'
    assert canonical_bytes({"n": 2**53}) == b'{"n":"9007199254740992"}'
    assert canonical_bytes({"n": -(2**60)}) == b'{"n":"-1152921504606846976"}'
    assert canonical_bytes({"n": 2**53 - 1}) == b'{"n":9007199254740991}'
    assert canonical_bytes({"id_number": 370811199001011234, "agency_code": 11, "case_no": 7}) == (
        b'{"agency_code":"11","case_no":"7","id_number":"370811199001011234"}'
    )


def test_decimal_dates_and_uuids():
    moment = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    value = {
        "fine": Decimal("200.00"),
        "at": moment,
        "on": datetime.date(2026, 3, 2),
        "id": uuid.UUID(int=1),
    }
    assert canonical_bytes(value) == (
        b'{"at":"2026-03-02T01:30:00Z","fine":"200.00","id":"00000000-0000-0000-0000-000000000001","on":"2026-03-02"}'
    )


@pytest.mark.parametrize(
    "bad",
    [
        Decimal("NaN"),
        float("nan"),
        datetime.datetime(2026, 1, 1),  # naive
        b"\x00",
        {1: "key not text"},
        {1, 2},
        object(),
    ],
)
def test_values_that_have_no_single_canonical_form_are_refused(bad):
    with pytest.raises((TypeError, ValueError)):
        canonical_bytes({"v": bad})


def test_salted_digest_is_an_hmac_of_the_nfc_text(settings):
    settings.LEDGER_SALT = "pepper"
    settings.LEDGER_PROFILE = "intl"
    expected = hmac.new(b"pepper", "张三".encode(), hashlib.sha256).hexdigest()
    assert salted_digest("张三") == expected
    settings.LEDGER_PROFILE = "gm"
    assert salted_digest("张三") == hmac.new(b"pepper", "张三".encode(), lambda: hashlib.new("sm3")).hexdigest()
    assert salted_digest("e\u0301") == salted_digest("é")
    assert salted_digest("370811199001011234", salt=b"per-person") != salted_digest("370811199001011234")


def test_without_ledger_salt_the_salt_comes_from_the_secret_key(settings):
    settings.LEDGER_SALT = ""
    first = salted_digest("张三")
    settings.SECRET_KEY = "another-secret-key-for-the-test-only"
    assert salted_digest("张三") != first
    with pytest.raises(ValueError):
        salted_digest(None)
