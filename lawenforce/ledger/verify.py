"""Stand-alone verifier for the ledger: proofs (RFC 9162 §2.1.3.2, §2.1.4.2) and signed checkpoints.

This one file needs only the Python standard library (3.11+): copy it anywhere and run
``python verify.py --help``. SM3 comes from ``hashlib`` (OpenSSL 1.1.1+), or from ``gmssl`` when
OpenSSL lacks it; SM2 signatures are checked here in plain Python (GB/T 32918.2); Ed25519 needs
``cryptography``, imported only when an Ed25519 checkpoint is checked. It never imports Django.

Every check returns True or False and never raises on malformed input. Hashes are ``bytes`` or hex
strings; a hash of the wrong length, a negative or boolean size, an index outside the tree or a
consistency proof from size 0 is simply False.

Command line (exit status 0 when the check passes, 1 when it fails, 2 on a usage error)::

    python -m lawenforce.ledger.verify inclusion --index 3 --size 8 --leaf-hash HEX --root HEX \
        --proof HEX,HEX,HEX [--algorithm sm3]
    python -m lawenforce.ledger.verify consistency --size1 6 --size2 8 --root1 HEX --root2 HEX \
        --proof HEX,HEX,HEX [--algorithm sm3]
    python -m lawenforce.ledger.verify checkpoint NOTE_FILE --key VKEY_OR_HEX [--algorithm sm2]
    python -m lawenforce.ledger.verify archive EXPORT.zip|DIRECTORY|manifest.json [--key VKEY] [--strict]
    python -m lawenforce.ledger.verify receipt RECEIPT.json [--document FILE.pdf] [--key VKEY]

Signed notes follow C2SP signed-note / tlog-checkpoint. Ed25519 uses signature type 0x01 exactly as
the spec says. SM2 has no assigned type byte, so this log uses the byte the spec reserves for that
case, 0xFF, followed by the identifier ``SM2_TYPE_ID`` (see ``SM2_SIGNATURE_TYPE``); the key ID is
SHA-256(name || 0x0A || 0xFF || identifier || 65-byte uncompressed public key)[:4], and the
signature is key ID || r || s (32 bytes each) with the SM2 default user ID 1234567812345678
(GM/T 0009) over the note text.
"""

import base64
import binascii
import hashlib
import json
import sys
from typing import NamedTuple

__all__ = [
    "SM2_SIGNATURE_TYPE",
    "ED25519_SIGNATURE_TYPE",
    "Checkpoint",
    "key_id",
    "parse_checkpoint",
    "parse_vkey",
    "sm2_verify",
    "verify_checkpoint",
    "verify_consistency",
    "verify_inclusion",
    "verify_archive",
    "verify_receipt",
    "verify_note",
]

ED25519_SIGNATURE_TYPE = b"\x01"
SM2_TYPE_ID = b"gbt32918-sm2-sm3"
SM2_SIGNATURE_TYPE = b"\xff" + SM2_TYPE_ID
HASH_SIZE = 32
MAX_PROOF_LENGTH = 64  # a tree of 2**64 leaves needs at most 64 hashes per proof
MAX_NOTE_SIZE = 1 << 20


# --- Hashes -------------------------------------------------------------------------------------


def _hash_function(algorithm):
    if algorithm == "sha256":
        return lambda data: hashlib.sha256(data).digest()
    if algorithm == "sm3":
        return _sm3
    return None


def _sm3(data):
    try:
        return hashlib.new("sm3", data).digest()
    except ValueError:  # OpenSSL built without SM3
        from gmssl import sm3 as gm_sm3

        return bytes.fromhex(gm_sm3.sm3_hash(list(data)))


def _as_hash(value):
    """bytes of exactly HASH_SIZE from bytes or hex, else None."""
    if isinstance(value, bytes | bytearray | memoryview):
        value = bytes(value)
    elif isinstance(value, str):
        try:
            value = bytes.fromhex(value)
        except ValueError:
            return None
    else:
        return None
    return value if len(value) == HASH_SIZE else None


