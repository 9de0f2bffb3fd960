"""The first page of a member's feed: each unit's live notices kept per worker, the member's receipts laid over.

A feed is mostly the same for everyone of a branch: the live notices of the branch and of every unit
above it. Each worker keeps, per unit, its newest live notices in full and the ids of all of them, and
overlays the caller's own read state. One statement per request (``feed_state``) reads, in a single
snapshot, the version of each unit's notices (moved by a trigger on every write to them, migrations/0015)
and the member's receipts. A kept unit whose version moved, or whose next scheduled publication or expiry
has come by the database's clock, is read again before use: nothing stale is shown, and the unread count
is exact without counting over receipts. No invalidation message is involved, so a lost listener cannot
leave a stale copy behind.
"""

from __future__ import annotations

import heapq
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec

from api.db import Connection
from api.local_cache import LocalCache
from api.notices import paging
from api.notices.schemas import Category, NoticeItem, NoticePage
from api.sql import load_queries, queries_beside

Q = load_queries(Path(__file__).with_name("feed.sql"))
NOTICES = queries_beside(__file__)

UNREAD_CAP = 100
"""The unread count stops here (the app shows "99+")."""
HEAD = 21
"""Notices kept in full per unit: the app's page (20) and one more, to know a next page exists. A longer
first page takes its items from the database (the ids of every live notice are kept, for the count)."""
CACHE_UNITS = 4_000
"""Every unit of a province: about 20 KB for a branch with 60 live notices, some 60 MB per worker in all."""
CACHE_SECONDS = 3_600.0
"""A safety net only: the version read with every request decides whether a kept unit is current."""


class LiveNotice(msgspec.Struct, frozen=True, gc=False):
    """A live notice as every member of its audience sees it, before their own read state."""

    id: UUID
    unit_id: int
    author_name: str
    title: str
    summary: str
    category: Category
    pinned: bool
    requires_ack: bool
    publish_at: datetime
    expires_at: datetime | None

    def order(self) -> tuple[bool, datetime, UUID]:
        """The feed's sort key (descending): pinned first, newest first; UUIDs compare as PostgreSQL's do."""
        return (self.pinned, self.publish_at, self.id)


class UnitNotices(msgspec.Struct, frozen=True, gc=False):
    """One unit's live notices as read at one moment, and how long that reading holds."""

    version: int
    valid_until: datetime | None
    """The next scheduled publication or expiry among its notices: the copy is read again from then on."""
    head: tuple[LiveNotice, ...]
    live: frozenset[UUID]


class FeedCache:
    """Per-worker copies of each unit's live notices, checked against their version on every request."""

    def __init__(self) -> None:
        self._units: LocalCache[int, UnitNotices] = LocalCache(max_entries=CACHE_UNITS, ttl=CACHE_SECONDS)
        # Checked on every use against the version read with the request, not kept by a listener.
        self._units.enabled = True

    async def first_page(
        self, conn: Connection, reach: tuple[int, ...], member_id: UUID | None, limit: int
    ) -> NoticePage:
        """The feed's first ``limit`` items with the member's read state, and their unread count."""
        units = list(dict.fromkeys(reach))
        state: Any = await conn.fetchrow(Q["feed_state"], units, member_id)  # no FROM: always one row
        now: datetime = state["now"]
        versions = zip(units, state["versions"], strict=True)
        kept = [await self._unit(conn, unit, version, now) for unit, version in versions]
        names = dict(zip(units, state["names"], strict=True))
        read, acknowledged = frozenset(state["read"]), frozenset(state["acknowledged"])
        if limit < HEAD:
            newest = heapq.merge(*(unit.head for unit in kept), key=LiveNotice.order, reverse=True)
            page = [_item(notice, names[notice.unit_id], read, acknowledged) for notice in islice(newest, limit + 1)]
        else:
            start = paging.START
            rows = await conn.fetch(
                NOTICES["feed"], units, start.pinned, start.published, start.id, limit + 1, member_id
            )
            page = [msgspec.convert(dict(row), NoticeItem) for row in rows]
        items = page[:limit]
        next_cursor = None
        if len(page) > limit:
            last = items[-1]
            next_cursor = paging.encode(paging.Position(last.pinned, last.published_at, last.id))
        unread = None
        if member_id is not None:
            unread = min(UNREAD_CAP, sum(len(unit.live) - len(unit.live & read) for unit in kept))
        return NoticePage(items=items, next_cursor=next_cursor, unread_count=unread)

    def __len__(self) -> int:
        return len(self._units)

    async def _unit(self, conn: Connection, unit_id: int, version: int, now: datetime) -> UnitNotices:
        kept = self._units.get(unit_id)
        if kept is not None and kept.version == version and (kept.valid_until is None or now < kept.valid_until):
            return kept
        read = _unit_notices(unit_id, await conn.fetch(Q["unit_notices"], unit_id))
        self._units.put(unit_id, read, epoch=self._units.epoch())
        return read


def _unit_notices(unit_id: int, rows: list[Any]) -> UnitNotices:
    """A unit's reading: live notices split from those still scheduled, and when that split next changes."""
    now: datetime = rows[0]["now"]
    live: list[LiveNotice] = []
    changes: list[datetime] = []
    for row in rows:
        if row["id"] is None:
            continue
        if row["publish_at"] > now:
            changes.append(row["publish_at"])
            continue
        if row["expires_at"] is not None:
            changes.append(row["expires_at"])
        live.append(
            LiveNotice(
                id=row["id"],
                unit_id=unit_id,
                author_name=row["author_name"],
                title=row["title"],
                summary=row["summary"],
                category=row["category"],
                pinned=row["pinned"],
                requires_ack=row["requires_ack"],
                publish_at=row["publish_at"],
                expires_at=row["expires_at"],
            )
        )
    return UnitNotices(
        version=rows[0]["version"],
        valid_until=min(changes, default=None),
        head=tuple(live[:HEAD]),
        live=frozenset(notice.id for notice in live),
    )


def _item(notice: LiveNotice, unit_name: str, read: frozenset[UUID], acknowledged: frozenset[UUID]) -> NoticeItem:
    return NoticeItem(
        id=notice.id,
        unit_id=notice.unit_id,
        unit_name=unit_name,
        author_name=notice.author_name,
        title=notice.title,
        summary=notice.summary,
        category=notice.category,
        pinned=notice.pinned,
        requires_acknowledgement=notice.requires_ack,
        published_at=notice.publish_at,
        expires_at=notice.expires_at,
        read=notice.id in read,
        acknowledged=notice.id in acknowledged,
    )
