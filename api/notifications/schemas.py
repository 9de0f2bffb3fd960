"""Push subscriptions, the inbox and notification preferences as the API sends and takes them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from api.schemas import Input

Base64Url = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Category = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z_]{1,39}$")]
LocalTime = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class VapidPublicKey(msgspec.Struct, frozen=True):
    """What the app passes to ``pushManager.subscribe()``; ``enabled`` is false when push is not configured."""

    enabled: bool
    public_key: str | None


class SubscriptionKeys(Input, frozen=True, forbid_unknown_fields=False):
    p256dh: Base64Url
    auth: Base64Url


class PushSubscriptionCreate(Input, frozen=True, forbid_unknown_fields=False):
    """The browser's ``PushSubscription.toJSON()`` exactly as it comes (unknown future fields ignored)."""

    endpoint: Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]
    keys: SubscriptionKeys
    expirationTime: Annotated[int, msgspec.Meta(ge=0, le=2**53)] | None = None  # noqa: N815 - the browser's name
    """Milliseconds since the epoch, as the browser reports it; null for nearly every push service."""


class PushSubscription(msgspec.Struct, frozen=True):
    """One of my devices."""

    id: UUID
    endpoint: str
    push_service: str
    """The endpoint's host, for a readable device list."""
    user_agent: str
    created_at: datetime
    last_seen: datetime
    expires_at: datetime | None
    failures: int


class Notification(msgspec.Struct, frozen=True):
    id: int
    kind: str
    category: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationEvent(Input, frozen=True):
    """What a device reports of a push it received (sent by the service worker, without a session)."""

    event: Literal["shown", "clicked"]
    receipt: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{22}$")]
    """The receipt the push carried."""


class NotificationPage(msgspec.Struct, frozen=True):
    items: list[Notification]
    unread: int
    next: str | None
    """Pass as ``?after=`` for older notifications; null on the last page."""


class MarkedRead(msgspec.Struct, frozen=True):
    updated: int
    unread: int


class QuietHours(Input, frozen=True):
    """Local times (Asia/Ho_Chi_Minh), ``HH:MM``; may wrap past midnight. Pushes wait until they end."""

    start: LocalTime
    end: LocalTime

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.start == self.end:
            raise ValueError("quiet_hours: start and end must differ")


class NotificationPreferences(msgspec.Struct, frozen=True):
    muted_categories: list[str]
    quiet_hours: QuietHours | None
    daily_digest: bool


class NotificationPreferencesUpdate(Input, frozen=True):
    """The whole preferences at once (PUT): what is left out returns to its default."""

    muted_categories: Annotated[list[Category], msgspec.Meta(max_length=20)] = []
    quiet_hours: QuietHours | None = None
    daily_digest: bool = False
