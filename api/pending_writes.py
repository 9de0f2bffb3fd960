"""Writes under way in this worker, kept away from its announced caches until their requests are done.

An announced cache (the feed's, decision 39; the meetings', decision 41) hears of a change when PostgreSQL
delivers the announcement, after the commit. The worker that writes does not wait for it: from the write
until its request has committed and sent its answer, the cache reads what is written from the database and
keeps nothing read meanwhile. Otherwise a read running beside the write could keep the old rows, and the
writer's next request, on a connection served before the announcement arrives, would show them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from litestar import Request

WRITE_SECONDS = 60.0
"""How long a write keeps its key away from the cache if its request never reported back (it failed after
writing): by then the announcement of whatever it committed has long evicted the key anyway."""


_SCOPE_KEY = "ehb.request_writes"


class PendingWrites:
    """Keys being written by this worker's requests, counted (two requests may write one key at once)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, timeout: float = WRITE_SECONDS) -> None:
        self._clock = clock
        self._timeout = timeout
        self._keys: dict[Hashable, tuple[int, float]] = {}

    def begin(self, key: Hashable) -> None:
        count, _ = self._keys.get(key, (0, 0.0))
        self._keys[key] = (count + 1, self._clock() + self._timeout)

    def end(self, key: Hashable) -> None:
        count, deadline = self._keys.pop(key, (1, 0.0))
        if count > 1:
            self._keys[key] = (count - 1, deadline)

    def __contains__(self, key: Hashable) -> bool:
        """Whether a write to ``key`` is under way; one whose request failed without ending ages out."""
        if not self._keys:
            return False
        found = self._keys.get(key)
        if found is None:
            return False
        if found[1] <= self._clock():
            del self._keys[key]
            return False
        return True


class Writable(Protocol):
    """A cache that keeps keys being written away from its copies (see the module docstring)."""

    def writing(self, key: Any) -> None: ...  # each cache has its own kind of key

    def settled(self, key: Any) -> None: ...


class RequestWrites:
    """What one request writes, in any of the worker's caches: marked as it writes, settled once it is done.

    One per request (``request_writes``); Litestar's ``after_response`` hook ``settle_request_writes`` runs
    after the request's transaction has committed and its answer was sent.
    """

    def __init__(self) -> None:
        self._marked: dict[tuple[int, Hashable], tuple[Writable, Hashable]] = {}

    def mark(self, cache: Writable, key: Hashable) -> None:
        token = (id(cache), key)
        if token not in self._marked:
            self._marked[token] = (cache, key)
            cache.writing(key)

    def settle(self) -> None:
        for cache, key in self._marked.values():
            cache.settled(key)
        self._marked.clear()


def request_writes(request: Request[Any, Any, Any]) -> RequestWrites:
    """The request's record of its writes, made on first use."""
    scope: dict[str, Any] = request.scope  # type: ignore[assignment]
    writes = scope.get(_SCOPE_KEY)
    if writes is None:
        writes = scope[_SCOPE_KEY] = RequestWrites()
    return cast("RequestWrites", writes)


async def settle_request_writes(request: Request[Any, Any, Any]) -> None:
    """``after_response`` of every writing route: the caches may keep what they read from now on."""
    scope: dict[str, Any] = request.scope  # type: ignore[assignment]
    writes = scope.get(_SCOPE_KEY)
    if writes is not None:
        cast("RequestWrites", writes).settle()
