"""The HTTP side of delivery: one shared poster, bounded concurrency per push-service host.

A push service throttles (429) a sender that opens too many streams at once, and a slow host must
not starve the others; so each host has its own semaphore while all share one set of connections
(:class:`push.transport.pool.PooledPoster`: HTTP/2 where the service offers it, else HTTP/1.1
keep-alive).
"""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import urlsplit

from push.sender import Outcome, PushRequest, classify
from push.transport.base import Poster, TransportError

log = logging.getLogger(__name__)

DEFAULT_PER_HOST = 64
"""Requests in flight per push-service host."""


class PushClient:
    """Sends push requests through a shared poster, at most ``per_host`` at a time per host."""

    def __init__(self, poster: Poster, *, per_host: int = DEFAULT_PER_HOST) -> None:
        """Wrap a poster; the caller owns and closes it.

        Args:
            poster: Sends the requests (:class:`push.transport.pool.PooledPoster` in production).
            per_host: Requests in flight per host.
        """
        if per_host < 1:
            raise ValueError("per_host must be at least 1")
        self.poster = poster
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
                answer = await self.poster.post(request.url, request.headers, request.body)
            except TransportError as error:
                log.warning("push to %s failed: %s", urlsplit(request.url).hostname, error)
                return classify(None)
        return classify(answer.status, answer.headers.get("retry-after"), now=time.time())
