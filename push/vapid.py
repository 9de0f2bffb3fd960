"""VAPID (RFC 8292): our key pair, the subject, the signed JWT per push service, and its verification.

The ``webpush`` package signs a fresh JWT for every message after parsing the PEM again, drops the
port from ``aud`` and only knows ``mailto:`` subjects. :class:`VapidSigner` parses the key once and
signs once per push-service origin, reusing the token until shortly before it expires: a fan-out to
thousands of phones on one service costs one ECDSA signature, not thousands.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urlsplit

import msgspec
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from push.payload import b64url_decode, b64url_encode

MAX_TOKEN_LIFETIME = 12 * 3600
"""RFC 8292 allows 24 hours; some services measure from their own clock, so we stay at half."""
DEFAULT_REFRESH_MARGIN = 3600
"""A token is replaced this long before it expires, so that no queued request carries a stale one."""
MAX_VERIFIED_LIFETIME = 24 * 3600

_CURVE = ec.SECP256R1()
_ECDSA = ec.ECDSA(hashes.SHA256())
_JWT_HEADER = b64url_encode(b'{"typ":"JWT","alg":"ES256"}')
_DEFAULT_PORTS = {"https": 443, "http": 80}
# Apple's push service answers BadJwtToken for these; other services may follow, so refuse them early.
_RESERVED_SUFFIXES = (".localhost", ".local", ".invalid")


class VapidError(ValueError):
    """A VAPID key or subject is unusable; the message says which and why."""


class VapidKeyPair:
    """A freshly generated application server key pair, in the forms operators paste into settings."""

    __slots__ = ("application_server_key", "private_key_b64", "private_key_pem")

    def __init__(self, private_key_pem: str, private_key_b64: str, application_server_key: str) -> None:
        self.private_key_pem = private_key_pem
        """PKCS#8 PEM of the private key."""
        self.private_key_b64 = private_key_b64
        """The raw 32-byte private scalar as base64url (the form other Web Push libraries use)."""
        self.application_server_key = application_server_key
        """The public key as the base64url uncompressed point the browser's ``subscribe()`` takes."""

    def __repr__(self) -> str:
        # The private halves must never reach a log line or a traceback.
        return f"VapidKeyPair(application_server_key={self.application_server_key!r}, private_key='********')"


def generate_vapid_keys() -> VapidKeyPair:
    """Generate a new P-256 key pair for VAPID (used by ``ehandbook vapid-keys``).

    Returns:
        The private key as PEM and as raw base64url, and the public applicationServerKey.
    """
    key = ec.generate_private_key(_CURVE)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return VapidKeyPair(pem, b64url_encode(raw), public_key_b64(key))


def public_key_b64(key: ec.EllipticCurvePrivateKey) -> str:
    """The applicationServerKey of a private key: its public point, uncompressed, base64url.

    Args:
        key: A P-256 private key.

    Returns:
        87 characters of base64url (65 bytes).
    """
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url_encode(point)


