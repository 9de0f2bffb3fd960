"""One push message as an HTTP request (RFC 8030), and what the push service's answer means for us.

Both halves are pure: building a request needs no network and classifying an answer needs no
clock beyond the one passed in, so the delivery loop that will run them (SAQ jobs) stays thin.
"""

from __future__ import annotations

import enum
import random
import re
import time
from collections.abc import Callable
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Literal

import msgspec

from push.endpoints import Subscription
from push.payload import Notification, encode_notification, encrypt
from push.vapid import VapidSigner

Urgency = Literal["very-low", "low", "normal", "high"]
URGENCIES: frozenset[str] = frozenset(("very-low", "low", "normal", "high"))

MAX_TTL = 28 * 24 * 3600
"""FCM keeps messages at most four weeks; a longer TTL is a bug on our side, not a wish."""
RETRY_AFTER_MIN = 1.0
RETRY_AFTER_MAX = 3600.0
"""A push service asking for more than an hour is clamped: the job is rescheduled, not parked."""
BACKOFF_BASE = 5.0
BACKOFF_CAP = 900.0

_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")


class InvalidPushRequest(ValueError):
    """A TTL, urgency or topic that no push service would accept."""


class PushRequest(msgspec.Struct, frozen=True):
    """Everything an HTTP client needs to deliver one message: ``POST url`` with these headers and body."""

    url: str
    headers: dict[str, str]
    body: bytes


def validate_topic(topic: str) -> str:
    """Check a ``Topic`` header value (RFC 8030 section 5.4).

    Args:
        topic: A label under which a newer message replaces an undelivered older one.

    Returns:
        The topic.

    Raises:
        InvalidPushRequest: Empty, longer than 32 characters, or outside the base64url alphabet.
    """
    if not _TOPIC.fullmatch(topic):
        raise InvalidPushRequest("Topic must be 1 to 32 characters of A-Z a-z 0-9 - _")
    return topic


def build_request(
    subscription: Subscription,
    payload: bytes | Notification,
    signer: VapidSigner,
    *,
    ttl: int,
    urgency: Urgency = "normal",
    topic: str | None = None,
) -> PushRequest:
    """Encrypt one message for one subscription and assemble the request to its push service.

    Args:
        subscription: A checked subscription (endpoint and keys).
        payload: A notification, or bytes already encoded.
        signer: Supplies the (cached) VAPID ``Authorization`` for the endpoint's origin.
        ttl: Seconds the push service may hold the message for an offline device; 0 means
            deliver now or never.
        urgency: Lets the device save battery on ``very-low``/``low`` messages.
        topic: Optional; a newer message with the same topic replaces an undelivered one.

    Returns:
        URL, headers and encrypted body.

    Raises:
        InvalidPushRequest: TTL out of range, unknown urgency or malformed topic.
        PayloadTooLarge: The payload exceeds 3072 bytes; nothing was encrypted or signed.
    """
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 0 <= ttl <= MAX_TTL:
        raise InvalidPushRequest(f"TTL must be a whole number of seconds from 0 to {MAX_TTL}")
    if urgency not in URGENCIES:
        raise InvalidPushRequest(f"Urgency must be one of {', '.join(sorted(URGENCIES))}")
    plaintext = encode_notification(payload) if isinstance(payload, Notification) else payload
    # Encrypt first: a too-large payload fails here before a JWT is signed for nothing.
    body = encrypt(plaintext, subscription.p256dh, subscription.auth)
    headers = {
        "TTL": str(ttl),
        "Urgency": urgency,
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "Authorization": signer.authorization(subscription.endpoint),
    }
    if topic is not None:
        headers["Topic"] = validate_topic(topic)
    return PushRequest(subscription.endpoint, headers, body)


class OutcomeKind(enum.StrEnum):
    """What to do after one delivery attempt."""

    DELIVERED = "delivered"
    """2xx: the push service has it."""
    GONE = "gone"
    """404/410: the subscription expired or was revoked; delete that endpoint."""
    TOO_LARGE = "too_large"
    """413: drop this message; the endpoint is fine."""
    RETRY = "retry"
    """429, 408, 5xx or no answer: try again after ``retry_after`` or :func:`backoff_delay`."""
    CONFIG_ERROR = "config_error"
    """400/401/403: our VAPID keys, subject or request are wrong; delete nothing, alert a human."""
    REJECTED = "rejected"
    """Any other answer: drop this message, keep the endpoint."""


