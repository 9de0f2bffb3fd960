"""The worker process runs the periodic jobs (api/schedule.py) by itself: overdue feedback escalates and
templates' owed meetings appear with nobody calling a job, with push on or off, in ``ehandbook worker`` and
in the thread ``ehandbook dev`` runs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec
from litestar.testing import AsyncTestClient

from api.db import Connection
from api.meetings import recurrence
from api.schedule import SCHEDULE
from api.scheduler import PeriodicJob
from api.settings import Settings
from push.mockservice import MockPushService
from push.transport.inprocess import AsgiPoster
from push.worker import WorkerOptions, WorkerThread, run_worker
from tests.feedback.support import ask, scalar
from tests.helpers import bearer
from tests.push.test_delivery import ORIGIN

EVERY = timedelta(milliseconds=300)


class Failing:
    def __init__(self) -> None:
        self.runs = 0

    async def __call__(self, conn: Connection, now: datetime) -> int:
        self.runs += 1
        raise RuntimeError("this job always fails")


def quick(failing: Failing) -> list[PeriodicJob]:
    """The real schedule at a short interval, and a job that always fails beside it."""
    return [
        *(msgspec.structs.replace(job, every=EVERY, timeout=None) for job in SCHEDULE),
        PeriodicJob(name="always.fails", every=EVERY, run=failing),
    ]


async def until(condition: Callable[[], Awaitable[bool]], *, seconds: float = 30.0) -> None:
    async with asyncio.timeout(seconds):
        while not await condition():  # noqa: ASYNC110 - polls state the worker changes
            await asyncio.sleep(0.05)


async def overdue_thread(client: AsyncTestClient[Any], database_url: str) -> UUID:
    """A member's question left unanswered past the branch's deadline (by the database's clock)."""
    thread = await ask(client, await bearer(client, "demo.member"), body="Chưa ai trả lời.")
    await scalar(
        database_url,
        "update feedback_threads set level_since = now() - interval '60 days' where id = $1",
        UUID(thread["id"]),
    )
    return UUID(thread["id"])


async def owing_template(database_url: str) -> UUID:
    """A template of the demo branch whose months have come due since it last materialised."""
    last_month = recurrence.add_months(recurrence.month_of(datetime.now(UTC)), -1)
    return UUID(
        str(
            await scalar(
                database_url,
                "insert into meeting_templates (branch_id, title, day_of_month, local_time, duration_minutes, "
                "place, agenda_md, months_ahead, materialised_through) select m.branch_id, 'Thường kỳ', 28, "
                "'19:30', 90, '', '', 2, $1::date from accounts a join members m on m.id = a.member_id "
                "where a.username = 'demo.member' returning id",
                last_month,
            )
        )
    )


def watch(database_url: str, thread_id: UUID, template_id: UUID, failing: Failing) -> Callable[[], Awaitable[bool]]:
    async def all_done() -> bool:
        escalated = await scalar(database_url, "select escalations from feedback_threads where id = $1", thread_id)
        made = await scalar(database_url, "select count(*) from meetings where template_id = $1", template_id)
        return bool(escalated == 1 and made >= 2 and failing.runs >= 2)

    return all_done


async def test_the_worker_escalates_and_materialises_by_itself_with_push_off(
    client: AsyncTestClient[Any], settings: Settings, database_url: str
) -> None:
    assert not settings.push_enabled
    thread_id = await overdue_thread(client, database_url)
    template_id = await owing_template(database_url)
    failing = Failing()
    stop = asyncio.Event()
    options = WorkerOptions(concurrency=2, grace_seconds=10, pool_size=4)
    task = asyncio.create_task(
        run_worker(settings, stop, options=options, poster=AsgiPoster(MockPushService(ORIGIN)), schedule=quick(failing))
    )
    try:
        await until(watch(database_url, thread_id, template_id, failing))
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
    assert await scalar(database_url, "select escalations from feedback_threads where id = $1", thread_id) == 1
    assert await scalar(database_url, "select count(*) from outbox where payload->>'kind' = 'feedback.escalated'")


async def test_the_dev_servers_worker_thread_runs_the_schedule(
    client: AsyncTestClient[Any], push_settings: Settings, database_url: str
) -> None:
    thread_id = await overdue_thread(client, database_url)
    template_id = await owing_template(database_url)
    failing = Failing()
    options = WorkerOptions(concurrency=2, grace_seconds=10, pool_size=4)
    worker = WorkerThread(
        push_settings, options=options, poster=AsgiPoster(MockPushService(ORIGIN)), schedule=quick(failing)
    )
    worker.start()
    try:
        await until(watch(database_url, thread_id, template_id, failing))
    finally:
        await asyncio.to_thread(worker.stop, 15)
