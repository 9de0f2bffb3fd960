"""What the meeting tests share: the demo branch, more members who can sign in, and SQL peeks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar.testing import AsyncTestClient

from api.auth.passwords import Passwords
from api.db import connect
from api.settings import Settings
from tests.helpers import bearer
from tests.servers import DEMO_PASSWORD

MEETINGS = "/api/v1/meetings"


@dataclass
class Branch:
    id: int
    commune_id: int
    secretary: dict[str, str]
    member: dict[str, str]
    member_id: UUID


async def sql(database_url: str, query: str, *args: object) -> Any:
    conn = await connect(database_url)
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


async def demo_branch(client: AsyncTestClient[Any], database_url: str) -> Branch:
    rows = await sql(
        database_url,
        "select m.id as member_id, b.id, b.path from accounts a join members m on m.id = a.member_id "
        "join org_units b on b.id = m.branch_id where a.username = 'demo.member'",
    )
    row = rows[0]
    return Branch(
        id=row["id"],
        commune_id=row["path"][-2],
        secretary=await bearer(client, "demo.secretary"),
        member=await bearer(client, "demo.member"),
        member_id=row["member_id"],
    )


async def more_members(
    client: AsyncTestClient[Any], database_url: str, settings: Settings, branch_id: int, count: int
) -> list[tuple[UUID, dict[str, str]]]:
    """Give ``count`` more active members of the branch a login; (member id, auth header) each."""
    password_hash = await Passwords(settings).hash(DEMO_PASSWORD)
    conn = await connect(database_url)
    try:
        rows = await conn.fetch(
            "select m.id from members m join accounts a on a.member_id = m.id where m.branch_id = $1 "
            "and m.status = 'active' and a.username is null order by m.card_number limit $2",
            branch_id,
            count,
        )
        people = []
        for index, row in enumerate(rows):
            username = f"meeting.member{index}"
            await conn.execute(
                "update accounts set username = $2, password_hash = $3, activated_at = now() where member_id = $1",
                row["id"],
                username,
                password_hash,
            )
            people.append((row["id"], username))
    finally:
        await conn.close()
    assert len(people) == count, "the demo branch has too few members for this test"
    return [(member_id, await bearer(client, username)) for member_id, username in people]


async def published_document(database_url: str) -> str:
    rows = await sql(database_url, "select id from documents where status = 'published' order by id limit 1")
    return str(rows[0]["id"])
