"""Personal information at rest: AES-256-GCM encryption, a blind index for exact lookup, masks.

Keys come from the environment:

- ``FINEGRID_PII_KEYS``: ``kid:base64key[,kid:base64key…]``, 32-byte keys, the first is current;
  older ones still decrypt until ``finegrid pii_rotate`` has re-encrypted every row.
- ``FINEGRID_PII_INDEX_KEY``: base64, the HMAC key of the blind index.

With neither set (the embedded demo), keys are made once and kept in ``var/pii-keys.json``
(mode 0600): losing that file loses the data, which is why production sets the variables.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1"


@dataclass(frozen=True)
class Keys:
    current: str
    ciphers: dict[str, AESGCM]
    index_key: bytes


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _from_spec(spec: str, index: str) -> Keys:
    ciphers: dict[str, AESGCM] = {}
    order: list[str] = []
    for part in spec.split(","):
        kid, _, key = part.strip().partition(":")
        raw = _unb64(key)
        if len(raw) != 32 or not kid:
            raise ValueError("FINEGRID_PII_KEYS entries must be kid:base64(32 bytes)")
        ciphers[kid] = AESGCM(raw)
        order.append(kid)
    return Keys(current=order[0], ciphers=ciphers, index_key=_unb64(index))


def _local_spec() -> tuple[str, str]:
    path = settings.VAR_DIR / "pii-keys.json"
    if not path.exists():
        data = {
            "keys": f"k1:{_b64(secrets.token_bytes(32))}",
            "index": _b64(secrets.token_bytes(32)),
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh)
    data = json.loads(path.read_text())
    return data["keys"], data["index"]


@lru_cache(maxsize=1)
def keys() -> Keys:
    spec = getattr(settings, "PII_KEYS", "") or os.environ.get("FINEGRID_PII_KEYS", "")
    index = getattr(settings, "PII_INDEX_KEY", "") or os.environ.get("FINEGRID_PII_INDEX_KEY", "")
    if not spec or not index:
        spec, index = _local_spec()
    return _from_spec(spec, index)


def encrypt(value: str) -> str:
    k = keys()
    nonce = secrets.token_bytes(12)
    sealed = k.ciphers[k.current].encrypt(nonce, value.encode(), k.current.encode())
    return f"{PREFIX}:{k.current}:{_b64(nonce + sealed)}"


def decrypt(token: str) -> str:
    _prefix, kid, body = token.split(":", 2)
    raw = _unb64(body)
    return keys().ciphers[kid].decrypt(raw[:12], raw[12:], kid.encode()).decode()


def key_id(token: str) -> str:
    return token.split(":", 2)[1]


def blind_index(kind: str, value: str) -> str:
    """Deterministic keyed hash for exact lookup; ``kind`` keeps an ID and a phone that happen to
    share digits from matching each other."""
    mac = hmac.new(keys().index_key, f"{kind}\x00{value}".encode(), hashlib.sha256)
    return mac.hexdigest()[:40]


def mask_id(value: str) -> str:
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# --- what is sealed where -------------------------------------------------------------------


@dataclass(frozen=True)
class Sealed:
    """One encrypted column and, if it has one, the blind index computed from its plain value."""

    enc: str
    index: str = ""
    index_of: Callable[[str], str] | None = None


# "app_label.Model" → its sealed columns; each app registers its own in AppConfig.ready(), so key
# rotation (``finegrid pii_rotate``) reaches every one without core knowing the apps.
SEALED: dict[str, list[Sealed]] = {}


def register_sealed(model_label: str, columns: list[Sealed]) -> None:
    SEALED[model_label] = columns
