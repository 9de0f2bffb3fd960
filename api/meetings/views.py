"""Rows into the structs the API shows, and the attendance arithmetic of Guidance 42-HD/BTCTW."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from api.db import Connection
from api.meetings.access import Q
from api.meetings.schemas import AttendanceCount, Band, MeetingSummary


async def member_states(conn: Connection, meeting_ids: list[UUID], member_id: UUID | None) -> dict[UUID, Any]:
    """The caller's RSVP, latest absence request and presence, per meeting."""
    if member_id is None or not meeting_ids:
        return {}
    return {row["meeting_id"]: row for row in await conn.fetch(Q["member_state"], meeting_ids, member_id)}


async def summaries(conn: Connection, rows: Sequence[Any], member_id: UUID | None) -> list[MeetingSummary]:
    states = await member_states(conn, [row["id"] for row in rows], member_id)
    return [summary(row, states.get(row["id"])) for row in rows]


def summary(row: Any, state: Any | None) -> MeetingSummary:
    return MeetingSummary(
        id=row["id"],
        branch_id=row["branch_id"],
        branch_name=row["branch_name"],
        kind=row["kind"],
        template_id=row["template_id"],
        title=row["title"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        place=row["place"],
        status=row["status"],
        material_count=row["material_count"],
        has_minutes=row["has_minutes"],
        my_rsvp=state["rsvp"] if state else None,
        my_absence_status=state["absence_status"] if state else None,
        checked_in=bool(state and state["present"]),
    )


def band(percent: float | None) -> Band | None:
    if percent is None:
        return None
    if percent >= 90:
        return "at_least_90"
    if percent >= 75:
        return "75_to_90"
    if percent >= 65:
        return "65_to_75"
    return "below_65"


def attendance_count(active_members: int, present: int, excused: int) -> AttendanceCount:
    """Attendance over the branch's active members.

    Guidance 42-HD/BTCTW and our glossary are silent on excused absences; we read an approved absence
    request (xin vắng, approved by the secretary) as excusing the member, so it leaves the denominator:
    expected = active members - excused, where "excused" counts only those who then did not come (a member
    excused who came anyway is simply present). Members who left the branch since are not counted.
    """
    expected = active_members - excused
    exact = 100 * present / expected if expected > 0 else None
    return AttendanceCount(
        active_members=active_members,
        present=present,
        excused=excused,
        expected=expected,
        attendance_percent=None if exact is None else round(exact, 1),
        band=band(exact),  # on the exact ratio: 89.96% is not "90% and above"
    )
