"""The ledger's profile and checkpoint signing key, from settings.

Settings (all optional; read with ``getattr`` so they can be added to settings.py at any time):

- ``LEDGER_PROFILE``: "gm" (default; SM3 tree, SM2-signed checkpoints, the commercial-cryptography
  profile) or "intl" (SHA-256 tree, Ed25519 checkpoints).
- ``LEDGER_ORIGIN``: the checkpoint origin line and the default key name, a schema-less URL such
  as ``zfpt.example.gov.cn/ledger`` (default ``lawenforce.localhost/ledger``).
- ``LEDGER_SIGNING_KEY``: the private key, ``PRIVATE+KEY+name+id+base64`` (``manage.py
  make_checkpoint --new-key`` prints one). When the setting is absent the environment variable of
  the same name is read. Without it, DEBUG generates a development key once into
  ``var/ledger-dev-key.<profile>`` (with a warning); production refuses to make checkpoints.
- ``LEDGER_SALT``: see ``lawenforce.ledger.canonical``.
"""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .signing import ED25519, SM2, SigningKey

logger = logging.getLogger(__name__)

PROFILES = {"gm": ("sm3", SM2), "intl": ("sha256", ED25519)}
DEFAULT_ORIGIN = "lawenforce.localhost/ledger"


class SigningKeyMissing(ImproperlyConfigured):
    pass


def profile():
    name = getattr(settings, "LEDGER_PROFILE", "gm") or "gm"
    if name not in PROFILES:
        raise ImproperlyConfigured(f"LEDGER_PROFILE 只能是 gm 或 intl，不是 {name!r}")
    return name


def hash_algorithm():
    """ "sm3" or "sha256" for the configured profile (a log keeps the one it started with)."""
    return PROFILES[profile()][0]


def signature_algorithm():
    return PROFILES[profile()][1]


def origin():
    return getattr(settings, "LEDGER_ORIGIN", "") or DEFAULT_ORIGIN


def _dev_key_path():
    return Path(settings.BASE_DIR) / "var" / f"ledger-dev-key.{profile()}"


def signing_key():
    """The configured SigningKey; see the module docstring."""
    text = getattr(settings, "LEDGER_SIGNING_KEY", None)
    if text is None:
        text = os.environ.get("LEDGER_SIGNING_KEY", "")
    if text:
        key = SigningKey.from_string(text)
    elif settings.DEBUG:
        key = _development_key()
    else:
        raise SigningKeyMissing(
            "未配置 LEDGER_SIGNING_KEY：生产环境不生成检查点。用 manage.py make_checkpoint --new-key 生成密钥。"
            " Set LEDGER_SIGNING_KEY (manage.py make_checkpoint --new-key prints a new one)."
        )
    if key.algorithm != signature_algorithm():
        raise ImproperlyConfigured(
            f"LEDGER_SIGNING_KEY 是 {key.algorithm} 密钥，但 LEDGER_PROFILE={profile()} 需要 {signature_algorithm()} 密钥"
        )
    return key


def _development_key():
    path = _dev_key_path()
    if path.exists():
        return SigningKey.from_string(path.read_text())
    key = SigningKey.generate(origin(), signature_algorithm())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it just now
        return SigningKey.from_string(path.read_text())
    with os.fdopen(fd, "w") as f:
        f.write(key.to_string() + "\n")
    path.with_suffix(path.suffix + ".pub").write_text(key.vkey + "\n")
    logger.warning(
        "LEDGER_SIGNING_KEY is not set: generated a DEVELOPMENT ledger key in %s (verifier key %s). "
        "Never use it in production.",
        path,
        key.vkey,
    )
    return key
