"""The per-member rows the reports count (study_member_status): right under concurrent writes and transfers."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from api.db import connect
from tests.helpers import bearer
from tests.study.test_programs import _create, _demo_units, _materials

INSERT_READ = (
    "insert into study_events (member_id, event_id, program_id, kind, document_id, occurred_at) "
    "values ($1, $2, $3, 'read', $4, now())"
)


async def test_two_devices_writing_at_once_are_both_counted(client: AsyncTestClient[Any], database_url: str) -> None:
    """Each writer counts in its own snapshot: the second must wait for the first and count its rows too."""
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    _, commune_id = await _demo_units(client, admin)
    materials = await _materials(client, admin)
    program = await _create(client, admin, commune_id, materials)
    member_id = uuid.UUID((await client.get("/api/v1/me", headers=member)).json()["member_id"])
    program_id = uuid.UUID(program["id"])
    opened = await client.post(
        f"/api/v1/study/programs/{program['id']}/progress",
        headers=member,
        json={"events": [{"event_id": str(uuid.uuid4()), "kind": "opened"}]},
    )
    assert opened.status_code == 200, "the member's row exists: the writers below update it"
    first, second = await connect(database_url), await connect(database_url)
    try:
        one = first.transaction()
        await one.start()
        await first.execute(INSERT_READ, member_id, uuid.uuid4(), program_id, uuid.UUID(materials[0]))
        two = second.transaction()
        await two.start()
        waiting = asyncio.create_task(
            second.execute(INSERT_READ, member_id, uuid.uuid4(), program_id, uuid.UUID(materials[1]))
        )
        await asyncio.sleep(0.3)
        assert not waiting.done(), "the second writer waits for the first"
        await one.commit()
        await waiting
        await two.commit()
        read = await first.fetchval(
            "select materials_read from study_member_status where program_id = $1 and member_id = $2",
            program_id,
            member_id,
        )
        assert read == 2
    finally:
        await first.close()
        await second.close()
    progress = (await client.get(f"/api/v1/study/programs/{program['id']}", headers=member)).json()["progress"]
    assert len(progress["materials_read"]) == 2


async def test_a_transfer_or_a_departure_moves_the_counts(client: AsyncTestClient[Any], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    branch_id, commune_id = await _demo_units(client, admin)
    program = await _create(client, admin, commune_id, [])
    url = f"/api/v1/study/programs/{program['id']}"
    opened = await client.post(
        f"{url}/progress", headers=member, json={"events": [{"event_id": str(uuid.uuid4()), "kind": "opened"}]}
    )
    assert opened.json()["completed"] is True
    member_id = uuid.UUID((await client.get("/api/v1/me", headers=member)).json()["member_id"])

    async def counts() -> dict[int, tuple[int, int]]:
        report = (await client.get(f"{url}/report", headers=admin)).json()
        return {b["unit_id"]: (b["assigned"], b["completed"]) for b in report["branches"]} | {
            0: (report["total"]["assigned"], report["total"]["completed"])
        }

    before = await counts()
    assert before[branch_id][1] == 1
    assert before[0][1] == 1
    other = next(unit for unit in before if unit not in (0, branch_id))
    conn = await connect(database_url)
    try:
        await conn.execute("update members set branch_id = $2 where id = $1", member_id, other)
        moved = await counts()
        assert moved[branch_id] == (before[branch_id][0] - 1, 0)
        assert moved[other] == (before[other][0] + 1, before[other][1] + 1)
        assert moved[0] == before[0]
        await conn.execute("update members set status = 'transferred_out' where id = $1", member_id)
        gone = await counts()
        assert gone[other] == before[other]
        assert gone[0] == (before[0][0] - 1, 0)
    finally:
        await conn.close()