def load_private_key(value: str) -> ec.EllipticCurvePrivateKey:
    """Read a VAPID private key given as PEM, as a raw base64url scalar, or as base64url DER.

    Args:
        value: The key text from the settings.

    Returns:
        The P-256 private key.

    Raises:
        VapidError: The text is no P-256 private key in any of these forms.
    """
    text = value.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            raw = b64url_decode(text)
            if len(raw) == 32:
                key = ec.derive_private_key(int.from_bytes(raw, "big"), _CURVE)
            else:
                key = serialization.load_der_private_key(raw, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise VapidError(f"VAPID private key is not a P-256 key in PEM or base64url form ({error})") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != _CURVE.name:
        raise VapidError("VAPID private key must be an elliptic-curve key on P-256")
    return key


def _check_contact_host(host: str, subject: str) -> None:
    host = host.lower()
    if not host:
        raise VapidError(f"VAPID subject {subject!r} has no host")
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None:
        if not address.is_global:
            raise VapidError(f"VAPID subject {subject!r} names a non-public address")
        return
    if host == "localhost" or host.endswith(_RESERVED_SUFFIXES) or "." not in host.rstrip("."):
        raise VapidError(f"VAPID subject {subject!r} names a host push services reject (not a public domain)")


def validate_subject(subject: str) -> str:
    """Check the VAPID ``sub``: an ``https:`` URL or a ``mailto:`` address on a public domain.

    Args:
        subject: The contact the push services may use to reach the operator.

    Returns:
        The subject, stripped of surrounding whitespace.

    Raises:
        VapidError: Another scheme, no host, localhost, a ``.local``/``.invalid`` (or similar) name,
            or a private address; Apple's push service refuses such tokens.
    """
    subject = subject.strip()
    if not subject or any(c.isspace() or ord(c) < 0x21 or ord(c) > 0x7E for c in subject):
        raise VapidError("VAPID subject must be printable ASCII without spaces")
    if subject.lower().startswith("mailto:"):
        address = subject[len("mailto:") :]
        local, at, domain = address.rpartition("@")
        if not at or not local or any(c in address for c in "?,<>"):
            raise VapidError(f"VAPID subject {subject!r} must be mailto: one address")
        _check_contact_host(domain, subject)
        return subject
    try:
        parts = urlsplit(subject)
    except ValueError:  # unbalanced IPv6 brackets
        raise VapidError(f"VAPID subject {subject!r} is not a valid URL") from None
    if parts.scheme.lower() != "https":
        raise VapidError(f"VAPID subject {subject!r} must be an https: URL or a mailto: address")
    if "@" in parts.netloc:
        raise VapidError(f"VAPID subject {subject!r} must not carry user information")
    try:
        _ = parts.port  # parsed only to refuse a malformed port
    except ValueError:
        raise VapidError(f"VAPID subject {subject!r} has an invalid port") from None
    _check_contact_host(parts.hostname or "", subject)
    return subject


def audience_of(endpoint: str) -> str:
    """The ``aud`` claim for an endpoint: its origin, keeping a non-default port.

    Args:
        endpoint: A push endpoint URL.

    Returns:
        ``scheme://host`` or ``scheme://host:port``; the port is left out only when it is the
        scheme's default, because the push service compares ``aud`` with its own origin.
    """
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


class _Token(NamedTuple):
    header: str
    refresh_at: float


class VapidSigner:
    """Signs the VAPID JWT once per push-service origin and reuses it until shortly before expiry.

    One signer serves one event loop; it keeps no locks because signing never awaits.
    """

    def __init__(
        self,
        private_key: str | ec.EllipticCurvePrivateKey,
        subject: str,
        *,
        lifetime: int = MAX_TOKEN_LIFETIME,
        refresh_margin: int = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
        max_origins: int = 1024,
    ) -> None:
        """Parse the key and check the settings once.

        Args:
            private_key: The VAPID private key (PEM or base64url text, or a loaded key).
            subject: The ``sub`` claim, checked with :func:`validate_subject`.
            lifetime: Seconds from signing to ``exp``; at most :data:`MAX_TOKEN_LIFETIME`.
            refresh_margin: A token is replaced once fewer than this many seconds remain.
            clock: Seconds since the epoch; tests inject a fake one.
            max_origins: Tokens kept at most; wildcard services (WNS) have many hosts.

        Raises:
            VapidError: A bad key, subject, lifetime or margin.
        """
        if not 60 <= lifetime <= MAX_TOKEN_LIFETIME:
            raise VapidError(f"VAPID token lifetime must be between 60 and {MAX_TOKEN_LIFETIME} seconds")
        if not 0 <= refresh_margin < lifetime:
            raise VapidError("VAPID refresh margin must be shorter than the token lifetime")
        self._key = load_private_key(private_key) if isinstance(private_key, str) else private_key
        if self._key.curve.name != _CURVE.name:
            raise VapidError("VAPID private key must be on P-256")
        self.subject = validate_subject(subject)
        self.public_key = public_key_b64(self._key)
        """The applicationServerKey the browser subscribed with (the ``k=`` parameter)."""
        self._lifetime = lifetime
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._max_origins = max_origins
        self._tokens: dict[str, _Token] = {}

    def authorization(self, endpoint: str) -> str:
        """The ``Authorization`` header value for a request to this endpoint.

        Args:
            endpoint: The subscription's endpoint URL.

        Returns:
            ``vapid t=<jwt>, k=<public key>``, signed for the endpoint's origin.
        """
        audience = audience_of(endpoint)
        now = self._clock()
        token = self._tokens.get(audience)
        if token is None or now >= token.refresh_at:
            token = self._sign(audience, now)
        return token.header

    def _sign(self, audience: str, now: float) -> _Token:
        expires = int(now) + self._lifetime
        claims = b64url_encode(msgspec.json.encode({"aud": audience, "exp": expires, "sub": self.subject}))
        signing_input = f"{_JWT_HEADER}.{claims}"
        r, s = decode_dss_signature(self._key.sign(signing_input.encode("ascii"), _ECDSA))
        signature = b64url_encode(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
        token = _Token(f"vapid t={signing_input}.{signature}, k={self.public_key}", expires - self._refresh_margin)
        if len(self._tokens) >= self._max_origins and audience not in self._tokens:
            self._evict(now)
        self._tokens[audience] = token
        return token

    def _evict(self, now: float) -> None:
        for audience in [a for a, t in self._tokens.items() if now >= t.refresh_at]:
            del self._tokens[audience]
        while len(self._tokens) >= self._max_origins:
            del self._tokens[next(iter(self._tokens))]  # the oldest signed


class VapidRejected(Exception):
    """A request's VAPID credentials were refused; ``status`` is 401 or 403."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class VerifiedVapid(NamedTuple):
    """What a valid VAPID header proved."""

    public_key: str
    """The ``k=`` parameter: the applicationServerKey that signed the token."""
    subject: str
    expires: int


class _Claims(msgspec.Struct):
    aud: str
    exp: int
    sub: str


class _JoseHeader(msgspec.Struct):
    alg: str


_claims_decoder = msgspec.json.Decoder(_Claims)
_jose_decoder = msgspec.json.Decoder(_JoseHeader)


def parse_vapid_header(authorization: str) -> tuple[str, str]:
    """Split ``vapid t=<jwt>, k=<key>`` into the token and the key.

    Args:
        authorization: The ``Authorization`` header value.

    Returns:
        ``(token, key)``.

    Raises:
        VapidRejected: 401 when the scheme is not ``vapid`` or a parameter is missing.
    """
    scheme, _, rest = authorization.strip().partition(" ")
    if scheme.lower() != "vapid":
        raise VapidRejected(401, "Authorization scheme must be vapid")
    params: dict[str, str] = {}
    for item in rest.split(","):
        name, _, value = item.strip().partition("=")
        params[name.strip().lower()] = value.strip().strip('"')
    token, key = params.get("t"), params.get("k")
    if not token or not key:
        raise VapidRejected(401, "vapid credentials need both t= and k=")
    return token, key


class VapidVerifier:
    """The push service's side: checks VAPID headers, caching parsed keys and verified tokens.

    A sender reuses one token for hours, so after the first request a check is one dictionary
    look-up and a clock read (until the token's ``exp``); the ECDSA verification runs once per
    distinct header.
    """

    def __init__(
        self,
        audience: str,
        *,
        clock: Callable[[], float] = time.time,
        max_lifetime: int = MAX_VERIFIED_LIFETIME,
        cache_size: int = 10_000,
    ) -> None:
        """Set up a verifier for one push-service origin.

        Args:
            audience: This service's origin, exactly as ``aud`` must state it.
            clock: Seconds since the epoch; tests inject a fake one.
            max_lifetime: How far in the future ``exp`` may lie.
            cache_size: Verified tokens and keys kept before the caches are emptied.
        """
        self.audience = audience
        self._clock = clock
        self._max_lifetime = max_lifetime
        self._cache_size = cache_size
        self._keys: dict[str, ec.EllipticCurvePublicKey] = {}
        self._tokens: dict[str, VerifiedVapid] = {}

    def verify(self, authorization: str | None) -> VerifiedVapid:
        """Check an ``Authorization`` header.

        Args:
            authorization: The header value, or None when it is missing.

        Returns:
            The signer's key, subject and expiry.

        Raises:
            VapidRejected: 401 for missing, malformed, badly signed or expired credentials;
                403 for a valid signature over unacceptable claims (``aud``, ``exp`` too far, ``sub``).
        """
        if not authorization:
            raise VapidRejected(401, "Authorization header with vapid credentials is required")
        now = self._clock()
        # Keyed by the whole header (token and key, as the sender writes them), so a hit is not even parsed;
        # any other header, a single character changed, is verified in full.
        known = self._tokens.get(authorization)
        if known is not None:
            if known.expires <= now:
                del self._tokens[authorization]
                raise VapidRejected(401, "VAPID token has expired")
            return known
        token, key = parse_vapid_header(authorization)
        verified = self._verify_token(token, key, now)
        if len(self._tokens) >= self._cache_size:
            self._tokens.clear()
        self._tokens[authorization] = verified
        return verified

    def _public_key(self, key: str) -> ec.EllipticCurvePublicKey:
        public = self._keys.get(key)
        if public is None:
            try:
                public = ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, b64url_decode(key))
            except ValueError:
                raise VapidRejected(401, "k= is not a P-256 public key") from None
            if len(self._keys) >= self._cache_size:
                self._keys.clear()
            self._keys[key] = public
        return public

    def _verify_token(self, token: str, key: str, now: float) -> VerifiedVapid:
        public = self._public_key(key)
        header, _, rest = token.partition(".")
        claims_b64, _, signature_b64 = rest.partition(".")
        try:
            if _jose_decoder.decode(b64url_decode(header)).alg != "ES256":
                raise VapidRejected(401, "VAPID token must be signed with ES256")
            signature = b64url_decode(signature_b64)
            if len(signature) != 64:
                raise VapidRejected(401, "ES256 signature must be 64 bytes")
            der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
            public.verify(der, f"{header}.{claims_b64}".encode("ascii"), _ECDSA)
            claims = _claims_decoder.decode(b64url_decode(claims_b64))
        except InvalidSignature:
            raise VapidRejected(401, "VAPID token signature does not verify with k=") from None
        except (ValueError, msgspec.DecodeError):
            raise VapidRejected(401, "VAPID token is not a well-formed JWT") from None
        if claims.aud != self.audience:
            raise VapidRejected(403, f"aud must be {self.audience}, not {claims.aud}")
        if claims.exp <= now:
            raise VapidRejected(401, "VAPID token has expired")
        if claims.exp > now + self._max_lifetime:
            raise VapidRejected(403, "VAPID token expires more than 24 hours ahead")
        if not claims.sub.startswith(("https:", "mailto:")):
            raise VapidRejected(403, "sub must be an https: URL or a mailto: address")
        return VerifiedVapid(key, claims.sub, claims.exp)
