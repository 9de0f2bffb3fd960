"""Meetings: secretaries schedule, change, cancel and minute them; the branch's members see them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID, uuid4

import msgspec

from api.audit.service import record
from api.errors import Conflict, FieldError, InvalidInput
from api.handbook.rendering import render_markdown
from api.meetings import codes
from api.meetings.access import MeetingAccess, Q
from api.meetings.notifications import notify_members
from api.meetings.schemas import (
    CancelRequest,
    Material,
    Meeting,
    MeetingCreate,
    MeetingPage,
    MeetingUpdate,
    MinutesRequest,
    MyAbsence,
)
from api.meetings.views import member_states, summaries

When = Literal["upcoming", "past"]
PAST_LIMIT = timedelta(days=366)
"""A meeting entered after the fact may lie up to a year back (the quality report covers a year)."""
FUTURE_LIMIT = timedelta(days=2 * 366)


class MeetingService(MeetingAccess):
    async def create(self, data: MeetingCreate) -> Meeting:
        """Schedule a one-off (thematic) meeting in a branch the caller leads."""
        branch = await self.managed_branch(data.branch_id)
        self._check_start(data.starts_at)
        await self._check_materials(data.materials, branch["path"])
        meeting_id = data.id or uuid4()
        inserted = await self.conn.fetchval(
            Q["insert_meeting"],
            meeting_id,
            branch["id"],
            data.kind,
            data.title,
            data.starts_at,
            data.starts_at + timedelta(minutes=data.duration_minutes),
            data.place,
            data.agenda_md,
            render_markdown(data.agenda_md),
            codes.new_secret(),
            self.principal.account_id,
        )
        if inserted is None:
            # The client's id again: the meeting it made, if it is this caller's; anyone else's is a clash.
            owner = await self.conn.fetchrow(Q["meeting_owner"], meeting_id)
            if owner is None or owner["created_by"] != self.principal.account_id:
                raise Conflict("Mã buổi sinh hoạt này đã được dùng.")
            return await self.get(meeting_id)
        await self.conn.execute(Q["link_materials"], meeting_id, data.materials)
        await record(self.conn, self.ctx, "meeting_created", target=f"meeting:{meeting_id}", unit_id=branch["id"])
        return await self.get(meeting_id)

    async def get(self, meeting_id: UUID) -> Meeting:
        return await self._present(await self.visible_meeting(meeting_id))

    async def list_meetings(
        self, *, branch_id: int | None, when: When, include_cancelled: bool, after: UUID | None, limit: int
    ) -> MeetingPage:
        """The caller's branch (and those they lead), or one branch in their scope; upcoming: the next first.

        Reads only: templates' occurrences are made when a template is saved and by the scheduled job
        (api/meetings/jobs.py), months ahead, never by a listing. The home screen's usual listing is served
        from the worker's copies (api/meetings/upcoming.py) and reaches this only when they cannot answer.
        """
        if branch_id is not None:
            branches = [(await self.readable_branch(branch_id))["id"]]
        else:
            branches = await self.own_branches()
        if not branches:
            return MeetingPage(items=[], next_cursor=None)
        query = Q["list_upcoming"] if when == "upcoming" else Q["list_past"]
        rows = await self.conn.fetch(query, branches, include_cancelled, after, limit + 1)
        items = await summaries(self.conn, rows[:limit], self.principal.member_id)
        return MeetingPage(items=items, next_cursor=str(items[-1].id) if len(rows) > limit else None)

    async def update(self, meeting_id: UUID, data: MeetingUpdate) -> Meeting:
        """Change a scheduled meeting; a new time or place is pushed to the branch's members."""
        row = await self.managed_meeting(meeting_id)
        if row["status"] != "scheduled":
            raise Conflict("Chỉ sửa được buổi sinh hoạt đang lên lịch.")
        changes: dict[str, Any] = {
            name: value for name in data.__struct_fields__ if (value := getattr(data, name)) is not msgspec.UNSET
        }
        starts_at: datetime = changes.get("starts_at", row["starts_at"])
        if "starts_at" in changes:
            self._check_start(starts_at)
        duration = changes.get("duration_minutes", (row["ends_at"] - row["starts_at"]) // timedelta(minutes=1))
        ends_at = starts_at + timedelta(minutes=duration)
        merged = {**dict(row), **changes, "starts_at": starts_at, "ends_at": ends_at}
        if "materials" in changes:
            await self._check_materials(changes["materials"], row["branch_path"])
            await self.conn.execute(Q["link_materials"], meeting_id, changes["materials"])
        # An occurrence edited by hand no longer follows its template's later changes.
        detached = any(merged[name] != row[name] for name in ("title", "starts_at", "ends_at", "place", "agenda_md"))
        await self.conn.execute(
            Q["update_meeting"],
            meeting_id,
            merged["title"],
            starts_at,
            ends_at,
            merged["place"],
            merged["agenda_md"],
            render_markdown(merged["agenda_md"]),
            detached,
        )
        if (starts_at, ends_at, merged["place"]) != (row["starts_at"], row["ends_at"], row["place"]):
            await notify_members(self.conn, await self.managed_meeting(meeting_id), "changed", now=self.now())
        await record(
            self.conn,
            self.ctx,
            "meeting_updated",
            target=f"meeting:{meeting_id}",
            unit_id=row["branch_id"],
            details={"fields": sorted(changes)},
        )
        return await self.get(meeting_id)

    async def cancel(self, meeting_id: UUID, data: CancelRequest) -> Meeting:
        """Cancel a scheduled meeting (final); members are told at once. Cancelling again changes nothing."""
        row = await self.managed_meeting(meeting_id)
        if row["status"] == "cancelled":
            return await self._present(row)
        if row["status"] != "scheduled":
            raise Conflict("Buổi sinh hoạt đã diễn ra, không hủy được.")
        await self.conn.execute(Q["cancel_meeting"], meeting_id, data.reason)
        await notify_members(self.conn, await self.managed_meeting(meeting_id), "cancelled", now=self.now())
        await record(
            self.conn,
            self.ctx,
            "meeting_cancelled",
            target=f"meeting:{meeting_id}",
            unit_id=row["branch_id"],
            details={"reason": data.reason[:200]},
        )
        return await self.get(meeting_id)

    async def publish_minutes(self, meeting_id: UUID, data: MinutesRequest) -> Meeting:
        """Publish (or correct) the minutes once the meeting has started; the meeting counts as held."""
        row = await self.managed_meeting(meeting_id)
        if row["status"] == "cancelled":
            raise Conflict("Buổi sinh hoạt đã bị hủy.")
        if row["starts_at"] > self.now():
            raise Conflict("Chỉ đăng biên bản sau khi buổi sinh hoạt đã bắt đầu.")
        first = row["minutes_published_at"] is None
        await self.conn.execute(Q["publish_minutes"], meeting_id, data.minutes_md, render_markdown(data.minutes_md))
        await record(
            self.conn,
            self.ctx,
            "meeting_minutes_published" if first else "meeting_minutes_corrected",
            target=f"meeting:{meeting_id}",
            unit_id=row["branch_id"],
        )
        return await self.get(meeting_id)

    def _check_start(self, starts_at: datetime) -> None:
        now = self.now()
        if not now - PAST_LIMIT <= starts_at <= now + FUTURE_LIMIT:
            raise InvalidInput(
                "Thời gian sinh hoạt không hợp lệ.",
                errors=[FieldError(field="starts_at", message="must lie within a year back and two years ahead")],
            )

    async def _check_materials(self, materials: list[UUID], branch_path: list[int]) -> None:
        """Published documents whose audience includes the branch: every member can open them."""
        usable = {row["id"] for row in await self.conn.fetch(Q["usable_materials"], materials, branch_path)}
        errors = []
        for index, document_id in enumerate(materials):
            if document_id in materials[:index]:
                errors.append(FieldError(field=f"materials[{index}]", message="listed twice"))
            elif document_id not in usable:
                message = "not a published document for this branch"
                errors.append(FieldError(field=f"materials[{index}]", message=message))
        if errors:
            raise InvalidInput("Tài liệu sinh hoạt không hợp lệ.", errors=errors)

    async def _present(self, row: Any) -> Meeting:
        materials = [
            Material(document_id=m["document_id"], title=m["title"], linked_at=m["linked_at"])
            for m in await self.conn.fetch(Q["meeting_materials"], row["id"])
        ]
        state = (await member_states(self.conn, [row["id"]], self.principal.member_id)).get(row["id"])
        opens, closes = codes.window(row["starts_at"], row["ends_at"])
        absence = None
        if state is not None and state["absence_id"] is not None:
            absence = MyAbsence(
                id=state["absence_id"],
                status=state["absence_status"],
                reason=state["absence_reason"],
                decision_note=state["decision_note"],
            )
        return Meeting(
            id=row["id"],
            branch_id=row["branch_id"],
            branch_name=row["branch_name"],
            kind=row["kind"],
            template_id=row["template_id"],
            title=row["title"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            place=row["place"],
            agenda_md=row["agenda_md"],
            agenda_html=row["agenda_html"],
            status=row["status"],
            cancel_reason=row["cancel_reason"],
            materials=materials,
            minutes_md=row["minutes_md"],
            minutes_html=row["minutes_html"],
            minutes_published_at=row["minutes_published_at"],
            check_in_opens_at=opens,
            check_in_closes_at=closes,
            can_manage=self.can_manage(row["branch_path"]),
            my_rsvp=state["rsvp"] if state else None,
            my_absence=absence,
            checked_in=bool(state and state["present"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
