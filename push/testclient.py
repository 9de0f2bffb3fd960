"""A test subscriber: what a browser holds for one push subscription, able to decrypt its messages."""

from __future__ import annotations

import hmac
import os

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from push.endpoints import Subscription
from push.payload import b64url_encode, decrypt

_CURVE = ec.SECP256R1()
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class TestSubscriber:
    """A subscription's private side: ECDH key pair and auth secret, as a browser keeps them."""

    __test__ = False  # a helper, not a test class, even when imported into a test module

    def __init__(
        self, endpoint: str, private_key: ec.EllipticCurvePrivateKey, auth: bytes, *, p256dh: bytes | None = None
    ) -> None:
        """Wrap existing keys; see :meth:`generate` and :meth:`derive` for new ones.

        Args:
            endpoint: The URL the push service gave this subscription.
            private_key: The subscriber's P-256 ECDH key.
            auth: The 16-byte authentication secret.
            p256dh: The public key, when the caller has it already (the local push service gives many
                subscriptions the same keys); computed from ``private_key`` otherwise.
        """
        if len(auth) != 16:
            raise ValueError("auth secret must be 16 bytes")
        self.endpoint = endpoint
        self.private_key = private_key
        self.auth = auth
        self.p256dh = p256dh or private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)

    @classmethod
    def generate(cls, endpoint: str) -> TestSubscriber:
        """A subscriber with fresh random keys.

        Args:
            endpoint: The subscription's endpoint URL.

        Returns:
            The subscriber.
        """
        return cls(endpoint, ec.generate_private_key(_CURVE), os.urandom(16))

    @classmethod
    def derive(cls, endpoint: str, secret: bytes, name: str) -> TestSubscriber:
        """A subscriber whose keys follow from a shared secret and a name.

        Several processes of the local push service (and the benchmark that feeds them) can then
        all decrypt for the same subscription without sharing any state.

        Args:
            endpoint: The subscription's endpoint URL.
            secret: Shared by everyone who must reconstruct the keys.
            name: The subscription's id.

        Returns:
            The subscriber; the same arguments always give the same keys.
        """
        seed = hmac.digest(secret, b"p256dh:" + name.encode(), "sha256")
        scalar = int.from_bytes(seed, "big") % (_P256_ORDER - 1) + 1
        auth = hmac.digest(secret, b"auth:" + name.encode(), "sha256")[:16]
        return cls(endpoint, ec.derive_private_key(scalar, _CURVE), auth)

    @property
    def p256dh_b64(self) -> str:
        """The public key as a browser's ``PushSubscription.toJSON()`` gives it."""
        return b64url_encode(self.p256dh)

    @property
    def auth_b64(self) -> str:
        """The auth secret as a browser's ``PushSubscription.toJSON()`` gives it."""
        return b64url_encode(self.auth)

    def subscription(self) -> Subscription:
        """The public side, as the server stores it after checking.

        Returns:
            Endpoint and keys.
        """
        return Subscription(self.endpoint, self.p256dh, self.auth)

    def decrypt(self, body: bytes) -> bytes:
        """Decrypt a message sent to this subscription.

        Args:
            body: The ``aes128gcm`` request body.

        Returns:
            The plaintext.

        Raises:
            DecryptionError: The body is malformed or was not encrypted for this subscriber.
        """
        return decrypt(body, self.private_key, self.auth, p256dh=self.p256dh)
