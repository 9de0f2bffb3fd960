"""Tests of the Web Push layer, and what they share: a clock they can move, and a JWT forger.

The forger signs claims our signer never makes (expired, too far ahead, wrong audience).
"""

from __future__ import annotations

import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from push.payload import b64url_encode
from push.vapid import public_key_b64

START = 1_750_000_000.0


class FakeClock:
    """Seconds since the epoch, moved by the test instead of by waiting."""

    def __init__(self, now: float = START) -> None:
        self.now = now
        self.calls = 0

    def __call__(self) -> float:
        self.calls += 1
        return self.now


def forge_header(
    key: ec.EllipticCurvePrivateKey,
    claims: dict[str, object],
    *,
    jose: dict[str, object] | None = None,
    k: str | None = None,
) -> str:
    """A ``vapid t=..., k=...`` header over any claims, signed with ``key`` (``k`` defaults to its public key)."""
    head = b64url_encode(json.dumps(jose or {"typ": "JWT", "alg": "ES256"}).encode())
    body = b64url_encode(json.dumps(claims).encode())
    r, s = decode_dss_signature(key.sign(f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256())))
    signature = b64url_encode(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    return f"vapid t={head}.{body}.{signature}, k={k or public_key_b64(key)}"
