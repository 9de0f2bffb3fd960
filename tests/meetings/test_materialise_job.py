"""The scheduled materialisation: templates' horizons move on as the months turn, each occurrence made once,
however many runs overlap."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import AsyncTestClient

from api.db import connect
from api.meetings import jobs
from api.meetings.jobs import materialise_due
from tests.meetings.support import MEETINGS, demo_branch, sql

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def month_of(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date().replace(day=1)


def add_months(month: date, count: int) -> date:
    year, index = divmod(month.year * 12 + month.month - 1 + count, 12)
    return date(year, index + 1, 1)


def owed_months(now: datetime, day: int, months_ahead: int, *, after: date) -> set[date]:
    """The months after ``after`` up to the horizon whose meeting (day ``day``, 07:30 local) starts after ``now``,
    worked out independently of the service."""
    horizon = add_months(month_of(now), months_ahead)
    found, month = set(), add_months(after, 1)
    while month <= horizon:
        if datetime(month.year, month.month, day, 7, 30, tzinfo=VIETNAM) > now:
            found.add(month)
        month = add_months(month, 1)
    return found


async def run_job(database_url: str, now: datetime) -> int:
    conn = await connect(database_url)
    try:
        return await materialise_due(conn, now)
    finally:
        await conn.close()


async def add_template(
    database_url: str, branch_id: int, *, months_ahead: int, through: date, active: bool = True
) -> UUID:
    """A template straight into the table, as if its months had passed since it last materialised."""
    rows = await sql(
        database_url,
        "insert into meeting_templates (branch_id, title, day_of_month, local_time, duration_minutes, place, "
        "agenda_md, months_ahead, materialised_through, active) values ($1, 'Thường kỳ', 3, '07:30', 90, '', '', "
        "$2, $3, $4) returning id",
        branch_id,
        months_ahead,
        through,
        active,
    )
    return UUID(str(rows[0]["id"]))


async def stored_months(database_url: str, template_id: UUID) -> list[date]:
    rows = await sql(
        database_url, "select occurrence from meetings where template_id = $1 order by occurrence", template_id
    )
    return [row["occurrence"] for row in rows]


async def some_branches(database_url: str, count: int) -> list[int]:
    rows = await sql(database_url, "select id from org_units where kind = 'branch' order by id limit $1", count)
    assert len(rows) == count, "the test province has too few branches"
    return [row["id"] for row in rows]


async def test_owed_months_are_made_by_the_job_once(client: AsyncTestClient[Any], database_url: str) -> None:
    branch = await demo_branch(client, database_url)
    now = datetime.now(UTC)
    last_month = add_months(month_of(now), -1)
    owing = await add_template(database_url, branch.id, months_ahead=3, through=last_month)
    paused = await add_template(database_url, branch.id, months_ahead=3, through=last_month, active=False)
    expected = owed_months(now, 3, 3, after=last_month)
    assert expected, "at least the next months are owed"

    assert await run_job(database_url, now) == len(expected)
    assert set(await stored_months(database_url, owing)) == expected
    assert await stored_months(database_url, paused) == [], "an inactive template makes nothing"
    assert await run_job(database_url, now) == 0, "a repeat makes nothing"
    page = (await client.get(f"{MEETINGS}?limit=100", headers=branch.member)).json()
    assert len([item for item in page["items"] if item["template_id"] == str(owing)]) == len(expected)


async def test_the_horizon_moves_on_as_the_months_turn(client: AsyncTestClient[Any], database_url: str) -> None:
    branch = await demo_branch(client, database_url)
    created = await client.post(
        f"{MEETINGS}/templates",
        headers=branch.secretary,
        json={"day_of_month": 3, "local_time": "07:30", "place": "Hội trường", "agenda_md": "", "months_ahead": 2},
    )
    assert created.status_code == 201, created.text
    template_id = UUID(created.json()["id"])
    made_at_once = await stored_months(database_url, template_id)
    now = datetime.now(UTC)
    assert await run_job(database_url, now) == 0, "creating the template made what it owed"

    later = now + timedelta(days=62)
    new = owed_months(later, 3, 2, after=add_months(month_of(now), 2))
    assert await run_job(database_url, later) == len(new) == 2
    assert await stored_months(database_url, template_id) == sorted({*made_at_once, *new})
    assert await run_job(database_url, later) == 0


async def test_concurrent_runs_make_each_occurrence_once(
    client: AsyncTestClient[Any], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Several batches of branches, so that the runs overlap batch by batch.
    monkeypatch.setattr(jobs, "BATCH", 2)
    now = datetime.now(UTC)
    last_month = add_months(month_of(now), -1)
    branches = await some_branches(database_url, 7)
    templates = [
        await add_template(database_url, branch_id, months_ahead=4, through=last_month) for branch_id in branches
    ]
    expected = owed_months(now, 3, 4, after=last_month)

    made = await asyncio.gather(*(run_job(database_url, now) for _ in range(4)))

    assert sum(made) == len(templates) * len(expected)
    for template_id in templates:
        assert set(await stored_months(database_url, template_id)) == expected
    rows = await sql(
        database_url,
        "select count(*) from meeting_templates where id = any($1) and materialised_through <> $2",
        templates,
        add_months(month_of(now), 4),
    )
    assert rows[0]["count"] == 0, "every template's horizon was recorded"
