"""Signed notes: the Go note vector, both profiles, tampering."""

import base64

import pytest

from lawenforce.ledger import signing, verify

# golang.org/x/mod/sumdb/note: the documented example key and signed note.
GO_PRIVATE = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = GO_TEXT + (
    "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ROOT = bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")


def test_ed25519_notes_are_byte_for_byte_those_of_the_go_note_package():
    key = signing.SigningKey.from_string(GO_PRIVATE)
    assert key.vkey == GO_VKEY
    assert key.key_id.hex() == "c74f20a3"
    assert signing.sign_note(GO_TEXT, key)[0] == GO_NOTE
    assert verify.verify_note(GO_NOTE, GO_VKEY)
    assert verify.verify_note(GO_NOTE, key.public_key, "ed25519", key_name="PeterNeumann")
    assert not verify.verify_note(GO_NOTE.replace("answer", "Answer"), GO_VKEY)
    assert not verify.verify_checkpoint(GO_NOTE, GO_VKEY)  # signed, but not a checkpoint


@pytest.mark.parametrize("algorithm", ["sm2", "ed25519"])
def test_checkpoints_of_both_profiles_sign_and_verify_and_tampering_fails(algorithm):
    key = signing.SigningKey.generate("zfpt.example.gov.cn/ledger", algorithm)
    assert signing.SigningKey.from_string(key.to_string()).vkey == key.vkey
    text = signing.checkpoint_text(key.name, 8, ROOT)
    assert text == f"zfpt.example.gov.cn/ledger\n8\n{base64.b64encode(ROOT).decode()}\n"
    note, signature = signing.sign_note(text, key)
    assert signature[:4] == key.key_id
    assert verify.verify_checkpoint(note, key.vkey)
    assert verify.verify_checkpoint(note, key.public_key, algorithm)
    assert verify.verify_checkpoint(note, key.public_key.hex(), {"sm2": "gm", "ed25519": "intl"}[algorithm])
    parsed = verify.parse_checkpoint(note)
    assert (parsed.origin, parsed.size, parsed.root) == (key.name, 8, ROOT)

    assert not verify.verify_checkpoint(note.replace("\n8\n", "\n9\n"), key.vkey)  # size changed
    other_root = base64.b64encode(bytes(32)).decode()
    assert not verify.verify_checkpoint(note.replace(base64.b64encode(ROOT).decode(), other_root), key.vkey)
    other = signing.SigningKey.generate(key.name, algorithm)
    assert not verify.verify_checkpoint(note, other.vkey)  # no signature by that key
    assert not verify.verify_checkpoint(note, key.public_key, algorithm, key_name="someone.else/log")
    # A forged signature under the right key ID rejects the note even next to a good one.
    forged = note + f"\u2014 {key.name} {base64.b64encode(key.key_id + bytes(len(signature) - 4)).decode()}\n"
    assert not verify.verify_checkpoint(forged, key.vkey)
    # Another key's extra signature (a witness) is ignored.
    cosigned = note + signing.sign_note(text, other)[0][len(text) + 1 :]
    assert verify.verify_checkpoint(cosigned, key.vkey) and verify.verify_checkpoint(cosigned, other.vkey)


def test_sm2_uses_the_reserved_type_byte_and_gmssl_agrees():
    from gmssl.sm2 import CryptSM2

    key = signing.SigningKey.generate("zfpt.example.gov.cn/ledger", "sm2")
    assert base64.b64decode(key.vkey.split("+", 2)[2]).startswith(b"\xffgbt32918-sm2-sm3\x04")
    message = b"message digest"
    raw = key.sign(message)
    assert len(raw) == 64 and verify.sm2_verify(key.public_key, raw, message)
    checker = CryptSM2(private_key="", public_key="")
    checker.public_key = key.public_key[1:].hex()
    assert checker.verify_with_sm3(raw.hex(), message)
    assert not verify.sm2_verify(key.public_key, raw, b"message digesT")
    assert not verify.sm2_verify(key.public_key[:-1] + bytes([key.public_key[-1] ^ 1]), raw, message)  # off curve
    assert not verify.sm2_verify(key.public_key, bytes(64), message)


@pytest.mark.parametrize(
    "note",
    [
        None,
        "",
        "no signature\n",
        "origin\n8\nAAAA\n\n\u2014 origin AAAAAAAA\n",  # root of the wrong length
        "origin\n08\n" + base64.b64encode(ROOT).decode() + "\n\n\u2014 origin AAAAAAAA\n",  # leading zero
        "origin\n8\n" + base64.b64encode(ROOT).decode() + "\n\n- origin AAAAAAAA\n",  # not an em dash
        "origin\r\n8\n" + base64.b64encode(ROOT).decode() + "\n\n\u2014 origin AAAAAAAA\n",  # control character
        b"\xff\xfe",
    ],
)
def test_malformed_notes_are_false(note):
    key = signing.SigningKey.generate("origin", "ed25519")
    assert verify.verify_checkpoint(note, key.vkey) is False
    assert verify.verify_checkpoint(note, "not a key", "sm2") is False
