"""Each member's newest inbox rows and unread count, kept per worker, so the home screen's badge asks
PostgreSQL nothing.

The app asks for the inbox's first row and unread count whenever it opens, comes back to the front or hears
that something changed (pwa/src/app/notifications/inbox.ts), and the inbox screen for its first page
(decision 43). Each worker keeps, per member, the newest rows it was asked for and the unread count, in an
announced cache (api/announced_cache.py): migration 0021 announces at commit every row added to or removed
from a member's inbox and every change of its read mark. Later pages (``?after=``) read PostgreSQL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from api.announced_cache import AnnouncedCache
from api.db import Acquire, Connection
from api.notifications.schemas import Notification, NotificationPage
from api.notifications.service import Q, encode_cursor
from api.pending_writes import RequestWrites

if TYPE_CHECKING:
    from api.invalidation import InvalidationListener

CACHE_MEMBERS = 10_000
"""Members whose inbox head a worker keeps: two rows for a badge, a page for the inbox screen."""
KEPT_ROWS = 30
"""The most rows kept per member: the inbox screen's page; a larger first page reads PostgreSQL."""


class InboxHead(msgspec.Struct, frozen=True):
    """A member's unread count and newest rows; ``complete`` when the inbox holds no older ones."""

    unread: int
    rows: tuple[Notification, ...]
    complete: bool


class InboxHeads:
    def __init__(self, listener: InvalidationListener | None = None, *, members: int = CACHE_MEMBERS) -> None:
        self.heads: AnnouncedCache[UUID, InboxHead] = AnnouncedCache(
            listener, "inbox_member", UUID, max_entries=members
        )

    async def first_page(self, acquire: Acquire, member_id: UUID, limit: int) -> NotificationPage | None:
        """The newest ``limit`` rows and the unread count; None when the copies cannot be trusted or the page
        is larger than what is kept (then the caller asks PostgreSQL)."""
        if not self.heads.trusted or limit > KEPT_ROWS:
            return None
        head = self.heads.get(member_id)
        page = _page(head, limit) if head is not None else None
        if page is None:
            async with acquire() as conn:
                page = _page(await self._read(conn, member_id, limit), limit)
        return page

    async def _read(self, conn: Connection, member_id: UUID, limit: int) -> InboxHead:
        epoch = self.heads.epoch()
        rows = await conn.fetch(Q["list_notifications"], member_id, None, limit + 1)
        unread: int = await conn.fetchval(Q["count_unread"], member_id)
        head = InboxHead(
            unread=unread,
            rows=tuple(msgspec.convert(dict(row), Notification) for row in rows),
            complete=len(rows) <= limit,
        )
        self.heads.put(member_id, head, epoch=epoch)
        return head


def _page(head: InboxHead, limit: int) -> NotificationPage | None:
    """The first ``limit`` rows of a head, or None when it holds too few to say whether more follow."""
    if len(head.rows) > limit:
        items = list(head.rows[:limit])
        return NotificationPage(items=items, unread=head.unread, next=encode_cursor(items[-1].id))
    if head.complete:
        return NotificationPage(items=list(head.rows), unread=head.unread, next=None)
    return None


class InboxWrites:
    """What one request writes to members' inboxes, left alone by the worker's copies until it is done."""

    def __init__(self, writes: RequestWrites, inboxes: InboxHeads) -> None:
        self._writes = writes
        self._inboxes = inboxes

    def member(self, member_id: UUID) -> None:
        self._writes.mark(self._inboxes.heads, member_id)