_FINAL = {
    404: OutcomeKind.GONE,
    410: OutcomeKind.GONE,
    413: OutcomeKind.TOO_LARGE,
    400: OutcomeKind.CONFIG_ERROR,
    401: OutcomeKind.CONFIG_ERROR,
    403: OutcomeKind.CONFIG_ERROR,
}
_RETRYABLE = frozenset((408, 425, 429))


class Outcome(msgspec.Struct, frozen=True):
    """The meaning of one push service answer."""

    kind: OutcomeKind
    status: int | None
    """The HTTP status, or None when no answer came (timeout, connection error)."""
    retry_after: float | None = None
    """Seconds the service asked us to wait (Retry-After, clamped); None: use the backoff."""


def parse_retry_after(
    value: str | None, *, now: float, low: float = RETRY_AFTER_MIN, high: float = RETRY_AFTER_MAX
) -> float | None:
    """Read a ``Retry-After`` header in either form: delta-seconds or an HTTP-date.

    Args:
        value: The header value, or None.
        now: Seconds since the epoch, to turn a date into a delay.
        low: The shortest delay returned (a date in the past or ``0`` becomes this).
        high: The longest delay returned.

    Returns:
        The delay in seconds, clamped to ``[low, high]``; None when absent or unreadable.
    """
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        delay = float(text)
    else:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # the asctime form has no zone; RFC 9110 says every HTTP-date is GMT
            when = when.replace(tzinfo=UTC)
        delay = when.timestamp() - now
    return min(max(delay, low), high)


def classify(status: int | None, retry_after: str | None = None, *, now: float | None = None) -> Outcome:
    """Turn a push service's answer into what the delivery loop must do.

    Args:
        status: The HTTP status code, or None for a timeout or connection error.
        retry_after: The ``Retry-After`` header, if any.
        now: Seconds since the epoch (defaults to the current time); only dates in Retry-After need it.

    Returns:
        The outcome; for RETRY, ``retry_after`` holds the service's clamped wish when it stated one.
    """
    if status is None:
        return Outcome(OutcomeKind.RETRY, None)
    if status in _RETRYABLE or status >= 500:
        delay = parse_retry_after(retry_after, now=time.time() if now is None else now)
        return Outcome(OutcomeKind.RETRY, status, delay)
    if 200 <= status < 300:
        return Outcome(OutcomeKind.DELIVERED, status)
    return Outcome(_FINAL.get(status, OutcomeKind.REJECTED), status)


def backoff_delay(
    attempt: int,
    *,
    base: float = BACKOFF_BASE,
    cap: float = BACKOFF_CAP,
    rng: Callable[[], float] = random.random,
) -> float:
    """Exponential backoff with jitter for the n-th retry of a message.

    The delay doubles per attempt up to ``cap``; a random half of it is jitter, so that the
    messages of one failed fan-out do not all come back in the same second.

    Args:
        attempt: 1 for the first retry, 2 for the second, ...
        base: The (un-jittered) delay of the first retry.
        cap: The longest (un-jittered) delay.
        rng: Returns a float in ``[0, 1)``; tests pass a constant.

    Returns:
        Seconds to wait, in ``[d/2, d)`` where ``d = min(cap, base * 2**(attempt-1))``.
    """
    ceiling = min(cap, base * 2.0 ** min(max(attempt, 1) - 1, 62))
    return ceiling / 2 + rng() * ceiling / 2


def retry_delay(outcome: Outcome, attempt: int, *, rng: Callable[[], float] = random.random) -> float:
    """The wait before retrying: the push service's Retry-After when it gave one, else the backoff.

    Args:
        outcome: A RETRY outcome from :func:`classify`.
        attempt: 1 for the first retry, 2 for the second, ...
        rng: Returns a float in ``[0, 1)``.

    Returns:
        Seconds to wait.
    """
    if outcome.retry_after is not None:
        return outcome.retry_after
    return backoff_delay(attempt, rng=rng)
