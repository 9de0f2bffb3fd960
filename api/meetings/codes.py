"""Rotating check-in codes: TOTP-like (RFC 6238 with HMAC-SHA256), keyed by a per-meeting secret.

The code for a moment is derived from the secret and the 30-second step that moment falls in, so it is
never stored: the secretary's phone can show it without signal, and a member without signal can note
the code and the time and have it verified later against that time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID

STEP_SECONDS = 30
DIGITS = 6
ALGORITHM = "HMAC-SHA256, 30 s steps, 6 digits (RFC 6238 truncation)"
DRIFT_STEPS = 2
"""Codes count from a minute before to a minute after the noted time: two phones' clocks never agree."""
OPENS_BEFORE = timedelta(minutes=30)
"""Check-in opens half an hour before the start (members arrive early) ..."""
CLOSES_AFTER = timedelta(minutes=30)
"""... and closes half an hour after the end."""
FUTURE_SKEW = timedelta(minutes=2)
"""A noted time this far ahead of the server is a fast clock; further ahead it is made up."""
SYNC_GRACE = timedelta(days=7)
"""How long after the meeting a phone that had no signal may still send its check-in."""


def new_secret() -> bytes:
    return secrets.token_bytes(32)


def step_of(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def step_start(step: int) -> datetime:
    return datetime.fromtimestamp(step * STEP_SECONDS, UTC)


def code_at(secret: bytes, step: int) -> str:
    """The code shown during one step: HMAC of the step counter, dynamically truncated to six digits."""
    digest = hmac.new(secret, step.to_bytes(8, "big"), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFF_FFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"


def window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """When codes are valid for a meeting."""
    return starts_at - OPENS_BEFORE, ends_at + CLOSES_AFTER


def verify(secret: bytes, code: str, observed_at: datetime, opens: datetime, closes: datetime) -> bool:
    """Whether ``code`` was on the secretary's screen around ``observed_at``, within the meeting's window.

    Every candidate step is compared in constant time, so the answer's timing tells nothing about which
    digits were right.
    """
    first, last = step_of(opens), step_of(closes)
    center = step_of(observed_at)
    matched = False
    for step in range(center - DRIFT_STEPS, center + DRIFT_STEPS + 1):
        if first <= step <= last:
            matched |= hmac.compare_digest(code_at(secret, step), code)
    return matched


def qr_payload(meeting_id: UUID, code: str) -> str:
    """What the QR encodes: the app's scanner reads the meeting and the code, and notes the scan time itself."""
    return f"ehb-checkin:1:{meeting_id}:{code}"


def exported_secret(secret: bytes) -> str:
    """The secret as the secretary's phone stores it to keep showing codes without signal (base32, RFC 4648)."""
    return base64.b32encode(secret).decode("ascii").rstrip("=")