def _as_count(value):
    """A non-negative int (not bool) below 2**64, else None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value < 1 << 64 else None


def _as_proof(proof):
    if not isinstance(proof, list | tuple) or len(proof) > MAX_PROOF_LENGTH:
        return None
    hashes = [_as_hash(p) for p in proof]
    return None if any(h is None for h in hashes) else hashes


# --- Proofs -------------------------------------------------------------------------------------


def verify_inclusion(index, size, leaf_hash, proof, root, algorithm="sha256"):
    """RFC 9162 §2.1.3.2: does ``proof`` show the leaf at ``index`` is in the tree ``root`` of ``size``?"""
    try:
        return _verify_inclusion(index, size, leaf_hash, proof, root, algorithm)
    except Exception:  # never raise on hostile input
        return False


def _verify_inclusion(index, size, leaf_hash, proof, root, algorithm):
    digest = _hash_function(algorithm)
    index, size = _as_count(index), _as_count(size)
    leaf_hash, root, proof = _as_hash(leaf_hash), _as_hash(root), _as_proof(proof)
    if digest is None or None in (index, size, leaf_hash, root, proof) or index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = digest(b"\x01" + p + r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = digest(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(size1, size2, root1, root2, proof, algorithm="sha256"):
    """RFC 9162 §2.1.4.2: is the tree ``root2`` of ``size2`` an extension of ``root1`` of ``size1``?

    A proof from size 0 is refused (it proves nothing); equal sizes need an empty proof and equal roots.
    """
    try:
        return _verify_consistency(size1, size2, root1, root2, proof, algorithm)
    except Exception:  # never raise on hostile input
        return False


def _verify_consistency(size1, size2, root1, root2, proof, algorithm):
    digest = _hash_function(algorithm)
    size1, size2 = _as_count(size1), _as_count(size2)
    root1, root2, proof = _as_hash(root1), _as_hash(root2), _as_proof(proof)
    if digest is None or None in (size1, size2, root1, root2, proof):
        return False
    if size1 == 0 or size1 > size2:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if not proof:
        return False
    if size1 & (size1 - 1) == 0:  # size1 is a power of two: its root is the first node
        proof = [root1, *proof]
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = digest(b"\x01" + c + fr)
            sr = digest(b"\x01" + c + sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = digest(b"\x01" + sr + c)
        fn >>= 1
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0


# --- Signed notes (C2SP signed-note, tlog-checkpoint) -------------------------------------------


class Checkpoint(NamedTuple):
    origin: str
    size: int
    root: bytes
    extensions: tuple
    body: str  # the signed note text, final newline included
    signatures: tuple  # (key name, raw signature bytes incl. the 4-byte key ID)


def key_id(name, signature_type, public_key):
    """The 4-byte key ID the note spec recommends: SHA-256(name || 0x0A || type || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + signature_type + public_key).digest()[:4]


def _valid_key_name(name):
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def parse_checkpoint(note_text):
    """Split a signed checkpoint note into a ``Checkpoint``; None when it is not well formed.

    The signatures are *not* checked here.
    """
    try:
        return _parse_checkpoint(note_text)
    except Exception:
        return None


def _split_note(note_text):
    """(text, [(key name, raw signature)]) of a signed note, or None."""
    if isinstance(note_text, bytes | bytearray):
        note_text = bytes(note_text).decode("utf-8")
    if not isinstance(note_text, str) or len(note_text) > MAX_NOTE_SIZE or not note_text.endswith("\n"):
        return None
    if any(ord(ch) < 0x20 and ch != "\n" for ch in note_text):
        return None
    split = note_text.rfind("\n\n")
    if split < 0:
        return None
    body, sig_block = note_text[: split + 1], note_text[split + 2 :]
    signatures = []
    for line in sig_block[:-1].split("\n"):
        if not line.startswith("\u2014 "):
            return None
        parts = line[2:].split(" ")
        if len(parts) != 2 or not _valid_key_name(parts[0]):
            return None
        raw = base64.b64decode(parts[1], validate=True)
        if len(raw) < 5:
            return None
        signatures.append((parts[0], raw))
    return (body, signatures) if signatures else None


