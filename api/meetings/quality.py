"""Meeting quality per branch, scored as Guidance 42-HD/BTCTW does: materials at least one day before,
minutes within two days after, and the attendance band."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean
from typing import Any

from api.auth.principal import REGISTER_READERS
from api.errors import FieldError, InvalidInput, NotFound
from api.meetings import recurrence
from api.meetings.access import MeetingAccess, Q
from api.meetings.schemas import BranchQuality, MeetingQuality, QualityReport
from api.meetings.views import attendance_count, band

MAX_PERIOD_DAYS = 366
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


class QualityService(MeetingAccess):
    async def report(self, *, unit_id: int | None, since: date | None, until: date | None) -> QualityReport:
        """Every branch under ``unit_id`` (default: the caller's units), over meetings that started in the
        period and were not cancelled; meeting by meeting when the report covers one branch."""
        if unit_id is not None:
            unit = await self.conn.fetchrow(Q["get_unit"], unit_id)
            if unit is None or not self.principal.covers(REGISTER_READERS, unit["path"]):
                raise NotFound(f"No org unit {unit_id}.")
            roots = [unit_id]
        else:
            roots = self.principal.units_for(REGISTER_READERS)
        since, until = _period(since, until, self.now())
        start, end = _bounds(since, until)
        branches = await self.conn.fetch(Q["quality_branches"], roots)
        meetings = [
            MeetingQuality(
                meeting_id=row["id"],
                branch_id=row["branch_id"],
                title=row["title"],
                starts_at=row["starts_at"],
                status=row["status"],
                materials_on_time=row["materials_on_time"],
                minutes_on_time=row["minutes_on_time"],
                attendance=attendance_count(row["active_members"], row["present"], row["excused"]),
            )
            for row in await self.conn.fetch(Q["quality_meetings"], roots, start, end)
        ]
        by_branch: dict[int, list[MeetingQuality]] = {row["id"]: [] for row in branches}
        for meeting in meetings:
            by_branch.setdefault(meeting.branch_id, []).append(meeting)
        summary = [_branch(row, by_branch[row["id"]]) for row in branches]
        return QualityReport(
            unit_id=unit_id,
            since=since,
            until=until,
            branches=summary,
            meetings=meetings if len(branches) == 1 else [],
        )


def _period(since: date | None, until: date | None, now: datetime) -> tuple[date, date]:
    """Local dates, both included; by default the month of ``until`` (today) and the two before it."""
    errors = [
        FieldError(field=name, message=f"must lie between {EARLIEST.year} and {LATEST.year}")
        for name, value in (("since", since), ("until", until))
        if value is not None and not EARLIEST <= value <= LATEST
    ]
    if errors:
        raise InvalidInput("Khoảng thời gian không hợp lệ.", errors=errors)
    until = until or now.astimezone(recurrence.VIETNAM).date()
    since = since or recurrence.add_months(until.replace(day=1), -2)
    if since > until or (until - since).days >= MAX_PERIOD_DAYS:
        errors.append(FieldError(field="since", message=f"must not follow until, at most {MAX_PERIOD_DAYS} days"))
    if errors:
        raise InvalidInput("Khoảng thời gian không hợp lệ.", errors=errors)
    return since, until


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """The period as UTC instants: from the start of ``since`` to the end of ``until`` on the branch's clock."""
    start = datetime.combine(since, time(0), tzinfo=recurrence.VIETNAM).astimezone(UTC)
    end = datetime.combine(until + timedelta(days=1), time(0), tzinfo=recurrence.VIETNAM).astimezone(UTC)
    return start, end


def _branch(row: Any, meetings: list[MeetingQuality]) -> BranchQuality:
    """A branch's meetings summed up; its band is that of its average attendance (exact, before rounding)."""
    percents = [100 * m.attendance.present / m.attendance.expected for m in meetings if m.attendance.expected > 0]
    average = fmean(percents) if percents else None
    return BranchQuality(
        branch_id=row["id"],
        code=row["code"],
        name=row["name"],
        meetings=len(meetings),
        materials_on_time=sum(m.materials_on_time for m in meetings),
        minutes_on_time=sum(m.minutes_on_time for m in meetings),
        average_attendance_percent=None if average is None else round(average, 1),
        band=band(average),
    )
