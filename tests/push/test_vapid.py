"""VAPID: keys, subjects, the per-origin token cache of the signer, and the verifier of the push service."""

from __future__ import annotations

import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from push.payload import b64url_decode, b64url_encode
from push.vapid import (
    VapidError,
    VapidRejected,
    VapidSigner,
    VapidVerifier,
    VerifiedVapid,
    audience_of,
    generate_vapid_keys,
    load_private_key,
    parse_vapid_header,
    public_key_b64,
    validate_subject,
)
from tests.push import START, FakeClock, forge_header

SUBJECT = "mailto:ops@ehandbook.example.org"
FCM = "https://fcm.googleapis.com/fcm/send/abc:def"


def claims_of(header: str) -> dict[str, object]:
    token, _ = parse_vapid_header(header)
    claims: dict[str, object] = jwt.decode(token, options={"verify_signature": False})
    return claims


def test_generated_keys_load_back_in_both_forms() -> None:
    keys = generate_vapid_keys()
    from_pem = load_private_key(keys.private_key_pem)
    from_raw = load_private_key(keys.private_key_b64)
    assert from_pem.private_numbers() == from_raw.private_numbers()
    point = b64url_decode(keys.application_server_key)
    assert len(point) == 65
    assert point[0] == 4
    assert public_key_b64(from_pem) == keys.application_server_key
    assert "PRIVATE" not in repr(keys)
    assert keys.private_key_b64 not in repr(keys)


def test_private_key_forms_accepted() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    sec1 = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    for text in (sec1, f"\n  {sec1}  \n", b64url_encode(der), b64url_encode(der) + "=="):
        assert load_private_key(text).private_numbers() == key.private_numbers()


def test_private_key_refusals() -> None:
    p384 = ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    ed = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    for text in ("", "not a key", b64url_encode(bytes(32)), b64url_encode(b"\xff" * 32), p384.decode(), ed.decode()):
        with pytest.raises(VapidError):
            load_private_key(text)


@pytest.mark.parametrize(
    "subject",
    [
        "mailto:ops@ehandbook.example.org",
        "MAILTO:ops@dongnai.gov.vn",
        "https://ehandbook.dongnai.gov.vn/contact",
        "https://ehandbook.dongnai.gov.vn:8443",
        "mailto:ops@[8.8.8.8]",
    ],
)
def test_subject_accepted(subject: str) -> None:
    assert validate_subject(f" {subject} ") == subject


@pytest.mark.parametrize(
    "subject",
    [
        "",
        "ops@example.org",
        "http://ehandbook.example.org",
        "mailto:",
        "mailto:ops",
        "mailto:@example.org",
        "mailto:ops@localhost",
        "mailto:ops@printer.local",
        "mailto:ops@nowhere.invalid",
        "mailto:a@example.org,b@example.org",
        "mailto:ops@example.org?subject=hi",
        "https://localhost",
        "https://localhost:8443/x",
        "https://app.localhost",
        "https://ehandbook.local",
        "https://ehandbook.invalid",
        "https://intranet/",
        "https://127.0.0.1",
        "https://[::1]",
        "https://10.0.0.5",
        "https://user@ehandbook.example.org",
        "https://",
        "https://ehandbook.example.org/a b",
        "https://[2001:db8::1",
        "https://ehandbook.example.org:port/",
    ],
)
def test_subject_refused(subject: str) -> None:
    with pytest.raises(VapidError):
        validate_subject(subject)


@pytest.mark.parametrize(
    ("endpoint", "audience"),
    [
        ("https://fcm.googleapis.com/fcm/send/x", "https://fcm.googleapis.com"),
        ("https://FCM.googleapis.com:443/fcm/send/x", "https://fcm.googleapis.com"),
        ("https://web.push.apple.com:8443/QG", "https://web.push.apple.com:8443"),
        ("http://127.0.0.1:8123/push/abc", "http://127.0.0.1:8123"),
        ("http://127.0.0.1:80/push/abc", "http://127.0.0.1"),
        ("https://[2001:db8::1]:9443/p", "https://[2001:db8::1]:9443"),
        ("https://push.example.com/p?token=x", "https://push.example.com"),
    ],
)
def test_audience_is_the_origin_keeping_a_non_default_port(endpoint: str, audience: str) -> None:
    assert audience_of(endpoint) == audience


def test_signer_header_format_and_claims() -> None:
    keys = generate_vapid_keys()
    clock = FakeClock()
    signer = VapidSigner(keys.private_key_pem, SUBJECT, clock=clock)
    header = signer.authorization("https://web.push.apple.com:8443/QGuc")
    assert header.startswith("vapid t=")
    assert header.endswith(f", k={keys.application_server_key}")
    assert claims_of(header) == {
        "aud": "https://web.push.apple.com:8443",
        "exp": int(START) + 12 * 3600,
        "sub": SUBJECT,
    }


