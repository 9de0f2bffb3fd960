"""Push message payloads: the notification JSON and its RFC 8291 ``aes128gcm`` encryption.

The ``webpush`` package (1.0.6) encrypts correctly, but only through a ``WebPush`` instance that
parses PEM keys, validates pydantic models and mutates itself for per-call overrides, and it never
checks the payload size. Its cipher is thirty lines of HKDF + ECDH + AES-GCM, so we write those
lines here as pure functions over bytes, with injectable salt and sender key so that the RFC 8291
Appendix A vector can be reproduced exactly. The tests cross-check both directions against
independent implementations: ``http_ece`` decrypts what we encrypt, and we decrypt what ``webpush``
encrypts.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import re
import struct

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

MAX_PLAINTEXT_BYTES = 3072
"""The largest payload we send. RFC 8030 lets push services refuse bodies above 4096 bytes; after
the 86-byte header, the 16-byte tag and the delimiter 3993 bytes would fit, and we keep a margin so
that a service counting differently (or a future padding scheme) never turns into a 413."""

RECORD_SIZE = 4096
"""The ``rs`` written in the header: one record holds the whole message (RFC 8291 section 4)."""

_HEADER_BYTES = 16 + 4 + 1 + 65
_TAG_BYTES = 16
_KEY_INFO = b"Content-Encoding: aes128gcm\x00\x01"
_NONCE_INFO = b"Content-Encoding: nonce\x00\x01"
_WEBPUSH_INFO = b"WebPush: info\x00"
_CURVE = ec.SECP256R1()
_B64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")


class PayloadTooLarge(ValueError):
    """The plaintext is longer than :data:`MAX_PLAINTEXT_BYTES`; nothing was encrypted."""


class DecryptionError(ValueError):
    """An ``aes128gcm`` body is malformed or does not decrypt with the given keys."""


def b64url_encode(data: bytes) -> str:
    """Encode bytes as unpadded base64url, the form Web Push uses for keys and secrets.

    Args:
        data: The bytes to encode.

    Returns:
        The base64url text without ``=`` padding.
    """
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url, padded or not, refusing any character outside the alphabet.

    The standard library silently skips characters it does not know, which would let two
    different strings stand for the same key; this decoder does not.

    Args:
        text: base64url text; trailing ``=`` padding is tolerated.

    Returns:
        The decoded bytes.

    Raises:
        ValueError: The text is not base64url.
    """
    if not _B64URL.fullmatch(text):
        raise ValueError("not base64url (allowed: A-Z a-z 0-9 - _ and trailing =)")
    stripped = text.rstrip("=")
    if len(stripped) % 4 == 1:
        raise ValueError("not base64url (impossible length)")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except binascii.Error as error:
        raise ValueError(f"not base64url ({error})") from None


