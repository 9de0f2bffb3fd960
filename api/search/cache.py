"""Search answers cached per worker, per query and per audience, until any content changes.

Members of one branch see the same content, and they search the same few words ("nghị quyết",
"đảng phí"), so most searches repeat one already answered. Any change to a section or document
(announced by PostgreSQL, api/invalidation.py) empties the cache: content changes a few times a
day, searches happen all the time.

The cache also owns the worker's in-memory index (api/search/live_index.py), which answers the searches
it misses, since both hear the same announcements.
"""

from __future__ import annotations

from api.db import Pool
from api.handbook.scope import ContentScope
from api.invalidation import InvalidationListener
from api.local_cache import LocalCache
from api.search.live_index import LiveSearchIndex
from api.search.service import SearchHit

CACHE_ENTRIES = 10_000
CACHE_SECONDS = 900.0

Key = tuple[tuple[str, ...], int, tuple[int, ...], tuple[int, ...]]


class SearchCache:
    def __init__(self, listener: InvalidationListener, pool: Pool | None = None) -> None:
        self._cache: LocalCache[Key, list[SearchHit]] = LocalCache(max_entries=CACHE_ENTRIES, ttl=CACHE_SECONDS)
        listener.on("section", lambda _: self._cache.clear())
        listener.on("document", lambda _: self._cache.clear())
        listener.on_state(self._listening)
        self.index = None if pool is None else LiveSearchIndex(pool, listener)
        """The in-memory index, or ``None``: every search missing the cache then goes to PostgreSQL."""

    async def close(self) -> None:
        """Stop keeping the index current (the app's shutdown, before the pool closes)."""
        if self.index is not None:
            await self.index.close()

    @staticmethod
    def key(terms: list[str], limit: int, scope: ContentScope) -> Key:
        """What the answer depends on: the folded terms, the limit and the units that decide visibility."""
        return (tuple(terms), limit, tuple(scope.ancestors), tuple(scope.staff))

    def get(self, key: Key) -> list[SearchHit] | None:
        return self._cache.get(key)

    def epoch(self) -> int:
        return self._cache.epoch()

    def put(self, key: Key, hits: list[SearchHit], *, epoch: int) -> None:
        self._cache.put(key, hits, epoch=epoch)

    def _listening(self, listening: bool) -> None:  # noqa: FBT001 - a state callback
        self._cache.clear()
        self._cache.enabled = listening
