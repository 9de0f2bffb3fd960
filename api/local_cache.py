"""A small per-process cache for hot reads, kept correct by invalidation messages.

Entries live at most ``ttl`` seconds (a safety net) and are evicted at once when PostgreSQL announces
a change (api/invalidation.py). A read that started before an eviction must not put its (possibly
old) result back afterwards: callers take an ``epoch()`` before reading and ``put`` drops the value
when any eviction happened since. While the invalidation listener is down the cache serves nothing,
since it could not hear about changes.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LocalCache(Generic[K, V]):
    """A bounded LRU with a time limit per entry and epoch-guarded inserts."""

    def __init__(self, *, max_entries: int, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._max_entries = max_entries
        self._ttl = ttl
        self._clock = clock
        self._epoch = 0
        self.enabled = False
        """Set by the invalidation listener while it is connected."""

    def epoch(self) -> int:
        return self._epoch

    def get(self, key: K) -> V | None:
        if not self.enabled:
            return None
        found = self._entries.get(key)
        if found is None:
            return None
        expires, value = found
        if expires < self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V, *, epoch: int) -> None:
        """Keep ``value`` unless something was evicted since ``epoch`` was taken (it may be stale)."""
        if not self.enabled or epoch != self._epoch:
            return
        self._entries[key] = (self._clock() + self._ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def evict(self, key: K) -> None:
        self._epoch += 1
        self._entries.pop(key, None)

    def evict_where(self, predicate: Callable[[V], bool]) -> None:
        self._epoch += 1
        for key in [key for key, (_, value) in self._entries.items() if predicate(value)]:
            del self._entries[key]

    def clear(self) -> None:
        self._epoch += 1
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
