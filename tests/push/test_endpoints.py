"""Subscription checks: endpoint URLs from untrusted browsers (SSRF) and their keys."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from push.endpoints import (
    DEFAULT_ALLOWED_HOSTS,
    EndpointPolicy,
    InvalidSubscription,
    Subscription,
    decode_auth,
    decode_p256dh,
    parse_host_pattern,
)
from push.payload import b64url_encode
from push.testclient import TestSubscriber

DEFAULT = EndpointPolicy()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/dXk3:APA91bH",
        "https://FCM.googleapis.com/fcm/send/x",
        "https://fcm.googleapis.com:443/fcm/send/x",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
        "https://web.push.apple.com/QGuc7wNbWq",
        "https://api.push.apple.com/3/device/x",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAD",
        "https://a.b.notify.windows.com/w/",
    ],
)
def test_default_allowlist_accepts_the_big_push_services(endpoint: str) -> None:
    assert DEFAULT.check_endpoint(endpoint) == endpoint


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("http://fcm.googleapis.com/fcm/send/x", "https"),
        ("ftp://fcm.googleapis.com/x", "https"),
        ("//fcm.googleapis.com/x", "https"),
        ("fcm.googleapis.com/x", "https"),
        ("https://fcm.googleapis.com.evil.example/x", "not a known push service"),
        ("https://evilfcm.googleapis.com/x", "not a known push service"),
        ("https://push.apple.com/x", "not a known push service"),
        ("https://notify.windows.com/x", "not a known push service"),
        ("https://evil.com/?u=https://fcm.googleapis.com/", "not a known push service"),
        ("https://fcm.googleapis.com:8443/x", "not a known push service"),
        ("https://user@fcm.googleapis.com/x", "user information"),
        ("https://fcm.googleapis.com@evil.example/x", "user information"),
        ("https://:pw@fcm.googleapis.com/x", "user information"),
        ("https://fcm.googleapis.com/x#frag", "fragment"),
        ("https://fcm.googleapis.com#@evil.example/", "fragment"),
        ("https://fcm.googleapis.com\\@evil.example/", "backslash"),
        ("https://fcm.googleapis.com /x", "spaces"),
        ("https://fcm.googleapis.com/x\n", "spaces"),
        ("https://fcm.googleapis.com./x", "malformed host"),
        ("https://fcm%2egoogleapis.com/x", "malformed host"),
        ("https://fcm.googleapis.com:99999/x", "invalid port"),
        ("https://fcm.googleapis.com:0/x", "invalid port"),
        ("https://fcm.googleapis.com:https/x", "invalid port"),
        ("https://127.0.0.1/x", "not a known push service"),
        ("https://127.1/x", "malformed host"),
        ("https://2130706433/x", "malformed host"),
        ("https://0x7f.0.0.1/x", "malformed host"),
        ("https://0177.0.0.1/x", "malformed host"),
        ("https://[::1]/x", "not a known push service"),
        ("https://[::ffff:127.0.0.1]/x", "not a known push service"),
        ("https://[fe80::1%25eth0]/x", "malformed host"),
        ("https://xn--fcm-.googleapis.com/x", "malformed host"),
        ("https://fcm.googleäpis.com/x", "ASCII"),
        ("https:///x", "malformed host"),
        ("https://fcm.googleapis.com[/x", "malformed host"),
        ("https://[::1/x", "malformed host"),
        ("https://" + "a" * 2100 + ".com/", "longer than"),
    ],
)
def test_default_allowlist_refusals(endpoint: str, message: str) -> None:
    with pytest.raises(InvalidSubscription, match=message) as refused:
        DEFAULT.check_endpoint(endpoint)
    assert refused.value.field == "endpoint"
    assert isinstance(refused.value, ValueError)


def test_plain_http_only_when_the_flag_is_on() -> None:
    local = "http://127.0.0.1:8123/push/abc"
    strict = EndpointPolicy.from_setting("127.0.0.1:8123")
    with pytest.raises(InvalidSubscription, match="https"):
        strict.check_endpoint(local)
    relaxed = EndpointPolicy.from_setting("127.0.0.1:8123", allow_http=True)
    assert relaxed.check_endpoint(local) == local
    assert relaxed.check_endpoint("https://127.0.0.1:8123/push/abc")
    for wrong_port in ("http://127.0.0.1/push/abc", "http://127.0.0.1:8124/push/abc"):
        with pytest.raises(InvalidSubscription, match="not a known push service"):
            relaxed.check_endpoint(wrong_port)


def test_setting_replaces_the_defaults() -> None:
    policy = EndpointPolicy.from_setting(" push.example.net:8443 , *.push.test.example, [::1]:9000 ,")
    assert policy.check_endpoint("https://push.example.net:8443/p/1")
    assert policy.check_endpoint("https://eu.push.test.example/p/1")
    assert policy.check_endpoint("https://[::1]:9000/p/1")
    for refused in (
        "https://fcm.googleapis.com/fcm/send/x",
        "https://push.example.net/p/1",
        "https://push.test.example/p/1",
        "https://[::1]/p/1",
    ):
        with pytest.raises(InvalidSubscription):
            policy.check_endpoint(refused)


def test_blank_setting_keeps_the_defaults() -> None:
    for value in (None, "", "  "):
        assert EndpointPolicy.from_setting(value).patterns == EndpointPolicy(DEFAULT_ALLOWED_HOSTS).patterns


@pytest.mark.parametrize(
    "pattern",
    ["*.com", "*", "*.", "fcm.googleapis.com:0", "fcm.googleapis.com:70000", "host:", "a b", "127.1", "[::1", "x:y:z"],
)
def test_malformed_patterns_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="push host pattern"):
        parse_host_pattern(pattern)


def test_empty_allowlist_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        EndpointPolicy([" ", ""])


def test_keys_checked_and_decoded() -> None:
    subscriber = TestSubscriber.generate("https://fcm.googleapis.com/fcm/send/x")
    subscription = DEFAULT.check_subscription(subscriber.endpoint, subscriber.p256dh_b64, subscriber.auth_b64 + "==")
    assert subscription == Subscription(subscriber.endpoint, subscriber.p256dh, subscriber.auth)


def test_p256dh_refusals() -> None:
    good = TestSubscriber.generate("https://x.example/").p256dh
    off_curve = good[:-1] + bytes([good[-1] ^ 1])
    compressed = (
        ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
    )
    cases = {
        b64url_encode(off_curve): "curve",
        b64url_encode(compressed): "65 bytes",
        b64url_encode(good[:64]): "65 bytes",
        b64url_encode(b"\x05" + good[1:]): "65 bytes",
        b64url_encode(bytes(65)): "65 bytes",
        b64url_encode(good).replace("-", "+").replace("_", "/") + "+": "base64url",
        "": "65 bytes",
    }
    for value, message in cases.items():
        with pytest.raises(InvalidSubscription, match=message) as refused:
            decode_p256dh(value)
        assert refused.value.field == "keys.p256dh"


def test_auth_refusals() -> None:
    for value, message in {
        b64url_encode(bytes(15)): "16 bytes, not 15",
        b64url_encode(bytes(17)): "16 bytes, not 17",
        "AAAAAAAAAAAAAAAAAAAAA+==": "base64url",
        "": "not 0",
    }.items():
        with pytest.raises(InvalidSubscription, match=message) as refused:
            decode_auth(value)
        assert refused.value.field == "keys.auth"
    assert decode_auth(b64url_encode(bytes(range(16)))) == bytes(range(16))


def test_subscription_reports_the_first_bad_part() -> None:
    subscriber = TestSubscriber.generate("https://fcm.googleapis.com/fcm/send/x")
    with pytest.raises(InvalidSubscription, match=r"^endpoint: "):
        DEFAULT.check_subscription("https://evil.example/", subscriber.p256dh_b64, subscriber.auth_b64)
    with pytest.raises(InvalidSubscription, match=r"^keys\.auth: "):
        DEFAULT.check_subscription(subscriber.endpoint, subscriber.p256dh_b64, "short")
