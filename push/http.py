"""The HTTP side of delivery: one shared poster, an adaptive number of requests in flight per push-service host.

A push service throttles (429) a sender that opens too many streams at once, and a slow host must not
starve the others; so each host has its own gate while all share one set of connections
(:class:`push.transport.pool.PooledPoster`: HTTP/2 where the service offers it, else HTTP/1.1 keep-alive).
A gate admits as many requests as its :class:`push.limiter.LatencyLimit` allows, between a floor and
``per_host``: near the ceiling for a service far away, a handful for one that answers at once, so that
a worker that dies leaves few accepted pushes unrecorded (see the limiter's docstring).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from push.limiter import FLOOR, LatencyLimit
from push.sender import Outcome, PushRequest, classify
from push.transport.base import Poster, TransportError

log = logging.getLogger(__name__)

DEFAULT_PER_HOST = 64
"""The most requests in flight per push-service host (the limiter's ceiling)."""


class HostGate:
    """Admits requests to one host while its limit has room; the others wait in order of arrival."""

    def __init__(self, limit: LatencyLimit) -> None:
        """Gate by ``limit``."""
        self.limit = limit
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._woken = 0
        """Waiters given room that have not started yet."""

    def _room(self) -> int:
        return self.limit.limit - self.limit.in_flight - self._woken

    async def enter(self) -> int:
        """Wait for room, then count the request in flight.

        Returns:
            The ticket for :meth:`leave`.
        """
        if self._waiters or self._room() <= 0:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._woken -= 1
                    self._wake()  # the room given to this request goes to the next one
                else:
                    with contextlib.suppress(ValueError):  # _wake may have dropped it already
                        self._waiters.remove(waiter)
                raise
            self._woken -= 1
        return self.limit.start()

    def leave(self, ticket: int, latency: float | None, *, throttled: bool = False) -> None:
        """The request ended (see :meth:`push.limiter.LatencyLimit.finish`); admit whoever now fits."""
        self.limit.finish(ticket, latency, throttled=throttled)
        self._wake()

    def _wake(self) -> None:
        room = self._room()
        while room > 0 and self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                self._woken += 1
                room -= 1


class PushClient:
    """Sends push requests through a shared poster, as many at a time per host as its gate admits."""

    def __init__(self, poster: Poster, *, per_host: int = DEFAULT_PER_HOST, floor: int = FLOOR) -> None:
        """Wrap a poster; the caller owns and closes it.

        Args:
            poster: Sends the requests (:class:`push.transport.pool.PooledPoster` in production).
            per_host: The most requests in flight per host.
            floor: The fewest requests in flight per host the limit may fall to (``per_host``: a fixed limit).
        """
        if per_host < 1:
            raise ValueError("per_host must be at least 1")
        self.poster = poster
        self.per_host = per_host
        self.floor = floor
        self.gates: dict[str, HostGate] = {}

    def _gate(self, url: str) -> HostGate:
        host = urlsplit(url).netloc.lower()
        gate = self.gates.get(host)
        if gate is None:
            gate = self.gates[host] = HostGate(LatencyLimit(self.per_host, floor=self.floor))
        return gate

    async def send(self, request: PushRequest, *, ready: Callable[[], Awaitable[None]] | None = None) -> Outcome:
        """POST one message and say what its answer means.

        Args:
            request: URL, headers and encrypted body from :func:`push.sender.build_request`.
            ready: Awaited once the host's gate admitted the request, right before it goes out (the
                deliverer waits there for its sent log to catch up).

        Returns:
            The classified answer; a timeout or connection error is a RETRY without a status.
        """
        gate = self._gate(request.url)
        ticket = await gate.enter()
        started = time.perf_counter()
        try:
            if ready is not None:
                await ready()
                started = time.perf_counter()
            answer = await self.poster.post(request.url, request.headers, request.body)
        except TransportError as error:
            gate.leave(ticket, None)
            log.warning("push to %s failed: %s", urlsplit(request.url).hostname, error)
            return classify(None)
        except BaseException:
            gate.leave(ticket, None)
            raise
        gate.leave(ticket, time.perf_counter() - started, throttled=answer.status == 429)
        return classify(answer.status, answer.headers.get("retry-after"), now=time.time())
