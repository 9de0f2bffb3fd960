"""Checks on subscriptions sent by browsers: the endpoint URL (an SSRF vector) and the keys.

A push endpoint is a URL an untrusted client hands us and our worker later POSTs to, so it is held
to an allowlist of push-service hosts. The URL is parsed strictly: anything a lenient parser could
read as another host (user information, numeric or hexadecimal IPv4 forms, percent-escapes in the
host, backslashes) is refused rather than normalised.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import urlsplit

import msgspec
from cryptography.hazmat.primitives.asymmetric import ec

from push.payload import b64url_decode

DEFAULT_ALLOWED_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)
"""Chrome/Edge-on-Android (FCM), Firefox, Safari, and Edge on Windows (WNS)."""

MAX_ENDPOINT_LENGTH = 2048
"""WNS endpoints carry a long token in the query; real ones stay well under this."""

_DEFAULT_PORTS = {"https": 443, "http": 80}
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_IP_LIKE = re.compile(r"[0-9.]+|.*\.[0-9]+|0x.*")
_CURVE = ec.SECP256R1()

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class InvalidSubscription(ValueError):
    """A subscription is refused; ``field`` names the offending part for the API's error list."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Subscription(msgspec.Struct, frozen=True):
    """A checked push subscription: what the sender needs to encrypt and post one message."""

    endpoint: str
    p256dh: bytes
    """The browser's uncompressed P-256 public key (65 bytes)."""
    auth: bytes
    """The browser's 16-byte authentication secret."""


class HostPattern(NamedTuple):
    """One allowlist entry: an exact host or IP, or ``*.`` plus a domain, with an optional port."""

    host: str | IPAddress
    wildcard: bool
    port: int | None
    """None: only the scheme's default port."""


def _is_dns_name(host: str) -> bool:
    return len(host) <= 253 and all(_LABEL.fullmatch(label) for label in host.split("."))


def _parse_host(host: str) -> str | IPAddress | None:
    """A lower-case DNS name or an IP address; None for anything ambiguous or malformed."""
    if host.startswith("[") and host.endswith("]"):
        if "%" in host:  # a zone id names an interface of *our* machine: never a push service
            return None
        try:
            return ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return None
    if _IP_LIKE.fullmatch(host):
        # Only the strict dotted quad; "127.1", "2130706433" and "0x7f.0.0.1" are refused, not guessed.
        try:
            return ipaddress.IPv4Address(host)
        except ValueError:
            return None
    return host if _is_dns_name(host) else None


def parse_host_pattern(pattern: str) -> HostPattern:
    """Parse one ``host[:port]`` allowlist entry, where the host may start with ``*.``.

    Args:
        pattern: E.g. ``fcm.googleapis.com``, ``*.push.apple.com``, ``127.0.0.1:8123``, ``[::1]:8443``.

    Returns:
        The parsed pattern.

    Raises:
        ValueError: Not a host name, IP address or wildcard domain, or a bad port.
    """
    text = pattern.strip().lower()
    host, port_text = text, ""
    if text.startswith("["):
        end = text.find("]")
        host, rest = text[: end + 1], text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"push host pattern {pattern!r} is malformed")
            port_text = rest[1:]
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    port: int | None = None
    if port_text or text.endswith(":"):
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"push host pattern {pattern!r} has a bad port")
        port = int(port_text)
    wildcard = host.startswith("*.")
    if wildcard:
        host = host[2:]
        # "*.com" would let any customer of a registry in; insist on a registered domain at least.
        if host.count(".") < 1 or not _is_dns_name(host):
            raise ValueError(f"push host pattern {pattern!r}: a wildcard needs a domain like *.example.com")
        return HostPattern(host, wildcard=True, port=port)
    parsed = _parse_host(host)
    if parsed is None:
        raise ValueError(f"push host pattern {pattern!r} is not a host name or IP address")
    return HostPattern(parsed, wildcard=False, port=port)


def decode_p256dh(value: str) -> bytes:
    """Decode and check a subscription's ``p256dh`` key.

    Args:
        value: base64url of the browser's public key; padding is tolerated.

    Returns:
        The 65-byte uncompressed point.

    Raises:
        InvalidSubscription: Not base64url, not 65 bytes, or not a point on P-256.
    """
    try:
        raw = b64url_decode(value)
    except ValueError as error:
        raise InvalidSubscription("keys.p256dh", str(error)) from None
    if len(raw) != 65 or raw[0] != 4:
        raise InvalidSubscription("keys.p256dh", "must be an uncompressed P-256 point (65 bytes)")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, raw)
    except ValueError:
        raise InvalidSubscription("keys.p256dh", "is not a point on the P-256 curve") from None
    return raw


