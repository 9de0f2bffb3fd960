"""Devices, inbox and preferences of the signed-in caller: every query is bound to their own account or member."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from uuid import UUID

import msgspec

from api.context import RequestContext
from api.db import Connection
from api.errors import FieldError, InvalidInput, NotFound
from api.notifications.receipts import receipt_matches
from api.notifications.schemas import (
    MarkedRead,
    Notification,
    NotificationEvent,
    NotificationPage,
    NotificationPreferences,
    NotificationPreferencesUpdate,
    PushSubscription,
    PushSubscriptionCreate,
    QuietHours,
)
from api.settings import Settings
from api.sql import queries_beside
from push.endpoints import EndpointPolicy, InvalidSubscription

if TYPE_CHECKING:
    from api.notifications.inbox_heads import InboxWrites

Q = queries_beside(__file__)


def encode_cursor(notification_id: int) -> str:
    return base64.urlsafe_b64encode(str(notification_id).encode()).rstrip(b"=").decode()


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        value = int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii"))
    except ValueError:
        value = 0
    if not 0 < value < 2**62:
        raise InvalidInput("The cursor is not valid.", errors=[FieldError("after", "is not a cursor from this list")])
    return value


def _subscription(row: Any) -> PushSubscription:
    return PushSubscription(
        id=row["id"],
        endpoint=row["endpoint"],
        push_service=urlsplit(row["endpoint"]).hostname or "",
        user_agent=row["user_agent"],
        created_at=row["created_at"],
        last_seen=row["last_seen"],
        expires_at=row["expires_at"],
        failures=row["failures"],
    )


async def record_event(conn: Connection, secret_key: str, notification_id: int, data: NotificationEvent) -> None:
    """Record that a device showed or the member tapped a push; needs the push's receipt, not a session.

    A wrong receipt and an unknown id answer the same 404, so nobody can probe which ids exist.
    """
    if not receipt_matches(secret_key, notification_id, data.receipt):
        raise NotFound(f"No notification {notification_id}.")
    query = Q["record_clicked"] if data.event == "clicked" else Q["record_shown"]
    if await conn.fetchval(query, notification_id) is None:
        raise NotFound(f"No notification {notification_id}.")


class NotificationService:
    def __init__(
        self, conn: Connection, ctx: RequestContext, settings: Settings, *, inbox_writes: InboxWrites | None = None
    ) -> None:
        self.conn = conn
        self.ctx = ctx
        self.settings = settings
        self.inbox_writes = inbox_writes
        """Set for a writing request: whose inbox it changes, for the worker's copies (inbox_heads.py)."""

    # Devices -------------------------------------------------------------------------------------

    async def subscribe(self, data: PushSubscriptionCreate) -> tuple[PushSubscription, bool]:
        """Store or refresh the caller's device; returns it and whether it is new.

        Beyond the device cap the least recently seen devices go: a phone the member replaced, or
        one whose subscription iOS dropped, stops re-sending and sinks to the bottom; refusing the
        new device instead would lock out the phone actually in the member's hand.
        """
        policy = EndpointPolicy(self.settings.push_allowed_hosts, allow_http=self.settings.push_allow_http)
        try:
            checked = policy.check_subscription(data.endpoint, data.keys.p256dh, data.keys.auth)
        except InvalidSubscription as error:
            problem = [FieldError(error.field, error.message)]
            raise InvalidInput("The push subscription is not valid.", errors=problem) from None
        expires = None if data.expirationTime is None else datetime.fromtimestamp(data.expirationTime / 1000, UTC)
        account = self.ctx.caller.account_id
        row: Any = await self.conn.fetchrow(
            Q["upsert_subscription"],
            account,
            checked.endpoint,
            checked.p256dh,
            checked.auth,
            expires,
            self.ctx.user_agent[:300],
        )
        await self.conn.execute(Q["trim_devices"], account, self.settings.push_max_devices)
        return _subscription(row), bool(row["created"])

    async def devices(self) -> list[PushSubscription]:
        rows = await self.conn.fetch(Q["list_subscriptions"], self.ctx.caller.account_id)
        return [_subscription(row) for row in rows]

    async def unsubscribe(self, subscription_id: UUID) -> None:
        status: str = await self.conn.execute(Q["delete_subscription"], subscription_id, self.ctx.caller.account_id)
        if status.endswith(" 0"):
            raise NotFound(f"No device {subscription_id}.")

    # Inbox ---------------------------------------------------------------------------------------

    async def inbox(self, after: str | None, limit: int) -> NotificationPage:
        cursor = decode_cursor(after)
        member = self.ctx.caller.member_id
        if member is None:  # a staff account without a member record receives nothing
            return NotificationPage(items=[], unread=0, next=None)
        rows = await self.conn.fetch(Q["list_notifications"], member, cursor, limit + 1)
        items = [msgspec.convert(dict(row), Notification) for row in rows[:limit]]
        unread: int = await self.conn.fetchval(Q["count_unread"], member)
        following = encode_cursor(items[-1].id) if len(rows) > limit else None
        return NotificationPage(items=items, unread=unread, next=following)

    async def mark_read(self, notification_id: int) -> Notification:
        member = self.ctx.caller.member_id
        self._changes_inbox(member)
        row = None if member is None else await self.conn.fetchrow(Q["mark_read"], notification_id, member)
        if row is None:
            raise NotFound(f"No notification {notification_id}.")
        return msgspec.convert(dict(row), Notification)

    async def mark_all_read(self) -> MarkedRead:
        member = self.ctx.caller.member_id
        if member is None:
            return MarkedRead(updated=0, unread=0)
        self._changes_inbox(member)
        status: str = await self.conn.execute(Q["mark_all_read"], member)
        return MarkedRead(updated=int(status.rsplit(" ", 1)[-1]), unread=0)

    def _changes_inbox(self, member_id: UUID | None) -> None:
        if member_id is not None and self.inbox_writes is not None:
            self.inbox_writes.member(member_id)

    # Preferences ---------------------------------------------------------------------------------

    async def preferences(self) -> NotificationPreferences:
        row: Any = await self.conn.fetchrow(Q["get_preferences"], self.ctx.caller.account_id)
        if row is None:
            return NotificationPreferences(muted_categories=[], quiet_hours=None, daily_digest=False)
        quiet = None
        if row["quiet_start"] is not None:
            quiet = QuietHours(start=row["quiet_start"].strftime("%H:%M"), end=row["quiet_end"].strftime("%H:%M"))
        return NotificationPreferences(
            muted_categories=list(row["muted_categories"]), quiet_hours=quiet, daily_digest=row["daily_digest"]
        )

    async def update_preferences(self, data: NotificationPreferencesUpdate) -> NotificationPreferences:
        quiet = data.quiet_hours
        start = None if quiet is None else time.fromisoformat(quiet.start)
        end = None if quiet is None else time.fromisoformat(quiet.end)
        muted = sorted(set(data.muted_categories))
        await self.conn.execute(Q["put_preferences"], self.ctx.caller.account_id, muted, start, end, data.daily_digest)
        return await self.preferences()
