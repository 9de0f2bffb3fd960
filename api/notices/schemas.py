"""Notices, the feed, read receipts and reminders as the API shows and takes them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from api.schemas import Input

Category = Literal["general", "meeting", "study", "urgent"]
NoticeState = Literal["scheduled", "published", "expired", "withdrawn"]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Body = Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]
"""Markdown; rendered and sanitized on the server."""
UnitId = Annotated[int, msgspec.Meta(ge=1, le=2**62)]
Revision = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Aware = Annotated[datetime, msgspec.Meta(tz=True)]
MAX_ATTACHMENTS = 10
Attachments = Annotated[list[UUID], msgspec.Meta(max_length=MAX_ATTACHMENTS)]
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)
"""Times outside these are mistakes, and near year 1 or 9999 they cannot even be moved to UTC."""


def _check_times(**values: datetime | msgspec.UnsetType | None) -> None:
    for name, value in values.items():
        if isinstance(value, datetime) and not EARLIEST <= value <= LATEST:
            raise ValueError(f"{name}: must lie between {EARLIEST.year} and {LATEST.year}")


# Requests --------------------------------------------------------------------------------------------


class NoticeCreate(Input, frozen=True, kw_only=True):
    """Only ``title`` and ``body`` are needed: the audience defaults to the author's own unit."""

    title: Title
    body: Body
    id: UUID | None = None
    """Made by the client for a notice written offline: sending it again returns the same notice."""
    unit_id: UnitId | None = None
    """Whose members read it: a unit in the author's posting scope (default: the unit they lead)."""
    category: Category = "general"
    pinned: bool = False
    requires_acknowledgement: bool = False
    publish_at: Aware | None = None
    """Scheduled publication; default (or a time already past): now."""
    expires_at: Aware | None = None
    attachments: Attachments = []
    """Attachments of published handbook documents that every reader of the notice may read."""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_times(publish_at=self.publish_at, expires_at=self.expires_at)


class NoticeUpdate(Input, frozen=True, kw_only=True):
    """Changes to a notice; ``revision`` is the one the author started from (stale: 409)."""

    revision: Revision
    title: Title | msgspec.UnsetType = msgspec.UNSET
    body: Body | msgspec.UnsetType = msgspec.UNSET
    category: Category | msgspec.UnsetType = msgspec.UNSET
    pinned: bool | msgspec.UnsetType = msgspec.UNSET
    requires_acknowledgement: bool | msgspec.UnsetType = msgspec.UNSET
    publish_at: Aware | msgspec.UnsetType = msgspec.UNSET
    """Only while the notice is still scheduled."""
    expires_at: Aware | msgspec.UnsetType | None = msgspec.UNSET
    """``null`` removes the expiry."""
    attachments: Attachments | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_times(publish_at=self.publish_at, expires_at=self.expires_at)


class NoticeWithdraw(Input, frozen=True, kw_only=True):
    revision: Revision
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""
    """Kept in the audit log."""


# Responses -------------------------------------------------------------------------------------------


class NoticeAttachment(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    """Fetch it with GetAttachment."""
    file_name: str
    media_type: str
    size_bytes: int


class NoticeItem(msgspec.Struct, frozen=True, kw_only=True):
    """One notice of the feed: the summary, not the body."""

    id: UUID
    unit_id: int
    unit_name: str
    author_name: str
    title: str
    summary: str
    category: Category
    pinned: bool
    requires_acknowledgement: bool
    published_at: datetime
    expires_at: datetime | None
    read: bool
    acknowledged: bool


class NoticePage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[NoticeItem]
    next_cursor: str | None
    """Pass as ``after`` for the next page; null on the last."""
    unread_count: int | None
    """Live notices the caller has not opened (first page only)."""


class Notice(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    unit_id: int
    unit_name: str
    author_name: str
    title: str
    body_html: str
    """Sanitized HTML, safe to put into the page as it is."""
    body: str | None
    """The Markdown source, for those who may edit the notice."""
    summary: str
    category: Category
    pinned: bool
    requires_acknowledgement: bool
    publish_at: datetime
    expires_at: datetime | None
    withdrawn_at: datetime | None
    state: NoticeState
    revision: int
    created_at: datetime
    updated_at: datetime
    attachments: list[NoticeAttachment]
    can_manage: bool
    """The caller may edit, withdraw and follow up this notice."""
    read_at: datetime | None
    acknowledged_at: datetime | None


class ManagedNotice(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    unit_id: int
    unit_name: str
    author_name: str
    title: str
    category: Category
    pinned: bool
    requires_acknowledgement: bool
    publish_at: datetime
    expires_at: datetime | None
    state: NoticeState
    revision: int


class ManagedNoticePage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ManagedNotice]
    next_cursor: str | None


class Receipt(msgspec.Struct, frozen=True, kw_only=True):
    """The caller's own state after reading or acknowledging."""

    notice_id: UUID
    read_at: datetime
    acknowledged_at: datetime | None


class BranchReceipts(msgspec.Struct, frozen=True, kw_only=True):
    unit_id: int | None
    """None on the total row."""
    code: str
    name: str
    members: int
    read: int
    acknowledged: int
    read_percent: float
    acknowledged_percent: float


class MemberReceipt(msgspec.Struct, frozen=True, kw_only=True):
    """Names appear only for the secretary (or deputy), and only within their own branch."""

    member_id: UUID
    full_name: str
    branch_id: int
    read_at: datetime | None
    acknowledged_at: datetime | None


class NoticeReceipts(msgspec.Struct, frozen=True, kw_only=True):
    notice_id: UUID
    requires_acknowledgement: bool
    total: BranchReceipts
    """Everyone the notice reaches within the caller's scope."""
    branches: list[BranchReceipts]
    members: list[MemberReceipt]
    last_reminded_at: datetime | None


class BranchDelivery(msgspec.Struct, frozen=True, kw_only=True):
    """One branch's push funnel: members reached in their inbox, then pushes taken, shown and tapped."""

    unit_id: int | None
    """None on the total row."""
    code: str
    name: str
    targeted: int
    delivered: int
    shown: int
    clicked: int


class PushTotals(msgspec.Struct, frozen=True, kw_only=True):
    """Every push about the notice, by the push services' answers (devices, not members)."""

    targeted: int
    sent: int
    gone: int
    """Endpoints the push service no longer knows (404/410): deleted."""
    too_large: int
    config_error: int
    """Refused as unauthorized (400/401/403): a VAPID key or subject problem, nothing deleted."""
    rejected: int
    failed: int
    """Retries used up (5xx, 429, timeouts)."""
    retried: int


class NoticeDelivery(msgspec.Struct, frozen=True, kw_only=True):
    notice_id: UUID
    total: BranchDelivery
    branches: list[BranchDelivery]
    push: PushTotals | None
    """Only for those who follow up the notice's whole audience."""


class Reminder(msgspec.Struct, frozen=True, kw_only=True):
    notice_id: UUID
    recipients: int
    """Members reminded: those in the caller's scope who have not read (or not acknowledged) it."""
    sent_at: datetime
