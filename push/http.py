"""The HTTP side of delivery: one shared client, bounded concurrency per push-service host.

A push service throttles (429) a sender that opens too many streams at once, and a slow host must
not starve the others; so each host has its own semaphore while all share one connection pool.
HTTP/2 is used where the service offers it (FCM and Mozilla do), which multiplexes the requests
of one host over a few connections instead of hundreds.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import time
from urllib.parse import urlsplit

import httpx

from push.sender import Outcome, PushRequest, classify

log = logging.getLogger(__name__)

DEFAULT_PER_HOST = 64
"""Requests in flight per push-service host."""
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
"""A push service answers in milliseconds; ten seconds without an answer is an outage, retried later."""


def http2_available() -> bool:
    """Whether httpx can speak HTTP/2 here (it needs the optional ``h2`` package)."""
    return importlib.util.find_spec("h2") is not None


def create_client(
    *, per_host: int = DEFAULT_PER_HOST, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The one client a worker process shares between all its chunk jobs.

    Args:
        per_host: Requests in flight per host; the pool is sized so that hosts do not wait for it.
        transport: For tests (``httpx.ASGITransport`` around the local push service).

    Returns:
        A client that follows no redirects (an endpoint is an allow-listed URL, a redirect is not).
    """
    limits = httpx.Limits(max_connections=per_host * 8, max_keepalive_connections=per_host * 2, keepalive_expiry=60)
    return httpx.AsyncClient(
        http2=transport is None and http2_available(),
        follow_redirects=False,
        timeout=DEFAULT_TIMEOUT,
        limits=limits,
        transport=transport,
    )


class PushClient:
    """Sends push requests through a shared client, at most ``per_host`` at a time per host."""

    def __init__(self, client: httpx.AsyncClient, *, per_host: int = DEFAULT_PER_HOST) -> None:
        """Wrap a client (see :func:`create_client`); the caller owns and closes it.

        Args:
            client: The shared HTTP client.
            per_host: Requests in flight per host.
        """
        if per_host < 1:
            raise ValueError("per_host must be at least 1")
        self.client = client
        self.per_host = per_host
        self._limits: dict[str, asyncio.Semaphore] = {}

    def _limit(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).netloc.lower()
        limit = self._limits.get(host)
        if limit is None:
            limit = self._limits[host] = asyncio.Semaphore(self.per_host)
        return limit

    async def send(self, request: PushRequest) -> Outcome:
        """POST one message and say what its answer means.

        Args:
            request: URL, headers and encrypted body from :func:`push.sender.build_request`.

        Returns:
            The classified answer; a timeout or connection error is a RETRY without a status.
        """
        async with self._limit(request.url):
            try:
                response = await self.client.post(request.url, headers=request.headers, content=request.body)
            except httpx.TransportError as error:
                log.warning("push to %s failed: %s", urlsplit(request.url).netloc, type(error).__name__)
                return classify(None)
        return classify(response.status_code, response.headers.get("retry-after"), now=time.time())