def decode_auth(value: str) -> bytes:
    """Decode and check a subscription's ``auth`` secret.

    Args:
        value: base64url of the secret; padding is tolerated.

    Returns:
        The 16 bytes.

    Raises:
        InvalidSubscription: Not base64url or not exactly 16 bytes.
    """
    try:
        raw = b64url_decode(value)
    except ValueError as error:
        raise InvalidSubscription("keys.auth", str(error)) from None
    if len(raw) != 16:
        raise InvalidSubscription("keys.auth", f"must be 16 bytes, not {len(raw)}")
    return raw


class EndpointPolicy:
    """Which push endpoints we are willing to POST to."""

    def __init__(self, patterns: Iterable[str] = DEFAULT_ALLOWED_HOSTS, *, allow_http: bool = False) -> None:
        """Compile the allowlist.

        Args:
            patterns: ``host[:port]`` entries; a host may start with ``*.``.
            allow_http: Accept plain ``http:`` endpoints (the local push service in dev and tests).

        Raises:
            ValueError: A pattern is malformed, or the list is empty.
        """
        self.patterns = tuple(parse_host_pattern(p) for p in patterns if p.strip())
        if not self.patterns:
            raise ValueError("the push host allowlist is empty")
        self.allow_http = allow_http

    @classmethod
    def from_setting(cls, value: str | None, *, allow_http: bool = False) -> EndpointPolicy:
        """Build the policy from a comma-separated setting; blank keeps :data:`DEFAULT_ALLOWED_HOSTS`.

        Args:
            value: E.g. ``"fcm.googleapis.com,*.push.apple.com,127.0.0.1:8123"``; replaces the defaults.
            allow_http: Accept plain ``http:`` endpoints.

        Returns:
            The policy.

        Raises:
            ValueError: A pattern is malformed.
        """
        if value is None or not value.strip():
            return cls(allow_http=allow_http)
        return cls(value.split(","), allow_http=allow_http)

    def _allowed(self, host: str | IPAddress, port: int, default_port: int) -> bool:
        for pattern in self.patterns:
            if port != (pattern.port or default_port):
                continue
            if pattern.wildcard:
                if isinstance(host, str) and isinstance(pattern.host, str) and host.endswith("." + pattern.host):
                    return True
            elif host == pattern.host:
                return True
        return False

    def check_endpoint(self, endpoint: str) -> str:
        """Accept an endpoint URL only if it is a plain URL on an allowed push-service host.

        Args:
            endpoint: The URL from the browser's ``PushSubscription``.

        Returns:
            The endpoint, unchanged: the push service expects exactly the URL it handed out.

        Raises:
            InvalidSubscription: A scheme other than https (or http when allowed), user information,
                a fragment, a malformed or ambiguous host, a bad port, or a host not on the allowlist.
        """
        if len(endpoint) > MAX_ENDPOINT_LENGTH:
            raise InvalidSubscription("endpoint", f"is longer than {MAX_ENDPOINT_LENGTH} characters")
        if any(not 0x21 <= ord(c) <= 0x7E for c in endpoint) or "\\" in endpoint:
            raise InvalidSubscription("endpoint", "must be printable ASCII without spaces or backslashes")
        try:
            parts = urlsplit(endpoint)
        except ValueError:  # unbalanced IPv6 brackets
            raise InvalidSubscription("endpoint", "has a malformed host") from None
        scheme = parts.scheme.lower()
        if scheme != "https" and not (scheme == "http" and self.allow_http):
            raise InvalidSubscription("endpoint", "must be an https: URL")
        if "#" in endpoint:
            raise InvalidSubscription("endpoint", "must not have a fragment")
        if "@" in parts.netloc:
            raise InvalidSubscription("endpoint", "must not carry user information")
        try:
            port = parts.port
        except ValueError:
            raise InvalidSubscription("endpoint", "has an invalid port") from None
        if port == 0:
            raise InvalidSubscription("endpoint", "has an invalid port")
        raw_host = parts.netloc.lower()
        if port is not None or raw_host.endswith(":"):
            raw_host = raw_host[: raw_host.rfind(":")]
        host = _parse_host(raw_host)
        if host is None:
            raise InvalidSubscription("endpoint", "has a malformed host")
        default_port = _DEFAULT_PORTS[scheme]
        if not self._allowed(host, port or default_port, default_port):
            raise InvalidSubscription("endpoint", f"host {raw_host} is not a known push service")
        return endpoint

    def check_subscription(self, endpoint: str, p256dh: str, auth: str) -> Subscription:
        """Check all three parts of a browser's subscription.

        Args:
            endpoint: The endpoint URL.
            p256dh: base64url public key.
            auth: base64url authentication secret.

        Returns:
            The subscription with decoded keys.

        Raises:
            InvalidSubscription: The first part found wrong, named in ``field``.
        """
        return Subscription(self.check_endpoint(endpoint), decode_p256dh(p256dh), decode_auth(auth))
