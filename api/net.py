"""The client's address: the socket peer, or a trusted proxy header when one is configured."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

from litestar.types import Scope

IPAddress = IPv4Address | IPv6Address


def client_address(scope: Scope, trusted_header: str | None) -> IPAddress | None:
    """Where the request came from.

    Only the configured header is believed, and only its rightmost value (the one our own proxy
    appended); anything a client puts in other headers is ignored.
    """
    if trusted_header:
        wanted = trusted_header.lower().encode("latin-1")
        values = [value for name, value in scope.get("headers", ()) if name == wanted]
        if values:
            return _parse(values[-1].decode("latin-1").rsplit(",", 1)[-1].strip())
        return None
    client = scope.get("client")
    return _parse(client[0]) if client else None


def _parse(text: str) -> IPAddress | None:
    try:
        return ip_address(text)
    except ValueError:
        return None