def _parse_checkpoint(note_text):
    note = _split_note(note_text)
    if note is None:
        return None
    body, signatures = note
    lines = body[:-1].split("\n")
    if len(lines) < 3 or any(line == "" for line in lines):
        return None
    origin, size_text, root_text = lines[:3]
    if not size_text.isascii() or not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        return None
    root = base64.b64decode(root_text, validate=True)
    if len(root) != HASH_SIZE:
        return None
    return Checkpoint(origin, int(size_text), root, tuple(lines[3:]), body, tuple(signatures))


def parse_vkey(vkey):
    """A verifier key ``name+keyid_hex+base64(type || public key)`` → (name, type, public key, key ID)."""
    name, id_hex, encoded = vkey.strip().split("+", 2)  # base64 may contain "+"
    raw = base64.b64decode(encoded, validate=True)
    if raw[:1] == ED25519_SIGNATURE_TYPE:
        signature_type, public_key = ED25519_SIGNATURE_TYPE, raw[1:]
    elif raw.startswith(SM2_SIGNATURE_TYPE):
        signature_type, public_key = SM2_SIGNATURE_TYPE, raw[len(SM2_SIGNATURE_TYPE) :]
    else:
        raise ValueError("unknown signature type in verifier key")
    kid = bytes.fromhex(id_hex)
    if len(id_hex) != 8 or kid != key_id(name, signature_type, public_key) or not _valid_key_name(name):
        raise ValueError("verifier key: key ID does not match")
    return name, signature_type, public_key, kid


_ALGORITHM_ALIASES = {"ed25519": "ed25519", "intl": "ed25519", "sm2": "sm2", "gm": "sm2"}


def verify_checkpoint(note_text, public_key, algorithm="ed25519", key_name=None):
    """True when the note is a well-formed tlog checkpoint signed by this key; False otherwise.

    ``public_key`` is a verifier key string (``name+keyid+base64``, which also fixes the name and the
    algorithm) or the raw public key as bytes or hex: 32 bytes for Ed25519, 65 (0x04 || x || y) or
    64 (x || y) for SM2. ``key_name`` defaults to the checkpoint's origin line.
    """
    try:
        checkpoint = parse_checkpoint(note_text)
        return checkpoint is not None and _verify_note(note_text, public_key, algorithm, key_name)
    except Exception:
        return False


def verify_note(note_text, public_key, algorithm="ed25519", key_name=None):
    """True when the signed note carries a valid signature by this key (any note text).

    Per the note spec, signatures from other keys are ignored, a failing signature by this key
    rejects the note, and at least one signature by this key must verify. ``key_name`` defaults to
    the name in a verifier key, else to the note's first line.
    """
    try:
        return _verify_note(note_text, public_key, algorithm, key_name)
    except Exception:
        return False


def _verify_note(note_text, public_key, algorithm, key_name):
    note = _split_note(note_text)
    if note is None:
        return False
    body, signatures = note
    if isinstance(public_key, str) and "+" in public_key:
        name, signature_type, key, _ = parse_vkey(public_key)
        algorithm = "ed25519" if signature_type == ED25519_SIGNATURE_TYPE else "sm2"
        if key_name is not None and key_name != name:
            return False
    else:
        algorithm = _ALGORITHM_ALIASES.get(algorithm)
        key = bytes.fromhex(public_key) if isinstance(public_key, str) else bytes(public_key)
        name = key_name if key_name is not None else body.split("\n", 1)[0]
        if algorithm == "sm2" and len(key) == 64:
            key = b"\x04" + key
        signature_type = ED25519_SIGNATURE_TYPE if algorithm == "ed25519" else SM2_SIGNATURE_TYPE
    if algorithm not in ("ed25519", "sm2"):
        return False
    kid = key_id(name, signature_type, key)
    message = body.encode("utf-8")
    verified = False
    for sig_name, raw in signatures:
        if sig_name != name or raw[:4] != kid:
            continue  # another key's signature: ignored
        ok = _ed25519_verify(key, raw[4:], message) if algorithm == "ed25519" else sm2_verify(key, raw[4:], message)
        if not ok:
            return False
        verified = True
    return verified


