"""Signing keys and signed notes (C2SP signed-note). No Django.

A private key is one line, in the format of Go's ``golang.org/x/mod/sumdb/note``::

    PRIVATE+KEY+<name>+<key ID hex>+<base64(signature type || secret)>

and its verifier key (what the public and auditors get)::

    <name>+<key ID hex>+<base64(signature type || public key)>

Ed25519: type 0x01, the 32-byte seed, the 32-byte public key (exactly the note spec). SM2: type
0xFF followed by ``verify.SM2_TYPE_ID`` (the spec reserves 0xFF for types it has not assigned), the
32-byte private scalar, the 65-byte uncompressed public key. SM2 signatures are made with gmssl
(GB/T 32918.2 with SM3 and the default user ID), with the per-signature random number from
``secrets`` (gmssl's own default uses ``random``, which is not fit for keys), and each signature is
checked with the independent verifier in ``verify`` before it is returned.
"""

import base64
import secrets

from . import verify
from .verify import ED25519_SIGNATURE_TYPE, SM2_SIGNATURE_TYPE, key_id

ED25519 = "ed25519"
SM2 = "sm2"


class SigningKey:
    """A private key with its name; ``sign(message) -> bytes`` and ``vkey``."""

    def __init__(self, name, algorithm, secret):
        if not name or "+" in name or any(ch.isspace() for ch in name):
            raise ValueError("a key name must be non-empty, without spaces or '+'")
        if algorithm not in (ED25519, SM2) or len(secret) != 32:
            raise ValueError("unknown key type or wrong secret length")
        self.name, self.algorithm, self._secret = name, algorithm, bytes(secret)
        if algorithm == ED25519:
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
            from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

            self._ed25519 = Ed25519PrivateKey.from_private_bytes(self._secret)
            self.public_key = self._ed25519.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
            self.signature_type = ED25519_SIGNATURE_TYPE
        else:
            d = int.from_bytes(self._secret, "big")
            if not 1 <= d < verify.SM2_N - 1:
                raise ValueError("SM2 private key out of range")
            x, y = verify._ec_mul(d, (verify.SM2_GX, verify.SM2_GY))
            self.public_key = b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")
            self.signature_type = SM2_SIGNATURE_TYPE
        self.key_id = key_id(name, self.signature_type, self.public_key)

    def __repr__(self):
        return f"<SigningKey {self.algorithm} {self.name}+{self.key_id.hex()}>"

    @classmethod
    def generate(cls, name, algorithm):
        if algorithm == SM2:
            return cls(name, SM2, (secrets.randbelow(verify.SM2_N - 2) + 1).to_bytes(32, "big"))
        return cls(name, algorithm, secrets.token_bytes(32))

    @classmethod
    def from_string(cls, text):
        parts = text.strip().split("+", 4)  # base64 may contain "+"
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise ValueError("not a signing key (PRIVATE+KEY+name+id+data)")
        name, id_hex, raw = parts[2], parts[3], base64.b64decode(parts[4], validate=True)
        if raw[:1] == ED25519_SIGNATURE_TYPE:
            key = cls(name, ED25519, raw[1:])
        elif raw.startswith(SM2_SIGNATURE_TYPE):
            key = cls(name, SM2, raw[len(SM2_SIGNATURE_TYPE) :])
        else:
            raise ValueError("unknown signature type in signing key")
        if key.key_id.hex() != id_hex.lower():
            raise ValueError("signing key: key ID does not match the key")
        return key

    def to_string(self):
        data = base64.b64encode(self.signature_type + self._secret).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{data}"

    @property
    def vkey(self):
        data = base64.b64encode(self.signature_type + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{data}"

    def sign(self, message):
        """The raw signature (without the key ID)."""
        if self.algorithm == ED25519:
            return self._ed25519.sign(message)
        return _sm2_sign(self._secret, self.public_key, message)


def _sm2_sign(secret, public_key, message):
    from gmssl.sm2 import CryptSM2

    signer = CryptSM2(private_key=secret.hex(), public_key="")
    # Set after construction: gmssl strips a leading "04" with lstrip, which eats key bytes.
    signer.public_key = public_key[1:].hex()
    for _ in range(16):
        k = secrets.randbelow(verify.SM2_N - 1) + 1
        signature = signer.sign_with_sm3(message, f"{k:064x}")
        if signature:
            raw = bytes.fromhex(signature)
            if verify.sm2_verify(public_key, raw, message):
                return raw
    raise RuntimeError("SM2 signing failed")  # pragma: no cover


def sign_note(text, key):
    """The signed note: ``text`` (ending in a newline), a blank line, the signature line."""
    if not text.endswith("\n") or "\n\n" in text:
        raise ValueError("note text must end with one newline and have no empty lines")
    signature = key.key_id + key.sign(text.encode("utf-8"))
    return f"{text}\n\u2014 {key.name} {base64.b64encode(signature).decode()}\n", signature


def checkpoint_text(origin, size, root, extensions=()):
    """The tlog-checkpoint note text: origin, size, base64 root, optional extension lines."""
    lines = [origin, str(int(size)), base64.b64encode(root).decode(), *extensions]
    return "\n".join(lines) + "\n"
