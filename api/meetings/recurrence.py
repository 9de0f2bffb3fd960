"""Monthly recurrence in the branch's local time: which occurrences a template owes, and when they start."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
"""Branches meet by the local clock; storage stays UTC."""


class Occurrence(msgspec.Struct, frozen=True):
    month: date
    """The first day of the local month it belongs to: one occurrence per template and month."""
    starts_at: datetime
    ends_at: datetime


def month_of(moment: datetime) -> date:
    """The first day of the local month ``moment`` falls in."""
    return moment.astimezone(VIETNAM).date().replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def horizon(now: datetime, months_ahead: int) -> date:
    """The last month a template materialises: ``months_ahead`` months after the current one."""
    return add_months(month_of(now), months_ahead)


def starts_in(month: date, day_of_month: int, local_time: time) -> datetime:
    """Day N of the month at the local time; months too short for N meet on their last day."""
    day = min(day_of_month, calendar.monthrange(month.year, month.month)[1])
    return datetime.combine(month.replace(day=day), local_time, tzinfo=VIETNAM).astimezone(UTC)


def occurrences(
    *,
    day_of_month: int,
    local_time: time,
    duration_minutes: int,
    after: date,
    through: date,
    not_before: datetime,
) -> list[Occurrence]:
    """The occurrences of the months after ``after`` up to ``through``, leaving out those that would start
    before ``not_before`` (a template never creates meetings in the past)."""
    found = []
    month = add_months(after, 1)
    while month <= through:
        starts_at = starts_in(month, day_of_month, local_time)
        if starts_at > not_before:
            found.append(Occurrence(month, starts_at, starts_at + timedelta(minutes=duration_minutes)))
        month = add_months(month, 1)
    return found