def _ed25519_verify(public_key, signature, message):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if len(public_key) != 32 or len(signature) != 64:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except InvalidSignature:
        return False
    return True


# --- SM2 signature verification (GB/T 32918.2-2016 §7), recommended curve of GB/T 32918.5 --------

SM2_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
SM2_A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
SM2_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
SM2_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
SM2_GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
SM2_GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0
SM2_DEFAULT_ID = b"1234567812345678"


def _ec_add(p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2:
        if (y1 + y2) % SM2_P == 0:
            return None
        lam = (3 * x1 * x1 + SM2_A) * pow(2 * y1, -1, SM2_P) % SM2_P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, SM2_P) % SM2_P
    x3 = (lam * lam - x1 - x2) % SM2_P
    return x3, (lam * (x1 - x3) - y1) % SM2_P


def _ec_mul(k, point):
    result = None
    for bit in bin(k)[2:]:
        result = _ec_add(result, result)
        if bit == "1":
            result = _ec_add(result, point)
    return result


def sm2_za(public_point, user_id=SM2_DEFAULT_ID):
    """Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA)."""
    x, y = public_point
    data = (len(user_id) * 8).to_bytes(2, "big") + user_id
    for value in (SM2_A, SM2_B, SM2_GX, SM2_GY, x, y):
        data += value.to_bytes(32, "big")
    return _sm3(data)


def sm2_decode_public_key(public_key):
    """(x, y) from 0x04 || x || y, checked to be a point of the curve; None otherwise."""
    if len(public_key) != 65 or public_key[0] != 4:
        return None
    x, y = int.from_bytes(public_key[1:33], "big"), int.from_bytes(public_key[33:], "big")
    if not (0 <= x < SM2_P and 0 <= y < SM2_P) or (y * y - (x * x * x + SM2_A * x + SM2_B)) % SM2_P:
        return None
    return x, y


def sm2_verify(public_key, signature, message, user_id=SM2_DEFAULT_ID):
    """SM2 signature r || s (64 bytes) over ``message`` with SM3 and Z_A; True or False."""
    try:
        point = sm2_decode_public_key(bytes(public_key))
        if point is None or len(signature) != 64:
            return False
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        if not (1 <= r < SM2_N and 1 <= s < SM2_N):
            return False
        e = int.from_bytes(_sm3(sm2_za(point, user_id) + bytes(message)), "big")
        t = (r + s) % SM2_N
        if t == 0:
            return False
        xy = _ec_add(_ec_mul(s, (SM2_GX, SM2_GY)), _ec_mul(t, point))
        return xy is not None and (e + xy[0]) % SM2_N == r
    except Exception:
        return False


# --- Archive packages (归档案卷导出包, format "lawenforce-case-archive/1") -------------------------

ARCHIVE_FORMAT = "lawenforce-case-archive/1"


class _ArchiveReader:
    """Files of an export: a zip, an extracted directory, or the manifest.json inside one."""

    def __init__(self, path):
        import os
        import zipfile

        self._zip = None
        self._root = None
        if os.path.isdir(path):
            self._root = path
        elif zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
        else:
            self._root = os.path.dirname(os.path.abspath(path))

    def read(self, name):
        """The bytes of ``name``, or None when absent (or when the name leaves the package)."""
        import os

        parts = name.replace("\\", "/").split("/")
        if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
            return None
        try:
            if self._zip is not None:
                return self._zip.read(name)
            with open(os.path.join(self._root, *parts), "rb") as f:
                return f.read()
        except (KeyError, OSError):
            return None

    def sha256(self, name):
        """(hex SHA-256, size) of ``name`` read in chunks, or None when absent."""
        import os

        parts = name.replace("\\", "/").split("/")
        if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
            return None
        digest, size = hashlib.sha256(), 0
        try:
            f = self._zip.open(name) if self._zip is not None else open(os.path.join(self._root, *parts), "rb")
        except (KeyError, OSError):
            return None
        with f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        return digest.hexdigest(), size

    def close(self):
        if self._zip is not None:
            self._zip.close()


