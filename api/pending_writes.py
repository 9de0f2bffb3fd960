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
from typing import Protocol

WRITE_SECONDS = 60.0
"""How long a write keeps its key away from the cache if its request never reported back (it failed after
writing): by then the announcement of whatever it committed has long evicted the key anyway."""


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

    def writing(self, key: Hashable) -> None: ...

    def settled(self, key: Hashable) -> None: ...


class RequestWrites:
    """What one request writes to one cache's keys: marked as it writes, settled once it is done.

    Made per request by the service's provider; the writing routes call ``settle`` in Litestar's
    ``after_response``, which runs after the request's transaction has committed and its answer was sent.
    """

    def __init__(self, cache: Writable) -> None:
        self._cache = cache
        self._keys: set[Hashable] = set()

    def mark(self, key: Hashable) -> None:
        if key not in self._keys:
            self._keys.add(key)
            self._cache.writing(key)

    def settle(self) -> None:
        for key in self._keys:
            self._cache.settled(key)
        self._keys.clear()
