"""What members are told when a meeting moves or is cancelled: an outbox row in the change's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from api.db import Connection
from api.meetings.recurrence import VIETNAM
from api.outbox import Audience, NotificationIntent, cancel_pending, enqueue_notification

ChangeKind = Literal["changed", "cancelled"]
_MAX_TTL = 28 * 86_400
"""Push services keep a message at most about four weeks."""


def source_of(meeting_id: UUID) -> str:
    return f"meeting:{meeting_id}"


def _when(moment: datetime) -> str:
    local = moment.astimezone(VIETNAM)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


async def notify_members(conn: Connection, meeting: Any, kind: ChangeKind, *, now: datetime) -> None:
    """Tell the branch's members, at high urgency: they may already be on their way.

    An older change still waiting in the outbox is dropped first, so a phone that was offline hears only
    the latest news. Meetings already over tell nobody.
    """
    if meeting["ends_at"] <= now:
        return
    source = source_of(meeting["id"])
    await cancel_pending(conn, source)
    place = f" tại {meeting['place']}" if meeting["place"] else ""
    if kind == "cancelled":
        title = "Hủy buổi sinh hoạt chi bộ"
        body = f"{meeting['title']} ({_when(meeting['starts_at'])}) đã bị hủy."
        if meeting["cancel_reason"]:
            body += f" Lý do: {meeting['cancel_reason']}"
    else:
        title = "Thay đổi lịch sinh hoạt chi bộ"
        body = f"{meeting['title']}: {_when(meeting['starts_at'])}{place}."
    ttl = int((meeting["ends_at"] - now).total_seconds())
    intent = NotificationIntent(
        kind=f"meeting.{kind}",
        category="meeting",
        title=title,
        body=body[:500],
        url=f"/meetings/{meeting['id']}",
        audience=Audience(units=(meeting["branch_id"],)),
        topic=source,
        urgency="high",
        ttl_seconds=max(600, min(ttl, _MAX_TTL)),
    )
    await enqueue_notification(conn, intent, source=source)