def _check_ledger(entry, sha256, checkpoint):
    """None when the file's ledger entry is proven included in the checkpoint's tree, else a reason."""
    if checkpoint is None:
        return "缺少或无法解析 checkpoint.txt"
    if not isinstance(entry, dict) or not isinstance(entry.get("proof"), dict):
        return "存证信息格式错误"
    proof = entry["proof"]
    index, size, algorithm = proof.get("index"), proof.get("size"), proof.get("algorithm")
    if entry.get("index") != index:
        return "存证序号与包含证明不一致"
    leaf_hash = proof.get("leaf_hash")
    leaf = entry.get("leaf")
    if isinstance(leaf, str):
        digest = _hash_function(algorithm)
        leaf_bytes = leaf.encode("utf-8")
        if digest is None or _as_hash(leaf_hash) != digest(b"\x00" + leaf_bytes):
            return "存证条目与其叶哈希不符"
        try:
            body = json.loads(leaf_bytes)
        except ValueError:
            return "存证条目不是合法的 JSON"
        payload = body.get("payload") if isinstance(body, dict) else None
        if not isinstance(payload, dict) or str(payload.get("sha256", "")).lower() != sha256.lower():
            return "存证条目记载的 SHA-256 与文件不符"
        if body.get("index") != index:
            return "存证条目的序号不符"
    if size != checkpoint.size:
        return f"包含证明针对的树大小 {size} 与检查点 {checkpoint.size} 不符"
    if not verify_inclusion(index, size, leaf_hash, proof.get("proof"), checkpoint.root, algorithm):
        return "包含证明与检查点的根哈希不符"
    return None


def verify_archive(path, key=None, strict=False, out=None):
    """Check an archive export; prints one line per file to ``out``; True when everything passes.

    Each file's SHA-256 (and size) is recomputed from the bytes in the package and compared with
    manifest.json; a file with a ledger entry must have its leaf (when shipped) name that digest and
    its inclusion proof verify against the root of checkpoint.txt; with ``key`` the checkpoint's
    signature is checked too. A file without a ledger entry passes on its digest alone unless
    ``strict``.
    """
    out = out or sys.stdout
    try:
        reader = _ArchiveReader(path)
    except (OSError, ValueError) as exc:
        print(f"不符 {path}: 无法打开（{exc}）", file=out)
        return False
    try:
        return _verify_archive(reader, key, strict, out)
    finally:
        reader.close()


def _verify_archive(reader, key, strict, out):
    raw = reader.read("manifest.json")
    try:
        manifest = json.loads(raw) if raw is not None else None
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        print("不符 manifest.json: 缺少、无法解析或格式不是 " + ARCHIVE_FORMAT, file=out)
        return False
    ok = True
    note = reader.read("checkpoint.txt")
    checkpoint = None
    if note is not None:
        try:
            text = note.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        checkpoint = parse_checkpoint(text) if text is not None else None
        if checkpoint is None:
            print("不符 checkpoint.txt: 无法解析", file=out)
            ok = False
        elif manifest.get("checkpoint") is not None and manifest.get("checkpoint") != text:
            print("不符 checkpoint.txt: 与 manifest.json 中的检查点不一致", file=out)
            ok = False
        elif key is not None:
            if verify_checkpoint(text, key, _checkpoint_algorithm(key)):
                print("OK checkpoint.txt: 签名有效", file=out)
            else:
                print("不符 checkpoint.txt: 签名无效", file=out)
                ok = False
    elif key is not None:
        print("不符 checkpoint.txt: 缺少，无法核验签名", file=out)
        ok = False
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        print("不符 manifest.json: 没有文件清单", file=out)
        return False
    for entry in files:
        ok = _verify_file(reader, entry, checkpoint, strict, out) and ok
    return ok


def _checkpoint_algorithm(key):
    if isinstance(key, str) and "+" in key:
        return "ed25519"  # a verifier key names its own algorithm
    try:
        return "sm2" if len(bytes.fromhex(key)) in (64, 65) else "ed25519"
    except (TypeError, ValueError):
        return "ed25519"