def test_token_verifies_with_an_independent_jwt_library() -> None:
    keys = generate_vapid_keys()
    signer = VapidSigner(keys.private_key_b64, SUBJECT)
    token, k = parse_vapid_header(signer.authorization(FCM))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(k))
    claims = jwt.decode(token, key=public, algorithms=["ES256"], audience="https://fcm.googleapis.com")
    assert claims["sub"] == SUBJECT
    assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "ES256"}


def test_one_token_per_origin_reused_until_the_refresh_margin() -> None:
    clock = FakeClock()
    signer = VapidSigner(generate_vapid_keys().private_key_pem, SUBJECT, clock=clock, refresh_margin=3600)
    first = signer.authorization(FCM)
    assert signer.authorization("https://fcm.googleapis.com/fcm/send/another-device") == first
    mozilla = signer.authorization("https://updates.push.services.mozilla.com/wpush/v2/x")
    assert mozilla != first
    assert claims_of(mozilla)["aud"] == "https://updates.push.services.mozilla.com"
    other_port = signer.authorization("https://fcm.googleapis.com:8443/fcm/send/x")
    assert claims_of(other_port)["aud"] == "https://fcm.googleapis.com:8443"

    clock.now = START + 11 * 3600 - 1  # one second before the refresh point: still the same token
    assert signer.authorization(FCM) == first
    clock.now = START + 11 * 3600  # refresh point: a new token, expiring 12 hours from now
    refreshed = signer.authorization(FCM)
    assert refreshed != first
    assert claims_of(refreshed)["exp"] == int(START) + 23 * 3600
    clock.now += 60
    assert signer.authorization(FCM) == refreshed


def test_signer_keeps_at_most_max_origins() -> None:
    clock = FakeClock()
    signer = VapidSigner(generate_vapid_keys().private_key_pem, SUBJECT, clock=clock, max_origins=2)
    a = signer.authorization("https://a.notify.windows.com/w")
    signer.authorization("https://b.notify.windows.com/w")
    signer.authorization("https://c.notify.windows.com/w")  # evicts the oldest, a
    assert len(signer._tokens) == 2
    assert signer.authorization("https://a.notify.windows.com/w") != a


@pytest.mark.parametrize(
    ("lifetime", "margin", "message"),
    [
        (12 * 3600 + 1, 3600, "lifetime"),
        (24 * 3600, 3600, "lifetime"),
        (59, 0, "lifetime"),
        (3600, 3600, "margin"),
        (12 * 3600, -1, "margin"),
    ],
)
def test_signer_refuses_bad_lifetimes(lifetime: int, margin: int, message: str) -> None:
    with pytest.raises(VapidError, match=message):
        VapidSigner(generate_vapid_keys().private_key_pem, SUBJECT, lifetime=lifetime, refresh_margin=margin)


def test_signer_refuses_bad_subject_and_key() -> None:
    with pytest.raises(VapidError, match="subject"):
        VapidSigner(generate_vapid_keys().private_key_pem, "mailto:me@localhost")
    with pytest.raises(VapidError, match="P-256"):
        VapidSigner("garbage", SUBJECT)


class CountingVerifier(VapidVerifier):
    def __init__(self, audience: str, clock: FakeClock) -> None:
        super().__init__(audience, clock=clock)
        self.full_checks = 0

    def _verify_token(self, token: str, key: str, now: float) -> VerifiedVapid:
        self.full_checks += 1
        return super()._verify_token(token, key, now)


def test_verifier_checks_a_token_once_then_until_it_expires() -> None:
    clock = FakeClock()
    signer = VapidSigner(generate_vapid_keys().private_key_pem, SUBJECT, clock=clock)
    verifier = CountingVerifier("https://fcm.googleapis.com", clock)
    header = signer.authorization(FCM)
    for _ in range(3):
        assert verifier.verify(header).subject == SUBJECT
    assert verifier.full_checks == 1
    clock.now = START + 12 * 3600
    with pytest.raises(VapidRejected, match="expired") as expired:
        verifier.verify(header)
    assert expired.value.status == 401


