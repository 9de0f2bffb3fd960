"""RFC 8291 encryption: the RFC's own vector, independent implementations both ways, limits, bad bodies."""

from __future__ import annotations

import os
import struct
from io import BytesIO

import http_ece
import msgspec
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from webpush import WebPush
from webpush.types import WebPushSubscription

from push.payload import (
    MAX_PLAINTEXT_BYTES,
    DecryptionError,
    Notification,
    PayloadTooLarge,
    _derive,
    b64url_decode,
    b64url_encode,
    decode_notification,
    decrypt,
    encode_notification,
    encrypt,
)
from push.testclient import TestSubscriber

# RFC 8291 Appendix A.
PLAINTEXT = b"When I grow up, I want to be a watermelon"
AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
SALT = "DGv6ra1nlYgDCS1FRnbzlw"
BODY = (
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK"
    "6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
)


def scalar_key(text: str) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(b64url_decode(text), "big"), ec.SECP256R1())


def test_reproduces_the_rfc_8291_example() -> None:
    body = encrypt(
        PLAINTEXT,
        b64url_decode(UA_PUBLIC),
        b64url_decode(AUTH),
        salt=b64url_decode(SALT),
        sender_key=scalar_key(AS_PRIVATE),
    )
    assert b64url_encode(body) == BODY
    assert decrypt(body, scalar_key(UA_PRIVATE), b64url_decode(AUTH)) == PLAINTEXT


def test_http_ece_decrypts_what_we_encrypt() -> None:
    subscriber = TestSubscriber.generate("https://push.example.com/x")
    plaintext = "Họp chi bộ tháng 6 ✓".encode() * 10
    body = encrypt(plaintext, subscriber.p256dh, subscriber.auth)
    assert http_ece.decrypt(
        body, private_key=subscriber.private_key, auth_secret=subscriber.auth, version="aes128gcm"
    ) == (plaintext)


def test_we_decrypt_what_http_ece_encrypts() -> None:
    subscriber = TestSubscriber.generate("https://push.example.com/x")
    sender = ec.generate_private_key(ec.SECP256R1())
    body = http_ece.encrypt(
        b"from http_ece", private_key=sender, dh=subscriber.p256dh, auth_secret=subscriber.auth, version="aes128gcm"
    )
    assert subscriber.decrypt(body) == b"from http_ece"


def test_padding_after_the_delimiter_is_removed() -> None:
    # Senders may pad to hide the length (RFC 8188 section 2): delimiter 0x02, then zeros.
    subscriber = TestSubscriber.generate("https://push.example.com/x")
    sender = ec.generate_private_key(ec.SECP256R1())
    salt = bytes(range(16))
    as_public = sender.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    secret = sender.exchange(ec.ECDH(), subscriber.private_key.public_key())
    key, nonce = _derive(secret, subscriber.auth, subscriber.p256dh, as_public, salt)
    record = AESGCM(key).encrypt(nonce, b"short\x02" + bytes(40), None)
    assert subscriber.decrypt(salt + struct.pack("!IB", 4096, 65) + as_public + record) == b"short"
    only_zeros = AESGCM(key).encrypt(nonce, bytes(40), None)
    with pytest.raises(DecryptionError, match="delimiter"):
        subscriber.decrypt(salt + struct.pack("!IB", 4096, 65) + as_public + only_zeros)
    not_last = AESGCM(key).encrypt(nonce, b"short\x01", None)
    with pytest.raises(DecryptionError, match="delimiter"):
        subscriber.decrypt(salt + struct.pack("!IB", 4096, 65) + as_public + not_last)


def test_we_decrypt_what_the_webpush_package_encrypts() -> None:
    # The package the issue names: its cipher and ours must agree, even though we do not call it.
    subscriber = TestSubscriber.generate("https://fcm.googleapis.com/fcm/send/abc")
    vapid = ec.generate_private_key(ec.SECP256R1())
    private_pem = vapid.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = vapid.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    webpush = WebPush(private_key=BytesIO(private_pem), public_key=public_pem, subscriber="ops@example.com")
    subscription = WebPushSubscription.model_validate(
        {"endpoint": subscriber.endpoint, "keys": {"p256dh": subscriber.p256dh_b64, "auth": subscriber.auth_b64}}
    )
    assert subscriber.decrypt(webpush._encrypt(b"from webpush", subscription)) == b"from webpush"