def _verify_file(reader, entry, checkpoint, strict, out):
    name = entry.get("name") if isinstance(entry, dict) else None
    if not isinstance(name, str):
        print("不符 manifest.json: 文件条目格式错误", file=out)
        return False
    expected = str(entry.get("sha256") or "").lower()
    found = reader.sha256(name)
    if found is None:
        print(f"不符 {name}: 文件缺失", file=out)
        return False
    if found[0] != expected:
        print(f"不符 {name}: SHA-256 {found[0]} 与清单记载的 {expected} 不一致", file=out)
        return False
    if entry.get("size") is not None and entry.get("size") != found[1]:
        print(f"不符 {name}: 大小 {found[1]} 与清单记载的 {entry.get('size')} 不一致", file=out)
        return False
    ledger = entry.get("ledger")
    if ledger is None:
        if strict:
            print(f"不符 {name}: 摘要一致，但没有存证包含证明", file=out)
            return False
        print(f"OK {name}: 摘要一致（未存证，仅核对摘要）", file=out)
        return True
    reason = _check_ledger(ledger, expected, checkpoint)
    if reason is not None:
        print(f"不符 {name}: {reason}", file=out)
        return False
    print(f"OK {name}: 摘要一致，已存证 第 {ledger['index']} 条", file=out)
    return True


# --- Receipts ------------------------------------------------------------------------------------

RECEIPT_FORMAT = "lawenforce-receipt/1"