def test_verifier_does_not_reuse_a_cached_token_under_another_key() -> None:
    clock = FakeClock()
    signer = VapidSigner(generate_vapid_keys().private_key_pem, SUBJECT, clock=clock)
    verifier = VapidVerifier("https://fcm.googleapis.com", clock=clock)
    header = signer.authorization(FCM)
    verifier.verify(header)
    token, _ = parse_vapid_header(header)
    with pytest.raises(VapidRejected, match="signature") as rejected:
        verifier.verify(f"vapid t={token}, k={generate_vapid_keys().application_server_key}")
    assert rejected.value.status == 401


def _flip(text: str, at: int) -> str:
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


def test_verifier_checks_every_other_token_in_full_after_a_good_one_was_cached() -> None:
    clock = FakeClock()
    key = ec.generate_private_key(ec.SECP256R1())
    good = {"aud": "https://fcm.googleapis.com", "exp": int(START) + 3600, "sub": SUBJECT}
    header = forge_header(key, good)
    verifier = CountingVerifier("https://fcm.googleapis.com", clock)
    assert verifier.verify(header).expires == good["exp"]
    token, k = parse_vapid_header(header)
    head, claims, signature = token.split(".")
    later = b64url_encode(json.dumps({**good, "exp": int(START) + 7200}).encode())
    refused = {
        "signature altered": (f"vapid t={head}.{claims}.{_flip(signature, 10)}, k={k}", 401, "signature"),
        "claims altered, signature kept": (f"vapid t={head}.{later}.{signature}, k={k}", 401, "signature"),
        "signature cut": (f"vapid t={head}.{claims}.{signature[:-4]}, k={k}", 401, "64 bytes"),
        "same key, other audience": (forge_header(key, {**good, "aud": "https://other.example"}), 403, "aud"),
        "same key, already expired": (forge_header(key, {**good, "exp": int(START) - 1}), 401, "expired"),
    }
    for name, (bad, status, reason) in refused.items():
        with pytest.raises(VapidRejected) as rejected:
            verifier.verify(bad)
        assert (rejected.value.status, reason in rejected.value.reason) == (status, True), name
    assert verifier.full_checks == 1 + len(refused)  # each distinct token verified in full, never from the cache
    assert verifier.verify(header).subject == SUBJECT  # the good one is still good, from the cache
    assert verifier.full_checks == 1 + len(refused)
    with pytest.raises(VapidRejected, match="signature"):  # a refused token is not cached as good either
        verifier.verify(refused["signature altered"][0])


def _rejection(header: str | None, clock: FakeClock | None = None) -> tuple[int, str]:
    verifier = VapidVerifier("https://push.example.net:8443", clock=clock or FakeClock())
    with pytest.raises(VapidRejected) as rejected:
        verifier.verify(header)
    return rejected.value.status, rejected.value.reason


def test_verifier_refusals() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    other = ec.generate_private_key(ec.SECP256R1())
    good = {"aud": "https://push.example.net:8443", "exp": int(START) + 3600, "sub": SUBJECT}
    cases: list[tuple[str | None, int, str]] = [
        (None, 401, "required"),
        ("Bearer abc", 401, "scheme"),
        ("vapid t=abc", 401, "both"),
        (forge_header(key, good, k=public_key_b64(other)), 401, "signature"),
        (forge_header(key, good, k="AAAA"), 401, "P-256"),
        (forge_header(key, good, jose={"alg": "none"}), 401, "ES256"),
        (forge_header(key, good).replace("vapid t=", "vapid t=x"), 401, "well-formed"),
        (forge_header(key, {**good, "exp": int(START) - 1}), 401, "expired"),
        (forge_header(key, {**good, "exp": "soon"}), 401, "well-formed"),
        (forge_header(key, {"aud": good["aud"], "exp": good["exp"]}), 401, "well-formed"),
        (forge_header(key, {**good, "aud": "https://push.example.net"}), 403, "aud"),
        (forge_header(key, {**good, "aud": "http://push.example.net:8443"}), 403, "aud"),
        (forge_header(key, {**good, "exp": int(START) + 24 * 3600 + 1}), 403, "24 hours"),
        (forge_header(key, {**good, "sub": "ops@example.org"}), 403, "sub"),
    ]
    for header, status, reason in cases:
        got_status, got_reason = _rejection(header)
        assert (got_status, reason in got_reason) == (status, True), (header, got_reason)


def test_verifier_accepts_24_hours_and_quoted_parameters() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    claims = {"aud": "https://push.example.net:8443", "exp": int(START) + 24 * 3600, "sub": "https://example.org"}
    header = forge_header(key, claims)
    token, k = parse_vapid_header(header)
    verifier = VapidVerifier("https://push.example.net:8443", clock=FakeClock())
    assert verifier.verify(f'VAPID k="{k}",t="{token}"') == VerifiedVapid(k, "https://example.org", int(START) + 86400)