def test_each_message_has_its_own_salt_and_sender_key() -> None:
    subscriber = TestSubscriber.generate("https://push.example.com/x")
    first, second = (encrypt(b"same", subscriber.p256dh, subscriber.auth) for _ in range(2))
    assert first[:16] != second[:16]
    assert first[21:86] != second[21:86]
    assert struct.unpack_from("!IB", first, 16) == (4096, 65)


def test_payload_limit_is_enforced_before_encrypting() -> None:
    subscriber = TestSubscriber.generate("https://push.example.com/x")
    assert subscriber.decrypt(encrypt(b"x" * MAX_PLAINTEXT_BYTES, subscriber.p256dh, subscriber.auth)) == (
        b"x" * MAX_PLAINTEXT_BYTES
    )
    with pytest.raises(PayloadTooLarge, match="3073 bytes; at most 3072"):
        encrypt(b"x" * (MAX_PLAINTEXT_BYTES + 1), subscriber.p256dh, subscriber.auth)


def test_encrypt_refuses_bad_keys() -> None:
    subscriber = TestSubscriber.generate("https://push.example.com/x")
    with pytest.raises(ValueError, match="16 bytes"):
        encrypt(b"x", subscriber.p256dh, subscriber.auth[:15])
    with pytest.raises(ValueError, match=r"(?i)point"):
        encrypt(b"x", subscriber.p256dh[:-1] + bytes([subscriber.p256dh[-1] ^ 1]), subscriber.auth)


def test_decrypt_refuses_tampering_wrong_keys_and_malformed_bodies() -> None:
    subscriber = TestSubscriber.generate("https://push.example.com/x")
    other = TestSubscriber.generate("https://push.example.com/y")
    body = encrypt(b"secret", subscriber.p256dh, subscriber.auth)
    tampered = body[:-1] + bytes([body[-1] ^ 1])
    cases = {
        "authenticate": [tampered, body[:86] + body[87:]],
        "shorter": [body[:90]],
        "key id": [body[:20] + b"\x40" + body[21:]],
        "single record": [body[:16] + struct.pack("!I", 18) + body[20:]],
    }
    for message, bodies in cases.items():
        for bad in bodies:
            with pytest.raises(DecryptionError, match=message):
                subscriber.decrypt(bad)
    with pytest.raises(DecryptionError, match="authenticate"):
        other.decrypt(body)
    with pytest.raises(DecryptionError, match="authenticate"):
        decrypt(body, subscriber.private_key, other.auth)


def test_notification_is_compact_json() -> None:
    notification = Notification(id=1234567, title="Họp chi bộ", body="Thứ Hai 8:00", url="/notices/1")
    encoded = encode_notification(notification)
    assert encoded == (
        b'{"id":1234567,"title":"H\xe1\xbb\x8dp chi b\xe1\xbb\x99","body":"Th\xe1\xbb\xa9 Hai 8:00","url":"/notices/1"}'
    )
    assert decode_notification(encoded) == notification
    tagged = msgspec.structs.replace(notification, tag="notice-1")
    assert b'"tag":"notice-1"' in encode_notification(tagged)
    assert decode_notification(encode_notification(tagged)) == tagged


@pytest.mark.parametrize(
    ("text", "expected"),
    [("AQID", b"\x01\x02\x03"), ("AQI", b"\x01\x02"), ("AQI=", b"\x01\x02"), ("-_8", b"\xfb\xff"), ("", b"")],
)
def test_b64url_decode_accepts_padded_and_unpadded(text: str, expected: bytes) -> None:
    assert b64url_decode(text) == expected


@pytest.mark.parametrize("text", ["AQ+D", "AQ/D", "AQ D", "AQ\nID", "A", "AQ=ID", "AQID===", "ÄQID"])
def test_b64url_decode_refuses_other_alphabets_and_junk(text: str) -> None:
    with pytest.raises(ValueError, match="base64url"):
        b64url_decode(text)


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 100, 1000, 3071, MAX_PLAINTEXT_BYTES])
def test_payloads_of_every_size_round_trip_through_http_ece(size: int) -> None:
    subscriber = TestSubscriber.generate("https://push.example.com/x")
    plaintext = os.urandom(size)
    body = encrypt(plaintext, subscriber.p256dh, subscriber.auth)
    assert len(body) == 86 + size + 1 + 16
    assert subscriber.decrypt(body) == plaintext
    assert http_ece.decrypt(body, private_key=subscriber.private_key, auth_secret=subscriber.auth) == plaintext
