"""The production way to POST push messages: connections kept open per push-service origin.

Each origin (scheme, host, port) gets its connections on first use. Over HTTPS the first connection
asks for HTTP/2 by ALPN; when the service agrees, every request to that origin shares it (another
opens only when the service's concurrent-stream limit is reached); otherwise requests take idle
HTTP/1.1 keep-alive connections, opening new ones as needed. How many requests run at once per host
is bounded by the caller (:class:`push.http.PushClient`), not here.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Mapping
from typing import NamedTuple, cast
from urllib.parse import urlsplit

from push.transport.base import CONNECT_TIMEOUT, REQUEST_TIMEOUT, Answer, TransportError
from push.transport.http1 import ConnectionDropped, Http1Connection
from push.transport.http2 import Http2Connection

log = logging.getLogger(__name__)

_UNSAFE_IN_TARGET = frozenset(" \t\r\n")


class OriginState(NamedTuple):
    """What a pool knows of one origin: the protocol agreed (None before the first connection)
    and how many connections are open."""

    protocol: str | None
    connections: int


def client_tls(cafile: str | None = None) -> ssl.SSLContext:
    """Verified TLS offering HTTP/2 then HTTP/1.1.

    Args:
        cafile: Trust only this CA file (tests); default: the system's CAs, or ``SSL_CERT_FILE``.

    Returns:
        The context every connection of a :class:`PooledPoster` uses.
    """
    context = ssl.create_default_context(cafile=cafile)
    context.set_alpn_protocols(["h2", "http/1.1"])
    return context


class _Handshake(asyncio.Protocol):
    """Holds a new connection until ALPN has said which protocol object should own it."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.early: list[bytes] = []  # an HTTP/2 server's SETTINGS may come before the owner is chosen
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast("asyncio.Transport", transport)

    def data_received(self, data: bytes) -> None:
        self.early.append(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True


class OriginPool:
    """The open connections to one push-service origin."""

    def __init__(self, scheme: str, host: str, port: int, tls: ssl.SSLContext, connect_timeout: float) -> None:
        """Prepare; nothing is opened until the first request.

        Args:
            scheme: ``https``, or ``http`` for a local push service (HTTP/1.1 only).
            host: Host name or address.
            port: TCP port.
            tls: Client TLS context for ``https``.
            connect_timeout: Seconds for TCP and TLS together.
        """
        self._host, self._port = host, port
        self._tls = tls if scheme == "https" else None
        default_port = 443 if scheme == "https" else 80
        self._authority = host if port == default_port else f"{host}:{port}"
        if ":" in host:
            self._authority = f"[{host}]" if port == default_port else f"[{host}]:{port}"
        self._connect_timeout = connect_timeout
        self._http2: list[Http2Connection] = []
        self._idle_http1: list[Http1Connection] = []
        self._http1_open: set[Http1Connection] = set()  # idle or busy, so that close() reaches them all
        self._speaks_http2: bool | None = None if self._tls else False
        self._opening = asyncio.Lock()  # one HTTP/2 connection at a time, not one per waiting request

    async def post(self, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """Send one request on a suitable connection.

        Raises:
            TransportError: No answer.
        """
        if self._speaks_http2 is not False:
            connection = await self._http2_connection()
            if connection is not None:
                return await connection.request(target, headers, body)
        reused = self._take_idle()
        try:
            return await self._http1_request(reused or await self._open_http1(), target, headers, body)
        except ConnectionDropped:
            if reused is None:
                raise
            # The service closed the idle connection as we wrote; nothing of ours was processed.
            return await self._http1_request(await self._open_http1(), target, headers, body)

    async def _http1_request(
        self, connection: Http1Connection, target: str, headers: Mapping[str, str], body: bytes
    ) -> Answer:
        try:
            answer = await connection.request(target, headers, body)
        finally:
            if connection.idle:
                self._idle_http1.append(connection)
            else:
                self._http1_open.discard(connection)
        return answer

    def _take_idle(self) -> Http1Connection | None:
        while self._idle_http1:
            connection = self._idle_http1.pop()
            if connection.idle:
                return connection
            self._http1_open.discard(connection)  # the service closed it while it waited
        return None

    async def _http2_connection(self) -> Http2Connection | None:
        """A connection with a free stream, opening one if needed; None when the origin speaks HTTP/1.1."""
        connection = self._free_http2()
        if connection is not None:
            return connection
        async with self._opening:
            connection = self._free_http2()  # another request may have opened one while we waited
            if connection is not None or self._speaks_http2 is False:
                return connection
            transport, early, lost = await self._connect()
            ssl_object = transport.get_extra_info("ssl_object")
            protocol = ssl_object.selected_alpn_protocol() if ssl_object is not None else None
            self._speaks_http2 = protocol == "h2"
            log.info("push service %s speaks %s", self._authority, "HTTP/2" if self._speaks_http2 else "HTTP/1.1")
            new: Http2Connection | Http1Connection
            if self._speaks_http2:
                new = Http2Connection(self._authority)
                self._http2 = [c for c in self._http2 if not c.closed] + [new]
            else:
                new = Http1Connection(self._authority)
                self._idle_http1.append(new)
                self._http1_open.add(new)
            _hand_over(transport, new, early, lost=lost)
            return new if isinstance(new, Http2Connection) else None

    def _free_http2(self) -> Http2Connection | None:
        for connection in self._http2:
            if connection.capacity > 0:
                return connection
        return None

    async def _open_http1(self) -> Http1Connection:
        transport, early, lost = await self._connect()
        connection = Http1Connection(self._authority)
        _hand_over(transport, connection, early, lost=lost)
        self._http1_open.add(connection)
        return connection

    async def _connect(self) -> tuple[asyncio.Transport, list[bytes], bool]:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self._connect_timeout):
                transport, handshake = await loop.create_connection(
                    _Handshake, self._host, self._port, ssl=self._tls, server_hostname=self._host if self._tls else None
                )
        except TimeoutError:
            raise TransportError("connect timed out") from None
        except (OSError, ssl.SSLError) as error:
            raise TransportError(f"connect failed: {type(error).__name__}") from None
        return transport, handshake.early, handshake.lost

    @property
    def state(self) -> OriginState:
        """The protocol agreed and the connections open now."""
        protocol = {True: "h2", False: "http/1.1", None: None}[self._speaks_http2]
        open_http2 = sum(1 for c in self._http2 if not c.closed)
        open_http1 = sum(1 for c in self._http1_open if not c.closed)
        return OriginState(protocol, open_http2 + open_http1)

    def close(self) -> None:
        """Close every connection of this origin."""
        connections: list[Http1Connection | Http2Connection] = [*self._http2, *self._http1_open]
        for connection in connections:
            connection.close()
        self._http2.clear()
        self._idle_http1.clear()
        self._http1_open.clear()


def _hand_over(
    transport: asyncio.Transport, connection: Http1Connection | Http2Connection, early: list[bytes], *, lost: bool
) -> None:
    transport.set_protocol(connection)
    connection.connection_made(transport)
    for data in early:
        connection.data_received(data)
    if lost:
        connection.connection_lost(None)


class PooledPoster:
    """POSTs push messages over kept-open connections, one :class:`OriginPool` per origin."""

    def __init__(
        self,
        *,
        tls: ssl.SSLContext | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        request_timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        """Prepare; connections open on first use.

        Args:
            tls: Client TLS context; it must offer HTTP/2 by ALPN for HTTP/2 to be used (default:
                :func:`client_tls`).
            connect_timeout: Seconds for TCP and TLS together.
            request_timeout: Seconds from the first byte sent to the end of the answer.
        """
        self._tls = tls or client_tls()
        self._connect_timeout = connect_timeout
        self._request_timeout = request_timeout
        self._pools: dict[tuple[str, str, int], OriginPool] = {}

    async def post(self, url: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """Send ``POST url``; follows no redirect (a 3xx is an answer like any other).

        Raises:
            TransportError: No answer, or a URL this transport cannot send to.
        """
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname
        if scheme not in ("https", "http") or not host:
            raise TransportError("not an http(s) URL")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if not target.isascii() or _UNSAFE_IN_TARGET.intersection(target):
            raise TransportError("URL path not sendable as it is")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise TransportError("malformed port") from None
        key = (scheme, host, port)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = OriginPool(scheme, host, port, self._tls, self._connect_timeout)
        try:
            async with asyncio.timeout(self._request_timeout):
                return await pool.post(target, headers, body)
        except TimeoutError:
            raise TransportError("no answer in time") from None
        except OSError as error:
            raise TransportError(f"connection failed: {type(error).__name__}") from None

    def describe(self) -> dict[str, OriginState]:
        """Per origin (``scheme://host:port``): the protocol agreed and the connections open.

        Returns:
            One entry per origin this poster has sent to.
        """
        return {f"{scheme}://{host}:{port}": pool.state for (scheme, host, port), pool in self._pools.items()}

    async def aclose(self) -> None:
        """Close every connection."""
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()
