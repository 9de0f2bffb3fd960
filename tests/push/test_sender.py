"""Building one push request, and reading the push service's answer."""

from __future__ import annotations

import pytest

from push.payload import MAX_PLAINTEXT_BYTES, Notification, PayloadTooLarge, decode_notification
from push.sender import (
    RETRY_AFTER_MAX,
    InvalidPushRequest,
    Outcome,
    OutcomeKind,
    backoff_delay,
    build_request,
    classify,
    parse_retry_after,
    retry_delay,
    validate_topic,
)
from push.testclient import TestSubscriber
from push.vapid import VapidSigner, generate_vapid_keys
from tests.push import START, FakeClock

ENDPOINT = "https://fcm.googleapis.com/fcm/send/device-1"
NOTIFICATION = Notification(id=42, title="Thông báo", body="Họp chi bộ", url="/notices/1", tag="n1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def signer(clock: FakeClock) -> VapidSigner:
    return VapidSigner(generate_vapid_keys().private_key_pem, "mailto:ops@ehandbook.example.org", clock=clock)


def test_request_carries_everything_a_push_service_needs(signer: VapidSigner) -> None:
    subscriber = TestSubscriber.generate(ENDPOINT)
    request = build_request(subscriber.subscription(), NOTIFICATION, signer, ttl=3600, urgency="high", topic="notice-1")
    assert request.url == ENDPOINT
    assert request.headers == {
        "TTL": "3600",
        "Urgency": "high",
        "Topic": "notice-1",
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "Authorization": signer.authorization(ENDPOINT),
    }
    assert decode_notification(subscriber.decrypt(request.body)) == NOTIFICATION


def test_ttl_zero_normal_urgency_and_no_topic_by_default(signer: VapidSigner) -> None:
    subscriber = TestSubscriber.generate(ENDPOINT)
    request = build_request(subscriber.subscription(), b"raw bytes", signer, ttl=0)
    assert request.headers["TTL"] == "0"
    assert request.headers["Urgency"] == "normal"
    assert "Topic" not in request.headers
    assert subscriber.decrypt(request.body) == b"raw bytes"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ttl": -1}, "TTL"),
        ({"ttl": 28 * 24 * 3600 + 1}, "TTL"),
        ({"ttl": True}, "TTL"),
        ({"ttl": 60, "urgency": "urgent"}, "Urgency"),
        ({"ttl": 60, "topic": ""}, "Topic"),
        ({"ttl": 60, "topic": "x" * 33}, "Topic"),
        ({"ttl": 60, "topic": "notice 1"}, "Topic"),
        ({"ttl": 60, "topic": "notice=1"}, "Topic"),
    ],
)
def test_bad_request_parameters_refused(signer: VapidSigner, kwargs: dict[str, object], message: str) -> None:
    subscription = TestSubscriber.generate(ENDPOINT).subscription()
    with pytest.raises(InvalidPushRequest, match=message):
        build_request(subscription, b"x", signer, **kwargs)  # type: ignore[arg-type]


def test_topic_alphabet() -> None:
    assert validate_topic("A-z_09" + "x" * 26) == "A-z_09" + "x" * 26


def test_oversized_payload_refused_before_signing(signer: VapidSigner, clock: FakeClock) -> None:
    subscription = TestSubscriber.generate(ENDPOINT).subscription()
    with pytest.raises(PayloadTooLarge):
        build_request(subscription, b"x" * (MAX_PLAINTEXT_BYTES + 1), signer, ttl=60)
    assert clock.calls == 0  # the signer was never asked for a token
    big = Notification(id=42, title="t", body="đ" * 1600, url="/")
    with pytest.raises(PayloadTooLarge, match="at most 3072"):
        build_request(subscription, big, signer, ttl=60)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (200, OutcomeKind.DELIVERED),
        (201, OutcomeKind.DELIVERED),
        (202, OutcomeKind.DELIVERED),
        (404, OutcomeKind.GONE),
        (410, OutcomeKind.GONE),
        (413, OutcomeKind.TOO_LARGE),
        (400, OutcomeKind.CONFIG_ERROR),
        (401, OutcomeKind.CONFIG_ERROR),
        (403, OutcomeKind.CONFIG_ERROR),
        (408, OutcomeKind.RETRY),
        (429, OutcomeKind.RETRY),
        (500, OutcomeKind.RETRY),
        (502, OutcomeKind.RETRY),
        (503, OutcomeKind.RETRY),
        (504, OutcomeKind.RETRY),
        (None, OutcomeKind.RETRY),
        (301, OutcomeKind.REJECTED),
        (405, OutcomeKind.REJECTED),
        (415, OutcomeKind.REJECTED),
    ],
)
def test_outcome_classification(status: int | None, kind: OutcomeKind) -> None:
    outcome = classify(status, now=START)
    assert outcome == Outcome(kind, status, None)


@pytest.mark.parametrize(
    ("header", "delay"),
    [
        ("120", 120.0),
        (" 30 ", 30.0),
        ("0", 1.0),
        ("999999", RETRY_AFTER_MAX),
        ("Sun, 15 Jun 2025 15:23:20 GMT", 1000.0),  # START is 15:06:40 GMT that day
        ("Sunday, 15-Jun-25 15:23:20 GMT", 1000.0),  # RFC 850 form, still to be accepted (RFC 9110)
        ("Sun Jun 15 15:23:20 2025", 1000.0),  # asctime form: no zone written, GMT by definition
        ("Sun, 15 Jun 2025 14:00:00 GMT", 1.0),  # in the past
        ("Mon, 15 Jun 2026 15:08:20 GMT", RETRY_AFTER_MAX),
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
    ],
)
def test_retry_after_forms(header: str, delay: float | None) -> None:
    assert parse_retry_after(header, now=START) == delay
    assert classify(429, header, now=START) == Outcome(OutcomeKind.RETRY, 429, delay)
    assert classify(503, header, now=START).retry_after == delay


def test_retry_after_only_counts_for_retries() -> None:
    assert classify(410, "120", now=START).retry_after is None
    assert classify(201, "120", now=START).retry_after is None


def test_backoff_doubles_with_jitter_and_a_cap() -> None:
    assert [backoff_delay(n, rng=lambda: 0.0) for n in (1, 2, 3, 4)] == [2.5, 5.0, 10.0, 20.0]
    assert backoff_delay(3, rng=lambda: 0.999) == pytest.approx(19.99)
    assert backoff_delay(50, rng=lambda: 0.5) == 675.0  # cap 900: between 450 and 900
    assert backoff_delay(10_000, rng=lambda: 0.0) == 450.0
    assert backoff_delay(0, rng=lambda: 0.0) == 2.5
    assert all(2.5 <= backoff_delay(1) < 5.0 for _ in range(100))


def test_retry_delay_prefers_the_service_wish() -> None:
    assert retry_delay(classify(429, "42", now=START), attempt=5, rng=lambda: 0.0) == 42.0
    assert retry_delay(classify(500, now=START), attempt=2, rng=lambda: 0.0) == 5.0
    assert retry_delay(classify(None), attempt=1, rng=lambda: 0.0) == 2.5
