"""What the feedback and moderation tests share: the demo units, staff accounts, SQL peeks, asking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.testing import AsyncTestClient

from api.auth.passwords import Passwords
from api.db import connect
from api.settings import Settings
from tests.helpers import bearer
from tests.servers import DEMO_PASSWORD

PROBLEM = "application/problem+json"


async def scalar(database_url: str, query: str, *args: object) -> Any:
    conn = await connect(database_url)
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


async def fetch(database_url: str, query: str, *args: object) -> list[dict[str, Any]]:
    conn = await connect(database_url)
    try:
        return [dict(row) for row in await conn.fetch(query, *args)]
    finally:
        await conn.close()


@dataclass
class Demo:
    """The demo member's branch, commune and province, and who is who."""

    branch_id: int
    commune_id: int
    province_id: int
    member_id: str
    member_name: str
    secretary_member_id: str


async def demo(database_url: str) -> Demo:
    rows = await fetch(
        database_url,
        "select a.username, m.id, m.full_name, b.id as branch_id, b.path from accounts a "
        "join members m on m.id = a.member_id join org_units b on b.id = m.branch_id "
        "where a.username in ('demo.member', 'demo.secretary')",
    )
    people = {row["username"]: row for row in rows}
    member = people["demo.member"]
    return Demo(
        branch_id=member["branch_id"],
        commune_id=member["path"][-2],
        province_id=member["path"][0],
        member_id=str(member["id"]),
        member_name=member["full_name"],
        secretary_member_id=str(people["demo.secretary"]["id"]),
    )


async def staff(
    client: AsyncTestClient[Any], database_url: str, settings: Settings, username: str, role: str, unit_id: int
) -> dict[str, str]:
    """A staff account without a member record, holding one role on one unit; its bearer header."""
    conn = await connect(database_url)
    try:
        account = await conn.fetchval(
            "insert into accounts (username, display_name, password_hash, activated_at) "
            "values ($1, $1, $2, now()) returning id",
            username,
            await Passwords(settings).hash(DEMO_PASSWORD),
        )
        await conn.execute(
            "insert into role_grants (account_id, role, unit_id) values ($1, $2, $3)", account, role, unit_id
        )
    finally:
        await conn.close()
    return await bearer(client, username)


async def grant(database_url: str, username: str, role: str, unit_id: int) -> None:
    """An extra role for a demo account (sign in afterwards: grants are read at sign-in)."""
    conn = await connect(database_url)
    try:
        await conn.execute(
            "insert into role_grants (account_id, role, unit_id) select id, $2, $3 from accounts where username = $1",
            username,
            role,
            unit_id,
        )
    finally:
        await conn.close()


async def ask(client: AsyncTestClient[Any], headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/feedback", headers=headers, json={"body": "Xin hỏi chi bộ.", **body})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def outbox(database_url: str, kind: str) -> list[dict[str, Any]]:
    """The outbox rows of one notification kind, oldest first (payload decoded)."""
    return [
        row["payload"]
        for row in await fetch(database_url, "select payload from outbox where payload->>'kind' = $1 order by id", kind)
    ]
