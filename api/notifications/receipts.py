"""Receipts that let a service worker report what became of a push without a session.

A service worker cannot read the CSRF cookie, and a push may be shown long after the session that
subscribed has ended; so each push carries a MAC of its inbox row id, and reporting "shown" or
"clicked" needs that MAC instead of a session. Forging one needs the secret key; replaying one only
sets the same timestamp again.
"""

from __future__ import annotations

import hashlib
import hmac

from push.payload import b64url_encode

RECEIPT_BYTES = 16
"""128 bits: 22 base64url characters in every push, unguessable."""


def receipt_for(secret_key: str, notification_id: int) -> str:
    """The receipt a push for inbox row ``notification_id`` carries."""
    mac = hmac.new(secret_key.encode(), b"push-receipt:%d" % notification_id, hashlib.sha256).digest()
    return b64url_encode(mac[:RECEIPT_BYTES])


def receipt_matches(secret_key: str, notification_id: int, presented: str) -> bool:
    """Whether ``presented`` is the receipt of that inbox row (in constant time)."""
    return hmac.compare_digest(receipt_for(secret_key, notification_id), presented)
