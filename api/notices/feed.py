"""The first page of a member's feed: each unit's live notices kept per worker, the member's receipts laid over.

A feed is mostly the same for everyone of a branch: the live notices of the branch and of every unit
above it. Each worker keeps, per unit, its newest live notices in full and the ids of all of them, and
overlays the caller's own read state. Two ways to know the copies are current (decision 39):

- **Announced** (the listener is up): every write to a unit's notices, or its name, is announced at commit
  (migration 0019), and so is every write to a member's receipts; each worker evicts what changed. Then a
  feed request whose units and receipts are kept asks PostgreSQL nothing at all, not even for a connection.
  A scheduled publication or an expiry changes no row: each copy carries the moment of its next such change
  by the database's clock, turned into the worker's monotonic clock when it was read (conservatively: from
  before the statement was sent), so clock skew between the machines does not matter.
- **Checked** (the listener is lost, decision 32): one statement per request (``feed_state``) reads the
  versions of the reach's units, their names and the member's receipts in one snapshot; a kept copy whose
  version moved, or whose next scheduled change has come, is read again. Nothing stale is served.

A worker that writes a notice or a receipt does not wait for its own announcement: the unit or member is
read from the database from the write until the request's commit is done and its answer sent
(``FeedWrites``, api/pending_writes.py), so the writer, and the member on any device served by this
worker, see it at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

import msgspec

from api.db import Acquire, Connection
from api.http_cache import content_etag
from api.local_cache import LocalCache
from api.notices import paging
from api.notices.feed_pages import (
    HEAD,
    NO_RECEIPTS,
    EncodedPage,
    MemberReceipts,
    UnitNotices,
    first_page_of,
    paged,
    same_copies,
    unit_notices,
    unread_count,
)
from api.notices.schemas import NoticeItem, NoticePage
from api.pending_writes import PendingWrites, RequestWrites
from api.sql import load_queries, queries_beside

if TYPE_CHECKING:
    from api.invalidation import InvalidationListener

Q = load_queries(Path(__file__).with_name("feed.sql"))
NOTICES = queries_beside(__file__)

CACHE_UNITS = 4_000
"""Every unit of a province: about 20 KB for a branch with 60 live notices, some 60 MB per worker in all."""
CACHE_SECONDS = 3_600.0
"""A safety net only: announcements (or, without a listener, the versions) decide whether a copy is current."""
RECEIPT_MEMBERS = 10_000
"""Members whose receipts a worker keeps (least recently used go first): a few KB each for a member who has
opened a few dozen notices, so some tens of MB per worker at most."""
ENCODED_PAGES = 2_000
"""Members whose last first page a worker keeps encoded, about 10 KB each."""


class FeedCache:
    """Per-worker copies of each unit's live notices and of members' receipts (see the module docstring)."""

    def __init__(
        self,
        listener: InvalidationListener | None = None,
        *,
        receipt_members: int = RECEIPT_MEMBERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._units: LocalCache[int, UnitNotices] = LocalCache(max_entries=CACHE_UNITS, ttl=CACHE_SECONDS, clock=clock)
        # Always on: without a listener every use is checked against the version read with the request.
        self._units.enabled = True
        self._receipts: LocalCache[UUID, MemberReceipts] = LocalCache(
            max_entries=receipt_members, ttl=CACHE_SECONDS, clock=clock
        )
        self._encoded: LocalCache[tuple[UUID | None, tuple[int, ...], int], EncodedPage] = LocalCache(
            max_entries=ENCODED_PAGES, ttl=CACHE_SECONDS, clock=clock
        )
        self._pending = PendingWrites(clock=clock)
        self.announced = False
        """True while the invalidation listener is connected: copies are trusted until announced otherwise."""
        if listener is not None:
            listener.on("notice_unit", self._unit_changed)
            listener.on("notice_receipts", self._receipts_changed)
            listener.on_state(self._listening)

    # Serving -------------------------------------------------------------------------------------

    async def first_page(
        self, acquire: Acquire, reach: tuple[int, ...], member_id: UUID | None, limit: int
    ) -> NoticePage:
        """The feed's first ``limit`` items with the member's read state, and their unread count."""
        warm = self._warm(reach, member_id, limit)
        if warm is not None:
            return first_page_of(*warm, limit, member_id)
        async with acquire() as conn:
            return await self._first_page(conn, list(dict.fromkeys(reach)), member_id, limit)

    async def page(
        self, acquire: Acquire, reach: tuple[int, ...], member_id: UUID | None, after: str | None, limit: int
    ) -> NoticePage:
        """A page of the feed: the first from the copies, those after it (asked far less often) from the database."""
        if after is None:
            return await self.first_page(acquire, reach, member_id, limit)
        position = paging.decode(after)
        async with acquire() as conn:
            rows = await conn.fetch(
                NOTICES["feed"], list(reach), position.pinned, position.published, position.id, limit + 1, member_id
            )
        return paged([msgspec.convert(dict(row), NoticeItem) for row in rows], limit, None)

    async def encoded_page(
        self, acquire: Acquire, reach: tuple[int, ...], member_id: UUID | None, after: str | None, limit: int
    ) -> tuple[bytes, str]:
        """``page`` as the JSON the API sends, and its ETag: a member who asks again while nothing they see
        has changed gets the bytes made for their last request (the same copies and receipts, by identity)."""
        warm = self._warm(reach, member_id, limit) if after is None else None
        if warm is None:
            body = msgspec.json.encode(await self.page(acquire, reach, member_id, after, limit))
            return body, content_etag(body)
        key = (member_id, reach, limit)
        units, _, receipts = warm
        made = self._encoded.get(key)
        if made is not None and made.receipts is receipts and same_copies(made.units, units):
            return made.body, made.etag
        body = msgspec.json.encode(first_page_of(*warm, limit, member_id))
        made = EncodedPage(units=tuple(units), receipts=receipts, body=body, etag=content_etag(body))
        self._encoded.put(key, made, epoch=self._encoded.epoch())
        return made.body, made.etag

    def _warm(
        self, reach: tuple[int, ...], member_id: UUID | None, limit: int
    ) -> tuple[list[UnitNotices], dict[int, str], MemberReceipts] | None:
        """The copies a first page needs, when the listener is up and all are kept; else None."""
        if not self.announced or limit >= HEAD:
            return None
        units: list[UnitNotices] = []
        for unit_id in dict.fromkeys(reach):
            kept = self._announced_unit(unit_id)
            if kept is None:
                return None
            units.append(kept)
        receipts = self._kept_receipts(member_id)
        if receipts is None:
            return None
        return units, {unit.unit_id: unit.name for unit in units}, receipts

    async def _first_page(self, conn: Connection, units: list[int], member_id: UUID | None, limit: int) -> NoticePage:
        if self.announced:
            kept = [self._announced_unit(unit) or await self._read_unit(conn, unit) for unit in units]
            names = {unit.unit_id: unit.name for unit in kept}
            receipts = self._kept_receipts(member_id) or await self._read_receipts(conn, member_id)
        else:
            state: Any = await conn.fetchrow(Q["feed_state"], units, member_id)  # no FROM: always one row
            now: datetime = state["now"]
            versions = zip(units, state["versions"], strict=True)
            kept = [await self._checked_unit(conn, unit, version, now) for unit, version in versions]
            names = dict(zip(units, state["names"], strict=True))  # read with the versions: a rename moves none
            receipts = MemberReceipts(read=frozenset(state["read"]), acknowledged=frozenset(state["acknowledged"]))
        if limit < HEAD:
            return first_page_of(kept, names, receipts, limit, member_id)
        start = paging.START
        rows = await conn.fetch(NOTICES["feed"], units, start.pinned, start.published, start.id, limit + 1, member_id)
        page = [msgspec.convert(dict(row), NoticeItem) for row in rows]
        return paged(page, limit, unread_count(kept, receipts, member_id))

    def __len__(self) -> int:
        return len(self._units)

    def receipts_kept(self) -> int:
        """Members whose receipts this worker keeps now."""
        return len(self._receipts)

    # Copies --------------------------------------------------------------------------------------

    def _announced_unit(self, unit_id: int) -> UnitNotices | None:
        if ("unit", unit_id) in self._pending:
            return None
        kept = self._units.get(unit_id)
        if kept is None or self._clock() >= kept.fresh_until:
            return None
        return kept

    def _kept_receipts(self, member_id: UUID | None) -> MemberReceipts | None:
        if member_id is None:
            return NO_RECEIPTS
        if ("member", member_id) in self._pending:
            return None
        return self._receipts.get(member_id)

    async def _checked_unit(self, conn: Connection, unit_id: int, version: int, now: datetime) -> UnitNotices:
        kept = self._units.get(unit_id)
        if kept is not None and kept.version == version and (kept.valid_until is None or now < kept.valid_until):
            return kept
        return await self._read_unit(conn, unit_id)

    async def _read_unit(self, conn: Connection, unit_id: int) -> UnitNotices:
        epoch, sent = self._units.epoch(), self._clock()
        read = unit_notices(unit_id, await conn.fetch(Q["unit_notices"], unit_id), sent)
        if ("unit", unit_id) not in self._pending:
            self._units.put(unit_id, read, epoch=epoch)  # dropped if anything was evicted meanwhile
        return read

    async def _read_receipts(self, conn: Connection, member_id: UUID | None) -> MemberReceipts:
        if member_id is None:
            return NO_RECEIPTS
        epoch = self._receipts.epoch()
        row: Any = await conn.fetchrow(Q["member_receipts"], member_id)  # no FROM: always one row
        receipts = MemberReceipts(read=frozenset(row["read"]), acknowledged=frozenset(row["acknowledged"]))
        if ("member", member_id) not in self._pending:
            self._receipts.put(member_id, receipts, epoch=epoch)
        return receipts

    # Announcements and this worker's own writes ---------------------------------------------------

    def _unit_changed(self, key: str) -> None:
        if key.isdigit():
            self._units.evict(int(key))
        else:
            self._units.clear()

    def _receipts_changed(self, key: str) -> None:
        try:
            member_id = UUID(key)
        except ValueError:  # "" after a bulk write: every member's receipts go
            self._receipts.clear()
        else:
            self._receipts.evict(member_id)

    def _listening(self, listening: bool) -> None:  # noqa: FBT001 - a state callback
        # Whatever changed while nobody listened went unheard: start again from the database either way.
        self._units.clear()
        self._receipts.clear()
        self._receipts.enabled = listening
        self._encoded.clear()
        self._encoded.enabled = listening
        self.announced = listening

    def writing(self, key: Hashable) -> None:
        """A write of this worker's request to ("unit", id) or ("member", id): away from the copies until settled."""
        self._pending.begin(key)
        self._evict(key)

    def settled(self, key: Hashable) -> None:
        """The writing request has committed and answered: what is read from now on may be kept again."""
        self._pending.end(key)
        self._evict(key)  # and nothing read before the commit is kept (the epoch moves)

    def _evict(self, key: Hashable) -> None:
        kind, value = cast("tuple[str, Any]", key)
        if kind == "unit":
            self._units.evict(value)
        else:
            self._receipts.evict(value)


class FeedWrites:
    """What one request writes that the worker's copies must leave alone until the request is done."""

    def __init__(self, writes: RequestWrites, cache: FeedCache) -> None:
        self._writes = writes
        self._cache = cache

    def unit(self, unit_id: int) -> None:
        self._writes.mark(self._cache, ("unit", unit_id))

    def receipts(self, member_id: UUID) -> None:
        self._writes.mark(self._cache, ("member", member_id))
