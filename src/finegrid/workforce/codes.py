"""The signed payload printed in a check-in code's QR image.

``FG1.<kind>.<object id>.<version>.<signature>``: the kind as one letter, the id and version in
base 36, and the first 96 bits of an HMAC-SHA256 over the other parts, base64url without padding.
Thirty-odd characters of upper-case-free ASCII, so the phone URL that carries it still fits a
small version-4 QR code printed 3 cm wide. The key is ``FINEGRID_CODE_KEY`` or, when unset, one
derived from ``SECRET_KEY`` with a salt of its own (so a code key never equals a session key).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

from finegrid.workforce.models import CodeKind

PREFIX = "FG1"
SALT = b"finegrid.workforce.codes"
SIGNATURE_BYTES = 12

LETTERS: dict[str, str] = {
    CodeKind.MICRO_GRID: "m",
    CodeKind.BUILDING: "b",
    CodeKind.STATION: "s",
    CodeKind.PATROL_POINT: "p",
}
KINDS = {letter: kind for kind, letter in LETTERS.items()}
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Payload:
    kind: str
    object_id: int
    version: int


def _key() -> bytes:
    configured = getattr(settings, "CODE_KEY", "")
    if configured:
        return str(configured).encode()
    return hashlib.sha256(SALT + b"\x00" + settings.SECRET_KEY.encode()).digest()


def _base36(n: int) -> str:
    out = ""
    while True:
        n, digit = divmod(n, 36)
        out = DIGITS[digit] + out
        if n == 0:
            return out


def _signature(body: str) -> str:
    mac = hmac.new(_key(), body.encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def sign(*, kind: str, object_id: int, version: int) -> str:
    body = f"{PREFIX}.{LETTERS[kind]}.{_base36(object_id)}.{_base36(version)}"
    return f"{body}.{_signature(body)}"


def _number(text: str) -> int | None:
    # base 36 in lower case only, and no leading zero: one spelling per number, so an altered
    # payload can never be another spelling of a valid one
    if not text or len(text) > 12 or (len(text) > 1 and text[0] == "0"):
        return None
    if any(c not in DIGITS for c in text):
        return None
    return int(text, 36)


def parse(payload: str) -> Payload | None:
    """The payload's contents if its signature is ours; None for anything forged, altered or
    malformed (which of these it was is nobody's business but an attacker's)."""
    parts = (payload or "").strip().split(".")
    if len(parts) != 5 or parts[0] != PREFIX:
        return None
    body, signature = ".".join(parts[:4]), parts[4]
    if not hmac.compare_digest(signature.encode(), _signature(body).encode()):
        return None
    kind = KINDS.get(parts[1])
    object_id, version = _number(parts[2]), _number(parts[3])
    if kind is None or object_id is None or version is None:
        return None
    return Payload(kind, object_id, version)


def payload_in(text: str) -> str:
    """The payload in what a scanner read or a person typed: a whole phone URL, or the payload
    itself."""
    text = (text or "").strip()
    marker = "/workforce/c/"
    if marker in text:
        text = text.split(marker, 1)[1]
    return text.split("?", 1)[0].split("#", 1)[0].strip("/ ")
