"""The feed's first page as built from kept copies: each unit's live notices, the member's receipts laid over.

Pure data and functions (api/notices/feed.py keeps the copies and decides when they are current): a copy is
never changed, only replaced, so a page made from the same copies is the same page.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from typing import Any
from uuid import UUID

import msgspec

from api.notices import paging
from api.notices.schemas import Category, NoticeItem, NoticePage

UNREAD_CAP = 100
"""The unread count stops here (the app shows "99+")."""
HEAD = 21
"""Notices kept in full per unit: the app's page (20) and one more, to know a next page exists. A longer
first page takes its items from the database (the ids of every live notice are kept, for the count)."""


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

    unit_id: int
    version: int
    name: str
    valid_until: datetime | None
    """The next scheduled publication or expiry among its notices, by the database's clock."""
    fresh_until: float
    """The same moment on this worker's monotonic clock (never later than it): the announced mode's check."""
    head: tuple[LiveNotice, ...]
    live: frozenset[UUID]


class MemberReceipts(msgspec.Struct, frozen=True, gc=False):
    """The notices a member has opened, and those they acknowledged."""

    read: frozenset[UUID]
    acknowledged: frozenset[UUID]


NO_RECEIPTS = MemberReceipts(read=frozenset(), acknowledged=frozenset())


class EncodedPage(msgspec.Struct, frozen=True, gc=False):
    """A first page as sent, with the copies it was made from: still the answer while they are the same objects
    (a copy is never changed, only replaced), so it is neither rebuilt, nor encoded, nor hashed again."""

    units: tuple[UnitNotices, ...]
    receipts: MemberReceipts
    body: bytes
    etag: str


def first_page_of(
    kept: list[UnitNotices], names: dict[int, str], receipts: MemberReceipts, limit: int, member_id: UUID | None
) -> NoticePage:
    newest = heapq.merge(*(unit.head for unit in kept), key=LiveNotice.order, reverse=True)
    page = [item(notice, names[notice.unit_id], receipts) for notice in islice(newest, limit + 1)]
    return paged(page, limit, unread_count(kept, receipts, member_id))


def same_copies(made: tuple[UnitNotices, ...], units: list[UnitNotices]) -> bool:
    return len(made) == len(units) and all(a is b for a, b in zip(made, units, strict=True))


def paged(page: list[NoticeItem], limit: int, unread: int | None) -> NoticePage:
    items = page[:limit]
    next_cursor = None
    if len(page) > limit:
        last = items[-1]
        next_cursor = paging.encode(paging.Position(last.pinned, last.published_at, last.id))
    return NoticePage(items=items, next_cursor=next_cursor, unread_count=unread)


def unread_count(kept: Iterable[UnitNotices], receipts: MemberReceipts, member_id: UUID | None) -> int | None:
    if member_id is None:
        return None
    read = receipts.read
    return min(UNREAD_CAP, sum(len(unit.live) - len(unit.live & read) for unit in kept))


def unit_notices(unit_id: int, rows: list[Any], sent: float) -> UnitNotices:
    """A unit's reading: live notices split from those still scheduled, and when that split next changes.

    ``sent`` is the worker's monotonic clock from before the statement was sent: the database's ``now`` was
    taken later, so a deadline counted from ``sent`` comes no later than the database's moment.
    """
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
    valid_until = min(changes, default=None)
    return UnitNotices(
        unit_id=unit_id,
        version=rows[0]["version"],
        name=rows[0]["unit_name"],
        valid_until=valid_until,
        fresh_until=math.inf if valid_until is None else sent + (valid_until - now).total_seconds(),
        head=tuple(live[:HEAD]),
        live=frozenset(notice.id for notice in live),
    )


def item(notice: LiveNotice, unit_name: str, receipts: MemberReceipts) -> NoticeItem:
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
        read=notice.id in receipts.read,
        acknowledged=notice.id in receipts.acknowledged,
    )