def verify_receipt(receipt, document=None, key=None, out=None):
    """Check a receipt (存证回执): a dict, or the path of its JSON file; True when everything passes.

    The leaf bytes must hash to the proof's leaf hash and name the entry's index, the inclusion
    proof must lead to the root of the signed checkpoint shipped in the receipt, and, with
    ``document`` (the path of the served document, or its bytes), the leaf must name that file's
    SHA-256. With ``key`` (the log's published verifier key) the checkpoint's signature is checked
    too; a receipt carries no key of its own to trust. One line per check goes to ``out``.
    """
    out = out or sys.stdout
    if isinstance(receipt, str):
        try:
            with open(receipt, "rb") as f:
                receipt = json.loads(f.read().decode("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"不符 回执: 无法读取或解析（{exc}）", file=out)
            return False
    if not isinstance(receipt, dict) or receipt.get("format") != RECEIPT_FORMAT:
        print("不符 回执: 格式不是 " + RECEIPT_FORMAT, file=out)
        return False
    recorded = receipt.get("checkpoint") if isinstance(receipt.get("checkpoint"), dict) else {}
    note = recorded.get("note")
    checkpoint = parse_checkpoint(note) if isinstance(note, str) else None
    if checkpoint is None:
        print("不符 检查点: 缺少或无法解析", file=out)
        return False
    if recorded.get("size") != checkpoint.size or str(recorded.get("root", "")).lower() != checkpoint.root.hex():
        print("不符 检查点: 记载的树大小或根哈希与签名检查点不一致", file=out)
        return False
    if key is not None:
        if not verify_checkpoint(note, key, _checkpoint_algorithm(key)):
            print("不符 检查点: 签名无效", file=out)
            return False
        print("OK 检查点: 签名有效", file=out)
    leaf = receipt.get("leaf")
    try:
        payload = json.loads(leaf).get("payload") if isinstance(leaf, str) else None
    except (ValueError, AttributeError):
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("sha256"), str):
        print("不符 存证条目: 缺少或没有记载 SHA-256", file=out)
        return False
    sha256 = payload["sha256"].lower()
    if document is not None:
        try:
            if isinstance(document, bytes | bytearray):
                found = hashlib.sha256(document).hexdigest()
            else:
                with open(document, "rb") as f:
                    found = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError as exc:
            print(f"不符 文书: 无法读取（{exc}）", file=out)
            return False
        if found != sha256:
            print(f"不符 文书: SHA-256 {found} 与存证条目记载的 {sha256} 不一致", file=out)
            return False
        print(f"OK 文书: SHA-256 {found} 与存证条目一致", file=out)
    reason = _check_ledger(receipt, sha256, checkpoint)
    if reason is not None:
        print(f"不符 存证: {reason}", file=out)
        return False
    print(f"OK 存证: 第 {receipt['index']} 条已包含在大小为 {checkpoint.size} 的签名检查点中", file=out)
    if document is None:
        print(f"提示: 存证条目记载的文书 SHA-256 为 {sha256}；加 --document 文件 可核对文书本身", file=out)
    if key is None:
        print("提示: 未核验检查点签名；加 --key 公布的验证密钥 可核验", file=out)
    return True


# --- Command line -------------------------------------------------------------------------------


def _hex_list(text):
    return [item.strip() for item in text.split(",") if item.strip()] if text else []


def _hash_arg(text):
    """Hex, or base64 as printed in checkpoints."""
    text = text.strip()
    if len(text) == 2 * HASH_SIZE:
        return text
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return text


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m lawenforce.ledger.verify", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    inc = sub.add_parser("inclusion", help="check an inclusion proof")
    inc.add_argument("--index", type=int, required=True)
    inc.add_argument("--size", type=int, required=True)
    inc.add_argument("--leaf-hash", required=True)
    inc.add_argument("--root", required=True, help="hex or base64")
    inc.add_argument("--proof", default="", help="comma-separated hex hashes")
    inc.add_argument("--algorithm", choices=("sha256", "sm3"), default="sha256")
    con = sub.add_parser("consistency", help="check a consistency proof")
    con.add_argument("--size1", type=int, required=True)
    con.add_argument("--size2", type=int, required=True)
    con.add_argument("--root1", required=True, help="hex or base64")
    con.add_argument("--root2", required=True, help="hex or base64")
    con.add_argument("--proof", default="", help="comma-separated hex hashes")
    con.add_argument("--algorithm", choices=("sha256", "sm3"), default="sha256")
    chk = sub.add_parser("checkpoint", help="check a signed checkpoint note")
    chk.add_argument("note", help="file with the signed note, or - for standard input")
    chk.add_argument("--key", required=True, help="verifier key (name+id+base64) or the public key in hex")
    chk.add_argument("--algorithm", choices=("ed25519", "sm2", "intl", "gm"), default="ed25519")
    chk.add_argument("--key-name", default=None)
    arc = sub.add_parser("archive", help="check an archive export (zip, extracted directory or its manifest.json)")
    arc.add_argument("package", help="the export zip, the directory it was extracted to, or its manifest.json")
    arc.add_argument("--key", default=None, help="also check checkpoint.txt's signature with this verifier key")
    arc.add_argument("--strict", action="store_true", help="fail files without a ledger inclusion proof")
    rec = sub.add_parser("receipt", help="check a receipt (JSON) issued with a served decision or an evidence item")
    rec.add_argument("receipt", help="the receipt's JSON file")
    rec.add_argument("--document", default=None, help="also check that this file is the document the receipt names")
    rec.add_argument("--key", default=None, help="also check the checkpoint's signature with this verifier key")
    args = parser.parse_args(argv)

    if args.command == "inclusion":
        ok = verify_inclusion(
            args.index, args.size, args.leaf_hash, _hex_list(args.proof), _hash_arg(args.root), args.algorithm
        )
    elif args.command == "consistency":
        ok = verify_consistency(
            args.size1,
            args.size2,
            _hash_arg(args.root1),
            _hash_arg(args.root2),
            _hex_list(args.proof),
            args.algorithm,
        )
    elif args.command == "checkpoint":
        try:
            if args.note == "-":
                text = sys.stdin.buffer.read().decode("utf-8")
            else:
                with open(args.note, "rb") as f:
                    text = f.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"cannot read note: {exc}", file=sys.stderr)
            return 1
        ok = verify_checkpoint(text, args.key, args.algorithm, args.key_name)
        checkpoint = parse_checkpoint(text)
        if ok and checkpoint:
            print(json.dumps({"origin": checkpoint.origin, "size": checkpoint.size, "root": checkpoint.root.hex()}))
    elif args.command == "receipt":
        ok = verify_receipt(args.receipt, args.document, args.key)
    else:
        ok = verify_archive(args.package, args.key, args.strict)
    print("OK" if ok else "FAILED", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
