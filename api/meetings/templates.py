"""Recurring templates: secretaries describe the monthly meeting once and its occurrences appear by themselves."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID

import msgspec

from api.audit.service import record
from api.db import Connection
from api.errors import NotFound
from api.handbook.rendering import render_markdown
from api.meetings import codes, recurrence
from api.meetings.access import MeetingAccess, Q
from api.meetings.notifications import notify_members
from api.meetings.schemas import MeetingTemplate, TemplateCreate, TemplateUpdate
from api.meetings.views import summaries

_SCHEDULE_FIELDS = frozenset({"title", "day_of_month", "local_time", "duration_minutes", "place", "agenda_md"})


async def materialise(
    conn: Connection, branch_ids: list[int], now: datetime, *, template_id: UUID | None = None
) -> int:
    """Create the occurrences the active templates of some branches owe up to their horizon; returns how many.

    Idempotent and safe under concurrency: the due templates are locked, so a second listing waits and then
    finds nothing due, and (template, month) is unique besides. Most calls find nothing due and write nothing.
    """
    current = recurrence.month_of(now)
    created = 0
    for template in await conn.fetch(Q["due_templates"], branch_ids, current, template_id):
        through = recurrence.add_months(current, template["months_ahead"])
        found = recurrence.occurrences(
            day_of_month=template["day_of_month"],
            local_time=template["local_time"],
            duration_minutes=template["duration_minutes"],
            after=template["materialised_through"],
            through=through,
            not_before=now,
        )
        if found:
            status = await conn.execute(
                Q["insert_occurrences"],
                template["branch_id"],
                template["id"],
                template["title"],
                template["place"],
                template["agenda_md"],
                render_markdown(template["agenda_md"]),
                template["created_by"],
                [o.month for o in found],
                [o.starts_at for o in found],
                [o.ends_at for o in found],
                [codes.new_secret() for _ in found],
            )
            created += int(status.rsplit(" ", 1)[-1])
        await conn.execute(Q["set_materialised"], template["id"], through)
    return created


class TemplateService(MeetingAccess):
    async def create(self, data: TemplateCreate) -> MeetingTemplate:
        """Create a template for a branch the caller leads and materialise its first occurrences."""
        branch = await self.managed_branch(data.branch_id)
        now = self.now()
        template_id = await self.conn.fetchval(
            Q["insert_template"],
            branch["id"],
            data.title,
            data.day_of_month,
            _parse_time(data.local_time),
            data.duration_minutes,
            data.place,
            data.agenda_md,
            data.months_ahead,
            # The month before this one: the current month's occurrence is owed too, if it has not started.
            recurrence.add_months(recurrence.month_of(now), -1),
            self.principal.account_id,
        )
        await materialise(self.conn, [branch["id"]], now, template_id=template_id)
        target = f"meeting-template:{template_id}"
        await record(self.conn, self.ctx, "meeting_template_created", target=target, unit_id=branch["id"])
        return await self._present(await self._template(template_id))

    async def list_templates(self) -> list[MeetingTemplate]:
        """The templates of the branches the caller leads."""
        branches = await self.own_branches()
        rows = await self.conn.fetch(Q["list_templates"], branches)
        return [await self._present(row) for row in rows if self.can_manage(row["branch_path"])]

    async def update(self, template_id: UUID, data: TemplateUpdate) -> MeetingTemplate:
        """Change a template; occurrences to come that were not edited one by one follow (members are told)."""
        current = await self._template(template_id)
        changes: dict[str, Any] = {
            name: value for name in data.__struct_fields__ if (value := getattr(data, name)) is not msgspec.UNSET
        }
        if "local_time" in changes:
            changes["local_time"] = _parse_time(changes["local_time"])
        merged = {**dict(current), **changes}
        await self.conn.execute(
            Q["update_template"],
            template_id,
            merged["title"],
            merged["day_of_month"],
            merged["local_time"],
            merged["duration_minutes"],
            merged["place"],
            merged["agenda_md"],
            merged["months_ahead"],
            merged["active"],
        )
        if _SCHEDULE_FIELDS & {name for name, value in changes.items() if value != current[name]}:
            await self._follow(merged)
        await materialise(self.conn, [current["branch_id"]], self.now(), template_id=template_id)
        await record(
            self.conn,
            self.ctx,
            "meeting_template_updated",
            target=f"meeting-template:{template_id}",
            unit_id=current["branch_id"],
            details={"fields": sorted(changes)},
        )
        return await self._present(await self._template(template_id))

    async def materialise_one(self, template_id: UUID) -> MeetingTemplate:
        """Make the occurrences a template owes now, rather than at the next listing."""
        template = await self._template(template_id)
        await materialise(self.conn, [template["branch_id"]], self.now(), template_id=template_id)
        return await self._present(await self._template(template_id))

    async def _follow(self, template: dict[str, Any]) -> None:
        """Move the untouched occurrences still to come to the template's new schedule."""
        now = self.now()
        agenda_html = render_markdown(template["agenda_md"])
        for row in await self.conn.fetch(Q["untouched_occurrences"], template["id"]):
            starts_at = recurrence.starts_in(row["occurrence"], template["day_of_month"], template["local_time"])
            if starts_at <= now:
                continue  # the new day of this month has passed: this occurrence keeps its date
            ends_at = starts_at + timedelta(minutes=template["duration_minutes"])
            moved = (starts_at, ends_at, template["place"]) != (row["starts_at"], row["ends_at"], row["place"])
            await self.conn.execute(
                Q["update_meeting"],
                row["id"],
                template["title"],
                starts_at,
                ends_at,
                template["place"],
                template["agenda_md"],
                agenda_html,
                False,  # noqa: FBT003 - still following the template: not detached
            )
            if moved:
                await notify_members(self.conn, await self.managed_meeting(row["id"]), "changed", now=now)

    async def _template(self, template_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_template"], template_id)
        if row is None or not self.can_manage(row["branch_path"]):
            raise NotFound(f"No meeting template {template_id}.")
        self.changes_branch(row["branch_id"])
        return row

    async def _present(self, row: Any) -> MeetingTemplate:
        upcoming = await self.conn.fetch(Q["template_upcoming"], row["id"])
        return MeetingTemplate(
            id=row["id"],
            branch_id=row["branch_id"],
            title=row["title"],
            day_of_month=row["day_of_month"],
            local_time=row["local_time"].strftime("%H:%M"),
            duration_minutes=row["duration_minutes"],
            place=row["place"],
            agenda_md=row["agenda_md"],
            months_ahead=row["months_ahead"],
            active=row["active"],
            materialised_through=row["materialised_through"],
            upcoming=await summaries(self.conn, upcoming, self.principal.member_id),
        )


def _parse_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))
