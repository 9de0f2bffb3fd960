"""What a domain asks the push worker to deliver: a notification intent and its audience."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

import msgspec

Urgency = Literal["very-low", "low", "normal", "high"]


class Audience(msgspec.Struct, frozen=True, kw_only=True):
    """Who should receive it: every member under these units, and/or these members.

    The worker resolves it when it delivers (members who joined meanwhile are included), and applies
    each member's preferences and quiet hours then.
    """

    units: tuple[int, ...] = ()
    """Roots of subtrees: every active member whose branch lies under one of them."""
    members: tuple[UUID, ...] = ()


class NotificationIntent(msgspec.Struct, frozen=True, kw_only=True):
    """One notification to store in members' inboxes and push to their devices."""

    kind: str
    """What happened, e.g. ``notice.published``, ``notice.reminder``, ``meeting.changed``, ``feedback.answered``."""
    category: str
    """What members mute by, e.g. ``notice``, ``meeting``, ``feedback``, ``moderation``, ``study``."""
    title: str
    body: str
    url: str
    """The app path the notification opens, e.g. ``/notices/42``."""
    audience: Audience
    topic: str | None = None
    """Collapse key: a newer notification with the same topic replaces an undelivered older one."""
    urgency: Urgency = "normal"
    ttl_seconds: int = 86_400
    """How long a push service may hold it for an offline phone (a day for notices)."""
