"""Copies a worker keeps of some rows, trusted while PostgreSQL announces every change to them.

For reads that should ask PostgreSQL nothing (decisions 39, 41, 43): a trigger announces at commit, on the
invalidation channel, the key whose rows changed (an empty key: all of them); every worker drops that copy.
While the worker's listener is lost nothing is kept or served, since changes made meanwhile go unheard,
and everything is dropped again when it is back. Keys this worker's own requests are writing are neither
served nor kept until those requests have answered (api/pending_writes.py), so a writer never waits for
its own announcement.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Generic, TypeVar

from api.local_cache import LocalCache
from api.pending_writes import PendingWrites

if TYPE_CHECKING:
    from api.invalidation import InvalidationListener

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

SAFETY_SECONDS = 3_600.0
"""How long a copy lives at most: a safety net only, announcements decide whether a copy is current."""


class AnnouncedCache(Generic[K, V]):
    """A bounded LRU of copies evicted by announcements of one ``kind`` (see the module docstring)."""

    def __init__(
        self,
        listener: InvalidationListener | None,
        kind: str,
        key_of: Callable[[str], K],
        *,
        max_entries: int,
        ttl: float = SAFETY_SECONDS,
    ) -> None:
        """``key_of`` turns an announced key into the cache's (a ValueError means "everything")."""
        self._copies: LocalCache[K, V] = LocalCache(max_entries=max_entries, ttl=ttl)
        self._pending = PendingWrites()
        self._key_of = key_of
        if listener is not None:
            listener.on(kind, self._announced)
            listener.on_state(self._listening)

    @property
    def trusted(self) -> bool:
        """Whether the listener is up, so that kept copies may be served."""
        return self._copies.enabled

    def get(self, key: K) -> V | None:
        if key in self._pending:
            return None
        return self._copies.get(key)

    def epoch(self) -> int:
        """Take before reading what ``put`` will keep: a copy read across an eviction is not kept."""
        return self._copies.epoch()

    def put(self, key: K, value: V, *, epoch: int) -> None:
        if key not in self._pending:
            self._copies.put(key, value, epoch=epoch)

    def writing(self, key: K) -> None:
        """A request of this worker is about to write ``key``: away from the copies until ``settled``."""
        self._pending.begin(key)
        self._copies.evict(key)

    def settled(self, key: K) -> None:
        """That request has committed and answered: what is read from now on may be kept again."""
        self._pending.end(key)
        self._copies.evict(key)  # and nothing read before the commit is kept (the epoch moves)

    def __len__(self) -> int:
        return len(self._copies)

    def _announced(self, text: str) -> None:
        try:
            key = self._key_of(text)
        except ValueError:
            self._copies.clear()
        else:
            self._copies.evict(key)

    def _listening(self, listening: bool) -> None:  # noqa: FBT001 - a state callback
        self._copies.clear()
        self._copies.enabled = listening