class Notification(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """What the service worker receives and shows; encoded as compact JSON."""

    id: int
    """The member's inbox row, so that a tap can mark it read and the page can deduplicate."""
    title: str
    body: str
    url: str
    """Where a tap on the notification leads, relative to the app's origin."""
    tag: str | None = None
    """Notifications with the same tag replace each other on the device instead of piling up."""
    receipt: str | None = None
    """Proof that lets the service worker report "shown" and "clicked" without a session
    (see :mod:`api.notifications.receipts`)."""


_notification_encoder = msgspec.json.Encoder()
_notification_decoder = msgspec.json.Decoder(Notification)


def encode_notification(notification: Notification) -> bytes:
    """Encode a notification as the compact JSON the service worker parses.

    Args:
        notification: The notification to send.

    Returns:
        UTF-8 JSON bytes without whitespace.
    """
    return _notification_encoder.encode(notification)


def decode_notification(data: bytes) -> Notification:
    """Parse the JSON of :func:`encode_notification` (tests and the local push service use it).

    Args:
        data: The decrypted payload.

    Returns:
        The notification.

    Raises:
        msgspec.ValidationError: The JSON does not describe a notification.
    """
    return _notification_decoder.decode(data)


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.digest(key, message, "sha256")


def _derive(ecdh_secret: bytes, auth: bytes, ua_public: bytes, as_public: bytes, salt: bytes) -> tuple[bytes, bytes]:
    # Every HKDF output here is at most one SHA-256 block, so expand is a single HMAC with counter 1;
    # calling hmac.digest directly avoids building four HKDF objects per message.
    ikm = _hmac(_hmac(auth, ecdh_secret), _WEBPUSH_INFO + ua_public + as_public + b"\x01")
    prk = _hmac(salt, ikm)
    return _hmac(prk, _KEY_INFO)[:16], _hmac(prk, _NONCE_INFO)[:12]


def encrypt(
    plaintext: bytes,
    p256dh: bytes,
    auth: bytes,
    *,
    salt: bytes | None = None,
    sender_key: ec.EllipticCurvePrivateKey | None = None,
) -> bytes:
    """Encrypt one push message for one subscription (RFC 8291, ``Content-Encoding: aes128gcm``).

    Args:
        plaintext: The payload, at most :data:`MAX_PLAINTEXT_BYTES` bytes.
        p256dh: The subscription's public key: an uncompressed P-256 point (65 bytes).
        auth: The subscription's 16-byte authentication secret.
        salt: 16 random bytes; only tests pass it, to reproduce a known vector.
        sender_key: The ephemeral ECDH key; only tests pass it. It must never be reused.

    Returns:
        The request body: header (salt, record size, sender public key) followed by one record.

    Raises:
        PayloadTooLarge: The plaintext is too long; check before queueing, not after.
        ValueError: ``p256dh`` is not a point on P-256 or ``auth`` is not 16 bytes.
    """
    if len(plaintext) > MAX_PLAINTEXT_BYTES:
        raise PayloadTooLarge(f"push payload is {len(plaintext)} bytes; at most {MAX_PLAINTEXT_BYTES} can be sent")
    if len(auth) != 16:
        raise ValueError("auth secret must be 16 bytes")
    try:
        ua_key = ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, p256dh)
    except ValueError:
        raise ValueError("p256dh is not an uncompressed point on P-256") from None
    salt = os.urandom(16) if salt is None else salt
    if len(salt) != 16:
        raise ValueError("salt must be 16 bytes")
    sender_key = ec.generate_private_key(_CURVE) if sender_key is None else sender_key
    as_public = sender_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    key, nonce = _derive(sender_key.exchange(ec.ECDH(), ua_key), auth, p256dh, as_public, salt)
    # 0x02 marks the last (here: only) record; no padding after it.
    record = AESGCM(key).encrypt(nonce, plaintext + b"\x02", None)
    return salt + struct.pack("!IB", RECORD_SIZE, len(as_public)) + as_public + record


def decrypt(body: bytes, private_key: ec.EllipticCurvePrivateKey, auth: bytes, *, p256dh: bytes | None = None) -> bytes:
    """Decrypt an ``aes128gcm`` push message as the browser would (single record only).

    Args:
        body: The request body as received by the push service.
        private_key: The subscriber's ECDH private key (its public half is ``p256dh``).
        auth: The subscriber's 16-byte authentication secret.
        p256dh: The subscriber's public key, if the caller keeps it (saves re-encoding it per message).

    Returns:
        The plaintext, with padding and the record delimiter removed.

    Raises:
        DecryptionError: The body is malformed, spans several records, or fails authentication.
    """
    if len(body) < _HEADER_BYTES + _TAG_BYTES + 1:
        raise DecryptionError("body is shorter than an aes128gcm header and one record")
    salt = body[:16]
    record_size, key_id_length = struct.unpack_from("!IB", body, 16)
    if key_id_length != 65:
        raise DecryptionError("key id must be the sender's 65-byte public key")
    if record_size < _TAG_BYTES + 2:
        raise DecryptionError("record size is too small")
    as_public = body[21:_HEADER_BYTES]
    record = body[_HEADER_BYTES:]
    # RFC 8291 section 4: a push message is a single record, so the whole rest must fit in one.
    if len(record) > record_size:
        raise DecryptionError("push messages must be a single record")
    try:
        sender = ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, as_public)
    except ValueError:
        raise DecryptionError("key id is not a P-256 point") from None
    ua_public = p256dh or private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    key, nonce = _derive(private_key.exchange(ec.ECDH(), sender), auth, ua_public, as_public, salt)
    try:
        padded = AESGCM(key).decrypt(nonce, record, None)
    except InvalidTag:
        raise DecryptionError("record does not authenticate with these keys") from None
    unpadded = padded.rstrip(b"\x00")
    if not unpadded or unpadded[-1] != 2:
        raise DecryptionError("last record must end with the 0x02 delimiter")
    return unpadded[:-1]
