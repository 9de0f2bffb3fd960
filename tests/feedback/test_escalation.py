"""Escalation: a thread left unanswered past its level's deadline moves one level up and both sides hear
of it; repeated and concurrent runs move each thread once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from api.db import connect
from api.feedback.jobs import escalate_overdue
from tests.feedback.support import ask, demo, outbox, scalar
from tests.helpers import bearer


async def _escalate(database_url: str, now: datetime) -> int:
    conn = await connect(database_url)
    try:
        return await escalate_overdue(conn, now)
    finally:
        await conn.close()


async def test_an_unanswered_branch_question_moves_to_the_commune_then_the_province(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    units = await demo(database_url)
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    moderator = await bearer(client, "demo.moderator")
    waiting = await ask(client, member, body="Chưa ai trả lời.", title="Lịch họp")
    answered = await ask(client, member, body="Đã được trả lời.")
    await client.post(f"/api/v1/feedback/{answered['id']}/replies", headers=secretary, json={"body": "Đây."})
    now = datetime.now(UTC)

    assert await _escalate(database_url, now + timedelta(days=6)) == 0
    assert await _escalate(database_url, now + timedelta(days=8)) == 1
    assert await _escalate(database_url, now + timedelta(days=8)) == 0, "a repeat moves nothing"

    url = f"/api/v1/feedback/{waiting['id']}"
    moved = (await client.get(url, headers=member)).json()
    assert (moved["level"], moved["unit_id"], moved["status"], moved["escalations"]) == (
        "commune",
        units.commune_id,
        "new",
        1,
    )
    assert moved["answer_due_at"] > waiting["answer_due_at"]
    still = (await client.get(f"/api/v1/feedback/{answered['id']}", headers=member)).json()
    assert (still["level"], still["escalations"]) == ("branch", 0)

    # Both sides were told: the asker, and the branch secretary who let it lapse (commune staff without a
    # member record cannot receive pushes). Nothing names the asker.
    told = await outbox(database_url, "feedback.escalated")
    audiences = sorted(tuple(payload["audience"]["members"]) for payload in told)
    assert audiences == sorted([(units.member_id,), (units.secretary_member_id,)])
    assert all(units.member_name not in payload["body"] + payload["title"] for payload in told)
    assert await scalar(
        database_url,
        "select count(*) from audit_log where action = 'feedback_escalated' and target = $1 and actor_id is null",
        f"feedback:{waiting['id']}",
    )

    # The branch still sees it, but the commune answers now.
    assert (await client.post(f"{url}/replies", headers=secretary, json={"body": "Muộn."})).status_code == 403

    # Past the commune's deadline too, it goes to the province, and no further.
    later = now + timedelta(days=8 + 15)
    assert await _escalate(database_url, later) == 1
    top = (await client.get(url, headers=member)).json()
    assert (top["level"], top["unit_id"], top["escalations"]) == ("province", units.province_id, 2)
    assert await _escalate(database_url, later + timedelta(days=365)) == 0
    assert (await client.post(f"{url}/replies", headers=moderator, json={"body": "Xã."})).status_code == 403


async def test_concurrent_runs_move_each_thread_once(client: AsyncTestClient[Any], database_url: str) -> None:
    member = await bearer(client, "demo.member")
    ids = [uuid.UUID((await ask(client, member, body=f"Góp ý {index}"))["id"]) for index in range(6)]
    # More than one batch of waiting threads, straight into the table.
    await scalar(
        database_url,
        "insert into feedback_threads (id, author_account_id, author_member_id, origin_branch_id, unit_id, level, "
        "kind, category, body) select gen_random_uuid(), author_account_id, author_member_id, origin_branch_id, "
        "unit_id, level, kind, category, body from feedback_threads, generate_series(1, 70)",
    )
    total = await scalar(database_url, "select count(*) from feedback_threads")
    now = datetime.now(UTC) + timedelta(days=8)
    moved = await asyncio.gather(*(_escalate(database_url, now) for _ in range(4)))
    assert sum(moved) == total
    assert await scalar(database_url, "select count(*) from feedback_threads where escalations <> 1") == 0
    assert await scalar(database_url, "select count(*) from feedback_threads where id = any($1)", ids) == 6
    assert (
        await scalar(database_url, "select count(*) from outbox where payload->>'kind' = 'feedback.escalated'")
        == 2 * total
    )


async def test_deadlines_are_configurable_per_level(client: AsyncTestClient[Any], database_url: str) -> None:
    member = await bearer(client, "demo.member")
    await ask(client, member, body="Ba ngày là đủ.")
    await scalar(database_url, "update feedback_deadlines set answer_within = interval '3 days' where level = 'branch'")
    assert await _escalate(database_url, datetime.now(UTC) + timedelta(days=4)) == 1
