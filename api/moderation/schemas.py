"""Reports, the moderation queue, moderators' actions and appeals as the API takes and shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from api.feedback.schemas import AppealStatus, Comment, TextInput

ItemKind = Literal["thread", "reply", "faq"]
ReportReason = Literal["spam", "offensive", "personal_data", "false_information", "off_topic", "other"]
Action = Literal["hide", "restore", "lock", "unlock", "restrict", "dismiss"]
Decision = Literal["uphold", "overturn"]
Reason = Annotated[str, msgspec.Meta(max_length=500)]

NEEDS_REASON: frozenset[str] = frozenset({"hide", "restrict"})


class ReportRequest(TextInput, frozen=True, kw_only=True):
    reason: ReportReason
    details: Comment = ""


class ModerationRequest(TextInput, frozen=True, kw_only=True):
    action: Action
    """``hide`` and ``restore`` any item; ``lock`` and ``unlock`` threads; ``restrict`` the item's author from
    posting for ``days``; ``dismiss`` the reports (nothing wrong)."""
    reason: Reason = ""
    """Required to hide and to restrict; the author sees it."""
    message: Comment = ""
    """A word to the author (hide, restrict)."""
    days: Annotated[int, msgspec.Meta(ge=1, le=365)] | None = None
    """How long a restriction lasts (restrict only)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.action in NEEDS_REASON and not self.reason.strip():
            raise ValueError(f"reason: required to {self.action}")
        if (self.action == "restrict") != (self.days is not None):
            raise ValueError("days: required to restrict, and only then")


class AppealRequest(TextInput, frozen=True, kw_only=True):
    _required = ("text",)

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class AppealDecision(TextInput, frozen=True, kw_only=True):
    decision: Decision
    note: Comment = ""


# Responses -------------------------------------------------------------------------------------------


class ReportReceipt(msgspec.Struct, frozen=True, kw_only=True):
    item_kind: ItemKind
    item_id: UUID
    reason: ReportReason
    details: str
    reported_at: datetime
    """When this person first reported the item: filing again does not count twice."""


class ReasonCount(msgspec.Struct, frozen=True):
    reason: ReportReason
    count: int


class PendingAppeal(msgspec.Struct, frozen=True, kw_only=True):
    case_id: UUID
    text: str
    appealed_at: datetime
    hidden_by_you: bool
    """You hid it, so another moderator decides."""


class QueueItem(msgspec.Struct, frozen=True, kw_only=True):
    item_kind: ItemKind
    item_id: UUID
    thread_id: UUID
    unit_id: int
    unit_name: str
    text: str
    """The content itself (also when hidden): moderators judge what was written."""
    hidden: bool
    locked: bool
    report_count: int
    """Distinct people whose report is open (one person counts once)."""
    reasons: list[ReasonCount]
    first_reported_at: datetime | None
    appeal: PendingAppeal | None
    waiting_since: datetime


class ModerationOutcome(msgspec.Struct, frozen=True, kw_only=True):
    item_kind: ItemKind
    item_id: UUID
    action: Action
    hidden: bool
    locked: bool
    case_id: UUID | None
    restricted_until: datetime | None = None


class ModerationCase(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    item_kind: ItemKind
    item_id: UUID
    thread_id: UUID
    reason: str
    message: str
    hidden_at: datetime
    restored_at: datetime | None
    appeal: AppealStatus
    appeal_text: str | None
    appealed_at: datetime | None
    appeal_note: str
    appeal_decided_at: datetime | None
